"""The outreach app's part of the demo: the monthly returns and the officer's period locks."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from outreach.demo.base import BATCH, OFFICER_USERNAME, month_end, office_hours, reviewed_after
from outreach.demo.context import DemoContext, DemoPart
from outreach.models import PeriodLock, PeriodReturn

RETURNED_AGENCIES = 5  # agencies with a month sent back for correction
NON_REPORTING_AGENCIES = 6  # agencies that never submitted some months
CUTOFF_MONTH_SUBMITTED = 0.85  # share of the other agencies that have submitted July
# Officers' comments on returned months (data, not interface text: {month} is the month's number).
RETURN_COMMENTS = (
    "{month}月走访记录中住村天数与起止日期不符，请核实后重新提交。",
    "{month}月联系点活动慰问人数与工作台账不一致，请核对后重新报送。",
    "{month}月“1+2”结对共建活动缺少联席会议记录，请补录后重新提交。",
    "{month}月帮扶资金金额填报有误（单位应为元），请更正后重新提交。",
    "{month}月走访户数明显偏多，请附走访台账说明情况后重新提交。",
    "{month}月部分走访记录未填写走访地点，请补充完整后重新提交。",
)


def build_all_returns(ctx: DemoContext) -> None:
    build_returns(ctx, ctx.rng("returns"))
    if ctx.previous_year:
        build_previous_returns(ctx, ctx.rng("previous:returns"))


def build_returns(ctx: DemoContext, rng) -> None:
    """The monthly returns as they stood at the article's cut-off, and the officer's lock up to May.

    Months before the cut-off's month have been reviewed: most approved, a few
    returned with a comment, a few never submitted (the non-reporters). The
    cut-off's month is mostly submitted and awaiting review. Timestamps follow
    the calendar: a month is submitted in the first working days of the next,
    reviewed a few days later, and the first half-year is locked once reviewed.
    Like the records, the returns are written with `bulk_create`: no history rows,
    and no period checks (the records were entered before their months closed).
    """
    cal, cutoff = ctx.cal, ctx.returns_cutoff
    reviewed = list(range(1, cutoff.month))
    agencies = ctx.agencies_by_code()
    users = ctx.user_ids()
    officer_id = users.get(OFFICER_USERNAME)

    missing, returned = laggards(rng, agencies, reviewed)
    rows = []
    for agency in agencies:
        staff_id = users.get(f"staff-{agency.code.lower()}")
        for month in range(1, cutoff.month + 1):
            if month in missing.get(agency.pk, ()):
                continue
            row = PeriodReturn(agency_id=agency.pk, year=cal.year, month=month, submitted_by_id=staff_id)
            if month == cutoff.month:
                # The cut-off's month: most have submitted in its last days; the non-reporters have not.
                if agency.pk in missing or rng.random() >= CUTOFF_MONTH_SUBMITTED:
                    continue
                row.status = PeriodReturn.Status.SUBMITTED
                row.submitted_at = office_hours(
                    rng,
                    max(cutoff - datetime.timedelta(days=rng.randint(0, 6)), datetime.date(cal.year, month, 1)),
                    cutoff,
                )
            else:
                submitted_on = datetime.date(cal.year, month + 1, 1) + datetime.timedelta(days=rng.randint(0, 6))
                row.submitted_at = office_hours(rng, submitted_on, cutoff)
                row.reviewed_at = reviewed_after(rng, row.submitted_at, 5, cutoff)
                row.reviewed_by_id = officer_id
                if returned.get(agency.pk, (None,))[0] == month:
                    row.status, row.comment = PeriodReturn.Status.RETURNED, returned[agency.pk][1]
                else:
                    row.status = PeriodReturn.Status.APPROVED
            rows.append(row)
    PeriodReturn.objects.bulk_create(rows, batch_size=BATCH)

    # Locked up to the end of the month before the last reviewed one, so that months returned
    # for correction stay open.
    if len(reviewed) >= 2:
        # Locked the working day after the last review of the locked months.
        last_review = max(
            (r.reviewed_at for r in rows if r.reviewed_at and r.month <= reviewed[-2]),
            default=timezone.make_aware(datetime.datetime(cal.year, reviewed[-1], 1, 9)),
        )
        lock(rng, cal.year, month_end(cal.year, reviewed[-2]), officer_id, last_review, cutoff)
    ctx.log(
        f"  monthly returns: {len(rows)} up to {cutoff}; returned {len(returned)}, "
        f"non-reporting agencies {len(missing)}"
    )


def laggards(rng, agencies, reviewed: list[int]) -> tuple[dict, dict]:
    """The agencies that never submitted some reviewed months ({agency id: months}) and those whose
    last reviewed month was returned for correction ({agency id: (month, the officer's comment)}),
    which the lock does not cover."""
    picked = rng.sample(agencies, NON_REPORTING_AGENCIES + RETURNED_AGENCIES) if reviewed else []
    missing = {
        agency.pk: set(rng.sample(reviewed, min(len(reviewed), rng.randint(1, 3))))
        for agency in picked[:NON_REPORTING_AGENCIES]
    }
    returned = {}
    for agency in picked[NON_REPORTING_AGENCIES:]:
        month = reviewed[-1]
        returned[agency.pk] = (month, rng.choice(RETURN_COMMENTS).format(month=month))
    return missing, returned


def lock(rng, year, up_to, officer_id, last_review, cutoff) -> None:
    """The officer's lock of `year` up to `up_to`, the working day after the last review."""
    locked_at = office_hours(rng, timezone.localtime(last_review).date() + datetime.timedelta(days=1), cutoff)
    period_lock = PeriodLock(year=year, month=None, up_to=up_to, locked_by_id=officer_id)
    PeriodLock.objects.bulk_create([period_lock])
    PeriodLock.objects.filter(pk=period_lock.pk).update(locked_at=locked_at)  # auto_now_add set "now"


def build_previous_returns(ctx: DemoContext, rng) -> None:
    """The year before the campaign, closed: every agency's twelve months approved, each submitted
    in the first working days of the next month and reviewed a few days later, and the whole year
    locked once its last month was reviewed (so nothing of it can be edited)."""
    prev, cutoff = ctx.previous_cal, ctx.returns_cutoff
    users = ctx.user_ids()
    officer_id = users.get(OFFICER_USERNAME)
    rows = []
    for agency in ctx.agencies_by_code():
        for month in range(1, 13):
            submitted_on = month_end(prev.year, month) + datetime.timedelta(days=1 + rng.randint(0, 6))
            submitted_at = office_hours(rng, submitted_on, cutoff)
            rows.append(
                PeriodReturn(
                    agency_id=agency.pk,
                    year=prev.year,
                    month=month,
                    status=PeriodReturn.Status.APPROVED,
                    submitted_by_id=users.get(f"staff-{agency.code.lower()}"),
                    submitted_at=submitted_at,
                    reviewed_by_id=officer_id,
                    reviewed_at=reviewed_after(rng, submitted_at, 5, cutoff),
                )
            )
    PeriodReturn.objects.bulk_create(rows, batch_size=BATCH)
    lock(rng, prev.year, prev.last, officer_id, max(r.reviewed_at for r in rows), cutoff)
    ctx.log(f"  previous year's monthly returns: {len(rows)}, all approved; the year locked")


def tallies(year: int) -> dict:
    returns = dict(PeriodReturn.objects.filter(year=year).order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "Monthly returns": {status: returns.get(status, 0) for status in PeriodReturn.Status.values if status != "open"}
    }


DEMO = DemoPart(
    name="outreach",
    order=10,
    models=(PeriodReturn, PeriodLock),
    dated={PeriodReturn: "year", PeriodLock: "year"},
    returns=build_all_returns,
    tallies=tallies,
)
