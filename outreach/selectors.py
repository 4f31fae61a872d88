"""Read logic of the monthly-return workflow: months, their statuses, locks and record counts.

Each selector runs a fixed number of queries whatever the number of agencies,
months or records (the pages that use them pin their query counts in tests):
statuses come from one query on returns, locks from one query on locks, record
counts from one UNION ALL of per-model grouped counts.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, IntegerField, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, PeriodLock, PeriodReturn

Status = PeriodReturn.Status


def record_models() -> list:
    """Every concrete field-work record model (subclasses of AgencyRecord)."""
    from outreach.models import AgencyRecord

    return [m for m in apps.get_models() if issubclass(m, AgencyRecord)]


def dated_record_models() -> list:
    """Record models that fall in a month of their own and are reviewed through the monthly
    returns (a person has no month; a visit's outcome follows its visit; a channel return is
    reviewed on its own)."""
    return [m for m in record_models() if m.period_date_field and "__" not in m.period_date_field and m.monthly_review]


def months_begun(year: int, today: datetime.date) -> list[int]:
    """The months of `year` that have begun by `today`: the ones that can be submitted."""
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month + 1))
    return []


def month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


# --- locks -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthLock:
    """The lock a month falls under; `until` is set when a year lock covers only part of it."""

    lock: PeriodLock
    until: datetime.date | None = None

    @property
    def is_partial(self) -> bool:
        return self.until is not None


def active_locks(year: int) -> list[PeriodLock]:
    """The year's active locks (one query)."""
    return list(PeriodLock.objects.active().filter(year=year).select_related("locked_by"))


def month_locks(locks, year: int) -> dict[int, MonthLock]:
    """Month → the lock covering it, from the year's active locks (no query).

    A month lock covers its whole month; a year lock covers every day up to its
    as-of date, so the month holding that date is only partly locked.
    """
    states: dict[int, MonthLock] = {}
    for lock in locks:
        if lock.year != year or not lock.is_active:
            continue
        if lock.month:
            states[lock.month] = MonthLock(lock)
            continue
        for month in range(1, lock.up_to.month + 1):
            end = month_end(year, month)
            state = MonthLock(lock, until=None if lock.up_to >= end else lock.up_to)
            current = states.get(month)
            if current is None or (current.is_partial and (not state.is_partial or state.until > current.until)):
                states[month] = state
    return states


def lock_history():
    """Every lock, newest first, with who locked and unlocked it (one query)."""
    return PeriodLock.objects.select_related("locked_by", "unlocked_by").order_by("-locked_at", "-pk")


# --- one agency's months ------------------------------------------------------------------


@dataclass
class MonthRow:
    """One month of one agency: its return's status, lock, record count and what may be done."""

    year: int
    month: int
    status: str = Status.OPEN
    period_return: PeriodReturn | None = None
    lock: MonthLock | None = None
    records: int | None = None
    is_current: bool = False
    #: record model → the agency's records dated in the month (when counted)
    record_counts: dict = field(default_factory=dict)

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def comment(self) -> str:
        return self.period_return.comment if self.period_return is not None else ""

    @property
    def can_submit(self) -> bool:
        """Open, or returned and not locked (a returned month under a lock cannot be corrected)."""
        return self.status == Status.OPEN or (self.status == Status.RETURNED and self.lock is None)

    @property
    def can_withdraw(self) -> bool:
        """Submitted and not yet reviewed, and not locked."""
        return self.status == Status.SUBMITTED and self.lock is None

    @property
    def locked_returned(self) -> bool:
        """Returned for correction, but locked since: only an unlock lets the agency correct it."""
        return self.status == Status.RETURNED and self.lock is not None


def record_counts_by_model(*, agency_ids, months) -> dict[tuple[int, int, int], dict]:
    """(agency id, year, month) → {record model: live records dated in that month} for the agencies and
    months asked for, over every record model reviewed by month (one query).

    Each model gives one grouped count; UNION ALL makes them a single round trip, so adding a record
    model or an agency does not add a query. `months` are (year, month) pairs.
    """
    agency_ids, months = set(agency_ids), set(months)
    models = dated_record_models()
    if not agency_ids or not months or not models:
        return {}
    start = datetime.date(*min(months), 1)
    end = month_end(*max(months))
    parts = [
        model.objects.filter(
            agency_id__in=agency_ids,
            **{f"{model.period_date_field}__gte": start, f"{model.period_date_field}__lte": end},
        )
        .order_by()
        .annotate(
            model_index=Value(index, output_field=IntegerField()),
            period_year=ExtractYear(model.period_date_field),
            period_month=ExtractMonth(model.period_date_field),
        )
        .values("agency_id", "model_index", "period_year", "period_month")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "model_index", "period_year", "period_month", "n")
        for index, model in enumerate(models)
    ]
    counts: dict[tuple[int, int, int], dict] = {}
    for agency_id, kind, year, month, n in parts[0].union(*parts[1:], all=True):
        year, month = int(year), int(month)  # PostgreSQL's EXTRACT gives numerics
        if (year, month) in months:
            by_model = counts.setdefault((agency_id, year, month), {})
            by_model[models[kind]] = by_model.get(models[kind], 0) + n
    return counts


def agency_months(*, agency_id: int, year: int, today: datetime.date, with_counts: bool = True) -> list[MonthRow]:
    """The months of `year` begun by `today`, for one agency: status, lock and (optionally) record counts.

    Three queries: the agency's returns of the year, the year's locks, the record counts.
    """
    months = months_begun(year, today)
    if not months:
        return []
    returns = {
        r.month: r
        for r in PeriodReturn.objects.filter(agency_id=agency_id, year=year).select_related(
            "submitted_by", "reviewed_by"
        )
    }
    locks = month_locks(active_locks(year), year)
    counts = (
        record_counts_by_model(agency_ids=[agency_id], months=[(year, month) for month in months])
        if with_counts
        else {}
    )
    rows = []
    for month in months:
        period_return = returns.get(month)
        rows.append(
            MonthRow(
                year=year,
                month=month,
                status=period_return.status if period_return is not None else Status.OPEN,
                period_return=period_return,
                lock=locks.get(month),
                records=sum(counts.get((agency_id, year, month), {}).values()) if with_counts else None,
                record_counts=counts.get((agency_id, year, month), {}),
                is_current=(year, month) == (today.year, today.month),
            )
        )
    return rows


def years_with_data(*, agency_id: int | None = None, limit: int = 5) -> list[int]:
    """The latest `limit` years holding monthly returns or live dated records, newest first (one query).

    `agency_id` narrows it to one agency's returns and records. Like the record
    counts, one UNION of distinct years over the returns and every record model.
    """
    scope = {"agency_id": agency_id} if agency_id is not None else {}
    returns = PeriodReturn.objects.filter(**scope).order_by().values_list("year")
    parts = [
        model.objects.filter(**scope)
        .order_by()
        .annotate(period_year=ExtractYear(model.period_date_field))
        .values_list("period_year")
        for model in dated_record_models()
    ]
    # int(): PostgreSQL's EXTRACT gives numerics
    return [int(year) for (year,) in returns.union(*parts).order_by("-year")[:limit] if year is not None]


# --- open send-backs, of any year ------------------------------------------------------------


def returned_months(*, agency_id: int | None = None) -> list[MonthRow]:
    """Every month sent back and not yet resubmitted, of any year, newest first, with its lock (two queries).

    `agency_id` narrows it to one agency's months; each row's return has its agency and reviewer.
    """
    scope = {"agency_id": agency_id} if agency_id is not None else {}
    returns = list(
        PeriodReturn.objects.filter(status=Status.RETURNED, **scope)
        .select_related("agency", "reviewed_by")
        .order_by("-year", "-month", "agency__code")
    )
    years = {r.year for r in returns}
    locks = list(PeriodLock.objects.active().filter(year__in=years).select_related("locked_by")) if years else []
    by_year = {year: month_locks(locks, year) for year in years}
    return [
        MonthRow(year=r.year, month=r.month, status=r.status, period_return=r, lock=by_year[r.year].get(r.month))
        for r in returns
    ]


def returned_items(user) -> list:
    """What is reviewed on its own (a channel return) and was sent back, not yet resubmitted, of any year,
    that `user` may see, newest first (one query per such record type)."""
    from outreach.models import Reviewable

    items = []
    for model in record_models():
        if issubclass(model, Reviewable) and not model.monthly_review:
            items += list(
                model.objects.for_user(user)
                .filter(status=Status.RETURNED)
                .select_related("agency", "reviewed_by")
                .order_by(f"-{model.period_date_field}", "agency__code")
            )
    return items


# --- the province at a glance ---------------------------------------------------------------


@dataclass
class OverviewCell:
    month: int
    status: str
    lock: MonthLock | None = None

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class OverviewRow:
    agency: Agency
    cells: list[OverviewCell]


@dataclass
class Overview:
    year: int
    months: list[int]
    rows: list[OverviewRow]
    #: month → returns submitted and awaiting review
    awaiting: dict[int, int]
    locks: dict[int, MonthLock]

    @property
    def awaiting_total(self) -> int:
        return sum(self.awaiting.values())

    @property
    def awaiting_by_month(self) -> list[int]:
        return [self.awaiting.get(m, 0) for m in self.months]

    @property
    def columns(self) -> list[tuple[int, MonthLock | None, int]]:
        """(month, its lock, returns awaiting review) for each month column."""
        return [(m, self.locks.get(m), self.awaiting.get(m, 0)) for m in self.months]


def province_overview(*, year: int, today: datetime.date) -> Overview:
    """Every active agency × the months of `year` begun by `today`, and the returns awaiting review.

    Three queries whatever the number of agencies: agencies, the year's returns, the year's locks.
    Who has not reported (what is due, when it is missing) is the reports' completeness rule
    (`reports.completeness`, the home page's panel through its `non_reporters` template tag).
    """
    months = months_begun(year, today)
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    statuses = (
        {
            (agency_id, month): status
            for agency_id, month, status in PeriodReturn.objects.filter(year=year, month__in=months)
            .order_by()
            .values_list("agency_id", "month", "status")
        }
        if months
        else {}
    )
    locks = month_locks(active_locks(year), year) if months else {}
    awaiting: dict[int, int] = {}
    rows = []
    active_ids = {agency.pk for agency in agencies}
    for (agency_id, month), status in statuses.items():
        if status == Status.SUBMITTED and agency_id in active_ids:
            awaiting[month] = awaiting.get(month, 0) + 1
    for agency in agencies:
        cells = [
            OverviewCell(month, statuses.get((agency.pk, month), Status.OPEN), locks.get(month)) for month in months
        ]
        rows.append(OverviewRow(agency=agency, cells=cells))
    return Overview(year=year, months=months, rows=rows, awaiting=awaiting, locks=locks)


# --- the state of a period before it is locked --------------------------------------------------


#: the states a lock preview counts, in the order shown ("missing": never submitted, or still open)
LOCK_STATES = ("missing", Status.RETURNED, Status.SUBMITTED, Status.APPROVED)


@dataclass
class AgencyPeriodState:
    """One agency's months of a period that are not approved: month → state ("missing", returned, submitted)."""

    agency: Agency
    months: dict[int, str]

    @property
    def cells(self) -> list[tuple[int, str, str]]:
        """(month, state, label) for each month not approved."""
        return [(month, state, state_label(state)) for month, state in self.months.items()]


@dataclass
class LockPreview:
    """Every active agency's state for a period about to be locked (a month, or a year up to a date)."""

    year: int
    month: int | None
    up_to: datetime.date | None
    months: list[int]
    #: state → agency-months in it
    counts: dict[str, int]
    #: the agencies with a month not approved, by code
    unapproved: list[AgencyPeriodState]
    agencies: int

    @property
    def key(self) -> str:
        """Names the period previewed: a confirmation holds for it only."""
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year}-up-to-{self.up_to.isoformat()}"

    @property
    def states(self) -> list[tuple[str, str, int]]:
        """(state, label, agency-months) in the order shown."""
        return [(state, state_label(state), self.counts.get(state, 0)) for state in LOCK_STATES]

    @property
    def all_approved(self) -> bool:
        return not self.unapproved

    @property
    def period_name(self) -> str:
        """The period as the lock will name itself."""
        return str(PeriodLock(year=self.year, month=self.month, up_to=self.up_to))

    def needs_confirmation(self, confirmed: str) -> bool:
        """Some agency's month in the period is not approved, and this very period was not confirmed."""
        return not self.all_approved and confirmed != self.key


def state_label(state: str) -> str:
    return _("Missing") if state == "missing" else Status(state).label


def lock_states(
    *, year: int, today: datetime.date, month: int | None = None, up_to: datetime.date | None = None
) -> LockPreview:
    """Each active agency's monthly returns in what a lock would cover: a month, or every month of the
    year up to the one holding `up_to` that has begun by `today` (a month not begun holds no records to
    correct). Two queries: the agencies, their returns of those months."""
    months = [month] if month else [m for m in months_begun(year, today) if m <= up_to.month]
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    statuses = {
        (agency_id, m): status
        for agency_id, m, status in PeriodReturn.objects.filter(year=year, month__in=months)
        .order_by()
        .values_list("agency_id", "month", "status")
    }
    counts: dict[str, int] = {}
    unapproved = []
    for agency in agencies:
        states = {}
        for m in months:
            state = statuses.get((agency.pk, m), Status.OPEN)
            state = "missing" if state == Status.OPEN else str(state)
            counts[state] = counts.get(state, 0) + 1
            if state != Status.APPROVED:
                states[m] = state
        if states:
            unapproved.append(AgencyPeriodState(agency, states))
    return LockPreview(
        year=year,
        month=month,
        up_to=None if month else up_to,
        months=months,
        counts=counts,
        unapproved=unapproved,
        agencies=len(agencies),
    )


# --- the officers' review queue ---------------------------------------------------------------


def review_queue(*, status: str = "", year: int | None = None, month: int | None = None, agency=None):
    """Returns to review, oldest submission first, filtered by status, year, month and agency."""
    queryset = PeriodReturn.objects.select_related("agency", "submitted_by", "reviewed_by").order_by(
        "submitted_at", "year", "month", "agency__code"
    )
    if status:
        queryset = queryset.filter(status=status)
    if year:
        queryset = queryset.filter(year=year)
    if month:
        queryset = queryset.filter(month=month)
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    return queryset
