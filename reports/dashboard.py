"""What the work dashboard shows, computed from the indicator catalogue in a fixed number of queries.

Only what the page shows is computed (`codes=` of `reports.indicators.compute`): the headline
figures this year and at the same date last year, the figures of the city chart per city, the
compliance parts per agency, and the records per month. About 35 queries whatever the data.
Every figure, series and compliance part is on the scope's basis (统计口径, `Scope.basis`); last
year's figures on the same basis.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from outreach.models import Agency
from outreach.rates import percent
from outreach.window import Window
from pairings.models import ContactPointActivity, JointActivity, Pairing
from reports import drilldown
from reports.catalogue import BY_CODE, Indicator
from reports.indicators import compute, compute_grouped
from reports.scope import BY_AGENCY, COUNTED, Scope, counted
from reports.selectors import BreakdownRow, city_breakdown
from visits.models import FiveIntoAction, FourIntoEvent, Visit, VolunteerService

#: the dashboard's percentages have one decimal
TENTH = Decimal("0.1")
#: the headline cards, in this order
HEADLINE = (
    "cp.points",
    "cp.officials",
    "pair.agency_committees",
    "pair.activities",
    "pair.funds",
    "visit.person_times",
    "visit.households",
    "visit.minimum_met",
    "channel.opinions",
    "four_into.events",
    "volunteer.person_times",
    "five_into.consultations",
)
#: a card's second figure: "met … of due"
OUT_OF = {"visit.minimum_met": "visit.minimum_due"}
MINIMUMS = ("visit.minimum_met", "visit.minimum_due")
#: the city chart
CITY_CODES = ("cp.points", "pair.activities", "visit.person_times")
#: the parts of the compliance score
COMPLIANCE_CODES = ("pair.one_plus_two", "pair.five_ones_done", *MINIMUMS)


def same_day_last_year(day: datetime.date) -> datetime.date:
    """The same date a year earlier; 29 February becomes 28 February."""
    if day.month == 2 and day.day == 29:
        return datetime.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def last_year(scope: Scope) -> Scope:
    return replace(scope, year=scope.year - 1, as_of=same_day_last_year(scope.as_of))


def _window(scope: Scope, **kwargs) -> dict:
    return {"year": scope.year, "as_of": scope.as_of, "agency": scope.agency, "basis": scope.basis, **kwargs}


# --- headline cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    value: object
    last_year: object
    #: the figure it is out of (visit.minimum_due for visit.minimum_met), with last year's
    out_of: tuple[Indicator, object] | None = None

    @property
    def change(self):
        """This year's figure minus last year's (None if either is missing)."""
        if self.value is None or self.last_year is None:
            return None
        return self.value - self.last_year

    @property
    def change_percent(self) -> Decimal | None:
        """The change as a percentage of last year's figure, one decimal; None when last year is zero."""
        return percent(self.change, self.last_year, TENTH)


def headline(scope: Scope, minimums: dict | None = None) -> list[Card]:
    """The headline figures of the scope and at the same date last year.

    `minimums`: this year's visit.minimum_met and _due when the caller has them already (the
    compliance ranking computes them per agency: every official belongs to one agency, so their
    sum is the figure), saving the most expensive source a second run.
    """
    codes = set(HEADLINE) | {OUT_OF[code] for code in HEADLINE if code in OUT_OF}
    this = compute(**_window(scope, city=scope.city), codes=codes - set(minimums or ()))
    this.update(minimums or {})
    before = last_year(scope)
    last = compute(**_window(before, city=before.city), codes=codes)
    cards = []
    for code in HEADLINE:
        out_of = OUT_OF.get(code)
        cards.append(
            Card(
                BY_CODE[code],
                this[code],
                last[code],
                (BY_CODE[out_of], this[out_of], last[out_of]) if out_of else None,
            )
        )
    return cards


# --- monthly activity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """The records of `model` the catalogue counts (`reports.scope.counted`), per month of their date."""

    key: str
    model: type
    #: series with the same stack are drawn as one bar (the service activities)
    stack: str
    #: the list of these records
    target: drilldown.Target

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def date_field(self) -> str:
        return COUNTED[self.model].date_field

    @property
    def city_path(self) -> str | None:
        """None: the records have no city, the city filter does not apply (as in the catalogue)."""
        return COUNTED[self.model].city_path


MONTHLY_SERIES = (
    Series("visits", Visit, "visits", drilldown.VISITS),
    Series("contact_point_activities", ContactPointActivity, "contact_points", drilldown.CONTACT_POINT_ACTIVITIES),
    Series("joint_activities", JointActivity, "joint_activities", drilldown.JOINT_ACTIVITIES),
    Series("four_into", FourIntoEvent, "services", drilldown.FOUR_INTO),
    Series("volunteer_services", VolunteerService, "services", drilldown.VOLUNTEER_SERVICES),
    Series("five_into", FiveIntoAction, "services", drilldown.FIVE_INTO),
)


def months(scope: Scope) -> list[Window]:
    """The months of the window, January up to the as-of date's month (which ends at the as-of date)."""
    result = []
    for month in range(1, scope.as_of.month + 1):
        first = datetime.date(scope.year, month, 1)
        following = datetime.date(scope.year + month // 12, month % 12 + 1, 1)
        result.append(Window(first, min(following - datetime.timedelta(days=1), scope.as_of)))
    return result


def monthly_counts(scope: Scope) -> dict[str, list[int]]:
    """{series key: [records in January, February, …, the as-of month]}, one query a series.

    Counted per day in SQL and folded into months here: SQLite runs `TruncMonth` in Python per row.
    """
    result = {}
    for series in MONTHLY_SERIES:
        counts = [0] * scope.as_of.month
        rows = counted(series.model, scope).values_list(series.date_field).annotate(n=Count("pk")).order_by()
        for day, n in rows:
            counts[day.month - 1] += n
        result[series.key] = counts
    return result


# --- per city --------------------------------------------------------------------------------------


def city_rows(scope: Scope) -> list[BreakdownRow]:
    """The city chart's figures (`CITY_CODES`) per city: `reports.selectors.city_breakdown`'s rows."""
    return city_breakdown(**_window(scope, city=scope.city), codes=CITY_CODES).rows


# --- compliance per agency -------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal:
    """part ÷ whole as a percentage with one decimal; 0 when there is nothing to count."""
    return percent(part, whole, TENTH) or Decimal("0.0")


@dataclass(frozen=True)
class Compliance:
    """One agency's compliance in the window. The score is the mean of three shares (0–100):

    - "1+2": 100 when the agency's Party committee pairs with both a community and a village
      Party organisation (`pair.one_plus_two`), else 0;
    - "five ones": its pairings that held all five ones (`pair.five_ones_done`) of its pairings;
    - visit minimums: its officials under a yearly minimum who met it (`visit.minimum_met`) of
      those under one (`visit.minimum_due`).
    A share with nothing to count (no pairing, nobody under a minimum) is 0.
    """

    agency: Agency
    one_plus_two: int
    pairings: int
    five_ones_done: int
    minimum_met: int
    minimum_due: int

    @property
    def one_plus_two_share(self) -> Decimal:
        return Decimal("100.0") if self.one_plus_two else Decimal("0.0")

    @property
    def five_ones_share(self) -> Decimal:
        return _share(self.five_ones_done, self.pairings)

    @property
    def minimums_share(self) -> Decimal:
        return _share(self.minimum_met, self.minimum_due)

    @property
    def score(self) -> Decimal:
        total = self.one_plus_two_share + self.five_ones_share + self.minimums_share
        return (total / 3).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def has_records(self) -> bool:
        return bool(self.pairings or self.minimum_met or self.five_ones_done or self.one_plus_two)


def compliance(scope: Scope) -> list[Compliance]:
    """Every active agency (or the scope's), best score first; agencies without records last, with zeros.

    The "1+2" and "five ones" parts follow the city filter (pairings by their partner's city); the
    visit minimums have no city. Five queries: the catalogue's pairings, joint activities and
    minimums (two) per agency, the standing pairings per agency, and the agencies.
    """
    groups = compute_grouped(**_window(scope, city=scope.city), by=BY_AGENCY, codes=COMPLIANCE_CODES)
    pairings = defaultdict(
        int,
        counted(Pairing, scope).values_list("agency_id").annotate(n=Count("pk")).order_by(),
    )
    agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=[k for k in groups if k is not None]))
    if scope.agency is not None:
        agencies = agencies.filter(pk=scope.agency.pk)
    rows = []
    for agency in agencies:
        figures = groups.get(agency.pk, {})
        rows.append(
            Compliance(
                agency=agency,
                one_plus_two=figures.get("pair.one_plus_two", 0),
                pairings=pairings[agency.pk],
                five_ones_done=figures.get("pair.five_ones_done", 0),
                minimum_met=figures.get("visit.minimum_met", 0),
                minimum_due=figures.get("visit.minimum_due", 0),
            )
        )
    rows.sort(key=lambda row: (not row.has_records, -row.score, row.agency.code))
    return rows


# --- the page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    cards: list[Card]
    months: list[Window]
    monthly: dict[str, list[int]]
    cities: list[BreakdownRow]
    compliance: list[Compliance]


def dashboard(scope: Scope) -> Dashboard:
    """Everything the dashboard shows for a scope, in a fixed number of queries."""
    ranking = compliance(scope)
    minimums = {code: sum(getattr(row, code.split(".")[1]) for row in ranking) for code in MINIMUMS}
    return Dashboard(
        scope=scope,
        cards=headline(scope, minimums),
        months=months(scope),
        monthly=monthly_counts(scope),
        cities=city_rows(scope),
        compliance=ranking,
    )
