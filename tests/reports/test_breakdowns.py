"""Breakdowns per agency and per target city agree with the one-scope figures, in fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.models import Agency, Region
from reports.indicators import CATALOGUE
from reports.selectors import agency_breakdown, city_breakdown, year_end_figures
from tests import factories as f
from tests.reports.data import build

pytestmark = pytest.mark.django_db

YEAR, AS_OF = 2014, datetime.date(2014, 7, 31)


def test_each_agency_row_equals_the_figures_for_that_agency(agency_a, agency_b):
    build([agency_a, agency_b], 2)
    idle = f.AgencyFactory()  # no records: a row of zeros, not missing
    breakdown = agency_breakdown(year=YEAR, as_of=AS_OF)
    rows = {row.unit: row for row in breakdown.rows}
    assert set(rows) >= {agency_a, agency_b, idle}
    for agency in (agency_a, agency_b, idle):
        assert rows[agency].figures == year_end_figures(year=YEAR, as_of=AS_OF, agency=agency)
    assert not rows[idle].has_records and rows[agency_a].has_records
    assert rows[agency_a].figures["cp.points"] == 2


def test_each_city_row_equals_the_figures_for_that_city(agency_a, agency_b):
    build([agency_a, agency_b], 2)
    breakdown = city_breakdown(year=YEAR, as_of=AS_OF)
    assert all(i.by_city for i in breakdown.indicators)
    assert len(breakdown.indicators) == sum(1 for i in CATALOGUE if i.by_city)
    cities = [row.unit for row in breakdown.rows if row.unit is not None]
    targets = list(Region.objects.filter(is_target_city=True))
    assert set(targets) <= set(cities)
    assert cities[: len(targets)] == sorted(targets, key=lambda c: c.code)  # target cities first
    total = 0
    for row in breakdown.rows:
        if row.unit is None:
            continue
        expected = year_end_figures(year=YEAR, as_of=AS_OF, city=row.unit)
        assert row.figures == {i.code: expected[i.code] for i in breakdown.indicators}
        total += row.figures["cp.points"]
    assert total == year_end_figures(year=YEAR, as_of=AS_OF)["cp.points"] == 4


def test_staff_scope_gives_one_agency_row(agency_a, agency_b):
    build([agency_a, agency_b], 1)
    breakdown = agency_breakdown(year=YEAR, as_of=AS_OF, agency=agency_a)
    assert [row.unit for row in breakdown.rows] == [agency_a]
    cities = city_breakdown(year=YEAR, as_of=AS_OF, agency=agency_a)
    assert sum(row.figures["cp.points"] for row in cities.rows) == 1


@pytest.mark.parametrize("breakdown", [agency_breakdown, city_breakdown])
def test_query_count_does_not_grow_with_agencies_or_records(breakdown, agency_a, agency_b):
    build([agency_a], 1)
    with CaptureQueriesContext(connection) as small:
        breakdown(year=YEAR, as_of=AS_OF)
    build([agency_b] + [f.AgencyFactory() for _ in range(4)], 3)
    with CaptureQueriesContext(connection) as large:
        breakdown(year=YEAR, as_of=AS_OF)
    assert len(small) == len(large) <= 17
    assert Agency.objects.count() >= 6
