import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.filtersets import DatedFilterSet, RecordFilterSet, SpanFilterSet, date_range
from outreach.models import Official
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam
from visits.models.services import HalfYear

YES_NO = (("", _("All")), ("true", _("Yes")), ("false", _("No")))


class VisitFilterSet(RecordFilterSet):
    start_date = date_range("start_date", _("start date"))
    official = django_filters.ModelChoiceFilter(queryset=Official.objects.all(), label=_("official"))
    position = django_filters.ChoiceFilter(
        field_name="official__position", choices=Official.Position.choices, label=_("official's position")
    )
    rank = django_filters.MultipleChoiceFilter(
        field_name="official__rank",
        choices=Official.Rank.choices,
        label=_("official's rank"),
        widget=forms.SelectMultiple(attrs={"data-searchable": "1"}),
    )
    is_village_stay = django_filters.BooleanFilter(
        field_name="is_village_stay", label=_("village stay"), widget=forms.Select(choices=YES_NO)
    )

    search_fields = ("official__name", "place__full_name", "note")
    city_lookup = "place__city"

    class Meta:
        model = Visit
        fields = ("q", "year", "agency", "city", "official", "position", "rank", "start_date", "is_village_stay")


# --- service activities --------------------------------------------------------------------


class FourIntoEventFilterSet(DatedFilterSet):
    half = django_filters.ChoiceFilter(field_name="half", choices=HalfYear.choices, label=_("half-year"))

    search_fields = ("title", "note")

    class Meta:
        model = FourIntoEvent
        fields = ("q", "agency", "year", "half", "date")


class VolunteerTeamFilterSet(SpanFilterSet):
    kind = django_filters.ChoiceFilter(choices=VolunteerTeam.Kind.choices, label=_("team type"))
    specialty = django_filters.ChoiceFilter(choices=VolunteerTeam.Specialty.choices, label=_("specialty"))

    search_fields = ("name", "note")

    class Meta:
        model = VolunteerTeam
        fields = ("q", "year", "agency", "kind", "specialty", "start_date", "standing")


class VolunteerServiceFilterSet(DatedFilterSet):
    team = django_filters.ModelChoiceFilter(queryset=VolunteerTeam.objects.order_by("name", "pk"), label=_("team"))
    own_agency_filters = ("team",)
    team_kind = django_filters.ChoiceFilter(
        field_name="team__kind", choices=VolunteerTeam.Kind.choices, label=_("team type")
    )
    activity = django_filters.ChoiceFilter(choices=VolunteerService.Activity.choices, label=_("activity"))

    search_fields = ("team__name", "place", "note")

    class Meta:
        model = VolunteerService
        fields = ("q", "year", "agency", "team", "team_kind", "activity", "date")


class FiveIntoActionFilterSet(DatedFilterSet):
    kind = django_filters.ChoiceFilter(choices=FiveIntoAction.Kind.choices, label=_("kind"))

    search_fields = ("title", "book_recipients", "note")

    class Meta:
        model = FiveIntoAction
        fields = ("q", "year", "agency", "kind", "date")


class ChannelReturnFilterSet(RecordFilterSet):
    q = None  # a return has no text worth searching: the period and status filters find it
    period_kind = django_filters.ChoiceFilter(choices=ChannelReturn.PeriodKind.choices, label=_("period"))
    half = django_filters.ChoiceFilter(choices=ChannelReturn.Half.choices, label=_("half-year"))
    status = django_filters.ChoiceFilter(choices=ChannelReturn.Status.choices, label=_("status"))
    period_end = date_range("period_end", _("period end"))

    class Meta:
        model = ChannelReturn
        fields = ("year", "period_kind", "half", "status", "agency", "period_end")
