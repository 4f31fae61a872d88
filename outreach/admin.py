from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from outreach.models import Agency, ImportBatch, Official, PartyOrganisation, PeriodLock, PeriodReturn, Profile, Region


class RecordAdmin(SimpleHistoryAdmin):
    """Admin for agency records: attribution is read-only, validation runs on save."""

    readonly_fields = ("created_at", "created_by", "updated_at", "updated_by", "version", "deleted_at", "deleted_by")
    list_select_related = ("agency",)

    def save_model(self, request, obj, form, change):
        obj.save(user=request.user)

    def has_delete_permission(self, request, obj=None):
        # Records are deleted on the site, where deletion is checked against the
        # period and stays restorable; the admin never removes them.
        return False


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "full_name", "level", "is_target_city", "is_poor")
    list_filter = ("level", "is_target_city", "is_poor", ("city", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name", "full_name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("full_name", "city")


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "short_name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "short_name")


@admin.register(PartyOrganisation)
class PartyOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "agency", "region")
    list_filter = ("kind", ("agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("agency", "region")
    search_fields = ("name", "agency__name", "region__full_name")
    autocomplete_fields = ("agency", "region")


@admin.register(Official)
class OfficialAdmin(SimpleHistoryAdmin):
    list_display = ("name", "title", "agency", "rank", "position", "is_active")
    list_filter = ("rank", "position", "is_active", ("agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("agency",)
    search_fields = ("name", "title", "agency__name", "agency__short_name")
    autocomplete_fields = ("agency",)


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "agency")
    list_filter = ("role", ("agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "agency__name")
    autocomplete_fields = ("user", "agency")


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ("agency",)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = (ProfileInline,)
    list_display = ("username", "first_name", "last_name", "profile__role", "profile__agency", "is_active")
    list_filter = ("profile__role", "is_active", "is_superuser")
    list_select_related = ("profile__agency",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        profile = getattr(form.instance, "profile", None)
        if profile is not None:
            profile.sync_user()


admin.site.site_header = _("Year of Agency Party Building Serving the Grassroots · Administration")
admin.site.site_title = _("Year of Agency Party Building Serving the Grassroots")


@admin.register(PeriodReturn)
class PeriodReturnAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "year", "month", "status", "submitted_at", "reviewed_at")
    list_filter = ("status", "year", "month")
    list_select_related = ("agency",)
    search_fields = ("agency__name", "agency__short_name", "comment")
    readonly_fields = ("submitted_at", "submitted_by", "reviewed_at", "reviewed_by")


@admin.register(PeriodLock)
class PeriodLockAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "year", "month", "up_to", "locked_at", "locked_by", "unlocked_at", "unlock_reason")
    list_filter = ("year",)
    readonly_fields = ("locked_at", "locked_by", "unlocked_at", "unlocked_by")


class ReadOnlyAdmin(admin.ModelAdmin):
    """What only the site writes (uploads, published snapshots): the admin reads it, never adds, changes or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Uploads are the record of what was imported: read here, never changed."""

    list_display = (
        "pk",
        "uploaded_at",
        "agency",
        "file_name",
        "uploaded_by",
        "status",
        "rows_created",
        "rows_updated",
        "problems",
    )
    list_filter = ("status", ("agency", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("agency", "uploaded_by")
    search_fields = ("file_name", "sha256", "agency__name", "agency__code")
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")
