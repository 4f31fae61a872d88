"""Base form of field-work records: the agency comes from the user, choices are scoped, stale edits refused."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from outreach.roles import agency_id_of

MSG_STALE = _(
    "Someone else changed this record while you were editing it. Your changes were not saved: "
    "reload the page to see the current values, then make your changes again."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RecordForm(forms.ModelForm):
    """ModelForm of an AgencyRecord.

    - a new record belongs to the user's agency (never to a posted agency id);
    - every related-object choice goes through `for_user()`, so another agency's
      official, contact point or pairing is not a valid choice;
    - the version seen when the form was opened travels with it: if the record
      changed since, the save is refused instead of silently overwriting.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    #: choices with more options than this get a search box
    SEARCHABLE_FROM = 15

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance._state.adding:
            self.instance.agency_id = agency_id_of(user)
        else:
            self.fields["version"].initial = self.instance.version
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                if hasattr(queryset, "for_user"):
                    field.queryset = queryset.for_user(user)
                field.widget.attrs.setdefault("data-searchable", "1")
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
        self.scope(user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def scope(self, user) -> None:
        """Narrow choices further (a hook for subclasses)."""

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("version")
        if not self.instance._state.adding and seen is not None and seen != self.instance.version:
            raise forms.ValidationError(MSG_STALE, code="stale")
        return cleaned
