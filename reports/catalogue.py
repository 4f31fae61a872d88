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
    """The indicators of a section, one row each: (code, label, unit[, kind])."""
    return tuple(Indicator(code, label, unit, section, *kind, by_city=by_city) for code, label, unit, *kind in rows)


CATALOGUE: tuple[Indicator, ...] = (
    *_section(
        EXTENSIONS,
        by_city=True,
        rows=(
            ("cp.agencies", pgettext_lazy("indicator", "agencies whose leaders hold contact points"), _("agencies")),
            (
                "cp.officials",
                pgettext_lazy("indicator", "department-level officials holding contact points"),
                _("people"),
            ),
            ("cp.points", pgettext_lazy("indicator", "contact points in the five cities"), _("points")),
            ("cp.needy_paired", pgettext_lazy("indicator", "needy people paired with an official"), _("people")),
            ("cp.needy_consoled", pgettext_lazy("indicator", "needy people given condolence visits"), _("people")),
            ("cp.problems_solved", pgettext_lazy("indicator", "problems solved through contact points"), _("items")),
            (
                "pair.agency_committees",
                pgettext_lazy("indicator", "agency Party committees in pairings"),
                _("committees"),
            ),
            ("pair.village_orgs", pgettext_lazy("indicator", "poor village Party organisations paired"), _("orgs")),
            ("pair.community_orgs", pgettext_lazy("indicator", "community Party organisations paired"), _("orgs")),
            (
                "pair.one_plus_two",
                pgettext_lazy("indicator", "committees with both a community and a village partner"),
                _("committees"),
            ),
            ("pair.activities", pgettext_lazy("indicator", "joint activities held"), _("events")),
            (
                "pair.five_ones_done",
                pgettext_lazy("indicator", "pairings that held all five ones this year"),
                _("pairings"),
            ),
            ("pair.projects_planned", pgettext_lazy("indicator", "development projects planned"), _("projects")),
            ("pair.projects_supported", pgettext_lazy("indicator", "projects given support"), _("projects")),
            ("pair.industries", pgettext_lazy("indicator", "specialty industries assisted"), _("items")),
            ("pair.funds", pgettext_lazy("indicator", "assistance funds"), _("yuan"), MONEY),
            (
                "visit.person_times",
                pgettext_lazy("indicator", "division-level and above officials' visits"),
                _("person-times"),
            ),
            ("visit.enterprises", pgettext_lazy("indicator", "enterprises visited"), _("units")),
            ("visit.communities", pgettext_lazy("indicator", "communities visited"), _("units")),
            ("visit.villager_groups", pgettext_lazy("indicator", "villager groups visited"), _("units")),
            ("visit.households", pgettext_lazy("indicator", "households visited"), _("households")),
            ("visit.forums", pgettext_lazy("indicator", "forums held"), _("meetings")),
            ("visit.opinions", pgettext_lazy("indicator", "opinions and suggestions collected"), _("items")),
            ("visit.businesses_helped", pgettext_lazy("indicator", "small businesses helped"), _("units")),
            ("visit.business_problems", pgettext_lazy("indicator", "their problems solved"), _("items")),
            ("visit.financing", pgettext_lazy("indicator", "financing arranged for enterprises"), _("yuan"), MONEY),
            ("visit.migrant_cases", pgettext_lazy("indicator", "migrant workers' rights cases"), _("cases")),
            ("visit.difficulties", pgettext_lazy("indicator", "people's difficulties resolved"), _("items")),
        ),
    ),
    *_section(
        EXTENSIONS,
        by_city=False,
        rows=(
            (
                "visit.minimum_met",
                pgettext_lazy("indicator", "officials under a yearly minimum who met it"),
                _("people"),
            ),
            ("visit.minimum_due", pgettext_lazy("indicator", "officials under a yearly minimum"), _("people")),
        ),
    ),
    *_section(
        CHANNELS,
        by_city=False,
        rows=(
            ("channel.opinions", pgettext_lazy("indicator", "public opinions collected"), _("items")),
            (
                "channel.leader_instructions",
                pgettext_lazy("indicator", "provincial leaders' instructions handled"),
                _("items"),
            ),
            (
                "channel.npc_motions",
                pgettext_lazy("indicator", "people's congress deputies' motions handled"),
                _("items"),
            ),
            ("channel.cppcc_proposals", pgettext_lazy("indicator", "CPPCC members' proposals handled"), _("items")),
            ("channel.requests", pgettext_lazy("indicator", "grassroots and public requests handled"), _("items")),
            ("channel.full_inventory", pgettext_lazy("indicator", "agencies with every channel"), _("agencies")),
            ("zero.window_units", pgettext_lazy("indicator", "service-window agencies"), _("agencies")),
            ("zero.model_windows", pgettext_lazy("indicator", "Party-member model windows"), _("windows")),
            ("zero.model_posts", pgettext_lazy("indicator", "Party-member model posts"), _("posts")),
            ("zero.service_trades", pgettext_lazy("indicator", "service trades taking part"), _("trades")),
            (
                "zero.pledged_members",
                pgettext_lazy("indicator", "members who made public four-zero pledges"),
                _("people"),
            ),
            (
                "zero.satisfaction",
                pgettext_lazy("indicator", "satisfied share of survey responses"),
                _("percent"),
                PERCENT,
            ),
            ("approval.items_before", pgettext_lazy("indicator", "approval items before the clean-up"), _("items")),
            ("approval.items_after", pgettext_lazy("indicator", "approval items kept"), _("items")),
            ("approval.items_cut_rate", pgettext_lazy("indicator", "share of items cut"), _("percent"), PERCENT),
            (
                "approval.time_cut_rate",
                pgettext_lazy("indicator", "mean cut of time limits of kept items"),
                _("percent"),
                PERCENT,
            ),
            ("approval.fees_cancelled", pgettext_lazy("indicator", "fees cancelled"), _("items")),
            (
                "approval.fees_cancelled_enterprise",
                pgettext_lazy("indicator", "of which enterprise-related"),
                _("items"),
            ),
            (
                "approval.burden_reduced",
                pgettext_lazy("indicator", "burden removed from enterprises and people"),
                _("yuan"),
                MONEY,
            ),
            (
                "approval.convenience_depts",
                pgettext_lazy("indicator", "departments offering convenience items"),
                _("agencies"),
            ),
            (
                "approval.convenience_items",
                pgettext_lazy("indicator", "convenience items under a chief representative"),
                _("items"),
            ),
            ("approval.licences", pgettext_lazy("indicator", "licensing matters handled"), _("items")),
            ("approval.non_licences", pgettext_lazy("indicator", "non-licensing matters handled"), _("items")),
        ),
    ),
    *_section(
        ACTIVITIES,
        by_city=False,
        rows=(
            ("four_into.officials", pgettext_lazy("indicator", "officials taking part in four-into"), _("people")),
            ("four_into.events", pgettext_lazy("indicator", "four-into service events"), _("events")),
            ("four_into.sites", pgettext_lazy("indicator", "enterprises, villages, schools visited"), _("sites")),
            ("four_into.families", pgettext_lazy("indicator", "needy families given aid"), _("families")),
            ("four_into.family_aid", pgettext_lazy("indicator", "aid to families"), _("yuan"), MONEY),
            ("four_into.students", pgettext_lazy("indicator", "poor students given grants"), _("people")),
            ("four_into.student_aid", pgettext_lazy("indicator", "grants to students"), _("yuan"), MONEY),
            ("volunteer.teams", pgettext_lazy("indicator", "volunteer teams"), _("teams")),
            ("volunteer.professional_teams", pgettext_lazy("indicator", "professional volunteer teams"), _("teams")),
            ("volunteer.person_times", pgettext_lazy("indicator", "volunteer service"), _("person-times")),
            ("volunteer.hours", pgettext_lazy("indicator", "volunteer service hours"), _("hours")),
            ("five_into.books", pgettext_lazy("indicator", "books donated"), _("books")),
            ("five_into.book_boxes", pgettext_lazy("indicator", "mobile book boxes set up"), _("boxes")),
            (
                "five_into.culture_units",
                pgettext_lazy("indicator", "agencies running culture/science/tech trips"),
                _("agencies"),
            ),
            ("five_into.culture_events", pgettext_lazy("indicator", "culture/science/tech trips"), _("events")),
            (
                "five_into.medical_units",
                pgettext_lazy("indicator", "medical units running free clinics"),
                _("agencies"),
            ),
            ("five_into.consultations", pgettext_lazy("indicator", "free consultations"), _("people")),
            (
                "five_into.legal_units",
                pgettext_lazy("indicator", "judicial units taking law to villages"),
                _("agencies"),
            ),
            ("five_into.legal_points", pgettext_lazy("indicator", "legal-aid contact points set up"), _("points")),
            ("five_into.legal_windows", pgettext_lazy("indicator", "legal-aid service windows built"), _("windows")),
            (
                "five_into.planning_units",
                pgettext_lazy("indicator", "agencies planning central villages"),
                _("agencies"),
            ),
            ("five_into.villages_planned", pgettext_lazy("indicator", "central villages planned"), _("villages")),
            (
                "five_into.projects_secured",
                pgettext_lazy("indicator", "policies and infrastructure projects secured"),
                _("projects"),
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
