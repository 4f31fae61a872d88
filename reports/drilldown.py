"""From a figure to the records behind it: the list page with GET filters that select exactly what it counts.

`records_url("cp.points", scope)` → `/pairings/contact-points/?standing_min=2014-01-01&standing_max=2014-07-31&…`:
the window (events dated in it, or standing things in force in it), the agency, for figures with a
city, the city, and the basis (统计口径: `basis=`, the list's filter on the review state of each
record's month, as `reports.scope.counted` counts). A figure is a count of the rows listed
(`pair.activities`, `cp.points`), the total of a column of the list (`pair.funds`, `visit.households`)
or a distinct count over them (`cp.officials`). Compliance figures open their compliance page.
Filters use ids (the list pages' choice fields).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from outreach.window import Window
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports import numbers
from reports.catalogue import BY_CODE, CATALOGUE
from reports.indicators import empty_value
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


@dataclass(frozen=True)
class Counts:
    """How figure adds up from the rows of its list: one a row, the total of `field`, or the rows counted
    once per `field` (`DISTINCT`: 646 officials hold the 830 contact points listed)."""

    how: str
    field: str = ""

    @property
    def wording(self):
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
    "pair.activities": Counts(ROWS),
    "pair.projects_planned": Counts(TOTAL, "projects_planned"),
    "pair.projects_supported": Counts(TOTAL, "projects_supported"),
    "pair.industries": Counts(TOTAL, "industries_assisted"),
    "pair.funds": Counts(TOTAL, "funds"),
    "visit.person_times": Counts(ROWS),
    **{f"visit.{name}": Counts(TOTAL, name) for name in ("enterprises", "communities", "villager_groups")},
    **{f"visit.{name}": Counts(TOTAL, name) for name in ("households", "forums", "opinions")},
    **{
        f"channel.{name}": Counts(TOTAL, name)
        for name in ("opinions", "leader_instructions", "npc_motions", "cppcc_proposals", "requests")
    },
    "four_into.events": Counts(ROWS),
    "four_into.officials": Counts(TOTAL, "officials"),
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


def note(code: str | None, model, rows, *, count: int | None = None, totals: dict | None = None) -> Note | None:
    """The note of the list of `model`'s `rows` opened from figure `code` (the `figure=` of `records_url`);
    None when `code` is no figure this list adds up to. `count` and `totals`: what the list has counted
    already (the table's paginator and totals row), saving their queries; a distinct count is one query."""
    counts = COUNTS.get(code or "")
    target = TARGETS.get(code or "")
    if counts is None or target is None or target.url_name != records(model).url_name:
        return None
    count = rows.count() if count is None else count
    if counts.how == ROWS:
        value = count
    elif counts.how == TOTAL:
        totals = totals or {}
        value = totals[counts.field] if counts.field in totals else rows.order_by().aggregate(v=Sum(counts.field))["v"]
        empty = empty_value(BY_CODE[code])
        value = empty if value is None else (value.quantize(empty) if isinstance(empty, Decimal) else value)
    else:
        value = rows.order_by().aggregate(v=Count(counts.field, distinct=True))["v"]
    return Note(BY_CODE[code], counts, value, count)
