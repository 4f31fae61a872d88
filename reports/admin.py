from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from outreach.admin import ReadOnlyAdmin
from outreach.roles import sees_everything
from reports.models import PublishedSnapshot


@admin.register(PublishedSnapshot)
class PublishedSnapshotAdmin(ReadOnlyAdmin):
    """Read-only: snapshots are published on the site and never changed or deleted."""

    list_display = ("year", "as_of", "published_at", "published_by", "catalogue_version")
    list_filter = ("year",)
    list_select_related = ("published_by",)
    date_hierarchy = "published_at"
    # Each agency's figures are left out of the page: they are shown on the site, one agency at a time.
    fields = ("year", "as_of", "published_at", "published_by", "catalogue_version", "note", "figures", "agencies")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("figures", "agency_figures")  # the list shows neither

    @admin.display(description=_("agencies"))
    def agencies(self, obj):
        return len(obj.agency_figures)

    def has_module_permission(self, request):
        return sees_everything(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_everything(request.user)
