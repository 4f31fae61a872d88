"""From a figure to the records behind it: the list page with GET filters that select exactly what it counts.

`records_url("cp.points", scope)` → `/pairings/contact-points/?standing_min=2014-01-01&standing_max=2014-07-31&…`:
the window (events dated in it, or standing things in force in it), the agency, for figures with a
city, the city, and the basis (统计口径: `basis=`, the list's filter on the review state of each
record's month, as `reports.scope.counted` counts). A figure is a count of the rows listed
(`pair.activities`, `cp.points`), the total of a column of the list (`pair.funds`, `visit.households`)
or a distinct count over them (`cp.officials`); where the list cannot add up to the figure (the outcomes of
the listed visits, each agency's latest return), the note says what the figure counts of it (`COUNTS`).
Compliance figures open their compliance page, which names the figure too (`page_note`).
Filters use ids (the list pages' choice fields).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from outreach.models import PartyOrganisation
from outreach.window import Window
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports import numbers
from reports.catalogue import BY_CODE, CATALOGUE
from reports.indicators import as_figure, channel_figures
from reports.scope import COUNTED, EVENTS, STANDING
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam

COMPLIANCE, AS_OF = "compliance", "as_of"


@dataclass(frozen=True)
class Target:
    """A list page and how it selects a window. `field`: the date-range filter of an events list."""

    url_name: str
    window: str
    field: str = ""
    #: the page filters by city; if not, a figure narrowed to a city goes to `fallback` (or has no link)
    city: bool = True
    params: tuple[tuple[str, str], ...] = ()
    fallback: "Target | None" = None

    def with_params(self, *params) -> "Target":
        return Target(self.url_name, self.window, self.field, self.city, self.params + params, self.fallback)


def records(model) -> Target:
    """The list of `model`'s records, selecting them as the figures count them (`reports.scope.COUNTED`):
    standing in the window or dated in it by the record's own date, and by city if the records have one."""
    rule = COUNTED[model]
    field = rule.date_field if rule.window == EVENTS else ""
    url_name = f"{model._meta.app_label}:{model._meta.model_name}_list"
    return Target(url_name, rule.window, field, city=rule.city_path is not None)


CONTACT_POINTS = records(ContactPoint)
NEEDY_PAIRINGS = records(NeedyPairing)
CONTACT_POINT_ACTIVITIES = records(ContactPointActivity)
PAIRINGS = records(Pairing)
JOINT_ACTIVITIES = records(JointActivity)
SUPPORT = records(Support)
VISITS = records(Visit)
MINIMUMS = Target("visits:minimums", AS_OF, city=False)
CHANNEL_RETURNS = records(ChannelReturn)
FOUR_INTO = records(FourIntoEvent)
VOLUNTEER_TEAMS = records(VolunteerTeam)
VOLUNTEER_SERVICES = records(VolunteerService)
FIVE_INTO = records(FiveIntoAction)
# The compliance pages list the committees and pairings that comply ("status=complete"); they have no
# city filter, so a figure narrowed to a city opens the records it counts from instead.
ONE_PLUS_TWO = Target(
    "pairings:one_plus_two_compliance", COMPLIANCE, city=False, params=(("status", "complete"),), fallback=PAIRINGS
)
FIVE_ONES = Target(
    "pairings:five_ones_compliance",
    COMPLIANCE,
    city=False,
    params=(("status", "complete"),),
    fallback=JOINT_ACTIVITIES,
)

_BY_PART = {
    "channel": CHANNEL_RETURNS,
    "zero": CHANNEL_RETURNS,
    "approval": CHANNEL_RETURNS,
    "four_into": FOUR_INTO,
}
_FIVE_INTO_KINDS = {
    "books": "publicity",
    "book_boxes": "publicity",
    "culture_units": "culture",
    "culture_events": "culture",
    "medical_units": "health",
    "consultations": "health",
    "legal_units": "services",
    "legal_points": "services",
    "legal_windows": "services",
    "planning_units": "planning",
    "villages_planned": "planning",
    "projects_secured": "planning",
}
TARGETS: dict[str, Target] = {
    "cp.agencies": CONTACT_POINTS,
    "cp.officials": CONTACT_POINTS,
    "cp.points": CONTACT_POINTS,
    "cp.needy_paired": NEEDY_PAIRINGS,
    "cp.needy_consoled": CONTACT_POINT_ACTIVITIES,
    "cp.problems_solved": CONTACT_POINT_ACTIVITIES,
    "pair.agency_committees": PAIRINGS,
    "pair.village_orgs": PAIRINGS.with_params(("partner_kind", "village")),
    "pair.community_orgs": PAIRINGS.with_params(("partner_kind", "community")),
    "pair.one_plus_two": ONE_PLUS_TWO,
    "pair.activities": JOINT_ACTIVITIES,
    "pair.five_ones_done": FIVE_ONES,
    "pair.projects_planned": SUPPORT,
    "pair.projects_supported": SUPPORT,
    "pair.industries": SUPPORT,
    "pair.funds": SUPPORT,
    # person-times count the visits of department- and division-level officials only
    "visit.person_times": VISITS.with_params(("rank", "department"), ("rank", "division")),
    "visit.minimum_met": MINIMUMS,
    "visit.minimum_due": MINIMUMS,
    "volunteer.teams": VOLUNTEER_TEAMS,
    "volunteer.professional_teams": VOLUNTEER_TEAMS.with_params(("kind", "professional")),
    "volunteer.person_times": VOLUNTEER_SERVICES,
    "volunteer.hours": VOLUNTEER_SERVICES,
    **{f"five_into.{name}": FIVE_INTO.with_params(("kind", kind)) for name, kind in _FIVE_INTO_KINDS.items()},
}
for _indicator in CATALOGUE:  # the rest: every visit figure lists the visits, a part its records
    TARGETS.setdefault(_indicator.code, VISITS if _indicator.part == "visit" else _BY_PART.get(_indicator.part))


def _param(value) -> str:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def target_url(target: Target, window: Window, *, agency=None, city=None, basis=None, **extra) -> str:
    """The target's list of records in `window`, of `agency` and `city` (None: all), on `basis` (None: no filter)."""
    params: list[tuple[str, str]] = []
    if target.window == EVENTS:
        params += [(f"{target.field}_min", _param(window.start)), (f"{target.field}_max", _param(window.end))]
    elif target.window == STANDING:
        params += [("standing_min", _param(window.start)), ("standing_max", _param(window.end))]
    elif target.window == COMPLIANCE:
        params += [("year", str(window.end.year)), ("as_of", _param(window.end))]
    else:  # AS_OF: the page's window is the as-of date's year up to it (`Window.up_to`)
        params += [("as_of", _param(window.end))]
    if agency is not None:
        params.append(("agency", str(agency.pk)))
    if city is not None and target.city:
        params.append(("city", str(city.pk)))
    if basis is not None:
        params.append(("basis", str(basis)))
    params += list(target.params)
    params += [(name, _param(value)) for name, value in extra.items() if value is not None]
    return f"{reverse(target.url_name)}?{urlencode(params)}"


def resolve(code: str, *, city=None) -> Target | None:
    """The page showing the records behind `code`, for a scope narrowed to `city` or not."""
    target = TARGETS[code]
    if city is not None and BY_CODE[code].by_city and not target.city:
        return target.fallback
    return target


def records_url(code: str, scope, **extra) -> str | None:
    """The list of records behind figure `code` of a `reports.scope.Scope` (None: no such page).

    `extra` are more GET filters, e.g. `changed_since=<datetime>` for the records created or changed
    after that moment. The city applies only to figures that have one (`Indicator.by_city`).
    """
    city = scope.city if BY_CODE[code].by_city else None
    target = resolve(code, city=city)
    if target is None:
        return None
    extra.setdefault("figure", code)  # the list says what the figure counts of it (`note`)
    return target_url(target, scope.window, agency=scope.agency, city=city, basis=scope.basis, **extra)


# --- what a figure counts of the list it opens ----------------------------------------------------------

ROWS, TOTAL, DISTINCT = "rows", "total", "distinct"
#: the outcomes recorded on the listed visits, summed (alive outcomes only, as the figure counts them)
OUTCOMES = "outcomes"
#: a channel figure over the listed returns: flows summed, stocks from each agency's latest (`channel_figures`)
LATEST = "latest"
#: on a list of pairings: committees with both a community and a village partner among them
BOTH_PARTNERS = "both_partners"
#: on a list of joint activities: live pairings with all five ones among them
FIVE_ONES_HELD = "five_ones_held"
#: on a compliance page: its rows (`result.rows`, `report.officials`), or those of them on track
PAGE_ROWS, PAGE_ON_TRACK = "page_rows", "page_on_track"


@dataclass(frozen=True)
class Counts:
    """How figure adds up from the rows of its list: one a row, the total of `field`, or the rows counted
    once per `field` (`DISTINCT`: 646 officials hold the 830 contact points listed), and the other ways
    a figure relates to its rows (the outcomes of the listed visits, each agency's latest return…).

    `where`: only the rows matching it count (a distinct count of agencies with a nonzero number);
    `parts`: a total that adds up several columns (a four-into event's sites); `says`: the wording,
    when the figure is no plain count, total or distinct count of the rows."""

    how: str
    field: str = ""
    where: Q | None = None
    parts: tuple[str, ...] = ()
    says: object = None

    @property
    def wording(self):
        if self.says is not None:
            return self.says
        if self.how == DISTINCT:
            return ONCE_PER[self.field]
        if self.how == TOTAL:
            return _("Total of the listed records")
        return _("One for each listed record")


ONCE_PER = {
    "agency": _("Counted once per agency"),
    "official": _("Counted once per official"),
    "needy_person": _("Counted once per needy person"),
    "committee": _("Counted once per Party committee"),
    "partner": _("Counted once per partner organisation"),
}
OUTCOMES_OF_VISITS = _("Total of the outcomes recorded on the listed visits")
LATEST_STOCK = _("Sum of each agency's latest listed return")
LATEST_AGENCIES = _("Agencies counted by their latest listed return")
LATEST_RATE = _("Rate over each agency's latest listed return")
AGENCIES_REPORTING = _("Counted once per agency with a listed record reporting it")
COUNTS: dict[str, Counts] = {
    "cp.agencies": Counts(DISTINCT, "agency"),
    "cp.officials": Counts(DISTINCT, "official"),
    "cp.points": Counts(ROWS),
    "cp.needy_paired": Counts(DISTINCT, "needy_person"),
    "cp.needy_consoled": Counts(TOTAL, "people_consoled"),
    "cp.problems_solved": Counts(TOTAL, "problems_solved"),
    "pair.agency_committees": Counts(DISTINCT, "committee"),
    "pair.village_orgs": Counts(DISTINCT, "partner"),
    "pair.community_orgs": Counts(DISTINCT, "partner"),
    # the compliance pages list the committees and pairings that comply
    "pair.one_plus_two": Counts(PAGE_ROWS, "result.rows"),
    "pair.activities": Counts(ROWS),
    "pair.five_ones_done": Counts(PAGE_ROWS, "result.rows"),
    "pair.projects_planned": Counts(TOTAL, "projects_planned"),
    "pair.projects_supported": Counts(TOTAL, "projects_supported"),
    "pair.industries": Counts(TOTAL, "industries_assisted"),
    "pair.funds": Counts(TOTAL, "funds"),
    "visit.person_times": Counts(ROWS),
    **{f"visit.{name}": Counts(TOTAL, name) for name in ("enterprises", "communities", "villager_groups")},
    **{f"visit.{name}": Counts(TOTAL, name) for name in ("households", "forums", "opinions")},
    # the visits are listed; the figure adds up the outcomes recorded on them
    **{
        f"visit.{name}": Counts(OUTCOMES, name, says=OUTCOMES_OF_VISITS)
        for name in ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties")
    },
    # the minimums page lists the officials under a minimum, on track or not
    "visit.minimum_met": Counts(PAGE_ON_TRACK, "report.officials", says=_("Listed officials on track")),
    "visit.minimum_due": Counts(PAGE_ROWS, "report.officials"),
    # channel returns: flows add up over the listed returns; stocks are each agency's latest
    **{f"channel.{name}": Counts(TOTAL, name) for name in ChannelReturn.OPINION_FLOWS},
    **{f"approval.{name}": Counts(TOTAL, name) for name in ChannelReturn.APPROVAL_FLOWS},
    "channel.full_inventory": Counts(LATEST, says=LATEST_AGENCIES),
    "zero.window_units": Counts(LATEST, says=LATEST_AGENCIES),
    **{f"zero.{name}": Counts(LATEST, says=LATEST_STOCK) for name in ChannelReturn.ZERO_STOCKS},
    "zero.satisfaction": Counts(LATEST, says=_("Rate over the listed returns")),
    "approval.items_before": Counts(LATEST, says=LATEST_STOCK),
    "approval.items_after": Counts(LATEST, says=LATEST_STOCK),
    "approval.items_cut_rate": Counts(LATEST, says=LATEST_RATE),
    "approval.time_cut_rate": Counts(LATEST, says=LATEST_RATE),
    "approval.convenience_depts": Counts(LATEST, says=LATEST_AGENCIES),
    "approval.convenience_items": Counts(LATEST, says=LATEST_STOCK),
    "four_into.events": Counts(ROWS),
    "four_into.officials": Counts(TOTAL, "officials"),
    "four_into.sites": Counts(TOTAL, "sites", parts=("enterprises", "villages", "schools")),
    "four_into.families": Counts(TOTAL, "families_aided"),
    "four_into.family_aid": Counts(TOTAL, "family_aid"),
    "four_into.students": Counts(TOTAL, "students_aided"),
    "four_into.student_aid": Counts(TOTAL, "student_aid"),
    "volunteer.teams": Counts(ROWS),
    "volunteer.professional_teams": Counts(ROWS),
    "volunteer.person_times": Counts(TOTAL, "person_times"),
    "volunteer.hours": Counts(TOTAL, "hours"),
    **{
        f"five_into.{name}": Counts(TOTAL, field)
        for name, field in (
            ("books", "books"),
            ("book_boxes", "book_boxes"),
            ("culture_events", "culture_trips"),
            ("consultations", "consultations"),
            ("legal_points", "legal_points"),
            ("legal_windows", "legal_windows"),
            ("villages_planned", "villages_planned"),
            ("projects_secured", "projects_secured"),
        )
    },
    # the agencies whose listed actions of the kind report a nonzero number (`reports.indicators._five_into`)
    **{
        f"five_into.{name}": Counts(DISTINCT, "agency", where=where, says=AGENCIES_REPORTING)
        for name, where in (
            ("culture_units", Q(culture_trips__gt=0)),
            ("medical_units", Q(consultations__gt=0)),
            ("legal_units", Q(legal_points__gt=0) | Q(legal_windows__gt=0)),
            ("planning_units", Q(villages_planned__gt=0)),
        )
    },
}
# A compliance figure narrowed to a city opens the records it counts from (`Target.fallback`)
FALLBACK_COUNTS: dict[str, Counts] = {
    "pair.one_plus_two": Counts(
        BOTH_PARTNERS, says=_("Party committees with both a community and a village partner among the listed pairings")
    ),
    "pair.five_ones_done": Counts(FIVE_ONES_HELD, says=_("Pairings with all five ones among the listed activities")),
}


@dataclass(frozen=True)
class Note:
    """What the list opened from figure `indicator` shows of it: how it counts and the figure over the rows."""

    indicator: object
    counts: Counts
    value: object
    rows: int

    @property
    def shown(self):
        return numbers.figure(self.indicator.code, self.value)


def _counts(code: str | None, url_name: str) -> Counts | None:
    """How figure `code` counts on the page `url_name` (None: it opens no such page)."""
    target = TARGETS.get(code or "")
    if target is None:
        return None
    if target.url_name == url_name:
        return COUNTS.get(code)
    if target.fallback is not None and target.fallback.url_name == url_name:
        return FALLBACK_COUNTS.get(code)
    return None


def _total(counts: Counts, rows, totals: dict):
    """The total of `counts.field` (or of its parts) over `rows`, from the table's totals row when it has it."""
    fields = counts.parts or (counts.field,)
    missing = [name for name in fields if name not in totals]
    if missing:
        totals = {**totals, **rows.order_by().aggregate(**{name: Sum(name) for name in missing})}
    values = [totals[name] for name in fields if totals[name] is not None]
    return sum(values) if values else None


def _channel(code: str, rows):
    """A channel figure over the listed returns, as `reports.indicators` counts it over the counted ones."""
    flows, latest = defaultdict(int), {}
    for row in rows.order_by("agency_id", "period_end", "pk").values(
        "agency_id", *ChannelReturn.FLOWS, *ChannelReturn.STOCKS
    ):
        for name in ChannelReturn.FLOWS:
            flows[name] += row[name] or 0
        latest[row["agency_id"]] = row  # ordered by period end: the last one wins
    return channel_figures(flows, list(latest.values()))[code]


def _value(code: str, counts: Counts, rows, count: int, totals: dict):
    """Figure `code` over the listed `rows` (a queryset), `count` of them."""
    if counts.how == ROWS:
        return count
    if counts.how == TOTAL:
        return as_figure(code, _total(counts, rows, totals))
    if counts.how == OUTCOMES:
        alive = Q(outcomes__deleted_at__isnull=True)
        return as_figure(code, rows.order_by().aggregate(v=Sum(f"outcomes__{counts.field}", filter=alive))["v"])
    if counts.how == DISTINCT:
        return rows.order_by().aggregate(v=Count(counts.field, distinct=True, filter=counts.where))["v"]
    if counts.how == LATEST:
        return _channel(code, rows)
    if counts.how == BOTH_PARTNERS:
        kinds = [PartyOrganisation.Kind.VILLAGE, PartyOrganisation.Kind.COMMUNITY]
        both = Count("partner__kind", distinct=True, filter=Q(partner__kind__in=kinds))
        return rows.order_by().values("committee").annotate(kinds=both).filter(kinds=len(kinds)).count()
    # FIVE_ONES_HELD
    five = list(JointActivity.FIVE_ONES)
    held = Count("kind", distinct=True, filter=Q(kind__in=five))
    live = rows.order_by().filter(pairing__deleted_at__isnull=True)
    return live.values("pairing").annotate(kinds=held).filter(kinds=len(five)).count()


def note(code: str | None, model, rows, *, count: int | None = None, totals: dict | None = None) -> Note | None:
    """The note of the list of `model`'s `rows` opened from figure `code` (the `figure=` of `records_url`);
    None when `code` is no figure this list adds up to. `count` and `totals`: what the list has counted
    already (the table's paginator and totals row), saving their queries; a distinct count is one query."""
    counts = _counts(code, records(model).url_name)
    if counts is None:
        return None
    count = rows.count() if count is None else count
    return Note(BY_CODE[code], counts, _value(code, counts, rows, count, totals or {}), count)


def page_note(code: str | None, url_name: str, context) -> Note | None:
    """The note of a compliance page (`url_name`) opened from figure `code`: its rows in `context`
    (`Counts.field`: "result.rows"), or those of them on track; None without rows (a form in error)."""
    counts = _counts(code, url_name)
    if counts is None or counts.how not in (PAGE_ROWS, PAGE_ON_TRACK):
        return None
    holder, name = counts.field.split(".")
    rows = getattr(context.get(holder), name, None)
    if rows is None:
        return None
    value = len(rows) if counts.how == PAGE_ROWS else sum(1 for row in rows if row.on_track)
    return Note(BY_CODE[code], counts, value, len(rows))
