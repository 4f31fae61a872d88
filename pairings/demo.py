"""The pairings app's part of the demo province (see outreach.demo): the "1+2" pairings and, each
round, the contact points with their needy people and activities, and the pairings' joint
activities and support. Runs before the visits' part, which visits the round's contact points."""

from __future__ import annotations

import datetime
import math

from outreach.demo import DemoContext, DemoPart
from outreach.demo.base import (
    BATCH,
    FIELDWORK,
    FLAT,
    Season,
    aim,
    allocate,
    person_name,
    sparse_weights,
    weighted,
    yuan,
)
from outreach.models import PartyOrganisation
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)

# Reference values of DESIGN §4 that one activity round aims at.
TARGETS = {
    "contact_points": 820,
    "needy_paired": 720,
    "people_consoled": 7_800,
    "problems_solved": 6_600,
    "projects_planned": 320,
    "projects_supported": 400,
    "industries_assisted": 700,
    "funds": 80_000_000,
}

CONDOLENCE = Season((30, 22, 4, 3, 3, 4, 4, 3, 4, 4, 5, 14), 0.7)  # crowd around the Spring Festival

NEEDY_CATEGORIES = (
    (NeedyPerson.Category.SUBSISTENCE, 26),
    (NeedyPerson.Category.FIVE_GUARANTEES, 12),
    (NeedyPerson.Category.DISABLED, 14),
    (NeedyPerson.Category.SERIOUS_ILLNESS, 14),
    (NeedyPerson.Category.ELDERLY_ALONE, 12),
    (NeedyPerson.Category.LEFT_BEHIND_CHILD, 8),
    (NeedyPerson.Category.POOR_STUDENT, 9),
    (NeedyPerson.Category.OTHER, 5),
)

CP_KINDS = (
    (ContactPointActivity.Kind.RESEARCH, 22),
    (ContactPointActivity.Kind.VILLAGE_STAY, 18),
    (ContactPointActivity.Kind.CONDOLENCE, 38),
    (ContactPointActivity.Kind.RELIEF, 22),
)

# Chinese titles of joint activities (the choice labels are translated, these are data).
JOINT_TITLES = {
    JointActivity.Kind.JOINT_MEETING: ("结对共建联席会议", "年度共建工作联席会"),
    JointActivity.Kind.MUTUAL_VISIT: ("党员互访交流活动", "城乡党组织互访"),
    JointActivity.Kind.ORG_LIFE: ("共同过组织生活", "“七一”共同过组织生活"),
    JointActivity.Kind.CONDOLENCE: ("走访慰问困难党员群众", "节日慰问帮扶"),
    JointActivity.Kind.LIVELIHOOD: ("办理民生实事", "为民办实事项目"),
    JointActivity.Kind.OTHER: ("党员志愿服务", "政策宣讲进村入户", "共建文化活动"),
}
JOINT_SEASONS = {
    JointActivity.Kind.JOINT_MEETING: Season((6, 4, 16, 14, 9, 8, 7, 5, 8, 8, 7, 6), 0.1),
    JointActivity.Kind.MUTUAL_VISIT: FLAT,
    JointActivity.Kind.ORG_LIFE: Season((4, 3, 6, 7, 8, 17, 19, 6, 7, 8, 6, 5), 0.3),  # around 1 July
    JointActivity.Kind.CONDOLENCE: Season((22, 16, 4, 4, 4, 6, 5, 4, 6, 6, 6, 14), 0.5),
    JointActivity.Kind.LIVELIHOOD: FIELDWORK,
    JointActivity.Kind.OTHER: FLAT,
}

ACTIVITY_NOTES = (
    "走访慰问困难党员和低保户",
    "调研村集体经济发展情况",
    "协调解决农田水利设施建设资金",
    "帮助村党支部完善“三会一课”制度",
    "为村级组织活动场所捐赠办公设备",
    "组织农业技术人员开展种养殖技术培训",
    "协调修建村组道路，解决群众出行难",
    "开展党员冬春训，宣讲党的惠农政策",
    "帮助村里谋划特色种植产业项目",
    "对接农产品销路，帮助群众增收",
    "资助贫困家庭学生完成学业",
    "协调实施农村安全饮水工程",
    "开展义诊活动，送医送药下乡",
    "帮助建立村级便民服务代理点",
    "指导村务公开和民主管理工作",
    "排查化解矛盾纠纷和信访问题",
    "组织劳动力转移就业技能培训",
    "协调落实危房改造补助资金",
    "帮助留守儿童之家购置图书和文体器材",
    "与村“两委”班子座谈，研究年度帮扶计划",
    "结对帮扶困难户，制定一户一策脱贫措施",
    "协调电力部门改造农村低压电网",
)


def build_pairings(ctx: DemoContext) -> None:
    """The second half of the pairing structure: the "1+2" pairings of the directory's plan, since
    when, and which "ones" each misses (drawn from the ``structure`` stream after the plan)."""
    d, rng = ctx.d, ctx.rng("structure")
    pairings = []
    for agency, partner in d.pairing_plan:
        pairings.append(
            Pairing(
                agency_id=agency.pk,
                committee_id=d.committees[agency.pk].pk,
                partner_id=partner.pk,
                start_date=ctx.cal.start_date(rng, share_previous=0.55),
            )
        )
        pairings[-1].partner_kind_ = partner.kind
    Pairing.objects.bulk_create(pairings, batch_size=BATCH)
    villages = sum(partner.kind == PartyOrganisation.Kind.VILLAGE for _agency, partner in d.pairing_plan)
    ctx.log(f"  pairings: {len(pairings)} ({villages} village organisations)")

    # Who lags behind is part of the structure, so that the compliance lists stay
    # interesting at every scale: a pairing misses the same "ones" in every round.
    for pairing in pairings:
        miss = weighted(rng, ((0, 78), (1, 15), (2, 7)))
        pairing.missing_ = set(rng.sample(list(JointActivity.FIVE_ONES), miss))
    ctx.state["pairings"] = pairings


def build_round(ctx: DemoContext, round_no: int) -> None:
    """One round's contact points (left in ``ctx.state["contact_points"]`` for the visits), needy
    people, contact-point activities, and the pairings' activities and support."""
    rng, keep_rng = ctx.rng(f"activity:{round_no}"), ctx.rng(f"fraction:{round_no}")
    cps = contact_points(ctx, rng, keep_rng)
    needy_people(ctx, rng, cps)
    contact_point_activities(ctx, rng, cps)
    joint_work(ctx, rng, keep_rng, ctx.state["pairings"])
    ctx.state["contact_points"] = cps


def build_previous_round(ctx: DemoContext, round_no: int) -> None:
    """The year before: contact-point activities, joint activities and support come only from the
    contact points and pairings begun by the end of that year (so within their spans), with sums
    in proportion. No contact points or needy people are added: they are standing things."""
    prev = ctx.previous_cal
    cps, pairings = ctx.state["contact_points"], ctx.state["pairings"]
    begun = [cp for cp in cps if cp.start_date <= prev.last]
    begun_pairings = [p for p in pairings if p.start_date <= prev.last]
    rng, keep_rng = ctx.rng(f"previous:activity:{round_no}"), ctx.rng(f"previous:fraction:{round_no}")
    with ctx.level(prev, volume=len(begun) / max(1, len(cps))):
        contact_point_activities(ctx, rng, begun)
    with ctx.level(prev, volume=len(begun_pairings) / max(1, len(pairings))):
        joint_work(ctx, rng, keep_rng, begun_pairings)


def contact_points(ctx: DemoContext, rng, keep_rng) -> list:
    d, cal = ctx.d, ctx.cal
    holders = [
        o for a in d.cp_agencies for group in ("leadership", "department_other") for o in d.officials[a.pk][group]
    ]
    extra = max(0, aim(rng, TARGETS["contact_points"]) - len(holders))
    owners = holders + rng.sample(holders, min(extra, len(holders)))
    points = []
    for official in owners:
        county = d.home_county[official.agency_id]
        villages = d.poor_by_county.get(county.pk) or d.poor_by_city[county.city_id]
        if rng.random() < 0.2:  # now and then elsewhere in the city
            villages = d.poor_by_city[county.city_id]
        start = cal.start_date(rng, share_previous=0.3)
        end = cal.end_date(rng, start, 0.04)  # a few ended during the year
        cp = ContactPoint(
            agency_id=official.agency_id,
            official_id=official.pk,
            village=rng.choice(villages),
            start_date=start,
            end_date=end,
            note="",
        )
        if ctx.keep(keep_rng):
            points.append(cp)
    ContactPoint.objects.bulk_create(points, batch_size=BATCH)
    return points


def needy_people(ctx: DemoContext, rng, cps) -> None:
    if not cps:
        return
    n = round(aim(rng, TARGETS["needy_paired"]) * ctx.fraction)
    chosen = rng.sample(cps, min(n, len(cps))) + rng.choices(cps, k=max(0, n - len(cps)))
    people = [
        NeedyPerson(
            agency_id=cp.agency_id,
            name=person_name(rng),
            village_id=cp.village.pk,
            category=weighted(rng, NEEDY_CATEGORIES),
        )
        for cp in chosen
    ]
    NeedyPerson.objects.bulk_create(people, batch_size=BATCH)
    pairings = []
    for cp, person in zip(chosen, people):
        start = min(cp.start_date + datetime.timedelta(days=rng.randint(0, 45)), ctx.cal.last)
        pairings.append(
            NeedyPairing(
                agency_id=cp.agency_id,
                needy_person_id=person.pk,
                official_id=cp.official_id,
                start_date=start,
                end_date=cp.end_date,
            )
        )
    NeedyPairing.objects.bulk_create(pairings, batch_size=BATCH)


K = ContactPointActivity.Kind
# kind -> (share of activities with any, relative size)
CONSOLED_WEIGHTS = {K.CONDOLENCE: (1.0, 3.0), K.RELIEF: (0.5, 1.0), K.VILLAGE_STAY: (0.3, 0.6), K.RESEARCH: (0.1, 0.5)}
SOLVED_WEIGHTS = {K.RELIEF: (0.9, 3.0), K.VILLAGE_STAY: (0.8, 2.0), K.RESEARCH: (0.7, 1.5), K.CONDOLENCE: (0.3, 0.6)}


def contact_point_activities(ctx: DemoContext, rng, cps) -> None:
    cal = ctx.cal
    rows = []
    for cp in cps:
        lo = max(cp.start_date, cal.first)
        hi = min(cp.end_date or cal.last, cal.last)
        for _ in range(weighted(rng, zip((3, 4, 5, 6, 7), (15, 25, 25, 20, 15)))):
            kind = weighted(rng, CP_KINDS)
            rows.append(
                ContactPointActivity(
                    agency_id=cp.agency_id,
                    contact_point_id=cp.pk,
                    kind=kind,
                    date=cal.pick(rng, CONDOLENCE if kind == K.CONDOLENCE else FIELDWORK, lo, hi),
                    note=rng.choice(ACTIVITY_NOTES),
                )
            )

    def weights(table):
        return [table[r.kind][1] * rng.lognormvariate(0, 0.6) if rng.random() < table[r.kind][0] else 0.0 for r in rows]

    scale = len(rows) and ctx.fraction
    consoled = allocate(round(ctx.aim(rng, TARGETS["people_consoled"]) * scale), weights(CONSOLED_WEIGHTS))
    solved = allocate(round(ctx.aim(rng, TARGETS["problems_solved"]) * scale), weights(SOLVED_WEIGHTS))
    for row, c, s in zip(rows, consoled, solved):
        row.people_consoled, row.problems_solved = c, s
        if row.kind == K.CONDOLENCE:
            fen = c * rng.randint(200, 800) * 100
        elif row.kind == K.RELIEF:
            fen = int(rng.lognormvariate(math.log(30_000), 0.9)) * 100
        elif row.kind == K.VILLAGE_STAY and rng.random() < 0.3:
            fen = rng.randint(1_000, 20_000) * 100
        else:
            fen = 0
        row.money = yuan(fen)
    ContactPointActivity.objects.bulk_create(rows, batch_size=BATCH)


def joint_work(ctx: DemoContext, rng, keep_rng, pairings) -> None:
    """The pairings' activities and support.

    Most pairings hold all five "ones", so a round has ≈ 1,900 joint activities for
    ≈ 380 pairings: more than the article's 610+, which cannot hold five each for
    275 village and ≈ 100 community partners. The compliance shape wins here.
    """
    cal = ctx.cal
    activities, supports = [], []
    for pairing in pairings:
        lo = max(pairing.start_date, cal.first)
        kinds = [kind for kind in JointActivity.FIVE_ONES if kind not in pairing.missing_]
        if rng.random() < 0.25:
            kinds.append(JointActivity.Kind.OTHER)
        for kind in kinds:
            act = JointActivity(
                agency_id=pairing.agency_id,
                pairing_id=pairing.pk,
                kind=kind,
                date=cal.pick(rng, JOINT_SEASONS[kind], lo, cal.last),
                title=rng.choice(JOINT_TITLES[kind]),
                participants=rng.randint(8, 60),
            )
            if ctx.keep(keep_rng):
                activities.append(act)
        village = pairing.partner_kind_ == PartyOrganisation.Kind.VILLAGE
        n = weighted(rng, ((0, 10), (1, 70), (2, 20))) if village else weighted(rng, ((0, 55), (1, 45)))
        for _ in range(n):
            supports.append(
                Support(
                    agency_id=pairing.agency_id,
                    pairing_id=pairing.pk,
                    date=cal.pick(rng, FIELDWORK, lo, cal.last),
                    note=rng.choice(ACTIVITY_NOTES),
                )
            )
    n = len(supports)
    planned = allocate(ctx.aim(rng, TARGETS["projects_planned"]), sparse_weights(rng, n, 0.8))
    supported = allocate(ctx.aim(rng, TARGETS["projects_supported"]), sparse_weights(rng, n, 0.85))
    industries = allocate(ctx.aim(rng, TARGETS["industries_assisted"]), sparse_weights(rng, n, 0.9))
    funds = allocate(ctx.aim(rng, TARGETS["funds"]) * 100, sparse_weights(rng, n, 0.95, sigma=1.0))
    kept = []
    for s, p, q, i, f in zip(supports, planned, supported, industries, funds):
        s.projects_planned, s.projects_supported, s.industries_assisted, s.funds = p, q, i, yuan(f)
        if ctx.keep(keep_rng):
            kept.append(s)
    JointActivity.objects.bulk_create(activities, batch_size=BATCH)
    Support.objects.bulk_create(kept, batch_size=BATCH)


DEMO = DemoPart(
    name="pairings",
    order=20,
    models=(ContactPoint, NeedyPerson, NeedyPairing, ContactPointActivity, Pairing, JointActivity, Support),
    dated={ContactPointActivity: "date__year", JointActivity: "date__year", Support: "date__year"},
    structure=build_pairings,
    round=build_round,
    previous_round=build_previous_round,
)
