import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.filtersets import DatedFilterSet, RecordFilterSet, SpanFilterSet
from outreach.models import Official, PartyOrganisation
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)


class SpanStatusFilter(django_filters.ChoiceFilter):
    """Active (not yet ended on today's date) or ended."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=(("active", _("Active")), ("ended", _("Ended"))), label=_("status"), method=self.apply, **kwargs
        )

    def apply(self, queryset, name, value):
        today = clock.today()
        if value == "active":
            return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        return queryset


PARTNER_KINDS = (
    (PartyOrganisation.Kind.COMMUNITY.value, PartyOrganisation.Kind.COMMUNITY.label),
    (PartyOrganisation.Kind.VILLAGE.value, PartyOrganisation.Kind.VILLAGE.label),
)


def official_filter(field_name="official", *, method=None, **filters):
    """Officials to choose from (scoped to the user's agency by RecordFilterSet)."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, method=method, queryset=Official.objects.filter(**filters), label=_("official")
    )


def pairing_filter(field_name="pairing"):
    # The choice labels name the committee and the partner: fetched with the choices, not per option.
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=Pairing.objects.select_related("committee", "partner"), label=_("“1+2” pairing")
    )


def partner_kind_filter(field_name):
    return django_filters.ChoiceFilter(field_name=field_name, choices=PARTNER_KINDS, label=_("partner type"))


class ContactPointFilterSet(SpanFilterSet):
    official = official_filter(rank=Official.Rank.DEPARTMENT)
    status = SpanStatusFilter()

    search_fields = ("official__name", "village__full_name", "note")
    city_lookup = "village__city"

    class Meta:
        model = ContactPoint
        fields = ("q", "year", "agency", "city", "official", "start_date", "standing", "status")


class NeedyPersonFilterSet(RecordFilterSet):
    category = django_filters.ChoiceFilter(choices=NeedyPerson.Category.choices, label=_("hardship category"))
    official = official_filter(method="filter_official")
    paired = django_filters.BooleanFilter(method="filter_paired", label=_("paired with an official"))

    search_fields = ("name", "village__full_name", "note")
    city_lookup = "village__city"

    class Meta:
        model = NeedyPerson
        fields = ("q", "agency", "city", "category", "official", "paired")

    # Through live pairings only: a deleted pairing pairs nobody.
    def filter_official(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(NeedyPairing.objects.filter(needy_person=OuterRef("pk"), official=value)))

    def filter_paired(self, queryset, name, value):
        if value is None:
            return queryset
        paired = Exists(NeedyPairing.objects.filter(needy_person=OuterRef("pk")))
        return queryset.filter(paired) if value else queryset.exclude(paired)


class NeedyPairingFilterSet(SpanFilterSet):
    official = official_filter()
    category = django_filters.ChoiceFilter(
        field_name="needy_person__category", choices=NeedyPerson.Category.choices, label=_("hardship category")
    )
    status = SpanStatusFilter()

    search_fields = ("needy_person__name", "official__name", "needy_person__village__full_name", "note")
    city_lookup = "needy_person__village__city"

    class Meta:
        model = NeedyPairing
        fields = ("q", "year", "agency", "city", "official", "category", "start_date", "standing", "status")


class ContactPointActivityFilterSet(DatedFilterSet):
    kind = django_filters.ChoiceFilter(choices=ContactPointActivity.Kind.choices, label=_("activity type"))
    official = official_filter("contact_point__official", rank=Official.Rank.DEPARTMENT)
    contact_point = django_filters.ModelChoiceFilter(
        queryset=ContactPoint.objects.select_related("official", "village"), label=_("contact point")
    )

    search_fields = ("contact_point__official__name", "contact_point__village__full_name", "note")
    city_lookup = "contact_point__village__city"
    own_agency_filters = ("contact_point",)

    class Meta:
        model = ContactPointActivity
        fields = ("q", "year", "agency", "city", "official", "contact_point", "kind", "date")


class PairingFilterSet(SpanFilterSet):
    partner_kind = partner_kind_filter("partner__kind")
    status = SpanStatusFilter()

    search_fields = ("committee__name", "partner__name", "partner__region__full_name", "note")
    city_lookup = "partner__region__city"

    class Meta:
        model = Pairing
        fields = ("q", "year", "agency", "city", "partner_kind", "start_date", "standing", "status")


class PairingPartFilterSet(DatedFilterSet):
    """Filters of what a pairing did or gave: its pairing (for its agency's staff), the partner's type and city."""

    partner_kind = partner_kind_filter("pairing__partner__kind")
    pairing = pairing_filter()
    own_agency_filters = ("pairing",)

    city_lookup = "pairing__partner__region__city"


class JointActivityFilterSet(PairingPartFilterSet):
    kind = django_filters.ChoiceFilter(choices=JointActivity.Kind.choices, label=_("activity type"))

    search_fields = ("title", "pairing__partner__name", "note")

    class Meta:
        model = JointActivity
        fields = ("q", "year", "agency", "city", "pairing", "partner_kind", "kind", "date")


class SupportFilterSet(PairingPartFilterSet):
    search_fields = ("pairing__partner__name", "note")

    class Meta:
        model = Support
        fields = ("q", "year", "agency", "city", "pairing", "partner_kind", "date")
