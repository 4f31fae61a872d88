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

from django.urls import reverse
from django.utils.http import urlencode

from outreach.window import Window
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports.catalogue import BY_CODE, CATALOGUE
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
    return target_url(target, scope.window, agency=scope.agency, city=city, basis=scope.basis, **extra)
