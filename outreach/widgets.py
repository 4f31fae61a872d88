"""A choice of one official or place, searched on the server instead of listed in the page.

An officer may choose among 3,600 officials and a visit's place among 1,500 regions: listing them all
made every record form and list filter draw thousands of options. `SearchSelect` renders only the
chosen option; in the browser Tom Select asks the search endpoint (outreach/choice_search.py) for up
to 20 matches of what is typed. The form still checks the choice against the field's whole queryset
(scoped by `for_user()`), so nothing the user may not choose can be saved.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext

#: the form fields searched (a list filter's choice of city stays a list: there are 16)
SEARCHED = ("official", "village", "place")
#: the models whose choices are searched, and the fields a search matches (each word in one of them)
SEARCH_FIELDS = {
    "outreach.official": ("name", "title"),
    "outreach.region": ("full_name", "code"),
}


def search_fields(name: str, field) -> tuple[str, ...] | None:
    """The fields the search of a form's field `name` matches, or None if its choices are not searched."""
    single = isinstance(field, forms.ModelChoiceField) and not isinstance(field, forms.ModelMultipleChoiceField)
    if name not in SEARCHED or not single:
        return None
    return SEARCH_FIELDS.get(field.queryset.model._meta.label_lower)


def source_of(form_class) -> str:
    """The name the search endpoint knows a form (or filter set) class by."""
    return f"{form_class.__module__}.{form_class.__qualname__}"


class SearchSelect(forms.Select):
    """Renders the empty choice and the chosen option only; `static/outreach/search_select.js` searches the rest."""

    def __init__(self, url: str, attrs=None):
        super().__init__(attrs)
        self.url = url

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("data-searchable", None)  # not a list to filter in the page
        attrs["data-search-url"] = self.url
        attrs["data-no-match"] = gettext("No match")
        attrs["data-clear"] = gettext("Clear the choice")
        return attrs

    def optgroups(self, name, value, attrs=None):
        field = self.choices.field
        # a malformed ?official= (not a number, or beyond a 64-bit key) shows nothing chosen
        chosen = [str(v) for v in value if str(v).isdigit() and int(str(v)) < 2**63]
        options = []
        if field.empty_label is not None:
            options.append(self.create_option(name, "", field.empty_label, not chosen, 0))
        if chosen:
            for index, obj in enumerate(field.queryset.filter(pk__in=chosen), start=len(options)):
                options.append(self.create_option(name, str(obj.pk), field.label_from_instance(obj), True, index))
        return [(None, options, 0)]


def use_search_selects(form, source: type) -> None:
    """Give each searched choice field of `form` a SearchSelect asking the endpoint for `source`'s field."""
    for name, field in form.fields.items():
        if search_fields(name, field) is not None:
            widget = SearchSelect(reverse("choice_search", args=[source_of(source), name]), attrs=field.widget.attrs)
            widget.choices, widget.is_required = field.choices, field.required
            field.widget = widget


class NumberTextInput(forms.TextInput):
    """A number typed as text: "1.5万" and "2,000" are read (`outreach.forms.NumberField`), and a refused value comes
    back as typed (a `type=number` input drops what the browser cannot read); `inputmode` brings a phone's number keys.
    """

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
