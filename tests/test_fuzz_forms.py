"""Fuzzing every record form and list of pairings and visits (issue 14 item 5): no input makes a 500.

For each record type, hypothesis posts generated values to the add form and to the edit
form of an existing record as the agency's clerk: per field, a mix of valid-looking values
and hostile ones (empty, whitespace, 100,000 characters, NUL and control characters, huge
and negative numbers, "1.5万", impossible dates, another agency's and non-existent ids,
lists instead of scalars). The answer is never a server error, and a refused form
(anything but the redirect of a save) leaves no new row and the edited record as it was.
Each list is opened with generated filter, page, sort and export parameters: never a 500.

Runs are reproducible (`derandomize`, no example database) and small (`max_examples`).
"""

import traceback
from dataclasses import dataclass

import pytest
from django import forms
from django.test import Client
from django.test.client import RequestFactory
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from outreach.widgets import SearchSelect
from tests.factories import ChannelReturnFactory, ContactPointFactory, VisitFactory, poor_village
from tests.record_specs import SPECS
from visits.models import ChannelReturn

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure reports its first example, quickly
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: a field posted as the valid form has it
KEEP = object()
#: a field left out of the post altogether
OMIT = object()

#: over-long text, built when drawn (a literal of 100,000 characters would fill every report)
LONG_TEXTS = st.sampled_from([("长", 2_000), ("长", 2_001), ("x", 10_000), ("长", 100_000)]).map(
    lambda cn: cn[0] * cn[1]
)
HOSTILE = [
    "",
    " ",
    "\t\n\r ",
    "\x00",
    "1\x00",
    "2014-03-05\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u202e\ufeff\u200b",
    "1.5万",
    "一万",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    str(10**30),
    "-1",
    "-0",
    "0",
    "1e308",
    "1e-308",
    "NaN",
    "-Infinity",
    "0.1234567890123456789",
    "12345678901234567890.12",
    "99999999999999999999999999999.999999",
    "1,000",
    "10000-01-01",
    "0000-00-00",
    "2014-02-30",
    "2014-13-01",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2101-01-01",
    "2014/03/05",
    "2014-03-05T25:61:00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
]


#: values posted in every field at once, before the generated examples: each run tries them all
SWEEP = ["\x00", "2147483648", "9223372036854775808", "1.5万", "10000-01-01", "2014-02-30", "长" * 2_001, ["1", "-1"]]


def swept(test, fields, argument):
    """`test` with an explicit example per SWEEP value, that value in each of `fields` (name → form field or None)."""
    for value in reversed(SWEEP):
        names = [name for name, field in fields.items() if field is not MANAGEMENT]
        test = example(**{argument: dict.fromkeys(names, value)})(test)
    return test


#: an inline formset's management field (`items-TOTAL_FORMS`): Django builds up to 2,000 forms for a huge count,
#: which is slow but no error; the fuzz posts small and malformed counts only
MANAGEMENT = object()
MANAGEMENT_VALUES = st.sampled_from(["", "0", "1", "3", "-1", "abc", "\x00", "1.5万", " 2"])


def hostile():
    return st.one_of(st.sampled_from(HOSTILE), LONG_TEXTS)


def numbers():
    return st.one_of(
        st.integers(min_value=-(10**31), max_value=10**31).map(str),
        st.integers(min_value=0, max_value=500).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats().map(repr),
    )


def dates():
    return st.one_of(
        st.dates().map(lambda day: day.isoformat()),
        st.tuples(st.integers(-1, 99_999), st.integers(-1, 14), st.integers(-1, 33)).map(
            lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
        ),
    )


def texts():
    return st.one_of(st.text(max_size=60), LONG_TEXTS)


def typed(field, valid, foreign):
    """Valid-looking values of a form field's kind."""
    if isinstance(field, forms.ModelChoiceField):
        ids = [*valid, *foreign, 0, -1, 999_999_999, 2147483648]
        return st.one_of(st.sampled_from(ids).map(str), st.text(max_size=10))
    if isinstance(field, forms.DateField):
        return dates()
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return numbers()
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "true", "false", "1", "0", "", "yes"])
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        return st.one_of(st.sampled_from(values or [""]), st.text(max_size=20))
    return texts()


def searched(field) -> bool:
    """A searched choice (SearchSelect): it looks up the posted ids to show the one chosen."""
    return isinstance(getattr(field, "widget", None), SearchSelect)


def value_of(field, valid, foreign):
    scalar = st.one_of(typed(field, valid, foreign), hostile())
    return st.one_of(
        st.just(KEEP),
        scalar,
        st.lists(scalar, min_size=2, max_size=3),  # a list instead of a scalar: the field posted twice
        st.just(OMIT),
    )


def changed(base, changes) -> dict:
    """The valid form `base` with each field kept, left out, or replaced by a generated value."""
    data = dict(base)
    for name, value in changes.items():
        if value is OMIT:
            data.pop(name, None)
        elif value is not KEEP:
            data[name] = value
    return data


# --- what is fuzzed: the record types -------------------------------------------------------


@dataclass
class Target:
    """A record type's forms: how to make a record, and valid add data (`None`: the made record's own values)."""

    name: str
    model: type
    make: object
    form_data: object = None

    def url(self, action, *args):
        return reverse(f"{self.model._meta.app_label}:{self.model._meta.model_name}_{action}", args=args)

    def __str__(self):
        return self.name


def contact_point(agency, parent=None, **kw):
    return ContactPointFactory(agency=agency, village=poor_village(), **kw)


def channel_return(agency, parent=None, **kw):
    return ChannelReturnFactory(agency=agency, **kw)


def visit(agency, parent=None, **kw):
    return VisitFactory(agency=agency, place=poor_village(), **kw)


TARGETS = [Target(spec.name, spec.model, spec.make, spec.form_data) for spec in SPECS] + [
    Target("contactpoint", ContactPointFactory._meta.model, contact_point),
    Target("visit", VisitFactory._meta.model, visit),
    Target("channelreturn", ChannelReturn, channel_return),
]


def view_of(url):
    """The view's class with the options its URL gives it (`record_urls` passes the form, table and filters)."""
    func = resolve(url).func
    return type("Configured", (func.view_class,), dict(func.view_initkwargs))


def clerk_client(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def form_values(form_class, record, user) -> dict:
    """A record's edit form as the browser posts it (its formset's management data included)."""
    form = form_class(instance=record, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue  # an empty field or unchecked box is not posted
        data[name] = "on" if value is True else str(value)
    return data


def formset_values(view, record, user) -> dict:
    if view.formset_class is None:
        return {}
    formset = view.formset_class(instance=record, prefix="items", form_kwargs={"user": user})
    data = {f"items-{name}": value for name, value in formset.management_form.initial.items()}
    for form in formset.initial_forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = str(value)
    return data


def strategies_for(form_class, user, other_user, extra_names=()) -> dict:
    """Per field of the form, a strategy of posted values; ids of the user's own and another agency's choices."""
    form, other = form_class(user=user), form_class(user=other_user)
    strategies, fields = {}, dict(form.fields)
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        own = list(queryset.values_list("pk", flat=True)[:5]) if queryset is not None else []
        theirs = other.fields[name].queryset.values_list("pk", flat=True) if queryset is not None else []
        foreign = [pk for pk in theirs[:20] if pk not in own][:5]
        strategies[name] = value_of(field, own, foreign)
    for name in extra_names:
        strategies[name], fields[name] = st.one_of(st.just(KEEP), MANAGEMENT_VALUES), MANAGEMENT
    return strategies, fields


def failure(response) -> str:
    """What a server error raised, for the assertion message."""
    if getattr(response, "exc_info", None):
        frames = traceback.extract_tb(response.exc_info[2])
        ours = [frame for frame in frames if "/site-packages/" not in frame.filename] or frames
        where = "".join(traceback.format_list(ours[-4:]))
        return where + "".join(traceback.format_exception_only(response.exc_info[1]))
    return response.content.decode(errors="replace")[:500]


def shown(value):
    text = repr(value)
    return text if len(text) < 200 else f"{text[:120]}… ({len(text)} chars)"


def refused_with_errors(response) -> bool:
    form = response.context["form"] if response.context and "form" in response.context else None
    formset = response.context.get("formset") if response.context else None
    return bool(
        (form is not None and form.errors)
        or (formset is not None and (any(formset.errors) or formset.non_form_errors()))
    )


def counts(model) -> tuple[int, int]:
    return model.all_objects.count(), model.history.count()


def row(model, pk) -> dict:
    return model.all_objects.filter(pk=pk).values().get()


def check_answer(response, data, model, before_counts, record_pk=None, before_row=None):
    changed = {name: shown(value) for name, value in data.items()}
    assert response.status_code < 500, f"{response.status_code} for {changed}\n{failure(response)}"
    if response.status_code == 302:
        return
    if response.status_code == 200:
        assert refused_with_errors(response), f"a form came back without an error for {changed}"
    assert counts(model) == before_counts, f"a refused form saved a row: {changed}"
    if record_pk is not None:
        assert row(model, record_pk) == before_row, f"a refused edit changed the record: {changed}"


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_the_add_form_never_answers_a_server_error(staff_a, staff_b, agency_a, agency_b, target):
    view = view_of(target.url("add"))
    model = target.model
    if target.form_data is not None:
        target.form_data(agency_b)  # another agency's choices, to tamper into the post
        base = target.form_data(agency_a)
    else:
        target.make(agency_b)
        record = target.make(agency_a)
        base = form_values(view.form_class, record, staff_a)
        base.pop("version", None)
    if view.formset_class is not None:
        base.update({"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"})
    formset_names = ("items-TOTAL_FORMS", "items-INITIAL_FORMS") if view.formset_class else ()
    strategies, fields = strategies_for(view.form_class, staff_a, staff_b, formset_names)
    client = clerk_client(staff_a)

    @FUZZ
    @given(changes=st.fixed_dictionaries(strategies))
    def posts(changes):
        data = changed(base, changes)
        before = counts(model)
        response = client.post(target.url("add"), data)
        check_answer(response, data, model, before)

    swept(posts, fields, "changes")()


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_the_edit_form_never_answers_a_server_error(staff_a, staff_b, agency_a, agency_b, target):
    view = view_of(target.url("add"))
    model = target.model
    target.make(agency_b)
    record = target.make(agency_a)
    if target.form_data is not None:
        target.form_data(agency_a)  # choices of the clerk's own to switch to
        target.form_data(agency_b)
    strategies, fields = strategies_for(view.form_class, staff_a, staff_b)
    for name in formset_values(view, record, staff_a):
        if name.endswith(("_FORMS", "_NUM_FORMS")):
            strategies[name], fields[name] = st.one_of(st.just(KEEP), MANAGEMENT_VALUES), MANAGEMENT
        else:
            strategies[name], fields[name] = value_of(forms.CharField(), [], []), None
    client = clerk_client(staff_a)

    @FUZZ
    @given(changes=st.fixed_dictionaries(strategies))
    def posts(changes):
        current = model.all_objects.get(pk=record.pk)
        base = {**form_values(view.form_class, current, staff_a), **formset_values(view, current, staff_a)}
        data = changed(base, changes)
        before, before_row = counts(model), row(model, record.pk)
        response = client.post(target.url("edit", record.pk), data)
        check_answer(response, data, model, before, record.pk, before_row)

    swept(posts, fields, "changes")()


def filter_fields(filterset_class, user) -> dict:
    """The GET names of a list's filters as its form posts them (a date range as `<name>_min`, `<name>_max`)."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    form = filterset_class(data={}, queryset=filterset_class._meta.model.all_objects.none(), request=request).form
    fields = {}
    for name, field in form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None) or [""]
        fields.update({f"{name}_{suffix}" if suffix else name: field for suffix in suffixes})
    return fields


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_the_list_never_answers_a_server_error(staff_a, agency_a, agency_b, target):
    view = view_of(target.url("list"))
    target.make(agency_a)
    target.make(agency_b)
    fields = filter_fields(view.filterset_class, staff_a)
    table_columns = [name for name, column in view.table_class.base_columns.items() if column.orderable is not False]
    scalar = st.one_of(dates(), numbers(), hostile(), st.text(max_size=20))

    def param(field):
        return st.one_of(st.just(OMIT), scalar, st.lists(scalar, min_size=2, max_size=3))

    strategies = {name: param(field) for name, field in fields.items()}
    anything = param(None)
    strategies["page"] = st.one_of(st.just(OMIT), st.sampled_from(["1", "2", "last", "0", "-1"]), anything)
    strategies["sort"] = st.one_of(
        st.just(OMIT), st.sampled_from([*table_columns, *(f"-{name}" for name in table_columns)]), anything
    )
    strategies["export"] = st.one_of(st.just(OMIT), st.just("xlsx"), anything)
    client = clerk_client(staff_a)

    @FUZZ
    @given(params=st.fixed_dictionaries(strategies))
    def opens(params):
        query = {name: value for name, value in params.items() if value is not OMIT}
        response = client.get(target.url("list"), query)
        shown_query = {name: shown(value) for name, value in query.items()}
        assert response.status_code < 500, f"{response.status_code} for {shown_query}\n{failure(response)}"

    fields.update(page=None, sort=None, export=None)
    swept(opens, fields, "params")()


def test_the_fuzzed_values_include_what_the_issue_names():
    """The hostile values cover the issue's list (a guard against trimming them)."""
    for value in ("", "\x00", "1.5万", "2147483648", str(10**30), "-1", "10000-01-01", "0000-00-00", "2014-02-30"):
        assert value in HOSTILE


@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_an_id_beyond_64_bits_in_a_searched_choice_is_no_server_error(staff_a, agency_a, target):
    """Every searched choice of the add form, edit form and list posted an id beyond 64 bits (SQLite: OverflowError
    once, in outreach/widgets.py SearchSelect.optgroups): refused or ignored, never a server error."""
    record = target.make(agency_a)
    client = clerk_client(staff_a)
    huge = str(2**63)
    add = view_of(target.url("add"))
    form_fields = [name for name, field in add.form_class(user=staff_a).fields.items() if searched(field)]
    list_fields = [
        name
        for name, field in filter_fields(view_of(target.url("list")).filterset_class, staff_a).items()
        if searched(field)
    ]
    before, before_row = counts(target.model), row(target.model, record.pk)
    answers = [
        client.post(target.url("add"), dict.fromkeys(form_fields, huge)),
        client.post(target.url("edit", record.pk), dict.fromkeys(form_fields, huge)),
        client.get(target.url("list"), dict.fromkeys(list_fields, huge)),
    ]
    assert [response.status_code < 500 for response in answers] == [True, True, True], [
        failure(r) for r in answers if r.status_code >= 500
    ]
    assert counts(target.model) == before and row(target.model, record.pk) == before_row
