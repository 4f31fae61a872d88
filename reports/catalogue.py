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


def _section(section: str, *, by_city: bool, rows: tuple) -> tuple[Indicator, ...]:
    """The indicators of a section, one row each: (code, label, unit[, kind]).

    Units are translated in their own context ("unit"): the same English word as a column's header
    ("households") reads differently in Chinese as a measure word (农户 as a header, 户 after a number)."""
    return tuple(Indicator(code, label, unit, section, *kind, by_city=by_city) for code, label, unit, *kind in rows)


CATALOGUE: tuple[Indicator, ...] = (
    *_section(
        EXTENSIONS,
        by_city=True,
        rows=(
            (
                "cp.agencies",
                pgettext_lazy("indicator", "agencies whose leaders hold contact points"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "cp.officials",
                pgettext_lazy("indicator", "department-level officials holding contact points"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "cp.points",
                pgettext_lazy("indicator", "contact points in the five cities"),
                pgettext_lazy("unit", "points"),
            ),
            (
                "cp.needy_paired",
                pgettext_lazy("indicator", "needy people paired with an official"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "cp.needy_consoled",
                pgettext_lazy("indicator", "needy people given condolence visits"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "cp.problems_solved",
                pgettext_lazy("indicator", "problems solved through contact points"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "pair.agency_committees",
                pgettext_lazy("indicator", "agency Party committees in pairings"),
                pgettext_lazy("unit", "committees"),
            ),
            (
                "pair.village_orgs",
                pgettext_lazy("indicator", "poor village Party organisations paired"),
                pgettext_lazy("unit", "orgs"),
            ),
            (
                "pair.community_orgs",
                pgettext_lazy("indicator", "community Party organisations paired"),
                pgettext_lazy("unit", "orgs"),
            ),
            (
                "pair.one_plus_two",
                pgettext_lazy("indicator", "committees with both a community and a village partner"),
                pgettext_lazy("unit", "committees"),
            ),
            ("pair.activities", pgettext_lazy("indicator", "joint activities held"), pgettext_lazy("unit", "events")),
            (
                "pair.five_ones_done",
                pgettext_lazy("indicator", "pairings that held all five ones this year"),
                pgettext_lazy("unit", "pairings"),
            ),
            (
                "pair.projects_planned",
                pgettext_lazy("indicator", "development projects planned"),
                pgettext_lazy("unit", "projects"),
            ),
            (
                "pair.projects_supported",
                pgettext_lazy("indicator", "projects given support"),
                pgettext_lazy("unit", "projects"),
            ),
            (
                "pair.industries",
                pgettext_lazy("indicator", "specialty industries assisted"),
                pgettext_lazy("unit", "entries"),
            ),
            ("pair.funds", pgettext_lazy("indicator", "assistance funds"), pgettext_lazy("unit", "yuan"), MONEY),
            (
                "visit.person_times",
                pgettext_lazy("indicator", "division-level and above officials' visits"),
                pgettext_lazy("unit", "person-times"),
            ),
            (
                "visit.enterprises",
                pgettext_lazy("indicator", "enterprises visited"),
                pgettext_lazy("unit", "enterprises"),
            ),
            ("visit.communities", pgettext_lazy("indicator", "communities visited"), pgettext_lazy("unit", "units")),
            (
                "visit.villager_groups",
                pgettext_lazy("indicator", "villager groups visited"),
                pgettext_lazy("unit", "units"),
            ),
            ("visit.households", pgettext_lazy("indicator", "households visited"), pgettext_lazy("unit", "households")),
            ("visit.forums", pgettext_lazy("indicator", "forums held"), pgettext_lazy("unit", "meetings")),
            (
                "visit.opinions",
                pgettext_lazy("indicator", "opinions and suggestions collected"),
                pgettext_lazy("unit", "opinions"),
            ),
            (
                "visit.businesses_helped",
                pgettext_lazy("indicator", "small businesses helped"),
                pgettext_lazy("unit", "businesses"),
            ),
            (
                "visit.business_problems",
                pgettext_lazy("indicator", "their problems solved"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "visit.financing",
                pgettext_lazy("indicator", "financing arranged for enterprises"),
                pgettext_lazy("unit", "yuan"),
                MONEY,
            ),
            (
                "visit.migrant_cases",
                pgettext_lazy("indicator", "migrant workers' rights cases"),
                pgettext_lazy("unit", "cases"),
            ),
            (
                "visit.difficulties",
                pgettext_lazy("indicator", "people's difficulties resolved"),
                pgettext_lazy("unit", "items"),
            ),
        ),
    ),
    *_section(
        EXTENSIONS,
        by_city=False,
        rows=(
            (
                "visit.minimum_met",
                pgettext_lazy("indicator", "officials under a yearly minimum who met it"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "visit.minimum_due",
                pgettext_lazy("indicator", "officials under a yearly minimum"),
                pgettext_lazy("unit", "people"),
            ),
        ),
    ),
    *_section(
        CHANNELS,
        by_city=False,
        rows=(
            (
                "channel.opinions",
                pgettext_lazy("indicator", "public opinions collected"),
                pgettext_lazy("unit", "opinions"),
            ),
            (
                "channel.leader_instructions",
                pgettext_lazy("indicator", "provincial leaders' instructions handled"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "channel.npc_motions",
                pgettext_lazy("indicator", "people's congress deputies' motions handled"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "channel.cppcc_proposals",
                pgettext_lazy("indicator", "CPPCC members' proposals handled"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "channel.requests",
                pgettext_lazy("indicator", "grassroots and public requests handled"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "channel.full_inventory",
                pgettext_lazy("indicator", "agencies with every channel"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "zero.window_units",
                pgettext_lazy("indicator", "service-window agencies"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "zero.model_windows",
                pgettext_lazy("indicator", "Party-member model windows"),
                pgettext_lazy("unit", "windows"),
            ),
            (
                "zero.model_posts",
                pgettext_lazy("indicator", "Party-member model posts"),
                pgettext_lazy("unit", "posts"),
            ),
            (
                "zero.service_trades",
                pgettext_lazy("indicator", "service trades taking part"),
                pgettext_lazy("unit", "trades"),
            ),
            (
                "zero.pledged_members",
                pgettext_lazy("indicator", "members who made public four-zero pledges"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "zero.satisfaction",
                pgettext_lazy("indicator", "satisfied share of survey responses"),
                pgettext_lazy("unit", "percent"),
                PERCENT,
            ),
            (
                "approval.items_before",
                pgettext_lazy("indicator", "approval items before the clean-up"),
                pgettext_lazy("unit", "entries"),
            ),
            (
                "approval.items_after",
                pgettext_lazy("indicator", "approval items kept"),
                pgettext_lazy("unit", "entries"),
            ),
            (
                "approval.items_cut_rate",
                pgettext_lazy("indicator", "share of items cut"),
                pgettext_lazy("unit", "percent"),
                PERCENT,
            ),
            (
                "approval.time_cut_rate",
                pgettext_lazy("indicator", "mean cut of time limits of kept items"),
                pgettext_lazy("unit", "percent"),
                PERCENT,
            ),
            ("approval.fees_cancelled", pgettext_lazy("indicator", "fees cancelled"), pgettext_lazy("unit", "entries")),
            (
                "approval.fees_cancelled_enterprise",
                pgettext_lazy("indicator", "of which enterprise-related"),
                pgettext_lazy("unit", "entries"),
            ),
            (
                "approval.burden_reduced",
                pgettext_lazy("indicator", "burden removed from enterprises and people"),
                pgettext_lazy("unit", "yuan"),
                MONEY,
            ),
            (
                "approval.convenience_depts",
                pgettext_lazy("indicator", "departments offering convenience items"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "approval.convenience_items",
                pgettext_lazy("indicator", "convenience items under a chief representative"),
                pgettext_lazy("unit", "entries"),
            ),
            (
                "approval.licences",
                pgettext_lazy("indicator", "licensing matters handled"),
                pgettext_lazy("unit", "items"),
            ),
            (
                "approval.non_licences",
                pgettext_lazy("indicator", "non-licensing matters handled"),
                pgettext_lazy("unit", "items"),
            ),
        ),
    ),
    *_section(
        ACTIVITIES,
        by_city=False,
        rows=(
            (
                "four_into.officials",
                pgettext_lazy("indicator", "officials taking part in four-into"),
                pgettext_lazy("unit", "person-times"),
            ),
            (
                "four_into.events",
                pgettext_lazy("indicator", "four-into service events"),
                pgettext_lazy("unit", "events"),
            ),
            (
                "four_into.sites",
                pgettext_lazy("indicator", "enterprises, villages, schools visited"),
                pgettext_lazy("unit", "sites"),
            ),
            (
                "four_into.families",
                pgettext_lazy("indicator", "needy families given aid"),
                pgettext_lazy("unit", "families"),
            ),
            (
                "four_into.family_aid",
                pgettext_lazy("indicator", "aid to families"),
                pgettext_lazy("unit", "yuan"),
                MONEY,
            ),
            (
                "four_into.students",
                pgettext_lazy("indicator", "poor students given grants"),
                pgettext_lazy("unit", "people"),
            ),
            (
                "four_into.student_aid",
                pgettext_lazy("indicator", "grants to students"),
                pgettext_lazy("unit", "yuan"),
                MONEY,
            ),
            ("volunteer.teams", pgettext_lazy("indicator", "volunteer teams"), pgettext_lazy("unit", "teams")),
            (
                "volunteer.professional_teams",
                pgettext_lazy("indicator", "professional volunteer teams"),
                pgettext_lazy("unit", "teams"),
            ),
            (
                "volunteer.person_times",
                pgettext_lazy("indicator", "volunteer service"),
                pgettext_lazy("unit", "person-times"),
            ),
            ("volunteer.hours", pgettext_lazy("indicator", "volunteer service hours"), pgettext_lazy("unit", "hours")),
            ("five_into.books", pgettext_lazy("indicator", "books donated"), pgettext_lazy("unit", "books")),
            (
                "five_into.book_boxes",
                pgettext_lazy("indicator", "mobile book boxes set up"),
                pgettext_lazy("unit", "boxes"),
            ),
            (
                "five_into.culture_units",
                pgettext_lazy("indicator", "agencies running culture/science/tech trips"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "five_into.culture_events",
                pgettext_lazy("indicator", "culture/science/tech trips"),
                pgettext_lazy("unit", "events"),
            ),
            (
                "five_into.medical_units",
                pgettext_lazy("indicator", "medical units running free clinics"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "five_into.consultations",
                pgettext_lazy("indicator", "free consultations"),
                pgettext_lazy("unit", "person-times"),
            ),
            (
                "five_into.legal_units",
                pgettext_lazy("indicator", "judicial units taking law to villages"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "five_into.legal_points",
                pgettext_lazy("indicator", "legal-aid contact points set up"),
                pgettext_lazy("unit", "points"),
            ),
            (
                "five_into.legal_windows",
                pgettext_lazy("indicator", "legal-aid service windows built"),
                pgettext_lazy("unit", "windows"),
            ),
            (
                "five_into.planning_units",
                pgettext_lazy("indicator", "agencies planning central villages"),
                pgettext_lazy("unit", "agencies"),
            ),
            (
                "five_into.villages_planned",
                pgettext_lazy("indicator", "central villages planned"),
                pgettext_lazy("unit", "villages"),
            ),
            (
                "five_into.projects_secured",
                pgettext_lazy("indicator", "policies and infrastructure projects secured"),
                pgettext_lazy("unit", "projects"),
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
