import datetime

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.forms import DateInput, RecordForm
from outreach.models import Agency, Official, Region
from outreach.roles import sees_everything
from visits.models import FiveIntoAction, FourIntoEvent, Visit, VisitOutcome, VolunteerService, VolunteerTeam
from visits.models.services import HalfYear

#: the levels a visit's place may have (a city or the province is too coarse: the model refuses them)
PLACE_LEVELS = (Region.Level.COUNTY, Region.Level.TOWNSHIP, Region.Level.VILLAGE, Region.Level.COMMUNITY)
COUNT_FIELDS = ("households", "enterprises", "communities", "villager_groups", "forums", "opinions")


class VisitForm(RecordForm):
    class Meta:
        model = Visit
        fields = ("official", "start_date", "end_date", "is_village_stay", "place", *COUNT_FIELDS, "note")
        help_texts = {"place": _("A county, township, village or community")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 3
        self.helper.layout = Layout(
            Row(Column("official", css_class="col-md-6"), Column("place", css_class="col-md-6")),
            Row(*(Column(name, css_class="col-md-4") for name in ("start_date", "end_date", "is_village_stay"))),
            Row(*(Column(name, css_class="col-6 col-md-4 col-xl-2") for name in COUNT_FIELDS)),
            "note",
            "version",
        )

    def scope(self, user):
        # Officials in post; an edited visit keeps its official even after they left their post.
        current = Q(pk=self.instance.official_id) if self.instance.official_id else Q(pk__in=[])
        self.fields["official"].queryset = (
            Official.objects.for_user(user).filter(Q(is_active=True) | current).select_related("agency")
        )
        self.fields["place"].queryset = Region.objects.filter(level__in=PLACE_LEVELS).order_by("full_name")


class VisitOutcomeForm(RecordForm):
    class Meta:
        model = VisitOutcome
        fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")
        widgets = {"note": forms.TextInput}


# Outcomes are entered on their visit's own form; ObjectEditView saves them with the visit's agency.
VisitOutcomeFormSet = inlineformset_factory(Visit, VisitOutcome, form=VisitOutcomeForm, extra=1, can_delete=True)


MSG_AS_OF_FUTURE = _("The as-of date cannot be later than today.")
MSG_YEAR_FUTURE = _("The year cannot be later than this year.")


class MinimumsForm(forms.Form):
    """The as-of date of the minimums page: a date, or a year (its 31 December, or today for this year)."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000)
    as_of = forms.DateField(label=_("as of"), required=False, widget=DateInput())
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none(), required=False)
    behind = forms.BooleanField(label=_("only those behind"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["year"].widget.attrs["placeholder"] = str(self.today.year)
        if sees_everything(user):
            self.fields["agency"].queryset = Agency.objects.for_user(user)
        else:
            del self.fields["agency"]  # agency staff see their own agency only

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year > self.today.year:
            raise forms.ValidationError(MSG_YEAR_FUTURE, code="future_year")
        return year

    def clean_as_of(self):
        as_of = self.cleaned_data.get("as_of")
        if as_of is not None and as_of > self.today:
            raise forms.ValidationError(MSG_AS_OF_FUTURE, code="future_date")
        return as_of

    def as_of_date(self) -> datetime.date:
        """The date the minimums are evaluated at (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        if data.get("as_of"):
            return data["as_of"]
        year = data.get("year")
        if year and year < self.today.year:
            return datetime.date(year, 12, 31)
        return self.today


# --- service activities: "four into", volunteer teams and their service, "five into" --------


def show_when(field, controller: str, *values) -> None:
    """Show `field` only while the `controller` field holds one of `values` (static/js/site.js).

    Only the display follows the choice: the model rules still refuse a value in a field that does
    not belong, with a message on that field (shown even when the choice would hide it).
    """
    field.widget.attrs["data-show-when"] = f"{controller}={','.join(str(v) for v in values)}"


FOUR_INTO_COUNTS = ("officials", "enterprises", "villages", "schools")


class FourIntoEventForm(RecordForm):
    class Meta:
        model = FourIntoEvent
        fields = (
            "year", "half", "date", "title", *FOUR_INTO_COUNTS,
            "families_aided", "family_aid", "students_aided", "student_aid", "note",
        )
        help_texts = {"date": _("The date must lie in the half-year chosen")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            today = timezone.localdate()  # a new event is most often of the current half-year
            if self.initial.get("year") is None:
                self.initial["year"] = today.year
            if self.initial.get("half") is None:
                self.initial["half"] = HalfYear.FIRST if today.month <= 6 else HalfYear.SECOND
        self.fields["note"].widget.attrs["rows"] = 3
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-md-4") for name in ("year", "half", "date"))),
            "title",
            Row(*(Column(name, css_class="col-6 col-md-3") for name in FOUR_INTO_COUNTS)),
            Row(*(Column(name, css_class="col-6 col-md-3") for name in ("families_aided", "family_aid", "students_aided", "student_aid"))),
            "note",
            "version",
        )


class VolunteerTeamForm(RecordForm):
    class Meta:
        model = VolunteerTeam
        fields = ("name", "kind", "specialty", "members", "start_date", "end_date", "note")
        help_texts = {"specialty": _("Professional teams only: medical, agricultural technology, legal or other")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_when(self.fields["specialty"], "kind", VolunteerTeam.Kind.PROFESSIONAL)
        self.fields["note"].widget.attrs["rows"] = 3


class VolunteerServiceForm(RecordForm):
    class Meta:
        model = VolunteerService
        fields = ("team", "date", "activity", "person_times", "hours", "place", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs["step"] = "0.1"
        self.fields["note"].widget.attrs["rows"] = 3

    def scope(self, user):
        # The user's agency's teams (RecordForm already scoped them); a team's name tells them apart.
        self.fields["team"].queryset = self.fields["team"].queryset.order_by("name", "pk")


class FiveIntoActionForm(RecordForm):
    class Meta:
        model = FiveIntoAction
        fields = ("kind", "date", "title", *FiveIntoAction.yield_fields(), "book_recipients", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, names in FiveIntoAction.YIELDS.items():
            for name in names:
                show_when(self.fields[name], "kind", kind)
        show_when(self.fields["book_recipients"], "kind", FiveIntoAction.Kind.PUBLICITY)
        self.fields["note"].widget.attrs["rows"] = 3
