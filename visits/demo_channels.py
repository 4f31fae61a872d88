"""The demo's channel returns ("three channels", see visits/demo.py): every agency's half-yearly
returns, the previous year's second half (approved in January, so the form shows last period's
values) and this year's first half as it stood at the monthly returns' cut-off (31 July): mostly
approved, some awaiting review, a few sent back.

Flows are shared out over both returns (the article counts them "since last year"); stocks are set
on the first half (each agency's latest return) and drawn a little behind on the second half
before. Exact figures of the article (68 window agencies, 1,224 items cut to 320, ...) are hit
exactly; "N多" ones a little over. Written with `bulk_create`, so `period_end` is set here.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from outreach import demo_data as D
from outreach.demo import DemoContext
from outreach.demo.base import BATCH, OFFICER_USERNAME, aim, allocate, office_hours, reviewed_after, share_out, yuan
from visits.models import ChannelReturn

# Reference values of docs/domain.md §4: flows summed over both returns, stocks of the latest ones.
TARGETS = {
    "channel_opinions": 12_200,
    "channel_leader_instructions": 3_140,
    "channel_npc_motions": 790,
    "channel_cppcc_proposals": 910,
    "channel_requests": 7_440,
    "burden_reduced": 33_000_000,
    "licences": 189_000,
    "non_licences": 80_000,
    "model_windows": 3_000,
    "model_posts": 20_000,
    "pledged_members": 40_000,
}
# Figures the article gives exactly (not "N多"): agencies doing something, and the approval clean-up.
WINDOW_UNITS = 68
SERVICE_TRADES = 103
ITEMS_BEFORE, ITEMS_AFTER = 1_224, 320
TIME_LIMIT_KEPT = Decimal("0.488")  # the kept items' time limits were cut by 51.2 %
FEES_CANCELLED, FEES_CANCELLED_ENTERPRISE = 31, 5
CONVENIENCE_DEPTS, CONVENIENCE_WITH_CHIEF = 39, 146
UNSATISFIED = Decimal("0.0002")  # 99.98 % satisfied
APPROVAL_AGENCIES = 48  # agencies with administrative approval items
FEE_AGENCIES = 11  # agencies that cancelled fees
FULL_INVENTORY_SHARE = 0.92  # agencies whose latest return has every channel
CHANNEL_RETURNED = 4  # first-half returns sent back for correction
CHANNEL_SUBMITTED = 0.15  # share of the others still awaiting review at the cut-off

WINDOW_POOL = (
    "省地税局",
    "省国税局",
    "省工商局",
    "省质监局",
    "省公安厅",
    "省人力资源社会保障厅",
    "省住房城乡建设厅",
    "合肥海关",
    "安徽检验检疫局",
    "省食品药品监管局",
    "省立医院",
    "省电力公司",
)
FEE_POOL = ("省物价局", "省财政厅", "省发展改革委", "省住房城乡建设厅", "省交通运输厅", "省国土资源厅")
CLEANUP_ROUND = "第六轮省级行政审批项目清理"
CHANNEL_RETURN_COMMENTS = (
    "上半年满意度测评份数与窗口单位台账不一致，请核实后重新提交。",
    "行政审批事项清理前后项数与公布的清单不符，请核对后重新报送。",
    "民情民意征集条数明显偏多，请附台账说明后重新提交。",
    "减轻企业和群众负担金额填报有误（单位应为元），请更正后重新提交。",
    "便民服务项目与首席代表制项目数填反，请更正后重新提交。",
)
OPTIONAL_CHANNELS = ("has_suggestion_mailbox", "has_online_hall", "has_hotline")


def build_channel_returns(ctx: DemoContext) -> None:
    rng, cal = ctx.rng("channels"), ctx.cal
    agencies = ctx.agencies_by_code()
    users = ctx.user_ids()

    def period(agency, year, half):
        staff_id = users.get(f"staff-{agency.code.lower()}")
        row = ChannelReturn(
            agency_id=agency.pk,
            year=year,
            period_kind=ChannelReturn.PeriodKind.HALF_YEAR,
            half=half,
            created_by_id=staff_id,
            updated_by_id=staff_id,
        )
        row.period_end = row.compute_period_end()
        return row

    previous = [period(a, cal.year - 1, ChannelReturn.Half.SECOND) for a in agencies]
    current = [period(a, cal.year, ChannelReturn.Half.FIRST) for a in agencies]
    rows = previous + current
    holders = who_has_what(ctx, rng, agencies)
    size = {a.pk: rng.lognormvariate(0, 0.6) for a in agencies}
    set_stocks(rng, rows, current, holders, size)
    set_channels_and_earlier_stocks(rng, previous, current)
    set_flows(rng, cal.year, rows, holders, size)
    set_surveys(rng, rows)
    review(rng, cal.year, ctx.returns_cutoff, previous, current, users.get(OFFICER_USERNAME))
    ChannelReturn.objects.bulk_create(rows, batch_size=BATCH)
    ctx.log(
        f"  channel returns: {len(rows)} ({len(holders['window'])} window agencies, "
        f"{len(holders['approval'])} with approval items)"
    )


def who_has_what(ctx: DemoContext, rng, agencies) -> dict:
    """Service windows where agencies serve the public directly, approval items in the government
    departments and central units: {"window", "approval", "convenience", "fee_payers": agency ids}."""
    kind = {a.pk: D.AGENCY_KINDS[a.code] for a in agencies}
    serving = [a for a in agencies if kind[a.pk] in ("government", "central", "enterprise", "judicial")]
    window = {a.pk for a in ctx.pick_agencies(rng, WINDOW_UNITS, WINDOW_POOL, pool=serving)}
    approving = [a for a in agencies if kind[a.pk] in ("government", "central")]
    approval = ctx.pick_agencies(rng, APPROVAL_AGENCIES, FEE_POOL, pool=approving)
    convenience = {a.pk for a in rng.sample(approval, CONVENIENCE_DEPTS)}
    fee_payers = {a.pk for a in ctx.pick_agencies(rng, FEE_AGENCIES, FEE_POOL, pool=approval)}
    return {
        "window": window,
        "approval": {a.pk for a in approval},
        "convenience": convenience,
        "fee_payers": fee_payers,
    }


def set_stocks(rng, rows, current, holders, size) -> None:
    """Stocks at the end of the first half (the latest returns)."""
    for row in rows:
        row.is_window_unit = row.agency_id in holders["window"]
        for name in ChannelReturn.ZERO_STOCKS + ChannelReturn.APPROVAL_STOCKS:
            setattr(row, name, 0)
    win = [r for r in current if r.is_window_unit]
    win_size = [size[r.agency_id] * rng.lognormvariate(0, 0.4) for r in win]
    for name, total, minimum in (
        ("model_windows", aim(rng, TARGETS["model_windows"]), 3),
        ("model_posts", aim(rng, TARGETS["model_posts"]), 20),
        ("service_trades", SERVICE_TRADES, 1),
        ("pledged_members", aim(rng, TARGETS["pledged_members"]), 30),
    ):
        for row, value in zip(win, share_out(total, [w * rng.lognormvariate(0, 0.3) for w in win_size], minimum)):
            setattr(row, name, value)

    approving_rows = [r for r in current if r.agency_id in holders["approval"]]
    before = share_out(ITEMS_BEFORE, [rng.lognormvariate(0, 0.8) for _ in approving_rows], 3)
    after = allocate(ITEMS_AFTER, [b * rng.uniform(0.5, 1.5) for b in before])
    for row, b, a in zip(approving_rows, before, after):
        row.cleanup_round = CLEANUP_ROUND
        row.items_before, row.items_after = b, min(a, b)
        row.time_limit_before = round(row.items_after * rng.uniform(8, 30))
    # The kept items' time limits: cut by 51.2 % in all, more or less in each agency.
    limits = [r.time_limit_before for r in approving_rows]
    kept = allocate(round(sum(limits) * TIME_LIMIT_KEPT), [t * rng.uniform(0.7, 1.3) for t in limits])
    for row, limit, days in zip(approving_rows, limits, kept):
        row.time_limit_after = min(days, limit)
    chief = [r for r in approving_rows if r.agency_id in holders["convenience"]]
    for row, items in zip(chief, share_out(CONVENIENCE_WITH_CHIEF, [rng.lognormvariate(0, 0.6) for _ in chief])):
        row.convenience_items = row.convenience_with_chief = items  # all under a chief representative


def set_channels_and_earlier_stocks(rng, previous, current) -> None:
    """Channels: most agencies have all six, the others lack one or two (half a year earlier a few
    more lacked one). Stocks half a year earlier: fewer windows and pledges, the clean-up under way."""
    for last, now in zip(previous, current):
        lacking = (
            set() if rng.random() < FULL_INVENTORY_SHARE else set(rng.sample(OPTIONAL_CHANNELS, rng.randint(1, 2)))
        )
        for name in ChannelReturn.CHANNELS:
            setattr(now, name, name not in lacking)
        lacking_before = lacking | ({rng.choice(OPTIONAL_CHANNELS)} if rng.random() < 0.1 else set())
        for name in ChannelReturn.CHANNELS:
            setattr(last, name, name not in lacking_before)

        if now.is_window_unit:
            last.model_windows = round(now.model_windows * rng.uniform(0.8, 0.97))
            last.model_posts = round(now.model_posts * rng.uniform(0.8, 0.97))
            last.service_trades = max(1, now.service_trades - (rng.random() < 0.2))
            last.pledged_members = round(now.pledged_members * rng.uniform(0.75, 0.95))
        if now.items_before:
            last.cleanup_round = CLEANUP_ROUND
            last.items_before = now.items_before
            last.items_after = now.items_after + round((now.items_before - now.items_after) * rng.uniform(0.3, 0.7))
            last.time_limit_before = round(last.items_after * rng.uniform(8, 30))
            last.time_limit_after = round(last.time_limit_before * rng.uniform(0.65, 0.85))
        if now.convenience_items:
            last.convenience_items = max(1, now.convenience_items - (rng.random() < 0.3))
            last.convenience_with_chief = round(last.convenience_items * rng.uniform(0.4, 0.9))


def set_flows(rng, year, rows, holders, size) -> None:
    """Flows over both returns: the second half before weighs a little less."""
    approval, fee_payers = holders["approval"], holders["fee_payers"]

    def weights(selection, sigma=0.5):
        return [
            size[r.agency_id] * (0.45 if r.year < year else 0.55) * rng.lognormvariate(0, sigma)
            if selection(r)
            else 0.0
            for r in rows
        ]

    everyone = weights(lambda r: True)
    flows = {
        "opinions": share_out(aim(rng, TARGETS["channel_opinions"]), everyone, 5),
        "leader_instructions": allocate(aim(rng, TARGETS["channel_leader_instructions"]), weights(lambda r: True)),
        "npc_motions": allocate(aim(rng, TARGETS["channel_npc_motions"]), weights(lambda r: True, 1.0)),
        "cppcc_proposals": allocate(aim(rng, TARGETS["channel_cppcc_proposals"]), weights(lambda r: True, 1.0)),
        "requests": allocate(aim(rng, TARGETS["channel_requests"]), weights(lambda r: True)),
        "licences": allocate(aim(rng, TARGETS["licences"]), weights(lambda r: r.agency_id in approval, 1.2)),
        "non_licences": allocate(
            aim(rng, TARGETS["non_licences"]), weights(lambda r: r.agency_id in approval or r.is_window_unit, 1.0)
        ),
        "fees_cancelled": allocate(FEES_CANCELLED, weights(lambda r: r.agency_id in fee_payers and rng.random() < 0.7)),
    }
    fees = flows["fees_cancelled"]
    flows["fees_cancelled_enterprise"] = [
        min(n, f) for n, f in zip(allocate(FEES_CANCELLED_ENTERPRISE, [float(f) for f in fees]), fees)
    ]
    burden = allocate(aim(rng, TARGETS["burden_reduced"]) * 100, [f * rng.lognormvariate(0, 0.5) for f in fees])
    for name, values in flows.items():
        for row, value in zip(rows, values):
            setattr(row, name, value)
    for row, fen in zip(rows, burden):
        row.burden_reduced = yuan(fen)


def set_surveys(rng, rows) -> None:
    """Satisfaction surveys of the window agencies: 99.98 % satisfied."""
    responses = [int(rng.lognormvariate(math.log(1_500), 0.6)) + 200 if r.is_window_unit else 0 for r in rows]
    total = sum(responses)
    unsatisfied = allocate(
        int((total * UNSATISFIED).to_integral_value()),
        [n * rng.random() if rng.random() < 0.3 else 0.0 for n in responses],
    )
    for row, n, u in zip(rows, responses, unsatisfied):
        row.survey_responses, row.survey_satisfied = n, n - min(u, n)


def review(rng, year, cutoff, previous, current, officer_id) -> None:
    """The previous half approved in January; this half as at the cut-off."""
    Status = ChannelReturn.Status

    def reviewed(row, submitted_on, status, comment=""):
        row.status, row.comment = status, comment
        row.submitted_by_id = row.created_by_id
        row.submitted_at = office_hours(rng, submitted_on, cutoff)
        if status != Status.SUBMITTED:
            row.reviewed_by_id = officer_id
            row.reviewed_at = reviewed_after(rng, row.submitted_at, 6, cutoff)

    for row in previous:
        reviewed(row, datetime.date(year, 1, 2) + datetime.timedelta(days=rng.randint(0, 14)), Status.APPROVED)
    if cutoff <= current[0].period_end:  # the first half has not ended: its returns are not in
        return
    returned = {r.agency_id for r in rng.sample(current, CHANNEL_RETURNED)}
    for row in current:
        if row.agency_id in returned:
            reviewed(
                row,
                datetime.date(year, 7, 1) + datetime.timedelta(days=rng.randint(0, 9)),
                Status.RETURNED,
                rng.choice(CHANNEL_RETURN_COMMENTS),
            )
        elif rng.random() < CHANNEL_SUBMITTED:
            submitted_on = max(cutoff - datetime.timedelta(days=rng.randint(0, 12)), datetime.date(year, 7, 1))
            reviewed(row, submitted_on, Status.SUBMITTED)
        else:
            reviewed(row, datetime.date(year, 7, 1) + datetime.timedelta(days=rng.randint(0, 14)), Status.APPROVED)
