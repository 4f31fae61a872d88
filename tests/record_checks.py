"""What every record type's tests share: the `Spec` that says how one type differs, and the checks.

A spec (made in tests/pairings/specs.py and tests/visits/service_specs.py, listed
together in tests/record_specs.py) says how to make a record type's rows, valid form
data, one edit, and a list filter with values inside and outside it.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db.models import F
from django.urls import reverse

from outreach.tables import MoneyColumn, SumColumn
from reports import numbers


@dataclass
class Spec:
    model: type
    #: (agency, parent=None, **overrides) → a saved record
    make: Callable[..., Any]
    #: (agency, **overrides) → a saved parent record for `make`, or None
    make_parent: Callable[..., Any]
    #: (agency) → POST data of a valid new record
    form_data: Callable[..., dict]
    #: a field and its new value, for the edit test
    change: tuple[str, Any]
    #: what "save and add another" keeps
    keep: tuple[str, ...]
    #: list filter parameters, and () → `make` overrides of a record inside / outside them
    filter_params: dict
    inside: Callable[[], dict]
    outside: Callable[[], dict]
    #: numeric columns with a totals row
    sums: tuple[str, ...] = ()
    #: the sums a test may raise on any record (default: every sum)
    free_sums: tuple[str, ...] | None = None
    #: the parent field, where a record has an agency-owned parent
    parent_field: str | None = None
    #: (record) → a word the list's free-text search finds it by
    search_word: Callable[[Any], str] = lambda record: str(record).split(" ")[0]

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    @property
    def date_field(self) -> str | None:
        """The date that places a record in a month (None: the record has no month of its own)."""
        return self.model.period_date_field

    def url(self, action: str, *args) -> str:
        return reverse(f"{self.model._meta.app_label}:{self.name}_{action}", args=args)

    def __str__(self):
        return self.name


def export_sheet(response) -> tuple[str, tuple, list[tuple], tuple]:
    """(the title line, the header, the data rows, the totals row) of a list's Excel download."""
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    title, header, *rows, totals = sheet.iter_rows(values_only=True)
    return title[0], header, rows, totals


def export_rows(response) -> list[tuple]:
    """The data rows of a list's Excel download (title line, header and totals row dropped)."""
    return export_sheet(response)[2]


def form_errors(response) -> dict:
    """A re-rendered form's errors (fails clearly when the response is not a form page)."""
    assert response.status_code == 200, f"expected the form back, got {response.status_code}"
    return response.context["form"].errors


def post_rejected(client, spec, data) -> dict:
    """Post a new record; it must come back with errors and leave nothing saved."""
    errors = form_errors(client.post(spec.url("add"), data))
    assert errors, "the form was accepted"
    assert spec.model.all_objects.count() == 0, "a rejected record was saved"
    return errors


def edit_data(client, spec, record, **changes):
    """The edit form's current values as POST data, with `changes` applied."""
    form = client.get(spec.url("edit", record.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def with_history(record, user, versions):
    """Give `record` a creator and `versions` saved changes: the history the page lists."""
    record.created_by = user
    for version in range(versions):
        record.note = f"第{version}次修改"
        record.save(user=user)
    return record


def listed(response) -> list:
    return [row.record for row in response.context["table"].page.object_list]


def check_totals_over_every_filtered_row(client, agency, spec) -> None:
    """The totals row sums all 53 filtered rows (not the 50 on the page), and the export has them all."""
    parent = spec.make_parent(agency)
    inside = [spec.make(agency, parent, **spec.inside()) for _ in range(53)]
    for record in inside[:10]:  # vary the numbers, so a total is not a multiple of one row's
        for name in spec.sums if spec.free_sums is None else spec.free_sums:
            setattr(record, name, getattr(record, name) + 1)
        record.save()
    spec.make(agency, parent, **spec.outside())

    page = client.get(spec.url("list"), spec.filter_params)
    table = page.context["table"]
    assert len(table.page.object_list) == 50 and table.paginator.count == 53
    expected = {name: sum(getattr(record, name) for record in inside) for name in spec.sums}
    assert table.totals == expected
    footer = page.content.decode().split("<tfoot", 1)[1]
    for name in spec.sums:
        column = table.columns[name].column
        assert isinstance(column, SumColumn)
        if isinstance(column, MoneyColumn):  # 万元/亿元 on the page, the exact yuan in the title
            shown = numbers.money(expected[name])
            assert f'<span title="{numbers.exact_money(expected[name])}">{shown}</span>' in footer
        else:
            assert f">{numbers.count(expected[name])}<" in footer
    _title, header, rows, totals = export_sheet(client.get(spec.url("list"), {**spec.filter_params, "export": "xlsx"}))
    assert len(rows) == 53
    exported = {str(table.columns[name].header): name for name in spec.sums}
    assert {exported[h]: value for h, value in zip(header, totals) if h in exported} == {
        name: float(value) for name, value in expected.items()
    }  # the download's totals row is the page's


def sort_keys(spec, table, name, records, *, descending: bool) -> tuple[list, list]:
    """The column's sort keys of `records` in the order a sorted list must show them, and the records by pk.

    The order comes from the database (its collation and NULL placement), from the
    column's own `order_by`; a table's `order_<name>` method sorts by the rendered value.
    """
    pks = [record.pk for record in records]
    if hasattr(table, f"order_{name}"):
        values = {row.record.pk: row.get_cell_value(name) for row in table.page.object_list}
        return sorted((values[pk] for pk in pks), reverse=descending), values
    column = table.columns[name]  # its `order_by` follows the table's current order; the declared one does not
    accessors = [str(accessor) for accessor in column.column.order_by or (column.accessor,)]
    fields = [accessor.lstrip("-").replace(".", "__") for accessor in accessors]
    ordering = [
        ("-" if accessor.startswith("-") != descending else "") + field for accessor, field in zip(accessors, fields)
    ]
    rows = spec.model.all_objects.filter(pk__in=pks)
    key_of = {pk: key for pk, *key in rows.values_list("pk", *fields)}
    return [list(key) for key in rows.order_by(*ordering).values_list(*fields)], key_of


def check_every_sortable_column_sorts(officer_client, agency_a, agency_b, spec) -> None:
    """Each sortable column puts the rows in its order, ascending and descending."""
    records = [spec.make(agency_a, **spec.inside()), spec.make(agency_a, **spec.outside()), spec.make(agency_b)]
    for step, record in enumerate(records):  # the figures differ too (written as they are: the list only shows them)
        spec.model.all_objects.filter(pk=record.pk).update(**{name: F(name) + step for name in spec.sums})
    table = officer_client.get(spec.url("list")).context["table"]
    columns = [column.name for column in table.columns if column.orderable]
    assert len(columns) >= 4
    undecided = []  # columns on which the three records tie
    for name in columns:
        for descending in (False, True):
            page = officer_client.get(spec.url("list"), {"sort": f"-{name}" if descending else name})
            assert page.status_code == 200, name
            shown = listed(page)
            assert sorted(r.pk for r in shown) == sorted(r.pk for r in records), name
            expected, key_of = sort_keys(spec, page.context["table"], name, records, descending=descending)
            shown_keys = [key_of[r.pk] for r in shown]
            assert shown_keys == expected, f"sorted by {'-' if descending else ''}{name}: {shown_keys}, not {expected}"
        if len({repr(key) for key in key_of.values()}) == 1:
            undecided.append(name)
    assert len(undecided) * 2 <= len(columns), f"the records tie on {undecided}: the order is hardly checked"
    ids = [r.pk for r in listed(officer_client.get(spec.url("list"), {"sort": "-id"}))]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
