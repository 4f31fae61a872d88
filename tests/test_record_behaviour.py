"""Every pairings and visits record type in the browser's terms: add, edit, delete, scoping, filters, totals, export.

The record types differ only in what their spec says (tests/pairings/specs.py,
tests/visits/service_specs.py); each test runs once per type (the test id names it).
What only one type does is tested in its app's own files.
"""

import pytest
from django import forms

from tests.record_checks import (
    check_every_sortable_column_sorts,
    check_totals_over_every_filtered_row,
    edit_data,
    export_rows,
    form_errors,
    listed,
)
from tests.record_specs import NUMERIC_SPECS, PARENT_SPECS, SPECS

pytestmark = pytest.mark.django_db

INVALID_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_staff_adds_a_record_that_belongs_to_their_agency(cast, staff_a, agency_a, agency_b, spec):
    # A posted agency id is ignored: the record belongs to the clerk's agency.
    response = cast["staff_a"].post(spec.url("add"), {**spec.form_data(agency_a), "agency": agency_b.pk})
    record = spec.model.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == record.get_absolute_url()
    assert record.agency == agency_a and record.created_by == staff_a and record.version == 1
    assert listed(cast["staff_a"].get(spec.url("list"))) == [record]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_save_and_add_another_keeps_the_parent_and_date(cast, agency_a, spec):
    data = spec.form_data(agency_a)
    response = cast["staff_a"].post(spec.url("add"), {**data, "_addanother": "1"})
    assert response.status_code == 302 and response.headers["Location"].startswith(spec.url("add") + "?")
    form = cast["staff_a"].get(response.headers["Location"]).context["form"]
    assert {name: str(form.initial[name]) for name in spec.keep} == {name: str(data[name]) for name in spec.keep}
    assert spec.model.objects.count() == 1


@pytest.mark.parametrize("spec", PARENT_SPECS, ids=str)
def test_another_agencys_parent_tampered_into_the_post_is_refused(cast, agency_a, agency_b, spec):
    data = spec.form_data(agency_a)
    # The other agency's own valid form data names its own parent: post that id as ours.
    data[spec.parent_field] = spec.form_data(agency_b)[spec.parent_field]
    errors = form_errors(cast["staff_a"].post(spec.url("add"), data))
    assert errors[spec.parent_field] == [str(INVALID_CHOICE)]
    assert spec.model.all_objects.count() == 0


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_staff_edits_their_record_and_the_change_is_in_its_history(cast, staff_a, agency_a, spec):
    record = spec.make(agency_a)
    field, value = spec.change
    response = cast["staff_a"].post(
        spec.url("edit", record.pk), edit_data(cast["staff_a"], spec, record, **{field: value})
    )
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert getattr(record, field) == value and record.version == 2 and record.updated_by == staff_a
    history = cast["staff_a"].get(record.get_absolute_url()).context["history"]
    assert [change["field"] for change in history[0]["changes"]] == [spec.model._meta.get_field(field).verbose_name]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_a_deleted_record_leaves_the_list_the_totals_and_the_export(cast, agency_a, spec):
    parent = spec.make_parent(agency_a)
    kept, gone = spec.make(agency_a, parent), spec.make(agency_a, parent)
    response = cast["staff_a"].post(spec.url("delete", gone.pk))
    assert response.status_code == 302
    assert spec.model.objects.filter(pk=gone.pk).count() == 0 and spec.model.all_objects.filter(pk=gone.pk).count() == 1

    page = cast["staff_a"].get(spec.url("list"))
    assert listed(page) == [kept]
    assert page.context["table"].totals == {name: getattr(kept, name) for name in spec.sums}
    assert [row[0] for row in export_rows(cast["staff_a"].get(spec.url("list") + "?export=xlsx"))] == [str(kept.pk)]
    assert cast["staff_a"].get(gone.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_another_agencys_record_is_404_and_stays_unchanged(cast, agency_b, spec):
    record = spec.make(agency_b)
    for action in ("detail", "edit", "delete"):
        assert cast["staff_a"].get(spec.url(action, record.pk)).status_code == 404, action
    assert cast["staff_a"].post(spec.url("edit", record.pk), spec.form_data(agency_b)).status_code == 404
    assert cast["staff_a"].post(spec.url("delete", record.pk)).status_code == 404
    record.refresh_from_db()
    assert record.version == 1 and not record.is_deleted
    assert listed(cast["staff_a"].get(spec.url("list"))) == []


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_officer_reads_every_agency_but_cannot_write(cast, agency_a, spec):
    record = spec.make(agency_a)
    page = cast["officer"].get(record.get_absolute_url())
    assert page.status_code == 200 and page.context["object"] == record and not page.context["can_write"]
    assert cast["officer"].get(spec.url("add")).status_code == 403
    assert cast["officer"].post(spec.url("add"), spec.form_data(agency_a)).status_code == 403
    assert (
        cast["officer"].post(spec.url("edit", record.pk), edit_data(cast["staff_a"], spec, record)).status_code == 403
    )
    assert cast["officer"].post(spec.url("delete", record.pk)).status_code == 403
    record.refresh_from_db()
    assert spec.model.objects.count() == 1 and record.version == 1


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_list_filter_and_export_give_the_same_rows(cast, agency_a, agency_b, spec):
    parent = spec.make_parent(agency_a)
    inside = {spec.make(agency_a, parent, **spec.inside()).pk for _ in range(3)}
    for _ in range(2):
        spec.make(agency_a, parent, **spec.outside())
    spec.make(agency_b, **spec.inside())  # matches the filter, but not ours

    page = cast["staff_a"].get(spec.url("list"), spec.filter_params)
    assert {record.pk for record in listed(page)} == inside
    export = cast["staff_a"].get(spec.url("list"), {**spec.filter_params, "export": "xlsx"})
    assert {int(row[0]) for row in export_rows(export)} == inside  # a record's number, written as text


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_free_text_and_agency_filters(cast, agency_a, agency_b, spec):
    mine, theirs = spec.make(agency_a), spec.make(agency_b)
    page = cast["officer"].get(spec.url("list"), {"agency": agency_b.pk})
    assert listed(page) == [theirs]
    assert "agency" not in cast["staff_a"].get(spec.url("list")).context["filter"].form.fields
    assert mine in listed(cast["officer"].get(spec.url("list"), {"q": spec.search_word(mine)}))
    assert listed(cast["officer"].get(spec.url("list"), {"q": "不存在的词"})) == []


@pytest.mark.parametrize("spec", NUMERIC_SPECS, ids=str)
def test_totals_row_is_the_sum_over_every_filtered_row_not_the_page(cast, agency_a, spec):
    check_totals_over_every_filtered_row(cast["staff_a"], agency_a, spec)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_every_sortable_column_sorts(cast, agency_a, agency_b, spec):
    check_every_sortable_column_sorts(cast["officer"], agency_a, agency_b, spec)
