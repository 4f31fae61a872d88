import datetime
from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.forms import inlineformset_factory
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.forms import DateInput, RecordForm, in_post_or_current
from outreach.models import Agency, Official, Region
from outreach.roles import default_basis, sees_everything
from outreach.window import BasisForm, WindowForm
from visits.models.channels import ChannelReturn
from visits.models.services import FiveIntoAction, FourIntoEvent, HalfYear, VolunteerService, VolunteerTeam
from visits.models.visits import Visit, VisitOutcome

#: the levels a visit's place may have (a city or the province is too coarse: the model refuses them)
PLACE_LEVELS = (Region.Level.COUNTY, Region.Level.TOWNSHIP, Region.Level.VILLAGE, Region.Level.COMMUNITY)
COUNT_FIELDS = ("households", "enterprises", "communities", "villager_groups", "forums", "opinions")


class VisitForm(RecordForm):
    keep_on_add_another = ("official", "start_date", "end_date")

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
        self.fields["official"].queryset = in_post_or_current(
            Official.objects.for_user(user), self.instance.official_id
        ).select_related("agency")
        self.fields["place"].queryset = Region.objects.filter(level__in=PLACE_LEVELS).order_by("full_name")


class VisitOutcomeForm(RecordForm):
    class Meta:
        model = VisitOutcome
        fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")
        widgets = {"note": forms.TextInput}


# Outcomes are entered on their visit's own form; ObjectEditView saves them with the visit's agency.
# A saved outcome can be deleted there; the empty row for a new one has nothing to delete (left empty, it is skipped).
VisitOutcomeFormSet = inlineformset_factory(
    Visit, VisitOutcome, form=VisitOutcomeForm, extra=1, can_delete=True, can_delete_extra=False
)


MSG_AS_OF_FUTURE = _("The as-of date cannot be later than today.")
MSG_YEAR_FUTURE = _("The year cannot be later than this year.")


class MinimumsForm(WindowForm, BasisForm):
    """The as-of date of the minimums page: a date (its year's window), or a year (its 31 December, or today)."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000)
    as_of = forms.DateField(label=_("as of"), required=False, widget=DateInput())
    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none(), required=False)
    behind = forms.BooleanField(label=_("only those behind"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, basis=default_basis(user), **kwargs)
        self.today = clock.today()
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
        return self.window().end


# --- service activities: "four into", volunteer teams and their service, "five into" --------


def show_when(field, controller: str, *values) -> None:
    """Show `field` only while the `controller` field holds one of `values` (static/js/site.js).

    Only the display follows the choice: the model rules still refuse a value in a field that does
    not belong, with a message on that field (shown even when the choice would hide it).
    """
    field.widget.attrs["data-show-when"] = f"{controller}={','.join(str(v) for v in values)}"


FOUR_INTO_COUNTS = ("officials", "enterprises", "villages", "schools")


class FourIntoEventForm(RecordForm):
    keep_on_add_another = ("year", "half", "date")

    class Meta:
        model = FourIntoEvent
        fields = (
            "year",
            "half",
            "date",
            "title",
            *FOUR_INTO_COUNTS,
            "families_aided",
            "family_aid",
            "students_aided",
            "student_aid",
            "note",
        )
        help_texts = {"date": _("The date must lie in the half-year chosen")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            today = clock.today()  # a new event is most often of the current half-year
            if self.initial.get("year") is None:
                self.initial["year"] = today.year
            if self.initial.get("half") is None:
                self.initial["half"] = HalfYear.FIRST if today.month <= 6 else HalfYear.SECOND
        self.fields["note"].widget.attrs["rows"] = 3
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-md-4") for name in ("year", "half", "date"))),
            "title",
            Row(*(Column(name, css_class="col-6 col-md-3") for name in FOUR_INTO_COUNTS)),
            Row(
                *(
                    Column(name, css_class="col-6 col-md-3")
                    for name in ("families_aided", "family_aid", "students_aided", "student_aid")
                )
            ),
            "note",
            "version",
        )


class VolunteerTeamForm(RecordForm):
    keep_on_add_another = ("kind", "specialty", "start_date")

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
        self.fields["note"].widget.attrs["rows"] = 3

    def scope(self, user):
        # The user's agency's teams (RecordForm already scoped them); a team's name tells them apart.
        self.fields["team"].queryset = self.fields["team"].queryset.order_by("name", "pk")


class FiveIntoActionForm(RecordForm):
    keep_on_add_another = ("kind", "date")

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


# --- channel returns: the "three channels" of efficiency, one return per agency and period ----


MSG_LAST_PERIOD = _("Last period: %(value)s")
MSG_CHOOSE_PERIOD = _("Choose the year and period to see last period's values beside each field.")
MSG_NO_PREVIOUS = _("Your agency has no return for the period before (%(period)s).")
MSG_PREVIOUS_FROM = _("Beside each field: the value in your agency's return for %(period)s.")
MSG_PREVIOUS_STALE = _("You changed the period: save the return to see the values of the period before it.")
MSG_UNANSWERED = _("Not filled in")


class YesNoUnanswered(forms.RadioSelect):
    """是 / 否 / 未填 as three radio buttons, posted as Django's NullBooleanSelect posts them ("true", "false",
    "unknown"): a question nobody answered stays None, which a complete return refuses, instead of an
    unticked checkbox silently meaning no."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=(("true", _("Yes")), ("false", _("No")), ("unknown", MSG_UNANSWERED)))

    def format_value(self, value):
        return [forms.NullBooleanSelect.format_value(self, value)]

    value_from_datadict = forms.NullBooleanSelect.value_from_datadict


class ChannelReturnForm(RecordForm):
    """A channel return, grouped as the paper return is; every figure may stay empty in a draft.

    Beside each field the form shows the agency's value of the period before (from the return
    being edited, or, for a new one, the period chosen on the form or passed as ?year=&period_kind=&half=).
    Rates are never entered: the return computes them from their parts.
    """

    PERIOD = ("year", "period_kind", "half")
    GROUPS = (
        (_("Public-opinion channel"), ChannelReturn.CHANNELS, ChannelReturn.OPINION_FLOWS),
        (_("“Four zeros” service windows"), ("is_window_unit",), ChannelReturn.ZERO_STOCKS + ChannelReturn.ZERO_FLOWS),
        (
            _("Administrative approval"),
            ("cleanup_round",),
            ChannelReturn.APPROVAL_STOCKS + ChannelReturn.APPROVAL_FLOWS,
        ),
    )

    class Meta:
        model = ChannelReturn
        fields = (
            "year",
            "period_kind",
            "half",
            *ChannelReturn.CHANNELS,
            *ChannelReturn.OPINION_FLOWS,
            "is_window_unit",
            *ChannelReturn.ZERO_STOCKS,
            *ChannelReturn.ZERO_FLOWS,
            "cleanup_round",
            *ChannelReturn.APPROVAL_STOCKS,
            *ChannelReturn.APPROVAL_FLOWS,
            "note",
        )
        widgets = dict.fromkeys(ChannelReturn.QUESTIONS, YesNoUnanswered)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["half"].choices = [("", "—"), *ChannelReturn.Half.choices]
        show_when(self.fields["half"], "period_kind", ChannelReturn.PeriodKind.HALF_YEAR)
        self.fields["note"].widget.attrs["rows"] = 3
        self.previous = self.previous_return()
        self.show_previous_values()
        self.helper.layout = Layout(
            Row(*(Column(name, css_class="col-6 col-md-3") for name in self.PERIOD)),
            HTML(
                format_html(
                    '<p class="text-muted small" data-testid="previous-period" data-stale="{}">{}</p>',
                    MSG_PREVIOUS_STALE,
                    self.previous_note(),
                )
            ),
            *(
                Fieldset(
                    title,
                    Row(*(Column(switch(name), css_class="col-6 col-md-4 col-xl-2") for name in switches)),
                    Row(*(Column(name, css_class="col-6 col-md-4 col-xl-2") for name in figures)),
                    css_class="channel-group border rounded px-3 pt-2 mb-3",
                )
                for title, switches, figures in self.GROUPS
            ),
            "note",
            "version",
        )

    def chosen_period(self) -> ChannelReturn | None:
        """An unsaved return carrying the period being entered: the posted one, else the initial one."""
        if not self.instance._state.adding and not self.is_bound:
            return self.instance
        source = self.data if self.is_bound else {**self.initial}
        values = {}
        for name in self.PERIOD:
            raw = source.get(name)
            if raw in (None, ""):
                values[name] = None
                continue
            try:
                values[name] = self.fields[name].clean(raw)
            except forms.ValidationError:
                return None
        kind, half = values["period_kind"], values["half"]
        if not values["year"] or not kind or (kind == ChannelReturn.PeriodKind.HALF_YEAR and half is None):
            return None
        half = int(half) if kind == ChannelReturn.PeriodKind.HALF_YEAR else None
        return ChannelReturn(agency_id=self.instance.agency_id, year=values["year"], period_kind=kind, half=half)

    def previous_return(self) -> ChannelReturn | None:
        self.period = self.chosen_period()
        if self.period is None or self.period.agency_id is None:
            return None
        previous = self.period.previous()
        return previous if previous is None or previous.pk != self.instance.pk else None

    def previous_note(self) -> str:
        if self.period is None:
            return MSG_CHOOSE_PERIOD
        if self.previous is None:
            return MSG_NO_PREVIOUS % {"period": self.period.period_before().period_name()}
        return MSG_PREVIOUS_FROM % {"period": self.previous.period_name()}

    def show_previous_values(self) -> None:
        if self.previous is None:
            return
        for name in ChannelReturn.REQUIRED:  # the yes/no questions among them
            field = self.fields[name]
            text = MSG_LAST_PERIOD % {"value": last_value(getattr(self.previous, name))}
            field.help_text = format_html(
                '{}<span class="last-period">{}<span data-testid="last-{}">{}</span></span>',
                field.help_text,
                " · " if field.help_text else "",
                name,
                text,
            )


def switch(name: str):
    """A yes/no question's 是 / 否 / 未填 side by side; any other switch as it is."""
    return InlineRadios(name) if name in ChannelReturn.QUESTIONS else name


def last_value(value) -> str:
    """A figure as the pages show it: beside a field (last period's) and on a return's page ("—" when empty)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"
