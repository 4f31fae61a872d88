"""Reminders (催报) and in-app notifications (站内信).

A `Reminder` is the log of one reminder sent to one agency for one period: by an officer
(`manual`, as many as they like) or by the daily schedule (`before` / `due` / `after` the due
date: at most one of each kind per agency and period, ever — a conditional unique constraint
holds it even when two cron runs race). It is written once and never changed: the log is its
own history.

A `Notification` is one message to one user (a reminder, a month or a channel return sent back
or approved, a period unlocked); `read_at` is empty while it is unread. Its title and body are
written in the site's language (settings.LANGUAGE_CODE) when it is created, like the e-mail that
goes with it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outreach import clock
from outreach.models import Agency
from outreach.models.fields import user_field


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """Only the user's own notifications (nothing for anonymous users)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        UNLOCKED = "unlocked", _("Unlocked")
        SUBMITTED = "submitted", _("Submitted")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_read")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Reminder(models.Model):
    class Kind(models.TextChoices):
        MANUAL = "manual", _("Sent by an officer")
        BEFORE = "before", _("Before the due date")
        DUE = "due", _("On the due date")
        AFTER = "after", _("After the due date")

    #: the kinds the daily schedule sends, at most once each per agency and period
    SCHEDULED = (Kind.BEFORE, Kind.DUE, Kind.AFTER)

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reminders")
    period = models.CharField(
        _("period"), max_length=8, help_text=_("2014-06 for a month, 2014-H1 or 2014-H2 for a half-year")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = user_field(_("sent by"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    emailed = models.PositiveIntegerField(_("e-mailed"), default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period", "kind"],
                condition=~Q(kind="manual"),
                name="one_scheduled_reminder_per_agency_period_kind",
            )
        ]
        indexes = [models.Index(fields=["period", "agency"], name="reminder_period_agency")]

    def __str__(self):
        return f"{self.agency} · {self.period} · {self.get_kind_display()}"
