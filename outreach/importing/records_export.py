"""The records of a year in the import format, from the imports page: a form whose POST starts the
`records_export` job (`outreach.exports_jobs`; `manage.py export_records` on the command line).

Agency staff export their own agency's records (no choice); officers and administrators one agency or all.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from jobs import services
from jobs.views import to_job
from outreach import clock
from outreach.importing.forms import AgencyChoiceForm
from outreach.mixins import RoleRequiredMixin
from outreach.models import Agency
from outreach.roles import Role
from outreach.window import KEPT_YEAR, YEAR_MAX, YEAR_MIN

KIND = "records_export"
MSG_BAD_YEAR = _("The year must be a whole number between 2000 and 2100.")  # YEAR_MIN, YEAR_MAX (reports' words)
MSG_UNKNOWN_AGENCY = _("There is no agency with this code.")


def records_filename(year: int, agency: Agency | None) -> str:
    """records-2014-A001.xlsx, or records-2014-all.xlsx for every agency."""
    return f"records-{year}-{agency.code if agency is not None else 'all'}.xlsx"


class RecordsExportForm(AgencyChoiceForm):
    """The year, and for officers and administrators the agency by its code (none: every agency)."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), MSG_BAD_YEAR),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        agency = self.fields.get("agency")
        if agency is not None:  # staff have no choice: `chosen_agency()` is their own
            agency.required, agency.to_field_name, agency.empty_label = False, "code", _("All agencies")
            agency.widget.is_required = False
            agency.error_messages["invalid_choice"] = MSG_UNKNOWN_AGENCY
        self.order_fields(["year", "agency"])

    def arguments(self) -> dict:
        agency = self.chosen_agency()
        return {"year": self.cleaned_data["year"], "agency": agency.code if agency is not None else None}


def records_export_form(request) -> RecordsExportForm:
    """The imports page's card: the year the user keeps (else this year), every agency for officers."""
    year = getattr(request, "session", {}).get(KEPT_YEAR) or clock.today().year
    return RecordsExportForm(user=request.user, initial={"year": year})


class RecordsExportView(RoleRequiredMixin, FormView):
    """GET: the form on its own page; POST: the export as a background job, then its page (a bad year or
    agency: the form again with its message, nothing queued; too many jobs at once: the same)."""

    roles = (Role.STAFF, Role.OFFICER, Role.ADMIN)
    template_name = "outreach/imports/export.html"

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return RecordsExportForm(self.request.POST, user=self.request.user)
        return records_export_form(self.request)

    def form_valid(self, form):
        user = self.request.user
        try:
            job = services.enqueue(KIND, user=user, agency=form.chosen_agency(), arguments=form.arguments())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return to_job(self.request, job)
