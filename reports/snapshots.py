"""Read-only questions about published snapshots: the current one, a year's list, published vs current.

Selectors (the writes are in `reports.services`). Comparisons are made in the JSON form the
snapshot stores (`json_figures`), so a Decimal and its stored string never differ by format.
"""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Q

from outreach.models import Agency, Basis
from reports.drilldown import records_url
from reports.indicators import BY_CODE, CATALOGUE, SECTIONS, Indicator, as_json_value
from reports.models import PublishedSnapshot
from reports.scope import COUNTED, Scope, counted
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


# --- what a basis leaves out ---------------------------------------------------------------------

#: the bases a publication may be on that leave records out, compared with everything entered
NARROWER = (Basis.APPROVED, Basis.SUBMITTED)


@dataclass(frozen=True)
class LeftOut:
    """Of one record type, the records the figures count on `all` and how many each narrower basis leaves out."""

    model: type
    entered: int
    #: {basis: records counted on `all` that this basis does not count}
    left_out: dict

    @property
    def label(self) -> str:
        return self.model._meta.verbose_name_plural


@dataclass(frozen=True)
class LeftOutSummary:
    rows: list[LeftOut]

    @property
    def entered(self) -> int:
        return sum(row.entered for row in self.rows)

    def total(self, basis) -> int:
        """Records the figures on `basis` leave out, every type together (0 for `all`)."""
        return sum(row.left_out.get(Basis(basis), 0) for row in self.rows)

    @property
    def total_left_out(self) -> int:
        """Records the narrowest basis (`approved`) leaves out: whether any basis leaves anything out."""
        return self.total(Basis.APPROVED)

    @property
    def by_basis(self) -> list[tuple[Basis, int, list[tuple[str, int]]]]:
        """(basis, records it leaves out, per record type) of each narrower basis."""
        return [(basis, self.total(basis), self.of(basis)) for basis in NARROWER]

    def of(self, basis) -> list[tuple[str, int]]:
        """(record type, records left out) of the types `basis` leaves something out of."""
        return [(row.label, row.left_out[Basis(basis)]) for row in self.rows if row.left_out.get(Basis(basis))]


def left_out(*, year: int, as_of: datetime.date) -> LeftOutSummary:
    """Per record type the figures count (`reports.scope.COUNTED`), province-wide for `year` up to `as_of`: the
    records counted on `all` and how many of them `approved` and `submitted` leave out.

    One query per record type (13) whatever the data: the counted records on `all`, with conditional
    counts of those also counted on each narrower basis (`counted(model, scope)`, the figures' own rule).
    """
    everything = Scope(year=year, as_of=as_of, basis=Basis.ALL)
    rows = []
    for model in COUNTED:
        counts = counted(model, everything).aggregate(
            entered=Count("pk"),
            **{
                basis.value: Count("pk", filter=Q(pk__in=counted(model, replace(everything, basis=basis)).values("pk")))
                for basis in NARROWER
            },
        )
        kept = {basis: counts[basis.value] for basis in NARROWER}
        rows.append(LeftOut(model, counts["entered"], {b: counts["entered"] - n for b, n in kept.items()}))
    return LeftOutSummary(rows)
