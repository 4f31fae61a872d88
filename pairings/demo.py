"""The pairings app's part of the demo province (see outreach.demo): the "1+2" pairings and, each
round, the contact points (pairings/demo_contact_points.py) and the pairings' joint activities and
support. Runs before the visits' part, which visits the round's contact points."""

from __future__ import annotations

from outreach.demo import DemoContext, DemoPart
from outreach.demo.base import BATCH, FIELDWORK, FLAT, Season, allocate, sparse_weights, weighted, yuan
from outreach.models import PartyOrganisation
from pairings import demo_contact_points
from pairings.demo_contact_points import ACTIVITY_NOTES, contact_point_activities, contact_points, needy_people
from pairings.models import ContactPointActivity, JointActivity, Pairing, Support

# Reference values of docs/domain.md §4 that one activity round aims at.
TARGETS = {
    "projects_planned": 320,
    "projects_supported": 400,
    "industries_assisted": 700,
    "funds": 80_000_000,
}

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
    models=(*demo_contact_points.MODELS, Pairing, JointActivity, Support),
    dated={ContactPointActivity: "date__year", JointActivity: "date__year", Support: "date__year"},
    structure=build_pairings,
    round=build_round,
    previous_round=build_previous_round,
)
