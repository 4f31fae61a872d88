from django import forms
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.forms import DateInput, RecordForm, in_post_or_current
from outreach.models import Agency, Official, PartyOrganisation, Region
from outreach.roles import agency_id_of, default_basis, sees_everything
from outreach.window import BasisForm, WindowForm
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)

MSG_AS_OF_OUTSIDE_YEAR = _("The as-of date must lie in the chosen year.")


def committees_for(user):
    """The agency Party committee(s) a user may pair: their own agency's only."""
    committees = PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.AGENCY_COMMITTEE)
    if sees_everything(user):
        return committees
    return committees.filter(agency_id=agency_id_of(user)) if agency_id_of(user) else committees.none()


class ContactPointForm(RecordForm):
    keep_on_add_another = ("official", "start_date")

    class Meta:
        model = ContactPoint
        fields = ("official", "village", "start_date", "end_date", "note")
        help_texts = {"village": _("Poor villages of Bozhou, Suzhou, Fuyang, Lu'an and Anqing")}

    def scope(self, user):
        self.fields["official"].queryset = in_post_or_current(
            Official.objects.for_user(user).filter(rank=Official.Rank.DEPARTMENT), self.instance.official_id
        ).select_related("agency")
        self.fields["village"].queryset = Region.objects.poor_villages_of_target_cities().order_by("full_name")


class NeedyPersonForm(RecordForm):
    keep_on_add_another = ("village", "category")

    class Meta:
        model = NeedyPerson
        fields = ("name", "village", "category", "note")
        help_texts = {"name": _("Name, village and category only: never an identity-card number")}

    def scope(self, user):
        # A needy person lives in a village or an urban community (model rule).
        self.fields["village"].queryset = Region.objects.filter(
            level__in=(Region.Level.VILLAGE, Region.Level.COMMUNITY)
        ).order_by("full_name")


class NeedyPairingForm(RecordForm):
    keep_on_add_another = ("official", "start_date")

    class Meta:
        model = NeedyPairing
        fields = ("official", "needy_person", "start_date", "end_date", "note")

    def scope(self, user):
        self.fields["official"].queryset = in_post_or_current(
            Official.objects.for_user(user), self.instance.official_id
        )
        self.fields["needy_person"].queryset = NeedyPerson.objects.for_user(user).order_by("name", "pk")


class ContactPointActivityForm(RecordForm):
    class Meta:
        model = ContactPointActivity
        fields = ("contact_point", "kind", "date", "people_consoled", "problems_solved", "money", "note")

    def scope(self, user):
        self.fields["contact_point"].queryset = ContactPoint.objects.for_user(user).select_related(
            "official", "village"
        )


class PairingForm(RecordForm):
    keep_on_add_another = ("committee", "start_date")

    class Meta:
        model = Pairing
        fields = ("committee", "partner", "start_date", "end_date", "note")
        help_texts = {"partner": _("An urban community or disadvantaged village Party organisation")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        committees = self.fields["committee"].queryset
        if self.instance._state.adding and not self.initial.get("committee") and len(committees) == 1:
            self.initial["committee"] = committees[0].pk

    def scope(self, user):
        self.fields["committee"].queryset = committees_for(user)
        self.fields["partner"].queryset = PartyOrganisation.objects.filter(
            kind__in=(PartyOrganisation.Kind.COMMUNITY, PartyOrganisation.Kind.VILLAGE)
        ).order_by("kind", "name")


def pairing_choices(user):
    return Pairing.objects.for_user(user).select_related("committee", "partner")


class JointActivityForm(RecordForm):
    class Meta:
        model = JointActivity
        fields = ("pairing", "kind", "date", "title", "participants", "note")

    def scope(self, user):
        self.fields["pairing"].queryset = pairing_choices(user)


class SupportForm(RecordForm):
    class Meta:
        model = Support
        fields = ("pairing", "date", "projects_planned", "projects_supported", "industries_assisted", "funds", "note")

    def scope(self, user):
        self.fields["pairing"].queryset = pairing_choices(user)


class ComplianceFilterForm(WindowForm, BasisForm):
    """Filters of the compliance pages: year (and an optional as-of date in it), agency for officers, status."""

    whole_year = True  # without an as-of date, the window is the whole year
    as_of_outside_year = MSG_AS_OF_OUTSIDE_YEAR

    STATUS_CHOICES = (("", _("All")), ("behind", _("Behind")), ("complete", _("Complete")))

    year = forms.IntegerField(label=_("year"), required=False)
    as_of = forms.DateField(
        label=_("as of"), required=False, widget=DateInput(), help_text=_("Default: the end of the year")
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True), label=_("agency"), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, basis=default_basis(user), **kwargs)
        # The upper bound moves with the calendar, so the field is built per form.
        self.fields["year"] = forms.IntegerField(
            label=_("year"), min_value=2000, max_value=clock.today().year, required=False
        )
        if sees_everything(user):
            self.fields["agency"].widget.attrs["data-searchable"] = "1"
        else:
            del self.fields["agency"]
