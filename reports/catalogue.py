"""The year-end indicator catalogue (docs/domain.md §4): one `Indicator` per code, in the table's order.

`docs/indicators.md` traces every code to its fields; `reports.indicators` computes them.
"""

import hashlib
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

COUNT, MONEY, PERCENT = "count", "money", "percent"
EXTENSIONS, CHANNELS, ACTIVITIES = "extensions", "channels", "activities"
SECTIONS = {
    EXTENSIONS: _("Three extensions: pairing and co-construction"),
    CHANNELS: _("Three channels: efficiency"),
    ACTIVITIES: _("Three activities: service to the people"),
}
# The parts of each section, in the article's order; a code's part is its prefix ("cp.points" → "cp").
PARTS = {
    "cp": _("Contact points in poor villages"),
    "pair": _("“1+2” pairings of urban and rural Party organisations"),
    "visit": _("Officials' grassroots visits"),
    "channel": _("Public-opinion channel"),
    "zero": _("“Four zeros” service windows"),
    "approval": _("Administrative-approval channel"),
    "four_into": _("“Four into” visits"),
    "volunteer": _("Volunteer service"),
    "five_into": _("“Five into the countryside” actions"),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    section: str
    kind: str = COUNT
    by_city: bool = True  # False: the figure has no city dimension (see the module docstring)

    @property
    def part(self) -> str:
        return self.code.split(".", 1)[0]


# The figures' units, each translated once in its own context ("unit"): the same English word as a column's header
# ("households") reads differently in Chinese as a measure word (农户 as a header, 户 after a number).
UNITS = {
    "agencies": pgettext_lazy("unit", "agencies"),
    "people": pgettext_lazy("unit", "people"),
    "points": pgettext_lazy("unit", "points"),
    "items": pgettext_lazy("unit", "items"),
    "committees": pgettext_lazy("unit", "committees"),
    "orgs": pgettext_lazy("unit", "orgs"),
    "events": pgettext_lazy("unit", "events"),
    "pairings": pgettext_lazy("unit", "pairings"),
    "projects": pgettext_lazy("unit", "projects"),
    "entries": pgettext_lazy("unit", "entries"),
    "yuan": pgettext_lazy("unit", "yuan"),
    "person-times": pgettext_lazy("unit", "person-times"),
    "enterprises": pgettext_lazy("unit", "enterprises"),
    "units": pgettext_lazy("unit", "units"),
    "households": pgettext_lazy("unit", "households"),
    "meetings": pgettext_lazy("unit", "meetings"),
    "opinions": pgettext_lazy("unit", "opinions"),
    "businesses": pgettext_lazy("unit", "businesses"),
    "cases": pgettext_lazy("unit", "cases"),
    "windows": pgettext_lazy("unit", "windows"),
    "posts": pgettext_lazy("unit", "posts"),
    "trades": pgettext_lazy("unit", "trades"),
    "percent": pgettext_lazy("unit", "percent"),
    "sites": pgettext_lazy("unit", "sites"),
    "families": pgettext_lazy("unit", "families"),
    "teams": pgettext_lazy("unit", "teams"),
    "hours": pgettext_lazy("unit", "hours"),
    "books": pgettext_lazy("unit", "books"),
    "boxes": pgettext_lazy("unit", "boxes"),
    "villages": pgettext_lazy("unit", "villages"),
}
# A figure's kind follows from its unit: amounts are in yuan, rates in percent, every other figure is a count.
KINDS = {"yuan": MONEY, "percent": PERCENT}


def _section(section: str, *, by_city: bool, rows: tuple) -> tuple[Indicator, ...]:
    """The indicators of a section, one row each: (code, label, unit), the unit by its key in `UNITS`."""
    return tuple(
        Indicator(code, label, UNITS[unit], section, KINDS.get(unit, COUNT), by_city=by_city)
        for code, label, unit in rows
    )


CATALOGUE: tuple[Indicator, ...] = (
    *_section(
        EXTENSIONS,
        by_city=True,
        rows=(
            ("cp.agencies", pgettext_lazy("indicator", "agencies whose leaders hold contact points"), "agencies"),
            ("cp.officials", pgettext_lazy("indicator", "department-level officials holding contact points"), "people"),
            ("cp.points", pgettext_lazy("indicator", "contact points in the five cities"), "points"),
            ("cp.needy_paired", pgettext_lazy("indicator", "needy people paired with an official"), "people"),
            ("cp.needy_consoled", pgettext_lazy("indicator", "needy people given condolence visits"), "people"),
            ("cp.problems_solved", pgettext_lazy("indicator", "problems solved through contact points"), "items"),
            ("pair.agency_committees", pgettext_lazy("indicator", "agency Party committees in pairings"), "committees"),
            ("pair.village_orgs", pgettext_lazy("indicator", "poor village Party organisations paired"), "orgs"),
            ("pair.community_orgs", pgettext_lazy("indicator", "community Party organisations paired"), "orgs"),
            (
                "pair.one_plus_two",
                pgettext_lazy("indicator", "committees with both a community and a village partner"),
                "committees",
            ),
            ("pair.activities", pgettext_lazy("indicator", "joint activities held"), "events"),
            (
                "pair.five_ones_done",
                pgettext_lazy("indicator", "pairings that held all five ones this year"),
                "pairings",
            ),
            ("pair.projects_planned", pgettext_lazy("indicator", "development projects planned"), "projects"),
            ("pair.projects_supported", pgettext_lazy("indicator", "projects given support"), "projects"),
            ("pair.industries", pgettext_lazy("indicator", "specialty industries assisted"), "entries"),
            ("pair.funds", pgettext_lazy("indicator", "assistance funds"), "yuan"),
            (
                "visit.person_times",
                pgettext_lazy("indicator", "division-level and above officials' visits"),
                "person-times",
            ),
            ("visit.enterprises", pgettext_lazy("indicator", "enterprises visited"), "enterprises"),
            ("visit.communities", pgettext_lazy("indicator", "communities visited"), "units"),
            ("visit.villager_groups", pgettext_lazy("indicator", "villager groups visited"), "units"),
            ("visit.households", pgettext_lazy("indicator", "households visited"), "households"),
            ("visit.forums", pgettext_lazy("indicator", "forums held"), "meetings"),
            ("visit.opinions", pgettext_lazy("indicator", "opinions and suggestions collected"), "opinions"),
            ("visit.businesses_helped", pgettext_lazy("indicator", "small businesses helped"), "businesses"),
            ("visit.business_problems", pgettext_lazy("indicator", "their problems solved"), "items"),
            ("visit.financing", pgettext_lazy("indicator", "financing arranged for enterprises"), "yuan"),
            ("visit.migrant_cases", pgettext_lazy("indicator", "migrant workers' rights cases"), "cases"),
            ("visit.difficulties", pgettext_lazy("indicator", "people's difficulties resolved"), "items"),
        ),
    ),
    *_section(
        EXTENSIONS,
        by_city=False,
        rows=(
            ("visit.minimum_met", pgettext_lazy("indicator", "officials under a yearly minimum who met it"), "people"),
            ("visit.minimum_due", pgettext_lazy("indicator", "officials under a yearly minimum"), "people"),
        ),
    ),
    *_section(
        CHANNELS,
        by_city=False,
        rows=(
            ("channel.opinions", pgettext_lazy("indicator", "public opinions collected"), "opinions"),
            (
                "channel.leader_instructions",
                pgettext_lazy("indicator", "provincial leaders' instructions handled"),
                "items",
            ),
            ("channel.npc_motions", pgettext_lazy("indicator", "people's congress deputies' motions handled"), "items"),
            ("channel.cppcc_proposals", pgettext_lazy("indicator", "CPPCC members' proposals handled"), "items"),
            ("channel.requests", pgettext_lazy("indicator", "grassroots and public requests handled"), "items"),
            ("channel.full_inventory", pgettext_lazy("indicator", "agencies with every channel"), "agencies"),
            ("zero.window_units", pgettext_lazy("indicator", "service-window agencies"), "agencies"),
            ("zero.model_windows", pgettext_lazy("indicator", "Party-member model windows"), "windows"),
            ("zero.model_posts", pgettext_lazy("indicator", "Party-member model posts"), "posts"),
            ("zero.service_trades", pgettext_lazy("indicator", "service trades taking part"), "trades"),
            ("zero.pledged_members", pgettext_lazy("indicator", "members who made public four-zero pledges"), "people"),
            ("zero.satisfaction", pgettext_lazy("indicator", "satisfied share of survey responses"), "percent"),
            ("approval.items_before", pgettext_lazy("indicator", "approval items before the clean-up"), "entries"),
            ("approval.items_after", pgettext_lazy("indicator", "approval items kept"), "entries"),
            ("approval.items_cut_rate", pgettext_lazy("indicator", "share of items cut"), "percent"),
            ("approval.time_cut_rate", pgettext_lazy("indicator", "mean cut of time limits of kept items"), "percent"),
            ("approval.fees_cancelled", pgettext_lazy("indicator", "fees cancelled"), "entries"),
            (
                "approval.fees_cancelled_enterprise",
                pgettext_lazy("indicator", "of which enterprise-related"),
                "entries",
            ),
            (
                "approval.burden_reduced",
                pgettext_lazy("indicator", "burden removed from enterprises and people"),
                "yuan",
            ),
            (
                "approval.convenience_depts",
                pgettext_lazy("indicator", "departments offering convenience items"),
                "agencies",
            ),
            (
                "approval.convenience_items",
                pgettext_lazy("indicator", "convenience items under a chief representative"),
                "entries",
            ),
            ("approval.licences", pgettext_lazy("indicator", "licensing matters handled"), "items"),
            ("approval.non_licences", pgettext_lazy("indicator", "non-licensing matters handled"), "items"),
        ),
    ),
    *_section(
        ACTIVITIES,
        by_city=False,
        rows=(
            ("four_into.officials", pgettext_lazy("indicator", "officials taking part in four-into"), "person-times"),
            ("four_into.events", pgettext_lazy("indicator", "four-into service events"), "events"),
            ("four_into.sites", pgettext_lazy("indicator", "enterprises, villages, schools visited"), "sites"),
            ("four_into.families", pgettext_lazy("indicator", "needy families given aid"), "families"),
            ("four_into.family_aid", pgettext_lazy("indicator", "aid to families"), "yuan"),
            ("four_into.students", pgettext_lazy("indicator", "poor students given grants"), "people"),
            ("four_into.student_aid", pgettext_lazy("indicator", "grants to students"), "yuan"),
            ("volunteer.teams", pgettext_lazy("indicator", "volunteer teams"), "teams"),
            ("volunteer.professional_teams", pgettext_lazy("indicator", "professional volunteer teams"), "teams"),
            ("volunteer.person_times", pgettext_lazy("indicator", "volunteer service"), "person-times"),
            ("volunteer.hours", pgettext_lazy("indicator", "volunteer service hours"), "hours"),
            ("five_into.books", pgettext_lazy("indicator", "books donated"), "books"),
            ("five_into.book_boxes", pgettext_lazy("indicator", "mobile book boxes set up"), "boxes"),
            (
                "five_into.culture_units",
                pgettext_lazy("indicator", "agencies running culture/science/tech trips"),
                "agencies",
            ),
            ("five_into.culture_events", pgettext_lazy("indicator", "culture/science/tech trips"), "events"),
            ("five_into.medical_units", pgettext_lazy("indicator", "medical units running free clinics"), "agencies"),
            ("five_into.consultations", pgettext_lazy("indicator", "free consultations"), "person-times"),
            ("five_into.legal_units", pgettext_lazy("indicator", "judicial units taking law to villages"), "agencies"),
            ("five_into.legal_points", pgettext_lazy("indicator", "legal-aid contact points set up"), "points"),
            ("five_into.legal_windows", pgettext_lazy("indicator", "legal-aid service windows built"), "windows"),
            ("five_into.planning_units", pgettext_lazy("indicator", "agencies planning central villages"), "agencies"),
            ("five_into.villages_planned", pgettext_lazy("indicator", "central villages planned"), "villages"),
            (
                "five_into.projects_secured",
                pgettext_lazy("indicator", "policies and infrastructure projects secured"),
                "projects",
            ),
        ),
    ),
)
BY_CODE = {indicator.code: indicator for indicator in CATALOGUE}


def catalogue_version(catalogue=CATALOGUE) -> str:
    """A short hash of every figure's (code, kind, unit msgid): a published snapshot keeps it, so a page
    can say when the catalogue changed since. Order, labels and their translations do not count."""
    with translation.override(None):  # units as their English msgids, whatever language is active
        spec = "\n".join(sorted(f"{i.code}|{i.kind}|{i.unit}" for i in catalogue))
    return hashlib.sha256(spec.encode()).hexdigest()[:12]


CATALOGUE_VERSION = catalogue_version()
