"""The upload form and the template download form of the import page.

Agency staff never choose an agency: theirs is the one they belong to, whatever a request
carries. Officers and administrators choose it.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from outreach.importing.specs import record_sheets
from outreach.models import Agency
from outreach.roles import agency_id_of, sees_everything

MSG_TOO_LARGE = _(
    "The file is %(size)s; an import takes workbooks of up to %(limit)s. Split it into several workbooks."
)
MSG_NOT_XLSX = _("Choose an Excel workbook (.xlsx). An older .xls file must first be saved as .xlsx in Excel.")
MSG_CHOOSE_AGENCY = _("Choose the agency the records belong to.")
MSG_CHOOSE_FILE = _("Choose the workbook to upload.")


class AgencyChoiceForm(forms.Form):
    """A form whose agency is the user's own (staff: no field) or chosen (officers and administrators)."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.order_by("code"), error_messages={"required": MSG_CHOOSE_AGENCY}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if sees_everything(user):
            self.fields["agency"].widget.attrs["data-searchable"] = "1"
        else:
            del self.fields["agency"]

    def chosen_agency(self) -> Agency:
        if "agency" in self.fields:
            return self.cleaned_data["agency"]
        return Agency.objects.get(pk=agency_id_of(self.user))


class UploadForm(AgencyChoiceForm):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        error_messages={"required": MSG_CHOOSE_FILE},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                MSG_TOO_LARGE,
                code="too_large",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)},
            )
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(MSG_NOT_XLSX, code="not_xlsx")
        return file


class TemplateForm(AgencyChoiceForm):
    """GET ?agency=&types=: the record types the template holds (none ticked: all)."""

    types = forms.MultipleChoiceField(
        label=_("Record types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The template holds one sheet for each type ticked."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = [(sheet.label, sheet.title) for sheet in record_sheets()]
        self.fields["types"].initial = [sheet.label for sheet in record_sheets()]

    def models(self) -> list | None:
        """The chosen record types, parents first; None for all."""
        chosen = set(self.cleaned_data["types"])
        return [sheet.model for sheet in record_sheets() if sheet.label in chosen] or None
