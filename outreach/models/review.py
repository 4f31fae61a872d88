"""Review and locks: what an agency submits and an officer approves or returns, and the periods locked.

`check_period_open()` is the one place that says whether an agency's records of a day may change.
"""

import datetime
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.models.directory import Agency
from outreach.models.fields import note_field, user_field
from outreach.querysets import AgencyScopedQuerySet
from outreach.validation import same_day


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Basis(models.TextChoices):
    """The basis of a figure (统计口径): which records it counts by the review state of their month or return.

    - `approved`: records of months whose monthly return is approved, and approved channel returns;
    - `submitted`: those, plus months and returns submitted and awaiting review;
    - `all`: everything entered, drafts and sent-back months included.
    A record belongs to the month of its own date (a standing thing: the month it began,
    docs/domain.md §4); it counts by that month's return's status now, so an approved month
    reopened (sent back after unlocking) leaves `approved` until approved again.
    """

    APPROVED = "approved", pgettext_lazy("basis", "Approved")
    SUBMITTED = "submitted", pgettext_lazy("basis", "Submitted")
    ALL = "all", pgettext_lazy("basis", "All entered")

    @property
    def statuses(self) -> tuple[str, ...] | None:
        """The review statuses a record's month (or return) must have to count; None: no condition."""
        return {
            Basis.APPROVED: (ReviewStatus.APPROVED,),
            Basis.SUBMITTED: (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED),
            Basis.ALL: None,
        }[self]

    @property
    def description(self) -> str:
        return {
            Basis.APPROVED: _("approved months and channel returns only"),
            Basis.SUBMITTED: _("approved and submitted months and channel returns, awaiting review included"),
            Basis.ALL: _("everything entered, drafts and returned months included"),
        }[self]


class Reviewable(models.Model):
    """Something an agency submits and an officer approves or returns with a comment.

    The review services (`outreach.services.submit`, `approve`, `send_back`) work on any
    subclass; a subclass names itself for messages in `review_label()` and saves a step
    of its review with `save_review_status()`.
    """

    Status = ReviewStatus
    # Statuses in which the agency may not change what was submitted.
    CLOSED = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
    #: what a step of the review (submit, approve, send back) changes
    REVIEW_FIELDS = ("status", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "comment")

    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = user_field(_("submitted by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = user_field(_("reviewed by"))
    comment = note_field(_("review comment"))

    class Meta:
        abstract = True

    def review_label(self) -> str:
        return str(self)

    def check_submittable(self) -> None:
        """Called by the submit service before the status changes: refuse what is not ready for review."""

    def save_review_status(self, *, user) -> None:
        """Save a step of the review, attributed to `user`: the review fields only.

        What was submitted is not checked again: a review changes the status only, even of an
        item that is closed to the agency or in a locked period.
        """
        self._history_user = user  # simple_history's attribution outside a request
        models.Model.save(self, update_fields=self.REVIEW_FIELDS)


class PeriodReturn(Reviewable):
    """An agency's monthly return of its records: submitted by a clerk, approved or returned by an officer.

    No row means the month is still open; a row is created on first submission.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))

    objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        ordering = ["-year", "-month", "agency__code"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "month"], name="one_return_per_agency_month")]

    def __str__(self):
        return f"{self.agency} · {self.year}-{self.month:02d}"

    def review_label(self) -> str:
        return period_label(datetime.date(self.year, self.month, 1))


class PeriodLockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(unlocked_at__isnull=True)


class PeriodLock(models.Model):
    """An officer's lock on a month, or on a whole year up to an as-of date, for every agency."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, help_text=_("Empty for the whole year"))
    up_to = models.DateField(_("up to"), null=True, blank=True, help_text=_("For a whole-year lock: the as-of date"))
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = user_field(_("locked by"))
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = user_field(_("unlocked by"))
    unlock_reason = note_field(_("reason for unlocking"))

    objects = PeriodLockQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        ordering = ["-year", "-month", "-locked_at"]

    def __str__(self):
        if self.month:
            return period_label(datetime.date(self.year, self.month, 1))
        return _("%(year)s up to %(date)s") % {"year": self.year, "date": self.up_to}

    @property
    def is_active(self):
        return self.unlocked_at is None

    def covers(self, day) -> bool:
        """The lock rule: an active lock covers its month, or its year up to its as-of date."""
        if not self.is_active or day.year != self.year:
            return False
        return day.month == self.month if self.month else day <= self.up_to


def period_label(day) -> str:
    return _("%(year)s-%(month)02d") % {"year": day.year, "month": day.month}


MSG_PERIOD_LOCKED = _(
    "The period %(period)s is locked: records in it cannot be added, changed or deleted. "
    "Ask the working committee to unlock it."
)
MSG_PERIOD_SUBMITTED = _(
    "The records of %(period)s have been submitted for review and cannot be changed "
    "unless the submission is withdrawn before review or the working committee returns them."
)
MSG_PERIOD_APPROVED = _("The records of %(period)s have been approved and can no longer be changed.")


_remembered_periods: ContextVar[dict | None] = ContextVar("remembered_periods", default=None)


@contextmanager
def remembered_periods():
    """Within the block the locks of a year, and an agency's monthly returns of a year, are read once:
    an import checks thousands of rows against the same few months (and changes no lock or return meanwhile)."""
    token = _remembered_periods.set({})
    try:
        with same_day():
            yield
    finally:
        _remembered_periods.reset(token)


def check_period_open(agency_id, day, *, monthly_review=True) -> None:
    """Refuse a change to an agency's records dated `day` when its month is locked, submitted or approved.

    `monthly_review=False` checks only the locks (for records reviewed on their own).
    """
    if day is None or agency_id is None:
        return
    remembered = _remembered_periods.get()
    if remembered is None:
        remembered = {}  # one record: nothing to remember, the same reading
    if day.year not in remembered:
        remembered[day.year] = list(PeriodLock.objects.active().filter(year=day.year))
    if any(lock.covers(day) for lock in remembered[day.year]):
        raise ValidationError(MSG_PERIOD_LOCKED, code="period_locked", params={"period": period_label(day)})
    if not monthly_review:
        return
    key = (agency_id, day.year)
    if key not in remembered:
        remembered[key] = dict(
            PeriodReturn.objects.filter(agency_id=agency_id, year=day.year).values_list("month", "status")
        )
    status = remembered[key].get(day.month)
    if status == PeriodReturn.Status.SUBMITTED:
        raise ValidationError(MSG_PERIOD_SUBMITTED, code="period_submitted", params={"period": period_label(day)})
    if status == PeriodReturn.Status.APPROVED:
        raise ValidationError(MSG_PERIOD_APPROVED, code="period_approved", params={"period": period_label(day)})
