"""Reads of the notices app: who an agency's clerks are, a user's notifications, the reminder log.

Each runs a fixed number of queries whatever the number of rows (the pages pin them in tests).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from notices.models import Notification, Reminder
from outreach.roles import Role


def clerks_by_agency(agency_ids) -> dict[int, list]:
    """{agency pk: [its clerks]}: active users whose profile has the staff role and that agency. One query."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.STAFF, profile__agency__in=list(agency_ids))
        .select_related("profile")
        .order_by("pk")
    )
    clerks = defaultdict(list)
    for user in users:
        clerks[user.profile.agency_id].append(user)
    return clerks


def notifications_for(user):
    """The user's own notifications, newest first."""
    return Notification.objects.for_recipient(user).select_related("agency").order_by("-created_at", "-pk")


def unread_count(user) -> int:
    """The user's unread notifications: one query; none for an anonymous user."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_recipient(user).unread().count()


def reminder_log(*, period: str = "", agency=None):
    """Every reminder sent, newest first, optionally of one period and one agency."""
    reminders = Reminder.objects.select_related("agency", "sent_by").order_by("-sent_at", "-pk")
    if period:
        reminders = reminders.filter(period=period)
    if agency is not None:
        reminders = reminders.filter(agency=agency)
    return reminders
