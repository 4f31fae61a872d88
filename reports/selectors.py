"""Read-only questions the reports answer, in a fixed number of queries."""

import datetime

from outreach.models import Agency, Region
from reports.indicators import compute


def year_end_figures(
    *, year: int, as_of: datetime.date, agency: Agency | None = None, city: Region | None = None
) -> dict:
    """Every year-end figure (DESIGN §4) as {code: value}, ordered like `reports.indicators.CATALOGUE`.

    Counts are ints, money a Decimal with two places, rates a Decimal percentage with two
    places or None when the denominator is zero. 15 queries whatever the data.
    """
    return compute(year=year, as_of=as_of, agency=agency, city=city)
