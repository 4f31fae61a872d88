"""The visits app's part of the demo province (see outreach.demo): each round the officials' visits
and their outcomes, and the service activities (visits/demo_services.py); the channel returns at
the end (visits/demo_channels.py). Runs after the pairings' part: visits go to its contact points."""

from __future__ import annotations

import datetime
import math

from django.db.models import Count

from outreach.demo import DemoContext, DemoPart
from outreach.demo.base import BATCH, Season, allocate, sparse_weights, weighted, yuan
from outreach.models import Official, Region
from visits import demo_channels, demo_services
from visits.models import ChannelReturn, Visit, VisitOutcome
from visits.models.services import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam

# Reference values of docs/domain.md §4 that one activity round aims at.
TARGETS = {
    "visits": 6_400,
    "households": 38_240,
    "enterprises": 710,
    "communities": 400,
    "villager_groups": 1_100,
    "forums": 690,
    "opinions": 12_700,
    "businesses_helped": 40_000,
    "business_problems": 17_000,
    "financing": 49_000_000_000,
    "migrant_cases": 25_000,
    "difficulties": 20_000,
}
# The year before: visits and their outcomes keep this share of a round.
PREVIOUS_SHARE = 0.65

# Fewer visits in February (Spring Festival) and August (heat, floods); more in spring and autumn.
VISIT_SEASON = Season((8, 4, 11, 11, 11, 10, 7, 4, 10, 10, 10, 7), 0.3)

VISIT_NOTES = (
    "入户走访困难群众，了解生产生活情况",
    "看望慰问老党员和生活困难党员",
    "春节前送去慰问金和米面油等生活物资",
    "了解低保、五保政策落实情况",
    "察看村部活动场所建设进展",
    "实地查看农田水利和道路建设项目",
    "与村干部座谈，听取意见建议",
    "走访种养大户，了解产业发展困难",
    "看望留守儿童和空巢老人",
    "了解大病患者医疗救助落实情况",
    "帮助困难户申请危房改造补助",
    "为残疾人家庭送去轮椅等康复器材",
    "回访帮扶对象，核实帮扶措施落实效果",
    "召开群众恳谈会，收集群众诉求",
    "协调解决困难家庭子女上学问题",
    "查看扶贫项目资金使用情况",
    "了解外出务工人员返乡创业需求",
    "夏收期间帮助缺劳力户抢收抢种",
    "检查汛期安全隐患，慰问受灾群众",
    "宣讲新型农村合作医疗和养老保险政策",
    "走访退伍老兵和烈属，落实优抚政策",
)


def build_structure(ctx: DemoContext) -> None:
    """Who lags behind the yearly minimums (drawn from the ``structure`` stream after the pairings'
    part): an official short of a minimum stays short however many rounds there are. Then the
    volunteer teams and which agencies stand behind the "five into" unit figures."""
    rng = ctx.rng("structure")
    for agency in ctx.d.agencies:
        for group, (days, households) in (("leadership", (0.9, 0.92)), ("heads", (0.86, 0.9))):
            for official in ctx.d.officials[agency.pk][group]:
                official.meets_ = (rng.random() < days, rng.random() < households)
    demo_services.build_service_structure(ctx, ctx.rng("services"))


def build_round(ctx: DemoContext, round_no: int) -> None:
    """One round's visits (drawn on after the pairings' part of the round), then its service activities."""
    rng, keep_rng = ctx.rng(f"activity:{round_no}"), ctx.rng(f"fraction:{round_no}")
    visits(ctx, rng, keep_rng, ctx.state["contact_points"], round_no)
    demo_services.build_round(ctx, ctx.rng(f"services:{round_no}"), ctx.rng(f"services-fraction:{round_no}"))


def build_previous_round(ctx: DemoContext, round_no: int) -> None:
    """The year before: `PREVIOUS_SHARE` of the visits, to the contact points begun by then; then
    its service activities."""
    prev = ctx.previous_cal
    begun = [cp for cp in ctx.state["contact_points"] if cp.start_date <= prev.last]
    rng, keep_rng = ctx.rng(f"previous:activity:{round_no}"), ctx.rng(f"previous:fraction:{round_no}")
    with ctx.level(prev, share=PREVIOUS_SHARE):
        visits(ctx, rng, keep_rng, begun, round_no)
    demo_services.build_previous_round(
        ctx, ctx.rng(f"previous:services:{round_no}"), ctx.rng(f"previous:services-fraction:{round_no}")
    )


def place(ctx: DemoContext, rng, agency_id, stay, cp_villages):
    d = ctx.d
    if stay:
        if cp_villages.get(agency_id) and rng.random() < 0.7:
            return rng.choice(cp_villages[agency_id])
        city = d.home_city[agency_id] if rng.random() < 0.8 else rng.choice(d.cities).pk
        return rng.choice(d.villages_by_city[city])
    city = d.home_city[agency_id] if rng.random() < 0.75 else rng.choice(d.cities).pk
    level = weighted(
        rng,
        (
            (Region.Level.VILLAGE, 50),
            (Region.Level.TOWNSHIP, 20),
            (Region.Level.COMMUNITY, 15),
            (Region.Level.COUNTY, 15),
        ),
    )
    return rng.choice(d.places_by_city[city][level])


def stay(ctx: DemoContext, rng, days, lo, hi):
    """A village stay of `days` days starting in [lo, hi] and ending within the year."""
    cal = ctx.cal
    days = max(1, min(days, cal.ndays))
    latest = cal.last - datetime.timedelta(days=days - 1)
    start = cal.pick(rng, VISIT_SEASON, lo, min(hi, latest))
    return start, start + datetime.timedelta(days=days - 1)


def plan_minimum(ctx: DemoContext, rng, official, position, round_no):
    """The visits of an official under a yearly minimum (the year's settings): most meet it, some fall short."""
    cal = ctx.cal
    minimum = ctx.minimums()[position]
    min_days, min_hh = minimum["days"], minimum["households"]
    leader = position == Official.Position.LEADERSHIP
    meets_days, meets_hh = official.meets_
    n = weighted(rng, zip((2, 3, 4, 5), (0.2, 0.35, 0.3, 0.15) if leader else (0.25, 0.35, 0.25, 0.15)))

    mid = datetime.date(cal.year, 6, 30)
    stays = []
    if meets_days and (rng.random() < 0.7 or cal.ndays < 120):
        days = min(7, min_days + weighted(rng, ((0, 3), (1, 3), (2, 2), (3, 1))))
        stays.append(stay(ctx, rng, days, cal.first, cal.last))
    elif meets_days:  # two stays, one in each half of the year, together at least the minimum
        first = math.ceil(min_days / 2)
        second = min_days - first + rng.randint(0, 2)
        s1 = stay(ctx, rng, first, cal.first, mid)
        stays.append(s1)
        if s1[1] + datetime.timedelta(days=7) <= cal.last - datetime.timedelta(days=second - 1):
            stays.append(stay(ctx, rng, second, s1[1] + datetime.timedelta(days=7), cal.last))
        else:
            stays[0] = stay(ctx, rng, min_days, cal.first, cal.last)
    elif round_no == 0 and rng.random() < 0.6:  # short: a stay too short, or none
        stays.append(stay(ctx, rng, rng.randint(1, min_days - 1), cal.first, cal.last))

    plans = [dict(official=official, stay=True, start=s, end=e) for s, e in stays]
    while len(plans) < n:
        plans.append(short_visit(ctx, rng, official))
    if meets_hh:
        hh = min_hh + rng.randint(0, 8)
    else:  # short: all the households of the year in the first round
        hh = rng.randint(min_hh // 3, min_hh - 1) if round_no == 0 else 0
    weights = [(2.0 if v["stay"] else 1.0) * rng.lognormvariate(0, 0.4) for v in plans]
    for v, h in zip(plans, allocate(hh, weights)):
        v["households"] = h
    return plans


def short_visit(ctx: DemoContext, rng, official):
    start = ctx.cal.pick(rng, VISIT_SEASON)
    end = min(start + datetime.timedelta(days=1), ctx.cal.last) if rng.random() < 0.2 else start
    return dict(official=official, stay=False, start=start, end=end)


def plan_visits(ctx: DemoContext, rng, round_no) -> list[dict]:
    """Who visits when, with how many households: the officials under a yearly minimum first, the
    rest of the person-times among division-level staff and non-leading inspectors."""
    cal = ctx.cal
    planned, others = [], []
    for agency in ctx.d.agencies:
        groups = ctx.d.officials[agency.pk]
        for o in groups["leadership"]:
            planned += plan_minimum(ctx, rng, o, Official.Position.LEADERSHIP, round_no)
        for o in groups["heads"]:
            planned += plan_minimum(ctx, rng, o, Official.Position.DEPARTMENT_HEAD, round_no)
        others += groups["division_staff"] + groups["department_other"]

    rest = max(0, ctx.aim(rng, TARGETS["visits"]) - len(planned))
    extra = []
    for official in rng.choices(others, k=rest):
        if rng.random() < 0.05:
            start, end = stay(ctx, rng, rng.randint(1, 2), cal.first, cal.last)
            extra.append(dict(official=official, stay=True, start=start, end=end))
        else:
            extra.append(short_visit(ctx, rng, official))
    households = ctx.aim(rng, TARGETS["households"]) - sum(v["households"] for v in planned)
    for v, h in zip(extra, allocate(max(households, 0), sparse_weights(rng, len(extra), 0.6))):
        v["households"] = h
    return planned + extra


def visit_yields(ctx: DemoContext, rng, plans) -> dict:
    """The visits' sums shared out, more where the place suits them: {field: [value per visit]}."""
    n = len(plans)

    def near(level_set, share, sigma=0.8):
        return [
            rng.lognormvariate(0, sigma) * (3.0 if v["place"].level in level_set else 1.0)
            if rng.random() < share
            else 0.0
            for v in plans
        ]

    L = Region.Level
    return {
        "enterprises": allocate(
            ctx.aim(rng, TARGETS["enterprises"]),
            [0.0 if v["stay"] else w for v, w in zip(plans, near({L.COUNTY, L.TOWNSHIP}, 0.15))],
        ),
        "communities": allocate(ctx.aim(rng, TARGETS["communities"]), near({L.COMMUNITY}, 0.08)),
        "villager_groups": allocate(ctx.aim(rng, TARGETS["villager_groups"]), near({L.VILLAGE}, 0.2)),
        "forums": allocate(ctx.aim(rng, TARGETS["forums"]), sparse_weights(rng, n, 0.1, 0.3)),
        "opinions": allocate(ctx.aim(rng, TARGETS["opinions"]), sparse_weights(rng, n, 0.7)),
    }


def visits(ctx: DemoContext, rng, keep_rng, cps, round_no) -> None:
    cp_villages = {}
    for cp in cps:
        cp_villages.setdefault(cp.agency_id, []).append(cp.village)
    plans = plan_visits(ctx, rng, round_no)
    for v in plans:
        v["place"] = place(ctx, rng, v["official"].agency_id, v["stay"], cp_villages)
    fields = visit_yields(ctx, rng, plans)

    kept = []
    for i, v in enumerate(plans):
        official = v["official"]
        days = (v["end"] - v["start"]).days + 1
        visit = Visit(
            agency_id=official.agency_id,
            official_id=official.pk,
            start_date=v["start"],
            end_date=v["end"],
            is_village_stay=v["stay"],
            village_days=days if v["stay"] else 0,
            place_id=v["place"].pk,
            households=v["households"],
            note=rng.choice(VISIT_NOTES),
            **{name: values[i] for name, values in fields.items()},
        )
        if ctx.keep(keep_rng):
            kept.append(visit)
    Visit.objects.bulk_create(kept, batch_size=BATCH)
    outcomes(ctx, rng, kept)


def outcomes(ctx: DemoContext, rng, visits_) -> None:
    """Outcomes for a good share of visits, sized so the year's sums approach the article."""
    with_outcome = [v for v in visits_ if rng.random() < 0.6]
    m = len(with_outcome)

    def share_out(key, share, sigma, unit=1):
        return allocate(round(ctx.aim(rng, TARGETS[key]) * ctx.fraction) * unit, sparse_weights(rng, m, share, sigma))

    outcome_fields = {
        "businesses_helped": share_out("businesses_helped", 0.7, 1.0),
        "business_problems": share_out("business_problems", 0.6, 1.0),
        "financing": share_out("financing", 0.2, 1.2, unit=100),  # in fen
        "migrant_cases": share_out("migrant_cases", 0.4, 1.0),
        "difficulties": share_out("difficulties", 0.8, 0.8),
    }
    rows = []
    for i, visit in enumerate(with_outcome):
        values = {name: vals[i] for name, vals in outcome_fields.items()}
        values["financing"] = yuan(values["financing"])
        rows.append(VisitOutcome(agency_id=visit.agency_id, visit_id=visit.pk, **values))
    VisitOutcome.objects.bulk_create(rows, batch_size=BATCH)


def tallies(year: int) -> dict:
    """The channel returns (of every period) by period and status."""
    returns = (
        ChannelReturn.objects.order_by("year", "half", "status")
        .values_list("year", "half", "status")
        .annotate(n=Count("pk"))
    )
    return {
        "Channel returns": {
            f"{period_year} {ChannelReturn.Half(half).name.lower()} half {status}": n
            for period_year, half, status, n in returns
        }
    }


DEMO = DemoPart(
    name="visits",
    order=30,
    models=(Visit, VisitOutcome, FourIntoEvent, VolunteerTeam, VolunteerService, FiveIntoAction, ChannelReturn),
    dated={
        Visit: "start_date__year",
        VisitOutcome: "visit__start_date__year",
        FourIntoEvent: "date__year",
        VolunteerService: "date__year",
        FiveIntoAction: "date__year",
    },
    structure=build_structure,
    round=build_round,
    previous_round=build_previous_round,
    returns=demo_channels.build_channel_returns,
    tallies=tallies,
)
