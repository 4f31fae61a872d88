"""Completeness and timeliness (reporting rates): the one home of the rules (docs/indicators.md,
"Completeness and timeliness").

Periods. A campaign year has 14 reporting periods: the twelve monthly returns (`PeriodReturn`, one per
agency and month, key "2014-06") and the two half-yearly channel returns (`visits.ChannelReturn`, key
"2014-H1"/"2014-H2"; a yearly return, period_kind "year", stands for the second half). Their due
dates are the year's settings (`CampaignYear.objects.settings_for(year)`: `month_due(m)`, `half_due(h)`).

Deadline. A return is due at the end of its due day in settings.TIME_ZONE (Asia/Shanghai): submitted
at or before 23:59:59 local time of the due day is on time, a minute later is late.

Status of an agency's period (`Status`):
- approved → ON_TIME or LATE, by its submitted_at;
- submitted → AWAITING (awaiting review; `Cell.on_time` still says whether it came in on time);
- returned (sent back, not resubmitted) → RETURNED; a resubmission takes the new submitted_at;
- nothing submitted (no return, a draft, or a withdrawn one) → MISSING if the as-of date is after the
  due day, else NOT_DUE (due today is not yet missing).
The grid reads the returns as they stand now, except that a submission made after the as-of date
does not count yet (the return reads as not submitted: missing or not yet due). A return in with no
submission time recorded (loaded in bulk) counts as submitted, not on time (approved: LATE).

Who is expected. Every active agency (`Agency.is_active`), for every month. For the channel returns,
every active agency from the first half-year any agency filed a channel return (the collection's start:
in the demo, 2013's second half); a half-year before it was not collected and is left out of the grid,
the rates and the reminders.

Rates, per period and for the year: expected = the cells whose due day is on or before the as-of date,
plus any submitted early; submitted_rate = (awaiting + on time + late) ÷ expected; on_time_rate =
(those submitted on time) ÷ expected, as percentages with two decimals (`outreach.rates.percent`).

Queries: a fixed four, whatever the number of agencies: the year's settings, the agencies, the year's
monthly returns, the year's channel returns (with the collection's first return).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, CampaignYear, PeriodReturn, ReviewStatus, period_label
from outreach.rates import percent
from visits.models import ChannelReturn


class Status(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    AWAITING = "awaiting", _("Awaiting review")
    RETURNED = "returned", _("Sent back")
    MISSING = "missing", _("Missing")
    NOT_DUE = "not_due", _("Not yet due")


#: statuses of a return that is in (counted as submitted)
SUBMITTED = (Status.AWAITING, Status.ON_TIME, Status.LATE)
#: statuses that want the agency's attention (worst first ordering)
OVERDUE = (Status.MISSING, Status.RETURNED)

MONTH, HALF = "month", "half"
YEAR_KEY = "year"
_KEY = re.compile(r"^(\d{4})-(?:(\d{2})|H([12]))$")


@dataclass(frozen=True)
class Period:
    key: str
    kind: str  # MONTH | HALF
    year: int
    number: int  # month 1–12 or half 1–2
    due: datetime.date
    label: str

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.number if self.kind == MONTH else 6 * self.number - 5, 1)

    @property
    def last_day(self) -> datetime.date:
        last_month = self.number if self.kind == MONTH else 6 * self.number
        if last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, last_month + 1, 1) - datetime.timedelta(days=1)


def _half_label(year: int, half: int) -> str:
    return _("%(year)s %(half)s") % {"year": year, "half": ChannelReturn.Half(half).label}


def _periods(settings_row: CampaignYear) -> list[Period]:
    year = settings_row.year
    months = [
        Period(f"{year}-{m:02d}", MONTH, year, m, settings_row.month_due(m), period_label(datetime.date(year, m, 1)))
        for m in range(1, 13)
    ]
    halves = [Period(f"{year}-H{h}", HALF, year, h, settings_row.half_due(h), _half_label(year, h)) for h in (1, 2)]
    return months + halves


def periods_of(year: int) -> list[Period]:
    """The year's 12 months and 2 half-years, due as the year's settings say (one query)."""
    return _periods(CampaignYear.objects.settings_for(year))


def period_by_key(key: str) -> Period | None:
    """The period of a key ("2014-06", "2014-H1"); None if malformed or out of range."""
    match = _KEY.match(key or "")
    if not match:
        return None
    year = int(match[1])
    if not 2000 <= year <= 2100:
        return None
    month, half = match[2], match[3]
    if month and not 1 <= int(month) <= 12:
        return None
    settings_row = CampaignYear.objects.settings_for(year)
    if month:
        number = int(month)
        return Period(
            key, MONTH, year, number, settings_row.month_due(number), period_label(datetime.date(year, number, 1))
        )
    number = int(half)
    return Period(key, HALF, year, number, settings_row.half_due(number), _half_label(year, number))


def end_of_due_day(due: datetime.date) -> datetime.datetime:
    """The first instant after the due day, in the site's time zone: submitted before it is on time."""
    tz = timezone.get_default_timezone() if settings.USE_TZ else None
    moment = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(moment, tz) if tz else moment


@dataclass
class Cell:
    status: str
    submitted_at: datetime.datetime | None
    due: datetime.date
    on_time: bool | None

    @property
    def submitted(self) -> bool:
        return self.status in SUBMITTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def cell_of(
    review_status: str | None,
    submitted_at,
    due: datetime.date,
    as_of: datetime.date,
    *,
    due_end: datetime.datetime | None = None,
    as_of_end: datetime.datetime | None = None,
) -> Cell:
    """The status rule for one agency and period, from its return's review status and submission time
    (`due_end`, `as_of_end`: the ends of those days, `end_of_due_day()`, when the caller has them)."""
    if submitted_at is not None and submitted_at >= (as_of_end or end_of_due_day(as_of)):
        review_status, submitted_at = None, None  # submitted after the as-of date: not in yet
    on_time = None if submitted_at is None else submitted_at < (due_end or end_of_due_day(due))
    if review_status == ReviewStatus.APPROVED:  # with no submission time recorded: not known to be on time
        return Cell(Status.ON_TIME if on_time else Status.LATE, submitted_at, due, on_time)
    if review_status == ReviewStatus.SUBMITTED:
        return Cell(Status.AWAITING, submitted_at, due, on_time)
    if review_status == ReviewStatus.RETURNED:
        return Cell(Status.RETURNED, submitted_at, due, None)
    return Cell(Status.MISSING if as_of > due else Status.NOT_DUE, None, due, None)


@dataclass
class Rate:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0

    def add(self, cell: Cell, as_of: datetime.date) -> None:
        """Count a cell: expected when due by the as-of date or submitted early."""
        submitted = cell.status in SUBMITTED
        if submitted or cell.due <= as_of:
            self.count(submitted, bool(cell.on_time))

    def count(self, submitted: bool, on_time: bool) -> None:
        """Count an expected cell."""
        self.expected += 1
        if submitted:
            self.submitted += 1
            if on_time:
                self.on_time += 1

    @property
    def submitted_rate(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected)

    def as_dict(self) -> dict:
        return {
            "expected": self.expected,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "submitted_rate": self.submitted_rate,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Row:
    agency: Agency
    cells: dict[str, Cell]
    rate: Rate = field(default_factory=Rate)

    def count(self, *statuses) -> int:
        return sum(1 for cell in self.cells.values() if cell.status in statuses)

    @property
    def missing(self) -> int:
        return self.count(Status.MISSING)

    @property
    def returned(self) -> int:
        return self.count(Status.RETURNED)

    @property
    def overdue(self) -> int:
        return self.count(*OVERDUE)

    def overdue_periods(self, periods: list[Period]) -> list[Period]:
        return [p for p in periods if self.cells[p.key].status in OVERDUE]


@dataclass
class Completeness:
    year: int
    as_of: datetime.date
    periods: list[Period]
    rows: list[Row]
    rates: dict[str, Rate]

    def worst(self) -> list[Row]:
        """The agencies by missing + sent-back periods, most first (then most missing, then by code)."""
        return sorted(self.rows, key=lambda row: (-row.overdue, -row.missing, row.agency.code))

    def sorted_by(self, sort: str) -> list[Row]:
        """Rows sorted by "code" (default), "rate" (submitted rate, lowest first) or "missing" (worst first)."""
        if sort == "rate":
            return sorted(
                self.rows, key=lambda r: (r.rate.submitted_rate is None, r.rate.submitted_rate or 0, r.agency.code)
            )
        if sort == "missing":
            return self.worst()
        return sorted(self.rows, key=lambda row: row.agency.code)


def _agencies(agencies) -> list[Agency]:
    queryset = Agency.objects.all() if agencies is None else agencies
    return list(queryset.filter(is_active=True).order_by("code"))


def _month_returns(year: int, agency_ids) -> dict[tuple[int, int], tuple[str, datetime.datetime | None]]:
    rows = PeriodReturn.objects.filter(year=year, agency_id__in=agency_ids).values_list(
        "agency_id", "month", "status", "submitted_at"
    )
    return {(agency_id, month): (status, at) for agency_id, month, status, at in rows.order_by()}


_RANK = {ReviewStatus.APPROVED: 3, ReviewStatus.SUBMITTED: 2, ReviewStatus.RETURNED: 1, ReviewStatus.OPEN: 0}


def _channel_returns(year: int, agency_ids) -> tuple[dict, datetime.date | None]:
    """{(agency id, half): (status, submitted_at)} of the year, and the period end of the first channel
    return ever filed (the collection's start), in one query. A yearly return stands for the second half;
    of two returns for one half the furthest in review wins (a half-year one on a tie)."""
    first = ChannelReturn.objects.order_by("period_end", "pk").values("pk")[:1]
    rows = (
        ChannelReturn.objects.filter(Q(year=year, agency_id__in=agency_ids) | Q(pk=Subquery(first)))
        .order_by()
        .values_list("agency_id", "year", "period_kind", "half", "status", "submitted_at", "period_end")
    )
    found: dict = {}
    start = None
    for agency_id, row_year, kind, half, status, at, period_end in rows:
        start = period_end if start is None else min(start, period_end)
        if row_year != year or agency_id not in agency_ids:
            continue
        number = half if kind == ChannelReturn.PeriodKind.HALF_YEAR else 2
        rank = (_RANK.get(status, 0), kind == ChannelReturn.PeriodKind.HALF_YEAR)
        held = found.get((agency_id, number))
        if held is None or rank > held[0]:
            found[(agency_id, number)] = (rank, status, at)
    return {key: (status, at) for key, (_rank, status, at) in found.items()}, start


def _collected(period: Period, start: datetime.date | None) -> bool:
    """A month always is; a half-year from the first one any agency filed a channel return for."""
    return period.kind == MONTH or (start is not None and period.last_day >= start)


def completeness(*, year: int, as_of: datetime.date, agencies=None) -> Completeness:
    """Every expected agency's status per period of `year` as of `as_of`, and the rates (four queries)."""
    settings_row = CampaignYear.objects.settings_for(year)
    agency_list = _agencies(agencies)
    ids = {agency.pk for agency in agency_list}
    months = _month_returns(year, ids)
    halves, start = _channel_returns(year, ids)
    periods = [p for p in _periods(settings_row) if _collected(p, start)]
    rates = {p.key: Rate() for p in periods}
    rates[YEAR_KEY] = Rate()
    as_of_end, year_rate = end_of_due_day(as_of), rates[YEAR_KEY]
    ends = [(period, months if period.kind == MONTH else halves, end_of_due_day(period.due)) for period in periods]
    rows = []
    for agency in agency_list:
        row = Row(agency, {})
        for period, source, due_end in ends:
            status, submitted_at = source.get((agency.pk, period.number), (None, None))
            cell = cell_of(status, submitted_at, period.due, as_of, due_end=due_end, as_of_end=as_of_end)
            row.cells[period.key] = cell
            submitted = cell.status in SUBMITTED
            if submitted or period.due <= as_of:  # expected (Rate.add, once for the three rates)
                on_time = bool(cell.on_time)
                row.rate.count(submitted, on_time)
                rates[period.key].count(submitted, on_time)
                year_rate.count(submitted, on_time)
        rows.append(row)
    return Completeness(year=year, as_of=as_of, periods=periods, rows=rows, rates=rates)


def unsubmitted(period: Period, *, as_of: datetime.date, agencies=None) -> list[Agency]:
    """The expected agencies that have not submitted `period`: no return, a draft or withdrawn one, or one
    sent back and not resubmitted: those a reminder may go to, by code. Read as the returns stand now
    (whatever `as_of`), so never an agency whose return is submitted or approved; a half-year before the
    channel returns' collection began has none. `as_of` is the day asked about (the rule's signature)."""
    agency_list = _agencies(agencies)
    ids = {agency.pk for agency in agency_list}
    if period.kind == MONTH:
        source = _month_returns(period.year, ids)
    else:
        source, start = _channel_returns(period.year, ids)
        if not _collected(period, start):
            return []
    waiting = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
    return [a for a in agency_list if source.get((a.pk, period.number), (None, None))[0] not in waiting]
