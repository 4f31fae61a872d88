"""Writes that follow the programme's workflow: monthly returns, period locks, delete and restore.

HackSoft-style services: keyword-only, typed, atomic. Error texts are module
constants that tests import.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.models import AgencyRecord, PeriodLock, PeriodReturn, Reviewable, period_label
from outreach.roles import Role, agency_id_of, role_of
from outreach.signals import Step, period_unlocked, review_step

MSG_FUTURE_MONTH = _("A month can be submitted only once it has begun.")
MSG_NOT_SUBMITTABLE = _("%(period)s is %(status)s and cannot be submitted again.")
MSG_NOT_UNDER_REVIEW = _("Only submitted returns can be approved or returned; %(period)s is %(status)s.")
MSG_COMMENT_REQUIRED = _("Say what needs correcting when returning a month.")
MSG_REASON_REQUIRED = _("Give the reason for unlocking.")
MSG_ALREADY_LOCKED = _("This period is already locked.")
MSG_BAD_MONTH = _("Choose a month from 1 to 12.")
MSG_UP_TO_OUTSIDE_YEAR = _("The as-of date must lie in the year being locked.")
MSG_ALREADY_UNLOCKED = _("This lock has already been lifted.")
MSG_NOT_DELETED = _("This record has not been deleted.")
MSG_NOT_WITHDRAWABLE = _("%(period)s is %(status)s: only a submission awaiting review can be withdrawn.")
MSG_WITHDRAW_LOCKED = _(
    "%(period)s is locked: its submission can no longer be withdrawn. Ask the working committee to unlock it."
)
MSG_LOCKED_RETURNED = _(
    "%(period)s is locked: its records cannot be corrected or submitted again. Ask the working committee to unlock it."
)
MSG_NOTHING_CHOSEN = _("Choose the months to approve.")


def _require_role(user, *roles) -> None:
    if role_of(user) not in roles:
        raise PermissionDenied


def _review_day(item: Reviewable) -> datetime.date:
    """The day whose lock guards an item's review state: a month's first day (a lock covering any day of a
    month covers its first: a year lock runs from 1 January), a channel return's period end (its record date)."""
    if isinstance(item, PeriodReturn):
        return datetime.date(item.year, item.month, 1)
    return item.period_date


def is_locked(item: Reviewable) -> bool:
    """Whether an active lock covers the item's period (the lock rule is PeriodLock.covers)."""
    day = _review_day(item)
    return any(lock.covers(day) for lock in PeriodLock.objects.active().filter(year=day.year))


def _month_return(agency_id: int, year: int, month: int) -> PeriodReturn:
    period, _created = PeriodReturn.objects.select_for_update().get_or_create(
        agency_id=agency_id, year=year, month=month
    )
    return period


@transaction.atomic
def submit_month(*, user, year: int, month: int) -> PeriodReturn:
    """A clerk submits their agency's records of a month for review (a nil return is fine)."""
    _require_role(user, Role.STAFF)
    if not 1 <= month <= 12:
        raise ValidationError(MSG_BAD_MONTH, code="bad_month")
    if datetime.date(year, month, 1) > clock.today():
        raise ValidationError(MSG_FUTURE_MONTH, code="future_month")
    period = _month_return(agency_id_of(user), year, month)
    if period.status not in (PeriodReturn.Status.OPEN, PeriodReturn.Status.RETURNED):
        raise ValidationError(
            MSG_NOT_SUBMITTABLE,
            code="not_submittable",
            params={"period": period_label(datetime.date(year, month, 1)), "status": period.get_status_display()},
        )
    if period.status == PeriodReturn.Status.RETURNED and is_locked(period):
        # its records cannot change under the lock: resubmitting would only repeat what was sent back
        raise ValidationError(MSG_LOCKED_RETURNED, code="locked_returned", params={"period": period.review_label()})
    period.status = PeriodReturn.Status.SUBMITTED
    period.submitted_at, period.submitted_by = clock.now(), user
    period.save_review_status(user=user)
    review_step.send(sender=PeriodReturn, item=period, step=Step.SUBMITTED, user=user)
    return period


def _review(*, user, item: Reviewable, status: str, comment: str) -> Reviewable:
    _require_role(user, Role.OFFICER)
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.status != Reviewable.Status.SUBMITTED:
        raise ValidationError(
            MSG_NOT_UNDER_REVIEW,
            code="not_under_review",
            params={"period": item.review_label(), "status": item.get_status_display()},
        )
    item.status, item.comment = status, comment
    item.reviewed_at, item.reviewed_by = clock.now(), user
    item.save_review_status(user=user)
    step = Step.APPROVED if status == Reviewable.Status.APPROVED else Step.RETURNED
    review_step.send(sender=type(item), item=item, step=step, user=user)
    return item


@transaction.atomic
def approve(*, user, item: Reviewable, comment: str = "") -> Reviewable:
    """An officer approves a submitted item (a month, a channel return): it becomes read-only for the agency."""
    return _review(user=user, item=item, status=Reviewable.Status.APPROVED, comment=comment.strip())


@transaction.atomic
def send_back(*, user, item: Reviewable, comment: str) -> Reviewable:
    """An officer returns a submitted item with a comment: the clerk can correct and resubmit."""
    if not comment.strip():
        raise ValidationError({"comment": ValidationError(MSG_COMMENT_REQUIRED, code="comment_required")})
    return _review(user=user, item=item, status=Reviewable.Status.RETURNED, comment=comment.strip())


@transaction.atomic
def submit(*, user, item: Reviewable) -> Reviewable:
    """A clerk submits their agency's own item (not a month: see submit_month) once it is complete."""
    _require_role(user, Role.STAFF)
    item = type(item).objects.for_user(user).select_for_update().get(pk=item.pk)
    if item.status not in (Reviewable.Status.OPEN, Reviewable.Status.RETURNED):
        raise ValidationError(
            MSG_NOT_SUBMITTABLE,
            code="not_submittable",
            params={"period": item.review_label(), "status": item.get_status_display()},
        )
    item.check_submittable()
    item.status = Reviewable.Status.SUBMITTED
    item.submitted_at, item.submitted_by = clock.now(), user
    item.save_review_status(user=user)
    review_step.send(sender=type(item), item=item, step=Step.SUBMITTED, user=user)
    return item


@transaction.atomic
def withdraw(*, user, item: Reviewable) -> Reviewable:
    """A clerk takes back their agency's submission before it is reviewed (撤回).

    The item returns to where it was before the submission: open, or returned if an officer had
    sent it back before (the send-back's comment stands); who submitted it and when are cleared, the
    history keeps them. Refused once reviewed, when not submitted, and under an active lock.
    """
    _require_role(user, Role.STAFF)
    item = type(item).objects.for_user(user).select_for_update().filter(pk=item.pk).first()
    if item is None:  # another agency's
        raise PermissionDenied
    params = {"period": item.review_label(), "status": item.get_status_display()}
    if item.status != Reviewable.Status.SUBMITTED:
        raise ValidationError(MSG_NOT_WITHDRAWABLE, code="not_withdrawable", params=params)
    if is_locked(item):
        raise ValidationError(MSG_WITHDRAW_LOCKED, code="withdraw_locked", params=params)
    was_returned = item.reviewed_at is not None  # only a returned item is submitted again after a review
    item.status = Reviewable.Status.RETURNED if was_returned else Reviewable.Status.OPEN
    item.submitted_at, item.submitted_by = None, None
    item.save_review_status(user=user)
    review_step.send(sender=type(item), item=item, step=Step.WITHDRAWN, user=user)
    return item


def withdraw_month(*, user, year: int, month: int) -> PeriodReturn:
    """A clerk withdraws their agency's submission of a month (see `withdraw`)."""
    _require_role(user, Role.STAFF)
    period = PeriodReturn.objects.filter(agency_id=agency_id_of(user), year=year, month=month).first()
    if period is None:  # never submitted: no row
        raise ValidationError(
            MSG_NOT_WITHDRAWABLE,
            code="not_withdrawable",
            params={
                "period": period_label(datetime.date(year, month, 1)),
                "status": PeriodReturn.Status.OPEN.label,
            },
        )
    return withdraw(user=user, item=period)


def approve_many(*, user, items, comment: str = "") -> tuple[list[Reviewable], list[Reviewable]]:
    """An officer approves several items at once: (approved, refused).

    Each goes through `approve` in its own transaction (its signal and history as if approved alone):
    one not awaiting review is refused and left as it was; the others are approved all the same.
    """
    _require_role(user, Role.OFFICER)
    items = list(items)
    if not items:
        raise ValidationError(MSG_NOTHING_CHOSEN, code="nothing_chosen")
    approved, refused = [], []
    for item in items:
        try:
            approved.append(approve(user=user, item=item, comment=comment))
        except ValidationError:
            refused.append(item)
    return approved, refused


def lock_target(
    *, year: int, month: int | None = None, up_to: datetime.date | None = None
) -> tuple[int | None, datetime.date | None]:
    """What a lock would cover, checked: (month, None) for a month, (None, as-of date) for a year.

    Refuses a bad month, an as-of date outside the year, and a period already locked (nothing written).
    """
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": ValidationError(MSG_BAD_MONTH, code="bad_month")})
    if month is None:
        up_to = up_to or datetime.date(year, 12, 31)
        if up_to.year != year:
            raise ValidationError({"up_to": ValidationError(MSG_UP_TO_OUTSIDE_YEAR, code="up_to_outside_year")})
    else:
        up_to = None
    active = PeriodLock.objects.active().filter(year=year, month=month)
    if month is None:
        active = active.filter(up_to__gte=up_to)
    if active.exists():
        raise ValidationError(MSG_ALREADY_LOCKED, code="already_locked")
    return month, up_to


@transaction.atomic
def lock_period(*, user, year: int, month: int | None = None, up_to: datetime.date | None = None) -> PeriodLock:
    """Lock a month, or a whole year up to an as-of date (default: the year's end), for every agency.

    The page asks for confirmation first when any agency's month in the period is not approved
    (`outreach.selectors.lock_states`); the lock itself does not depend on the months' states.
    """
    _require_role(user, Role.OFFICER)
    month, up_to = lock_target(year=year, month=month, up_to=up_to)
    return PeriodLock.objects.create(year=year, month=month, up_to=up_to, locked_by=user)


@transaction.atomic
def unlock_period(*, user, lock: PeriodLock, reason: str) -> PeriodLock:
    """Lift a lock; the reason is kept with the lock and in its history."""
    _require_role(user, Role.OFFICER)
    if not reason.strip():
        raise ValidationError({"reason": ValidationError(MSG_REASON_REQUIRED, code="reason_required")})
    lock = PeriodLock.objects.select_for_update().get(pk=lock.pk)
    if not lock.is_active:
        raise ValidationError(MSG_ALREADY_UNLOCKED, code="already_unlocked")
    lock.unlocked_at, lock.unlocked_by, lock.unlock_reason = clock.now(), user, reason.strip()
    lock.save()
    period_unlocked.send(sender=PeriodLock, lock=lock, user=user)
    return lock


@transaction.atomic
def delete_record(*, user, record: AgencyRecord) -> None:
    """A clerk deletes one of their agency's records: it leaves lists and totals but stays restorable."""
    _require_role(user, Role.STAFF)
    record.delete(user=user)


@transaction.atomic
def restore_record(*, user, record: AgencyRecord) -> None:
    """An officer brings back a deleted record (its period must be open)."""
    _require_role(user, Role.OFFICER, Role.ADMIN)
    if not record.is_deleted:
        raise ValidationError(MSG_NOT_DELETED, code="not_deleted")
    record.restore(user=user)
