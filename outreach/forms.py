"""Base form of field-work records: the agency comes from the user, choices are scoped, stale edits refused."""

from functools import partial

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.forms.models import ModelFormMetaclass
from django.utils.translation import gettext_lazy as _

from outreach.importing import cells
from outreach.importing.specs import DECIMAL, INT, MONEY, kind_of
from outreach.models import Agency, PeriodReturn
from outreach.roles import agency_id_of
from outreach.services import MSG_COMMENT_REQUIRED, MSG_REASON_REQUIRED
from outreach.validation import YEAR_MAX, YEAR_MIN
from outreach.widgets import NumberTextInput, use_search_selects

MSG_STALE = _(
    "Someone else changed this record while you were editing it. Your changes were not saved: "
    "reload the page to see the current values, then make your changes again."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class NumberField:
    """A number field of a record form, read as the import reads a cell (`importing.cells`): "1.5万" is 15,000,
    "2,000" and "３０人" are read, "300余" is refused with the import's message. The readers are signed here: a
    negative number is refused by the field's own bounds, in the model's words ("The hours cannot be negative.").
    Typed into a text input, so that a refused value comes back as typed, with its message beside it."""

    widget = NumberTextInput

    def __init__(self, *, reader, **kwargs):
        self.reader = reader
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.reader(value, signed=True)
        except cells.CellError as error:
            raise forms.ValidationError(error.message, code="invalid", params=error.params or None) from None


class CountField(NumberField, forms.IntegerField):
    pass


class AmountField(NumberField, forms.DecimalField):
    pass


def record_formfield(model_field, **kwargs):
    """A record form's field of `model_field`: Django's, except that a number is read as the import reads its column
    (`importing.specs.kind_of`: a whole number, an amount in yuan, a decimal of the field's places)."""
    kind = kind_of(model_field)
    if kind == INT:
        kwargs.update(form_class=CountField, reader=cells.read_int)
    elif kind == MONEY:
        kwargs.update(form_class=AmountField, reader=cells.read_money)
    elif kind == DECIMAL:
        kwargs.update(form_class=AmountField, reader=partial(cells.read_decimal, places=model_field.decimal_places))
    return with_choose_label(model_field.formfield(**kwargs))


MSG_CHOOSE = _("Choose…")


def with_choose_label(field):
    """A select's empty choice reads "Choose…" (请选择), not Django's "---------": a related object's
    (empty_label, which the search box shows too) and a model choice's blank line alike."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            field.empty_label = MSG_CHOOSE
    elif isinstance(field, forms.ChoiceField):
        dash = models.BLANK_CHOICE_DASH[0]
        field.choices = [
            (value, MSG_CHOOSE) if (value, label) == dash else (value, label) for value, label in field.choices
        ]
    return field


class RecordFormMetaclass(ModelFormMetaclass):
    """Every record form builds its fields with `record_formfield` (an inline formset's form included: its Meta
    derives from the form's)."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and getattr(meta, "formfield_callback", None) is None:
            meta.formfield_callback = staticmethod(record_formfield)
        return super().__new__(mcs, name, bases, attrs)


class RecordForm(forms.ModelForm, metaclass=RecordFormMetaclass):
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
    #: fields carried over to the next form by "save and add another"
    keep_on_add_another: tuple[str, ...] = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance._state.adding:
            self.instance.agency_id = agency_id_of(user)
        else:
            self.fields["version"].initial = self.instance.version
        for _name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                if hasattr(queryset, "for_user"):
                    field.queryset = queryset.for_user(user)
                field.widget.attrs.setdefault("data-searchable", "1")
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
        self.use_model_messages()
        self.scope(user)
        use_search_selects(self, type(self))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def use_model_messages(self) -> None:
        """A form's number field checks its bounds before the model does, in Django's generic words;
        the model's validators carry the programme's messages ("The number cannot be negative.")."""
        for name, field in self.fields.items():
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field such as `version`
                continue
            for validator in model_field.validators:
                if isinstance(validator, MinValueValidator):
                    field.error_messages["min_value"] = validator.message
                elif isinstance(validator, MaxValueValidator):
                    field.error_messages["max_value"] = validator.message
            if isinstance(field, forms.IntegerField):
                self.use_model_bounds(field, model_field)

    @staticmethod
    def use_model_bounds(field, model_field) -> None:
        """The model's tightest bounds hold on the form too: what a form reads before saving (a channel return's
        year, for last period's values) is never out of them (a year 10000, 2147483648)."""
        for kind, tightest in ((MinValueValidator, max), (MaxValueValidator, min)):
            limits = [v.limit_value for v in model_field.validators if type(v) is kind]
            if not limits:
                continue
            limit = tightest(limits)
            own = [v.limit_value for v in field.validators if type(v) is kind]
            if not own or tightest([*own, limit]) != tightest(own):
                field.validators.append(kind(limit))

    def scope(self, user) -> None:
        """Narrow choices further (a hook for subclasses)."""

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("version")
        # An edit carries the version it was opened at: missing, empty, unreadable or old, it may overwrite a newer save.
        if not self.instance._state.adding and seen != self.instance.version:
            raise forms.ValidationError(MSG_STALE, code="stale")
        return cleaned


def in_post_or_current(officials, current_id):
    """Officials in post, and the record's own official even if no longer in post (so an old record stays editable)."""
    return officials.filter(Q(is_active=True) | Q(pk=current_id))


# --- monthly returns and period locks ------------------------------------------------------

MSG_CHOOSE_MONTH = _("Choose the month to lock.")

MONTH_CHOICES = [(m, str(m)) for m in range(1, 13)]


def _year_field(**kwargs):
    return forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


def _month_field(**kwargs):
    return forms.TypedChoiceField(
        label=_("Month"), choices=[("", "—")] + MONTH_CHOICES, coerce=int, empty_value=None, **kwargs
    )


class YearForm(forms.Form):
    """The year whose months a page shows (?year=)."""

    year = _year_field(required=False)


class MonthForm(forms.Form):
    """A month of a year: what a clerk submits."""

    year = _year_field()
    month = _month_field()


class ReviewFilterForm(forms.Form):
    """Filters of the officers' review queue; an empty query shows what awaits review."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + list(PeriodReturn.Status.choices)
    )
    year = _year_field(required=False)
    month = _month_field(required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), required=False, queryset=Agency.objects.order_by("code"))

    def __init__(self, data=None, *, year=None, **kwargs):
        """`year`: the year the user keeps, which an empty query shows (`outreach.window.kept_query`)."""
        if data is None or not any(name in data for name in self.base_fields):
            data = {"status": PeriodReturn.Status.SUBMITTED}  # e.g. ?page=2 of the default queue
            if year:
                data["year"] = year
        super().__init__(data, **kwargs)
        self.fields["agency"].widget.attrs["data-searchable"] = "1"

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped and shown as an error on its field)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


def _note_field(label, *, rows=3, required_message=None):
    """A reviewer's free text (comment, reason) of at most 2,000 characters; required where it has a message."""
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=None if required_message is None else {"required": required_message},
    )


class ApproveForm(forms.Form):
    comment = _note_field(_("Comment (optional)"), rows=2)


class ReturnForm(forms.Form):
    """Returning a month needs a comment: the clerk must know what to correct."""

    comment = _note_field(_("What needs correcting"), required_message=MSG_COMMENT_REQUIRED)


class LockForm(forms.Form):
    """Lock one month, or a whole year up to an as-of date, for every agency."""

    class Scope(models.TextChoices):
        MONTH = "month", _("One month")
        YEAR = "year", _("The whole year up to an as-of date")

    scope = forms.ChoiceField(label=_("Lock"), choices=Scope.choices, initial=Scope.MONTH, widget=forms.RadioSelect)
    year = _year_field()
    month = _month_field(required=False, help_text=_("For a month lock"))
    up_to = forms.DateField(
        label=_("Up to"),
        required=False,
        widget=DateInput,
        help_text=_("For a whole-year lock: the as-of date (default: the year's end)"),
    )
    #: the period previewed and confirmed (`LockPreview.key`), when some agency's month in it is not approved
    confirm = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.Scope.MONTH:
            cleaned["up_to"] = None
            if cleaned.get("month") is None and "month" not in self.errors:
                self.add_error("month", forms.ValidationError(MSG_CHOOSE_MONTH, code="month_required"))
        else:
            cleaned["month"] = None
        return cleaned


class UnlockForm(forms.Form):
    reason = _note_field(_("Reason for unlocking"), required_message=MSG_REASON_REQUIRED)
