"""Read-only questions the reports answer, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from outreach.models import Agency, Region
from reports.indicators import (
    BY_AGENCY,
    BY_CITY,
    CATALOGUE,
    Indicator,
    compute,
    compute_grouped,
    empty_figures,
)


def year_end_figures(
    *, year: int, as_of: datetime.date, agency: Agency | None = None, city: Region | None = None
) -> dict:
    """Every year-end figure (DESIGN §4) as {code: value}, ordered like `reports.indicators.CATALOGUE`.

    Counts are ints, money a Decimal with two places, rates a Decimal percentage with two
    places or None when the denominator is zero. 15 queries whatever the data.
    """
    return compute(year=year, as_of=as_of, agency=agency, city=city)


@dataclass(frozen=True)
class BreakdownRow:
    """One agency's or one city's figures; `unit` is the Agency or Region (None: records without a city)."""

    unit: Agency | Region | None
    figures: dict

    @property
    def has_records(self) -> bool:
        return any(value for value in self.figures.values())


@dataclass(frozen=True)
class Breakdown:
    by: str
    indicators: tuple[Indicator, ...]
    rows: list[BreakdownRow]


def agency_breakdown(*, year: int, as_of: datetime.date, agency: Agency | None = None) -> Breakdown:
    """Every active agency (or the one given) with its figures, zeros for agencies without records.

    Agencies are listed by code; an inactive agency appears only if it has records in the window.
    One query for the agencies plus the 15 of `compute()`.
    """
    groups = compute_grouped(year=year, as_of=as_of, by=BY_AGENCY, agency=agency)
    agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=[k for k in groups if k is not None]))
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
    rows = [BreakdownRow(a, groups.get(a.pk) or empty_figures()) for a in agencies.order_by("code")]
    return Breakdown(BY_AGENCY, CATALOGUE, rows)


def city_breakdown(*, year: int, as_of: datetime.date, agency: Agency | None = None) -> Breakdown:
    """The target cities (and any other city with records) with the figures that have a city.

    Target cities come first in code order, then other cities, then records without a city
    (unit None) if there are any. Figures without a city dimension are not part of it.
    """
    groups = compute_grouped(year=year, as_of=as_of, by=BY_CITY, agency=agency)
    cities = Region.objects.filter(Q(is_target_city=True) | Q(pk__in=[k for k in groups if k is not None]))
    cities = sorted(cities, key=lambda c: (not c.is_target_city, c.code))
    indicators = tuple(i for i in CATALOGUE if i.by_city)
    rows = [BreakdownRow(c, groups.get(c.pk) or empty_figures(by_city_only=True)) for c in cities]
    if None in groups:
        rows.append(BreakdownRow(None, groups[None]))
    return Breakdown(BY_CITY, indicators, rows)
