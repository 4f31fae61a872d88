"""How each figure of the year-end catalogue (docs/domain.md §4; `reports.catalogue`) is computed.

`compute()` answers all of them for a year, an as-of date and
optionally one agency and/or one target city, in a fixed number of queries: one grouped query
per source table (two for the yearly visit minimums), whatever the number of agencies, cities
or records. Deleted records never count (`Model.objects` holds live rows only).

Which records each source counts (standing in the window or dated in it, and the path to their
city) is declared once, in `reports.scope.COUNTED`, and read through `counted(model, scope)`.
City filter: records with a place follow that place's city — contact points (and their
activities) by the village's city, needy-person pairings by the person's village, pairings (and
their joint activities and support) by the partner organisation's region, visits (and their
outcomes) by the place visited. Channel returns, four-into events, volunteer teams and services,
five-into actions and the officials under a yearly minimum have no city dimension: the city
filter does not apply to them (`by_city=False`) and they are computed for the whole scope.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from outreach.models import Agency, Basis, Official, PartyOrganisation, Region
from outreach.rates import cut_rate, percent
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports.catalogue import (  # noqa: F401 (re-exported)
    BY_CODE,
    CATALOGUE,
    CATALOGUE_VERSION,
    MONEY,
    PERCENT,
    SECTIONS,
    Indicator,
    catalogue_version,
)
from reports.scope import BY_AGENCY, BY_CITY, Scope, city_path, counted
from visits import models as visits
from visits.selectors import minimum_counts


def _money(value) -> Decimal:
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def _each(groups: dict, shape) -> dict:
    """Apply `shape(row)` → {code: value} to every group."""
    return {key: shape(row) for key, row in groups.items()}


@dataclass(frozen=True, eq=False)
class Sums:
    """A source that is one aggregate per figure over the counted `model` records (one query), each
    aggregate named after its code in `part` ("cp" + "points"): the codes it yields are its aggregates'."""

    model: type
    part: str
    aggregates: dict

    @property
    def __name__(self) -> str:
        return f"{self.model.__name__} sums"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f"{self.part}.{name}" for name in self.aggregates)

    def __call__(self, scope: Scope) -> dict:
        groups = scope.aggregate(counted(self.model, scope), city_path(self.model), **self.aggregates)
        named = tuple(zip(self.aggregates, self.codes))
        return _each(groups, lambda row: {code: as_figure(code, row[name]) for name, code in named})


def as_figure(code: str, value):
    """An aggregate as its figure: nothing counted is the figure's empty value; money and hours keep their places."""
    empty = empty_value(BY_CODE[code])
    if value is None:
        return empty
    return value.quantize(empty) if isinstance(empty, Decimal) else value


# --- one source per source table; each returns {group key: {code: value}} -----------------------

_contact_points = Sums(
    ContactPoint,
    "cp",
    {"agencies": Count("agency", distinct=True), "officials": Count("official", distinct=True), "points": Count("pk")},
)
_needy_pairings = Sums(NeedyPairing, "cp", {"needy_paired": Count("needy_person", distinct=True)})
_contact_point_activities = Sums(
    ContactPointActivity, "cp", {"needy_consoled": Sum("people_consoled"), "problems_solved": Sum("problems_solved")}
)


def _pairings(scope: Scope) -> dict:
    """One query: the distinct (committee, partner, partner kind) triples of standing pairings."""
    kinds = PartyOrganisation.Kind
    triples = defaultdict(set)
    for key, committee_id, partner_id, kind in scope.values(
        counted(Pairing, scope), city_path(Pairing), "committee_id", "partner_id", "partner__kind"
    ):
        triples[key].add((committee_id, partner_id, kind))

    def shape(rows):
        partner_kinds: dict[int, set[str]] = defaultdict(set)
        for committee_id, _partner, kind in rows:
            partner_kinds[committee_id].add(kind)
        return {
            "pair.agency_committees": len(partner_kinds),
            "pair.village_orgs": len({p for _c, p, k in rows if k == kinds.VILLAGE}),
            "pair.community_orgs": len({p for _c, p, k in rows if k == kinds.COMMUNITY}),
            "pair.one_plus_two": sum(1 for k in partner_kinds.values() if {kinds.VILLAGE, kinds.COMMUNITY} <= k),
        }

    return _each(triples, shape)


def _joint_activities(scope: Scope) -> dict:
    """One grouped query: activities per (pairing, kind), with whether the pairing is standing."""
    city = city_path(JointActivity)
    if not scope.applies(city):
        return {}
    standing = scope.window.standing_q("pairing__")
    if Basis(scope.basis).statuses is not None:  # the pairing counts on the basis too (the month it began)
        standing &= Q(pairing__in=Pairing.objects.on_basis(scope.basis).values("pk"))
    key = scope.key_path(city)
    rows = (
        counted(JointActivity, scope)
        .values("pairing_id", "kind", **({"_group": F(key)} if key else {}))
        .annotate(n=Count("pk"), standing=Count("pk", filter=standing & Q(pairing__deleted_at__isnull=True)))
        .order_by()
    )
    totals: dict = defaultdict(int)
    held: dict = defaultdict(lambda: defaultdict(set))
    for row in rows:
        group = row.get("_group")
        totals[group] += row["n"]
        if row["standing"]:
            held[group][row["pairing_id"]].add(row["kind"])
    five = set(JointActivity.FIVE_ONES)
    return {
        group: {
            "pair.activities": total,
            "pair.five_ones_done": sum(1 for kinds in held[group].values() if five <= kinds),
        }
        for group, total in totals.items()
    }


_supports = Sums(
    Support,
    "pair",
    {
        "projects_planned": Sum("projects_planned"),
        "projects_supported": Sum("projects_supported"),
        "industries": Sum("industries_assisted"),
        "funds": Sum("funds"),
    },
)

VISIT_SUMS = ("enterprises", "communities", "villager_groups", "households", "forums", "opinions")
OUTCOME_SUMS = ("businesses_helped", "business_problems", "migrant_cases", "difficulties")
SENIOR = Q(official__rank__in=[Official.Rank.DEPARTMENT, Official.Rank.DIVISION])

_visits = Sums(
    visits.Visit, "visit", {"person_times": Count("pk", filter=SENIOR), **{name: Sum(name) for name in VISIT_SUMS}}
)
_visit_outcomes = Sums(
    visits.VisitOutcome, "visit", {"financing": Sum("financing"), **{name: Sum(name) for name in OUTCOME_SUMS}}
)


def _minimums(scope: Scope) -> dict:
    """Two queries (officials, their visits); officials have no city, so there is no city grouping."""
    if not scope.applies(None):
        return {}
    counts = minimum_counts(as_of=scope.as_of, agency=scope.agency, basis=scope.basis)
    if scope.by == BY_AGENCY:
        return {pk: {"visit.minimum_met": met, "visit.minimum_due": due} for pk, (due, met) in counts.items()}
    return {
        None: {
            "visit.minimum_met": sum(met for _due, met in counts.values()),
            "visit.minimum_due": sum(due for due, _met in counts.values()),
        }
    }


def _channel_returns(scope: Scope) -> dict:
    """One query for every return whose period ends in the window; flows summed, stocks from each agency's latest."""
    if not scope.applies(city_path(visits.ChannelReturn)):
        return {}
    rows = counted(visits.ChannelReturn, scope).order_by("agency_id", "period_end", "pk")
    flows = defaultdict(lambda: defaultdict(int))
    latest = defaultdict(dict)
    for row in rows.values("agency_id", "period_end", *visits.ChannelReturn.FLOWS, *visits.ChannelReturn.STOCKS):
        group = row["agency_id"] if scope.by == BY_AGENCY else None
        for name in visits.ChannelReturn.FLOWS:
            flows[group][name] += row[name] or 0
        latest[group][row["agency_id"]] = row  # ordered by period end: the last one wins
    return {group: channel_figures(flows[group], list(latest[group].values())) for group in flows}


def channel_figures(flows: dict, stocks: list[dict]) -> dict:
    def stock(name):
        return sum(row[name] or 0 for row in stocks)

    return {
        "channel.opinions": flows["opinions"],
        "channel.leader_instructions": flows["leader_instructions"],
        "channel.npc_motions": flows["npc_motions"],
        "channel.cppcc_proposals": flows["cppcc_proposals"],
        "channel.requests": flows["requests"],
        "channel.full_inventory": sum(1 for row in stocks if all(row[flag] for flag in visits.ChannelReturn.CHANNELS)),
        "zero.window_units": sum(1 for row in stocks if row["is_window_unit"]),
        "zero.model_windows": stock("model_windows"),
        "zero.model_posts": stock("model_posts"),
        "zero.service_trades": stock("service_trades"),
        "zero.pledged_members": stock("pledged_members"),
        "zero.satisfaction": percent(flows["survey_satisfied"], flows["survey_responses"]),
        "approval.items_before": stock("items_before"),
        "approval.items_after": stock("items_after"),
        "approval.items_cut_rate": cut_rate(stock("items_after"), stock("items_before")),
        "approval.time_cut_rate": cut_rate(stock("time_limit_after"), stock("time_limit_before")),
        "approval.fees_cancelled": flows["fees_cancelled"],
        "approval.fees_cancelled_enterprise": flows["fees_cancelled_enterprise"],
        "approval.burden_reduced": _money(flows["burden_reduced"]),
        "approval.convenience_depts": sum(1 for row in stocks if (row["convenience_items"] or 0) > 0),
        "approval.convenience_items": stock("convenience_with_chief"),
        "approval.licences": flows["licences"],
        "approval.non_licences": flows["non_licences"],
    }


_four_into = Sums(
    visits.FourIntoEvent,
    "four_into",
    {
        "officials": Sum("officials"),
        "events": Count("pk"),
        "sites": Coalesce(Sum("enterprises"), 0) + Coalesce(Sum("villages"), 0) + Coalesce(Sum("schools"), 0),
        "families": Sum("families_aided"),
        "family_aid": Sum("family_aid"),
        "students": Sum("students_aided"),
        "student_aid": Sum("student_aid"),
    },
)
_volunteer_teams = Sums(
    visits.VolunteerTeam,
    "volunteer",
    {"teams": Count("pk"), "professional_teams": Count("pk", filter=Q(kind=visits.VolunteerTeam.Kind.PROFESSIONAL))},
)
_volunteer_services = Sums(
    visits.VolunteerService, "volunteer", {"person_times": Sum("person_times"), "hours": Sum("hours")}
)


def _units(kind: str, condition: Q) -> Count:
    """Five-into: the agencies whose actions of `kind` meet `condition`."""
    return Count("agency", distinct=True, filter=Q(kind=kind) & condition)


def _total(kind: str, name: str) -> Sum:
    """Five-into: the sum of `name` over the actions of `kind`."""
    return Sum(name, filter=Q(kind=kind))


_FIVE = visits.FiveIntoAction.Kind
_five_into = Sums(
    visits.FiveIntoAction,
    "five_into",
    {
        "books": _total(_FIVE.PUBLICITY, "books"),
        "book_boxes": _total(_FIVE.PUBLICITY, "book_boxes"),
        "culture_units": _units(_FIVE.CULTURE, Q(culture_trips__gt=0)),
        "culture_events": _total(_FIVE.CULTURE, "culture_trips"),
        "medical_units": _units(_FIVE.HEALTH, Q(consultations__gt=0)),
        "consultations": _total(_FIVE.HEALTH, "consultations"),
        "legal_units": _units(_FIVE.SERVICES, Q(legal_points__gt=0) | Q(legal_windows__gt=0)),
        "legal_points": _total(_FIVE.SERVICES, "legal_points"),
        "legal_windows": _total(_FIVE.SERVICES, "legal_windows"),
        "planning_units": _units(_FIVE.PLANNING, Q(villages_planned__gt=0)),
        "villages_planned": _total(_FIVE.PLANNING, "villages_planned"),
        "projects_secured": _total(_FIVE.PLANNING, "projects_secured"),
    },
)


SOURCES = (
    _contact_points,
    _needy_pairings,
    _contact_point_activities,
    _pairings,
    _joint_activities,
    _supports,
    _visits,
    _visit_outcomes,
    _minimums,
    _channel_returns,
    _four_into,
    _volunteer_teams,
    _volunteer_services,
    _five_into,
)
# The codes each source yields: `codes=` runs only the sources a caller's codes need.
SOURCE_CODES = {
    **{source: source.codes for source in SOURCES if isinstance(source, Sums)},
    _pairings: ("pair.agency_committees", "pair.village_orgs", "pair.community_orgs", "pair.one_plus_two"),
    _joint_activities: ("pair.activities", "pair.five_ones_done"),
    _minimums: ("visit.minimum_met", "visit.minimum_due"),
    _channel_returns: tuple(i.code for i in CATALOGUE if i.part in ("channel", "zero", "approval")),
}


def _selected(codes) -> tuple[list, list[Indicator]]:
    """The sources to run and the indicators to answer: all of them, or only what `codes` needs."""
    if codes is None:
        return list(SOURCES), list(CATALOGUE)
    wanted = set(codes)
    unknown = wanted - set(BY_CODE)
    if unknown:
        raise KeyError(f"unknown indicator codes: {sorted(unknown)}")
    sources = [source for source in SOURCES if wanted.intersection(SOURCE_CODES[source])]
    return sources, [i for i in CATALOGUE if i.code in wanted]


def as_json_value(code: str, value):
    """Money as a string with two places, rates as numbers with two decimals, None as null."""
    if value is None:
        return None
    kind = BY_CODE[code].kind
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == PERCENT or isinstance(value, Decimal):  # rates; volunteer hours (one decimal place)
        return float(value)
    return value


def empty_value(indicator: Indicator):
    """A figure's value when nothing counts: 0, 0.00 yuan, 0.0 hours, or None for a rate."""
    if indicator.kind == MONEY:
        return Decimal("0.00")
    if indicator.kind == PERCENT:
        return None
    if indicator.code == "volunteer.hours":
        return Decimal("0.0")
    return 0


def compute_grouped(
    *,
    year: int,
    as_of: datetime.date,
    by: str,
    agency: Agency | None = None,
    city: Region | None = None,
    codes=None,
    basis: str = Basis.ALL,
) -> dict:
    """{group key: {code: value}} with one group per agency id or target-city id that has records.

    The same sources and the same number of queries as `compute()`. Grouped by city, only the
    indicators with a city dimension (`by_city`) are present; the caller adds the groups
    without records (with `empty_figures()`), so non-reporting agencies show zeros. `codes`:
    only these figures, from only the sources that yield them. `basis`: as `compute()`'s.
    """
    scope = Scope(year=year, as_of=as_of, agency=agency, city=city, by=by, basis=basis)
    sources, indicators = _selected(codes)
    codes = [i for i in indicators if by != BY_CITY or i.by_city]
    groups: dict = defaultdict(dict)
    for source in sources:
        for key, figures in source(scope).items():
            groups[key].update(figures)
    return {key: {i.code: figures.get(i.code, empty_value(i)) for i in codes} for key, figures in groups.items()}


def empty_figures(by_city_only: bool = False) -> dict:
    return {i.code: empty_value(i) for i in CATALOGUE if i.by_city or not by_city_only}


def compute(
    *,
    year: int,
    as_of: datetime.date,
    agency: Agency | None = None,
    city: Region | None = None,
    codes=None,
    basis: str = Basis.ALL,
) -> dict:
    """Every figure of the catalogue, keyed by code in catalogue order (15 queries).

    `codes`: only these figures (still in catalogue order), from only the sources that yield them.
    `basis`: which records count by the review state of their month or return (统计口径,
    `outreach.models.Basis`; `reports.scope.counted`), the visits towards the minimums included.
    """
    scope = Scope(year=year, as_of=as_of, agency=agency, city=city, basis=basis)
    sources, indicators = _selected(codes)
    figures = {}
    for source in sources:
        for _key, group in source(scope).items():
            figures.update(group)
    return {i.code: figures.get(i.code, empty_value(i)) for i in indicators}
