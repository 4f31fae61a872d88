from django.contrib import admin

from outreach.admin import RecordAdmin
from visits.models import Visit, VisitOutcome


class VisitOutcomeInline(admin.TabularInline):
    model = VisitOutcome
    extra = 0
    fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")


@admin.register(Visit)
class VisitAdmin(RecordAdmin):
    list_display = ("official", "agency", "start_date", "end_date", "is_village_stay", "village_days", "households")
    list_filter = ("is_village_stay", ("agency", admin.RelatedOnlyFieldListFilter), "official__position", "start_date")
    list_select_related = ("agency", "official", "place")
    search_fields = ("official__name", "place__full_name", "note")
    autocomplete_fields = ("agency", "official", "place")
    readonly_fields = RecordAdmin.readonly_fields + ("village_days",)
    date_hierarchy = "start_date"
    inlines = (VisitOutcomeInline,)

    def save_formset(self, request, form, formset, change):
        for outcome in formset.save(commit=False):
            outcome.agency_id = form.instance.agency_id
            outcome.save(user=request.user)
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(VisitOutcome)
class VisitOutcomeAdmin(RecordAdmin):
    list_display = (
        "visit",
        "businesses_helped",
        "business_problems",
        "financing",
        "migrant_cases",
        "difficulties",
        "agency",
    )
    list_filter = (("agency", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("agency", "visit__official")
    search_fields = ("visit__official__name", "note")
    autocomplete_fields = ("agency", "visit")
