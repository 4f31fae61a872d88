import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.filtersets import RecordFilterSet, date_range
from outreach.models import Official
from visits.models import Visit

YES_NO = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class VisitFilterSet(RecordFilterSet):
    start_date = date_range("start_date", _("start date"))
    official = django_filters.ModelChoiceFilter(queryset=Official.objects.all(), label=_("official"))
    position = django_filters.ChoiceFilter(
        field_name="official__position", choices=Official.Position.choices, label=_("official's position")
    )
    is_village_stay = django_filters.BooleanFilter(
        field_name="is_village_stay", label=_("village stay"), widget=forms.Select(choices=YES_NO)
    )

    search_fields = ("official__name", "place__full_name", "note")
    city_lookup = "place__city"

    class Meta:
        model = Visit
        fields = ("q", "agency", "city", "official", "position", "start_date", "is_village_stay")
