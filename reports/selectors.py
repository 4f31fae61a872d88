"""Read-only questions the reports answer, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, Basis, Region
from reports import consistency
from reports.catalogue import CATALOGUE, PARTS, SECTIONS, Indicator
from reports.drilldown import records_url
from reports.indicators import compute, compute_grouped, empty_figures, empty_value
from reports.scope import BY_AGENCY, BY_CITY
from reports.snapshots import latest_snapshot, linked_comparison
from reports.wording import section_summaries


def year_end_figures(
    *,
    year: int,
    as_of: datetime.date,
    agency: Agency | None = None,
    city: Region | None = None,
    basis: str = Basis.ALL,
) -> dict:
    """Every year-end figure (docs/domain.md §4) as {code: value}, ordered like `reports.indicators.CATALOGUE`.

    Counts are ints, money a Decimal with two places, rates a Decimal percentage with two
    places or None when the denominator is zero. 15 queries whatever the data. `basis`: which
    records count by the review state of their month or return (统计口径, `outreach.models.Basis`).
    """
    return compute(year=year, as_of=as_of, agency=agency, city=city, basis=basis)


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


def agency_breakdown(
    *,
    year: int,
    as_of: datetime.date,
    agency: Agency | None = None,
    city: Region | None = None,
    basis: str = Basis.ALL,
) -> Breakdown:
    """Every active agency (or the one given) with its figures, zeros for agencies without records.

    Agencies are listed by code; an inactive agency appears only if it has records in the window.
    With `city`, the figures that have a city count that city's records only. One query for the
    agencies plus the 15 of `compute()`.
    """
    groups = compute_grouped(year=year, as_of=as_of, by=BY_AGENCY, agency=agency, city=city, basis=basis)
    agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=[k for k in groups if k is not None]))
    if agency is not None:
        agencies = agencies.filter(pk=agency.pk)
    rows = [BreakdownRow(a, groups.get(a.pk) or empty_figures()) for a in agencies.order_by("code")]
    return Breakdown(BY_AGENCY, CATALOGUE, rows)


def city_breakdown(
    *,
    year: int,
    as_of: datetime.date,
    agency: Agency | None = None,
    city: Region | None = None,
    codes=None,
    basis: str = Basis.ALL,
) -> Breakdown:
    """The year's target cities (and any other city with records) with the figures that have a city.

    Target cities come first in code order, then other cities, then records without a city
    (unit None) if there are any; with `city`, that city only. Figures without a city dimension
    are not part of it; `codes` narrows it to those figures (and the queries to their sources).
    """
    groups = compute_grouped(year=year, as_of=as_of, by=BY_CITY, agency=agency, city=city, codes=codes, basis=basis)
    indicators = tuple(i for i in CATALOGUE if i.by_city and (codes is None or i.code in codes))
    # The year's target cities (`Region.objects.target_cities(year)`, docs/domain.md §1), in the same query.
    cities = Region.objects.with_target(year).filter(Q(is_target=True) | Q(pk__in=[k for k in groups if k is not None]))
    if city is not None:
        cities = cities.filter(pk=city.pk)
    empty = {i.code: empty_value(i) for i in indicators}
    rows = [BreakdownRow(c, groups.get(c.pk) or empty) for c in sorted(cities, key=lambda c: (not c.is_target, c.code))]
    if None in groups and city is None:
        rows.append(BreakdownRow(None, groups[None]))
    return Breakdown(BY_CITY, indicators, rows)


@dataclass(frozen=True)
class FigureRow:
    indicator: Indicator
    value: object
    records_url: str | None = None
    #: as published (`reports.snapshots.ComparisonRow`) when the page compares with a snapshot
    published: object = None


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    rows: list[FigureRow]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    parts: list[Part]
    summary: str = ""


def sections(figures: dict, summaries: dict | None = None, scope=None, published: dict | None = None) -> list[Section]:
    """The figures in the article's order: three sections (三大延伸, 三大渠道, 三大活动), each of three parts,
    with each section's drafted summary paragraph when `summaries` ({section key: text}) is given, each
    figure's link to its records when `scope` is given, and its published value from `published`
    ({code: ComparisonRow})."""
    summaries, published = summaries or {}, published or {}
    result: dict[str, Section] = {}
    for indicator in CATALOGUE:
        key = indicator.section
        section = result.setdefault(key, Section(key, SECTIONS[key], [], summaries.get(key, "")))
        if not section.parts or section.parts[-1].key != indicator.part:
            section.parts.append(Part(indicator.part, PARTS[indicator.part], []))
        code = indicator.code
        url = records_url(code, scope) if scope is not None else None
        section.parts[-1].rows.append(FigureRow(indicator, figures[code], url, published.get(code)))
    return list(result.values())


def year_end_page(scope, *, compare: bool = True) -> dict:
    """Everything the year-end page shows for a `reports.scope.Scope`, in a fixed number of queries.

    The figures in article order (with links to their records), the breakdowns per agency and per
    city (with their columns grouped by part), the consistency check of the figures against both
    breakdowns and, with `compare`, the year's latest published snapshot and what changed since.
    """
    window = {"year": scope.year, "as_of": scope.as_of, "agency": scope.agency, "basis": scope.basis}
    scope_name = scope.agency.name if scope.agency is not None else None
    figures = year_end_figures(**window, city=scope.city)
    agencies = agency_breakdown(**window, city=scope.city)
    cities = city_breakdown(**window, city=scope.city)
    snapshot = latest_snapshot(scope.year) if compare else None
    # Published and current figures side by side when the page shows what was published: the same
    # as-of date and basis, the province or one agency, no city (snapshots keep no city figures).
    compared = (
        snapshot is not None and snapshot.as_of == scope.as_of and snapshot.basis == scope.basis and scope.city is None
    )
    comparison = {row.code: row for row in linked_comparison(snapshot, figures, scope)} if compared else {}
    summaries = section_summaries(figures, as_of=scope.as_of, scope_name=scope_name)
    return {
        "figures": figures,
        "sections": sections(figures, summaries, scope, comparison),
        "snapshot": snapshot,
        "compared": compared,
        "changed_since_publication": sum(1 for row in comparison.values() if row.changed),
        "agency_breakdown": agencies,
        "city_breakdown": cities,
        "breakdown_tables": [
            (agencies, _columns_by_part(agencies.indicators), _("By agency"), "by-agency"),
            (cities, _columns_by_part(cities.indicators), _("By city"), "by-city"),
        ],
        "consistency": consistency.check(
            figures, [row.figures for row in agencies.rows], [row.figures for row in cities.rows]
        ),
    }


def _columns_by_part(indicators) -> list[Part]:
    parts: dict[str, Part] = {}
    for indicator in indicators:
        parts.setdefault(indicator.part, Part(indicator.part, PARTS[indicator.part], [])).rows.append(indicator)
    return list(parts.values())
