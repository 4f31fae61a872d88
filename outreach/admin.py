from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from outreach import clock
from outreach.forms import MSG_CHOOSE
from outreach.models import (
    Agency,
    CampaignYear,
    ImportBatch,
    Official,
    PartyOrganisation,
    PeriodLock,
    PeriodReturn,
    PlausibleLimit,
    Profile,
    Region,
)
from outreach.models.campaign import MSG_NOT_A_CITY
from outreach.plausibility import USUAL_MAX, choices


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


class PlausibleLimitForm(forms.ModelForm):
    """The field is chosen from those with a usual maximum, each with its built-in value to compare (the model's
    `clean()` refuses any other: MSG_UNKNOWN_FIELD)."""

    class Meta:
        model = PlausibleLimit
        fields = ("field", "maximum")
        widgets = {"field": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].widget.choices = [
            ("", MSG_CHOOSE),
            *((key, f"{label} ({USUAL_MAX[key]:,})") for key, label in choices()),
        ]


class PlausibleLimitInline(admin.TabularInline):
    """A year's own usual maxima (outreach.plausibility); the built-in one is shown beside each field."""

    model = PlausibleLimit
    form = PlausibleLimitForm
    extra = 0
    verbose_name_plural = _("usual maxima of this year (others: the built-in values in brackets)")


@admin.register(CampaignYear)
class CampaignYearAdmin(SimpleHistoryAdmin):
    """Each campaign year's settings (docs/domain.md §1), with their history. Administrators add and change them
    (the admin role's permissions); officers only read them. The model's validators and `clean()` give the messages
    (a due day outside 1–28: MSG_DUE_DAY; dates outside the year; half-year dues out of order): nothing is saved."""

    list_display = (
        "year",
        "start_date",
        "end_date",
        "monthly_due_day",
        "first_half_due",
        "second_half_due",
        "remind_days_before",
        "leadership_min_days",
        "leadership_min_households",
        "head_min_days",
        "head_min_households",
        "target_city_names",
    )
    list_display_links = ("year",)
    filter_horizontal = ("target_cities",)
    inlines = (PlausibleLimitInline,)
    fieldsets = (
        (_("Dates"), {"fields": ("year", ("start_date", "end_date"))}),
        (_("Deadlines"), {"fields": ("monthly_due_day", ("first_half_due", "second_half_due"))}),
        (_("Reminders"), {"fields": ("remind_days_before",)}),
        (
            _("Yearly visit minimums"),
            {
                "fields": (
                    ("leadership_min_days", "leadership_min_households"),
                    ("head_min_days", "head_min_households"),
                )
            },
        ),
        (
            _("Target cities"),
            {
                "fields": ("target_cities",),
                "description": _(
                    "Contact points of this year lie in poor villages of these cities, and the reports list them "
                    "first. Left empty: the cities marked as target cities in the directory."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target_cities")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "target_cities":
            kwargs["queryset"] = Region.objects.filter(level=Region.Level.CITY).order_by("code")
            kwargs["error_messages"] = {"invalid_choice": MSG_NOT_A_CITY}
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("target cities"))
    def target_city_names(self, obj):
        return "、".join(city.name for city in sorted(obj.target_cities.all(), key=lambda c: c.code)) or _(
            "the directory's"
        )

    def get_readonly_fields(self, request, obj=None):
        return ("year",) if obj is not None else ()  # a year's settings stay that year's (and its history)

    def has_delete_permission(self, request, obj=None):
        # Past years keep their settings: only a year that has not begun may be deleted, one at a time.
        if obj is None or obj.start_date <= clock.today():
            return False
        return super().has_delete_permission(request, obj)


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
