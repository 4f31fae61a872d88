from django import forms
from django.utils.translation import gettext_lazy as _

from notices.services import MESSAGE_MAX_LENGTH, MSG_MESSAGE_TOO_LONG
from outreach.models import Agency

MSG_UNKNOWN_AGENCY = _("There is no agency with the code %(value)s.")
MSG_CHOOSE_PERIOD = _("Choose the period to remind of.")


class AgencyCodes(forms.ModelMultipleChoiceField):
    """Agencies by their codes (`agency` repeated); none chosen means every agency that has not submitted."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Agency.objects.filter(is_active=True).order_by("code"),
            to_field_name="code",
            required=False,
            error_messages={"invalid_choice": MSG_UNKNOWN_AGENCY, "invalid_pk_value": MSG_UNKNOWN_AGENCY},
            **kwargs,
        )
        self.widget.attrs["data-searchable"] = "1"


class RemindForm(forms.Form):
    """What an officer's 催报 posts: the period's key, the agencies (codes; none: every late one), a message."""

    period = forms.CharField(label=_("Period"), max_length=8, error_messages={"required": MSG_CHOOSE_PERIOD})
    agency = AgencyCodes(label=_("Agencies"))
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": MSG_MESSAGE_TOO_LONG},
        help_text=_("Optional, at most 500 characters: sent with the reminder."),
    )

    def clean_period(self):
        return self.cleaned_data["period"].strip()


class ReminderFilterForm(forms.Form):
    """The reminder log's filters: a period key and an agency (by code)."""

    period = forms.CharField(label=_("Period"), required=False, max_length=8)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.order_by("code"),
        to_field_name="code",
        required=False,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"period": "", "agency": None}
        return {"period": self.cleaned_data["period"].strip(), "agency": self.cleaned_data["agency"]}
