"""The filters every report shares: year, as-of date, agency (officers only), city and basis (统计口径)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, Basis, Region
from outreach.roles import default_basis  # noqa: F401 (also the reports')
from outreach.window import MSG_BAD_BASIS, BasisForm, WindowForm, default_as_of  # noqa: F401 (also the reports')
from reports.scope import Scope as ReportScope  # a report's scope under the name its callers know

MSG_BAD_YEAR = _("The year must be a whole number between 2000 and 2100.")
MSG_BAD_AS_OF = _("The as-of date must be a date (YYYY-MM-DD) within the year.")
MSG_NO_SCOPE = _("Your account is not linked to an agency or a role that may see statistics.")
MSG_UNKNOWN_AGENCY = _("There is no agency with this code.")
MSG_UNKNOWN_CITY = _("There is no city with this code.")


def basis_text(basis: str) -> str:
    """The basis in words beside the figures: "Basis: Submitted (approved and submitted months …)"."""
    basis = Basis(basis)
    return _("Basis: %(basis)s (%(description)s)") % {"basis": basis.label, "description": basis.description}


class ReportFilterForm(WindowForm, BasisForm):
    """GET filters of the dashboard and the year-end statistics; agency codes and city codes, not ids."""

    as_of_outside_year = MSG_BAD_AS_OF

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": MSG_BAD_YEAR, "min_value": MSG_BAD_YEAR, "max_value": MSG_BAD_YEAR},
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": MSG_BAD_AS_OF},
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All agencies"),
        error_messages={"invalid_choice": MSG_UNKNOWN_AGENCY},
    )
    city = forms.ModelChoiceField(
        label=_("City"),
        required=False,
        to_field_name="code",
        empty_label=_("All cities"),
        queryset=Region.objects.filter(level=Region.Level.CITY).order_by("-is_target_city", "code"),
        error_messages={"invalid_choice": MSG_UNKNOWN_CITY},
    )

    def __init__(self, data=None, *, own_agency: Agency | None = None, **kwargs):
        """`own_agency`: the staff user's agency, which they are held to (None: officers, the province).
        `basis`: the basis when none is chosen (`default_basis(user)`)."""
        super().__init__(data, **kwargs)
        self.own_agency = own_agency
        if own_agency is not None:
            del self.fields["agency"]

    def clean(self):
        if self.errors:  # a field is wrong: the window is not read
            return self.cleaned_data
        return super().clean()

    def scope(self) -> ReportScope:
        """The validated scope; staff are held to their own agency (call after is_valid())."""
        data = self.cleaned_data
        agency = self.own_agency if self.own_agency is not None else data.get("agency")
        return ReportScope(
            year=data["year"], as_of=self.window().end, agency=agency, city=data.get("city"), basis=self.chosen_basis()
        )
