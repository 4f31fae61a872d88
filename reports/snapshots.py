"""Read-only questions about published snapshots: the current one, a year's list, published vs current.

Selectors (the writes are in `reports.services`). Comparisons are made in the JSON form the
snapshot stores (`json_figures`), so a Decimal and its stored string never differ by format.
"""

from dataclasses import dataclass, replace

from outreach.models import Agency
from reports.drilldown import records_url
from reports.indicators import BY_CODE, CATALOGUE, SECTIONS, Indicator, as_json_value
from reports.models import PublishedSnapshot
from reports.templatetags.figures import display


def json_figures(figures: dict) -> dict:
    """{code: value} as /reports/year-end.json writes it: money as strings, rates as numbers, None as null."""
    return {code: as_json_value(code, value) for code, value in figures.items()}


def latest_snapshot(year: int) -> PublishedSnapshot | None:
    """The year's current snapshot (the latest published), or None if none was published."""
    return PublishedSnapshot.objects.for_year(year).select_related("published_by").first()


@dataclass(frozen=True)
class SnapshotListing:
    snapshot: PublishedSnapshot
    superseded_by: PublishedSnapshot | None  # None: the year's current snapshot

    @property
    def is_current(self) -> bool:
        return self.superseded_by is None


def year_snapshots(year: int) -> list[SnapshotListing]:
    """The year's snapshots, current first, each with the one that superseded it (one query).

    The figures are not loaded: a listing shows only who published what and when.
    """
    snapshots = list(
        PublishedSnapshot.objects.for_year(year).defer("figures", "agency_figures").select_related("published_by")
    )
    return [
        SnapshotListing(snapshot, snapshots[index - 1] if index else None) for index, snapshot in enumerate(snapshots)
    ]


def snapshot_years() -> list[int]:
    """Years with at least one published snapshot, newest first."""
    return list(PublishedSnapshot.objects.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class ComparisonRow:
    """One figure as published and as it is now, both in JSON form.

    `indicator` is None for a code the catalogue no longer has; `published_missing` is True for a
    code (or an agency) the snapshot does not have. Either counts as changed.
    """

    code: str
    indicator: Indicator | None
    published: object
    current: object
    changed: bool
    published_missing: bool = False
    records_url: str | None = None

    @property
    def section_label(self):
        return SECTIONS[self.indicator.section] if self.indicator is not None else ""

    @property
    def published_display(self) -> str:
        return _display(self, self.published)

    @property
    def current_display(self) -> str:
        return _display(self, self.current)


def _display(row: ComparisonRow, value) -> str:
    if row.indicator is None:
        return "—" if value is None else str(value)
    return display(row.code, value)


def linked_comparison(snapshot: PublishedSnapshot, current: dict, scope) -> list[ComparisonRow]:
    """`snapshot_comparison` for a `reports.forms.ReportScope`, each changed figure linked to the records
    of the scope changed since publication."""
    return [
        replace(row, records_url=records_url(row.code, scope, changed_since=snapshot.published_at))
        if row.changed and row.indicator is not None
        else row
        for row in snapshot_comparison(snapshot, current, scope.agency)
    ]


def snapshot_comparison(
    snapshot: PublishedSnapshot, current: dict, agency: Agency | None = None
) -> list[ComparisonRow]:
    """Published vs current for every code, in catalogue order (no query).

    `current` is `year_end_figures()` for the snapshot's year and as-of date, for the province or
    for `agency`; with `agency`, the published side is that agency's figures in the snapshot.
    Codes the snapshot has but the catalogue no longer has come last.
    """
    published = snapshot.figures if agency is None else snapshot.agency_figures.get(agency.code, {})
    now = json_figures(current)
    rows = []
    for indicator in CATALOGUE:
        code = indicator.code
        missing = code not in published
        value = published.get(code)
        rows.append(ComparisonRow(code, indicator, value, now.get(code), missing or value != now.get(code), missing))
    for code in sorted(set(published) - set(BY_CODE)):
        rows.append(ComparisonRow(code, None, published[code], None, True))
    return rows
