from django.contrib import admin

from notices.models import Notification, Reminder
from outreach.admin import ReadOnlyAdmin
from outreach.roles import sees_everything


class NoticesAdmin(ReadOnlyAdmin):
    """Read-only: reminders and notifications are written by the site, never in the admin."""

    def has_module_permission(self, request):
        return sees_everything(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_everything(request.user)


@admin.register(Reminder)
class ReminderAdmin(NoticesAdmin):
    list_display = ("sent_at", "agency", "period", "kind", "sent_by", "recipients", "emailed")
    list_filter = ("kind", "period")
    list_select_related = ("agency", "sent_by")
    search_fields = ("agency__code", "agency__name", "period")
    date_hierarchy = "sent_at"


@admin.register(Notification)
class NotificationAdmin(NoticesAdmin):
    list_display = ("created_at", "recipient", "agency", "kind", "title", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "agency")
    search_fields = ("recipient__username", "agency__code", "title")
    date_hierarchy = "created_at"
