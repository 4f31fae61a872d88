"""The demo's contact points (see pairings/demo.py): each round the contact points of the
contact-point agencies' leaders in poor villages, the needy people paired with them, and the
contact points' activities."""

from __future__ import annotations

import datetime
import math

from outreach.demo import DemoContext
from outreach.demo.base import BATCH, FIELDWORK, Season, aim, allocate, person_name, weighted, yuan
from pairings.models import ContactPoint, ContactPointActivity, NeedyPairing, NeedyPerson

MODELS = (ContactPoint, NeedyPerson, NeedyPairing, ContactPointActivity)

# Reference values of docs/domain.md §4 that one activity round aims at.
TARGETS = {
    "contact_points": 820,
    "needy_paired": 720,
    "people_consoled": 7_800,
    "problems_solved": 6_600,
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
