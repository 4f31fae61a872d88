"""Read-only questions about visits, answered in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q

from outreach.models import Agency, Basis, CampaignYear, Official
from outreach.models.campaign import MINIMUM_POSITIONS
from outreach.rates import percent
from outreach.window import Window
from visits.models import Visit


@dataclass
class OfficialMinimum:
    """One official's progress towards their yearly minimum at the as-of date."""

    official: Official
    required_days: int
    required_households: int
    days: int = 0
    households: int = 0

    @property
    def days_owed(self) -> int:
        return max(0, self.required_days - self.days)

    @property
    def households_owed(self) -> int:
        return max(0, self.required_households - self.households)

    @property
    def on_track(self) -> bool:
        return self.days_owed == 0 and self.households_owed == 0


@dataclass
class AgencyMinimums:
    """Per agency: how many of its officials under a minimum are on track."""

    agency: Agency
    due: int = 0
    on_track: int = 0

    @property
    def share(self) -> Decimal | None:
        """Percentage on track, two decimals (None when nobody is under a minimum)."""
        return percent(self.on_track, self.due)


@dataclass
class MinimumsReport:
    as_of: datetime.date
    window_start: datetime.date
    officials: list[OfficialMinimum] = field(default_factory=list)
    agencies: list[AgencyMinimums] = field(default_factory=list)

    @property
    def due(self) -> int:
        return len(self.officials)

    @property
    def on_track(self) -> int:
        return sum(1 for row in self.officials if row.on_track)

    @property
    def share(self) -> Decimal | None:
        return percent(self.on_track, self.due)

    @property
    def behind(self) -> list[OfficialMinimum]:
        return [row for row in self.officials if not row.on_track]


def visit_minimums(
    *, user, as_of: datetime.date, agency: Agency | None = None, basis: str = Basis.ALL
) -> MinimumsReport:
    """Each official under a yearly minimum (docs/domain.md §1, §4), evaluated at `as_of`.

    - Who: officials in post whose position carries a minimum (`MINIMUM_POSITIONS`:
      leadership-team members and heads of internal departments), within what `user`
      may see, optionally one agency's.
    - How much: the minimums of the as-of date's campaign year
      (`CampaignYear.objects.settings_for(year).minimums()`; by default 3 village days and
      20 households a year for leadership members, 5 and 30 for heads), read in the officials' query.
    - The window is 1 January of the as-of date's year up to and including `as_of` (`Window.up_to`).
    - Village days are the distinct calendar days covered by the official's
      village-stay visits inside the window: a day counts once even where two
      stays overlap, and a stay crossing 1 January or the as-of date counts only
      its days inside the window.
    - Households are summed over the official's visits whose start date lies in
      the window (village stay or not).

    Two queries whatever the number of officials and visits: one for the
    officials, one for their visits touching the window; the rest is arithmetic.
    """
    visits = Visit.objects.for_user(user).on_basis(basis)  # the visits of months on the basis (统计口径)
    return _minimums(Official.objects.for_user(user), visits, as_of=as_of, agency=agency)


def minimum_counts(
    *, as_of: datetime.date, agency: Agency | None = None, basis: str = Basis.ALL
) -> dict[int, tuple[int, int]]:
    """{agency id: (officials under a minimum, of whom on track)} for the year-end statistics.

    The same rules and two queries as `visit_minimums`, without loading officials as objects:
    the statistics need only the counts. `basis`: the visits that count towards the minimums are
    those on the figures' basis (统计口径, `outreach.models.Basis`: by their start date's month).
    """
    officials = _under_minimum(Official.objects.all(), agency, as_of.year)
    rows = {
        pk: (agency_id, {"days": days, "households": households})
        for pk, agency_id, days, households in officials.values_list(
            "pk", "agency_id", "required_days", "required_households"
        ).order_by()
    }
    progress = _progress(_visits_under_minimum(Visit.objects.on_basis(basis), agency), rows, as_of)
    counts: dict[int, tuple[int, int]] = {}
    for pk, (agency_id, minimum) in rows.items():
        days, households = progress.get(pk, (0, 0))
        met = days >= minimum["days"] and households >= minimum["households"]
        due, on_track = counts.get(agency_id, (0, 0))
        counts[agency_id] = (due + 1, on_track + met)
    return counts


def _under_minimum(officials, agency, year: int):
    """The officials in post under a minimum, annotated with their position's minimum in `year` (`required_*`)."""
    officials = officials.filter(is_active=True, position__in=MINIMUM_POSITIONS)
    officials = officials.annotate(**CampaignYear.objects.required(year))
    return officials.filter(agency=agency) if agency is not None else officials


def _visits_under_minimum(visits, agency):
    visits = visits.filter(official__is_active=True, official__position__in=MINIMUM_POSITIONS)
    return visits.filter(agency=agency) if agency is not None else visits


def _progress(visits, officials, as_of: datetime.date) -> dict[int, tuple[int, int]]:
    """{official id: (village days, households)} in the window 1 January … as_of, for `officials` (ids).

    Village days: the calendar days covered by the official's village stays, clipped to the
    window, each day once however many stays cover it (overlapping ranges are merged).
    Households: summed over the visits that start in the window.

    One query, one row per official: the database merges each official's stays (`PROGRESS_SQL`)
    rather than sending every stay here (hundreds of thousands at national scale).
    """
    window = Window.up_to(as_of)
    rows = visits.filter(window.dated_q("start_date") | (Q(is_village_stay=True) & window.standing_q())).values(
        "official_id", "start_date", "end_date", "is_village_stay", "households"
    )
    inner, inner_params = rows.order_by().query.sql_with_params()
    day = DAY_NUMBER[connection.vendor]
    sql = PROGRESS_SQL.format(
        inner=inner,
        start=day.format("v.start_date"),
        end=day.format("v.end_date"),
        window_start=day.format("%s"),
        window_end=day.format("%s"),
    )
    # the window's days in the SQL's order: the clipping of starts and of ends (twice each), the households' test
    first, last = window.start, window.end
    params = (first, first, last, last, first, last, *inner_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return {
        official_id: (int(days), int(households)) for official_id, days, households in found if official_id in officials
    }


#: a date as a whole number of days, by database (`{}`: the column or placeholder)
DAY_NUMBER = {
    "sqlite": "CAST(julianday({}) AS INTEGER)",
    "postgresql": "({}::date - DATE '2000-01-01')",
}

#: Each official's village days and households in a window, merged in the database. Each stay, clipped to the
#: window and taken in order of its start, adds the days after the furthest end of the stays before it: the days
#: covered once however many stays cover them (a visit that is not a stay adds no day, only its households).
PROGRESS_SQL = """
SELECT official_id, COALESCE(SUM(CASE WHEN added > 0 THEN added ELSE 0 END), 0), COALESCE(SUM(households), 0)
FROM (
    SELECT official_id, households,
           e - (CASE WHEN covered_to IS NULL OR covered_to < s THEN s ELSE covered_to + 1 END) + 1 AS added
    FROM (
        SELECT official_id, s, e, households,
               MAX(e) OVER (
                   PARTITION BY official_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
               ) AS covered_to
        FROM (
            SELECT v.official_id AS official_id,
                   CASE WHEN NOT v.is_village_stay THEN NULL
                        WHEN {start} < {window_start} THEN {window_start} ELSE {start} END AS s,
                   CASE WHEN NOT v.is_village_stay THEN NULL
                        WHEN {end} > {window_end} THEN {window_end} ELSE {end} END AS e,
                   CASE WHEN {start} >= {window_start} AND {start} <= {window_end}
                        THEN v.households ELSE 0 END AS households
            FROM ({inner}) v
        ) clipped
    ) ordered
) added
GROUP BY official_id
"""


def _minimums(officials, visits, *, as_of: datetime.date, agency: Agency | None) -> MinimumsReport:
    rank = {position: i for i, position in enumerate(MINIMUM_POSITIONS)}  # leadership first
    officials = sorted(
        _under_minimum(officials, agency, as_of.year).select_related("agency"),
        key=lambda o: (o.agency.code, rank[o.position], o.name, o.pk),
    )
    rows: dict[int, OfficialMinimum] = {}
    for official in officials:
        rows[official.pk] = OfficialMinimum(
            official=official, required_days=official.required_days, required_households=official.required_households
        )
    for official_id, (days, households) in _progress(_visits_under_minimum(visits, agency), rows, as_of).items():
        rows[official_id].days, rows[official_id].households = days, households

    by_agency: dict[int, AgencyMinimums] = {}
    for row in rows.values():
        summary = by_agency.setdefault(row.official.agency_id, AgencyMinimums(agency=row.official.agency))
        summary.due += 1
        summary.on_track += row.on_track
    return MinimumsReport(
        as_of=as_of,
        window_start=Window.up_to(as_of).start,
        officials=list(rows.values()),
        agencies=list(by_agency.values()),
    )
