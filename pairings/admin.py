from django.contrib import admin

from outreach.admin import RecordAdmin
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)

AGENCY_FILTER = ("agency", admin.RelatedOnlyFieldListFilter)


@admin.register(ContactPoint)
class ContactPointAdmin(RecordAdmin):
    list_display = ("official", "village", "agency", "start_date", "end_date")
    list_filter = (AGENCY_FILTER, "start_date")
    list_select_related = ("agency", "official", "village")
    search_fields = ("official__name", "village__full_name", "agency__name")
    autocomplete_fields = ("agency", "official", "village")
    date_hierarchy = "start_date"


@admin.register(NeedyPerson)
class NeedyPersonAdmin(RecordAdmin):
    list_display = ("name", "category", "village", "agency")
    list_filter = ("category", AGENCY_FILTER)
    list_select_related = ("agency", "village")
    search_fields = ("name", "village__full_name")
    autocomplete_fields = ("agency", "village")


@admin.register(NeedyPairing)
class NeedyPairingAdmin(RecordAdmin):
    list_display = ("needy_person", "official", "agency", "start_date", "end_date")
    list_filter = (AGENCY_FILTER, "start_date")
    list_select_related = ("agency", "needy_person", "official")
    search_fields = ("needy_person__name", "official__name")
    autocomplete_fields = ("agency", "needy_person", "official")


@admin.register(ContactPointActivity)
class ContactPointActivityAdmin(RecordAdmin):
    list_display = ("contact_point", "kind", "date", "people_consoled", "problems_solved", "money", "agency")
    list_filter = ("kind", AGENCY_FILTER, "date")
    list_select_related = ("agency", "contact_point__official", "contact_point__village")
    search_fields = ("contact_point__official__name", "contact_point__village__full_name", "note")
    autocomplete_fields = ("agency", "contact_point")
    date_hierarchy = "date"


@admin.register(Pairing)
class PairingAdmin(RecordAdmin):
    list_display = ("committee", "partner", "agency", "start_date", "end_date")
    list_filter = ("partner__kind", AGENCY_FILTER)
    list_select_related = ("agency", "committee", "partner")
    search_fields = ("committee__name", "partner__name", "agency__name")
    autocomplete_fields = ("agency", "committee", "partner")


class PairingPartAdmin(RecordAdmin):
    """What a pairing did or gave: listed with its pairing's committee and partner, by date."""

    list_select_related = ("agency", "pairing__committee", "pairing__partner")
    autocomplete_fields = ("agency", "pairing")
    date_hierarchy = "date"


@admin.register(JointActivity)
class JointActivityAdmin(PairingPartAdmin):
    list_display = ("title", "kind", "date", "pairing", "agency")
    list_filter = ("kind", AGENCY_FILTER, "date")
    search_fields = ("title", "pairing__partner__name", "note")


@admin.register(Support)
class SupportAdmin(PairingPartAdmin):
    list_display = (
        "pairing",
        "date",
        "projects_planned",
        "projects_supported",
        "industries_assisted",
        "funds",
        "agency",
    )
    list_filter = (AGENCY_FILTER, "date")
    search_fields = ("pairing__partner__name", "note")
