"""Every record type of pairings and visits, for the suites that run once per type (the test id names it)."""

from tests.pairings.specs import SPECS as PAIRINGS_SPECS
from tests.visits.service_specs import SPECS as VISITS_SPECS

SPECS = [*PAIRINGS_SPECS, *VISITS_SPECS]
NUMERIC_SPECS = [spec for spec in SPECS if spec.sums]
PARENT_SPECS = [spec for spec in SPECS if spec.parent_field]
DATED_SPECS = [spec for spec in SPECS if spec.date_field]
