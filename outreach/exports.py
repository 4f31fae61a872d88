"""Excel downloads of lists: the rows the filters show, streamed through xlsxwriter's constant-memory mode.

`table_rows(table)` works out once per column how a cell's value is read from a record (what
django-tables2's `Table.as_values()` works out for every cell) and how it is written: by the
column's model field (`column_kind`), through a writer chosen once per column (`outreach.excel`).

A sheet reads as the list does: a title line naming the list and the filters applied
(`filter_descriptions`), the header, the rows, and a totals row with the totals the list's page
shows under its summed columns. Yes/no is written as 是/否, a record's number as text (no
thousands separator), counts the page totals with separators, other whole numbers (a year) plain.
"""

import datetime
import functools
import inspect
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach.excel import (
    AMOUNT,
    BOOLEAN,
    COUNT_FORMAT,
    DATE,
    DATE_FORMAT,
    DATETIME,
    EXCEL_MAX_ROWS,
    MONEY_FORMAT,
    NUMBER,
    TEXT,
    XLSX_CONTENT_TYPE,
    cell_writer,
    workbook,
)
from outreach.importing import specs
from outreach.progress import Progress, no_progress

MSG_TOTAL_ROW = _("Total (%(count)s rows)")
MSG_RANGE = _("%(start)s to %(end)s")
MSG_FROM = _("from %(start)s")
MSG_UNTIL = _("until %(end)s")

OWN_APPS = {"outreach", "pairings", "visits", "reports"}
CHUNK_SIZE = 2000
PROGRESS_ROWS = 1000  # a list download's progress is reported every this many rows


@dataclass(frozen=True)
class ExportColumn:
    """A column of a list export: its header, the kind of its cells (None: the kind of each value),
    its value from a record (`value(record)`), and, when the database can give it, the field path
    `values_list()` reads instead (`path`) and what turns that into the same value (`convert`)."""

    header: str
    kind: str | None
    value: Callable
    path: str | None = None
    convert: Callable | None = None
    #: the names of the list's totals (`totals()`) whose sum is this column's total (none: no total)
    summed: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableRows:
    """The columns of a table and the rows to write (`rows()`: the cells' values, row by row).

    When every column is a field path the rows are read with `values_list()` (no model instances,
    the costliest part of a row otherwise); else record by record. Either way they stream from the
    database (memory stays flat).
    """

    columns: list[ExportColumn]
    data: object  # a queryset, or any iterable of records
    #: the line above the header (the list and its filters); none: the header is the first row
    caption: str = ""
    #: () -> {name: sum} of the rows, as the list's page totals them (`ObjectListView.totals`); none: no totals row
    totals: Callable | None = None

    @property
    def header(self) -> list[str]:
        return [column.header for column in self.columns]

    def rows(self):
        columns, data = self.columns, self.data
        if not hasattr(data, "values_list") or any(column.path is None for column in columns):
            getters = [column.value for column in columns]
            records = data.iterator(chunk_size=CHUNK_SIZE) if hasattr(data, "iterator") else data
            for record in records:
                yield [get(record) for get in getters]
            return
        converts = [(i, column.convert) for i, column in enumerate(columns) if column.convert is not None]
        for values in data.values_list(*(column.path for column in columns)).iterator(chunk_size=CHUNK_SIZE):
            row = list(values)
            for i, convert in converts:
                row[i] = convert(row[i])
            yield row


# The import's kind of a field (`outreach.importing.specs.kind_of`) → the kind of its cells in a list.
FIELD_KINDS = {
    specs.BOOL: BOOLEAN,
    specs.DATE: DATE,
    specs.MONEY: AMOUNT,
    specs.DECIMAL: AMOUNT,
    specs.INT: NUMBER,
    specs.TEXT: TEXT,
    specs.LOOKUP: TEXT,  # a related object, as its text
    specs.PARENT: TEXT,
}


def column_kind(field) -> str | None:
    """How the cells of a model field are written: yes/no as 是/否, yuan as money, counts as whole
    numbers, dates as dates, text, relations and a record's number (a reference, not a quantity) as
    text. None: by each value (a choice's label, or the stored value where it is none of the choices;
    a field of no such kind)."""
    if field is None:
        return None
    if field.primary_key:
        return TEXT
    if isinstance(field, models.DateTimeField):
        return DATETIME
    return FIELD_KINDS.get(specs.kind_of(field))


def value_kind(value) -> str:
    """The kind of one value, for a column without a field (a property, a method's result)."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, Decimal):
        return AMOUNT
    if isinstance(value, int):
        return NUMBER
    if isinstance(value, datetime.datetime):
        return DATETIME
    if isinstance(value, datetime.date):
        return DATE
    return TEXT


def _path_field(model, bits):
    """The field a path of fields ends at (following relations), or None if any step is not a field."""
    field = None
    for bit in bits:
        try:
            field = model._meta.get_field(bit)
        except FieldDoesNotExist:
            return None
        model = field.related_model or model
    return field


def _choice_labels(field) -> Callable:
    """A stored choice as `get_<field>_display()` gives it (labels in the active language, worked out once)."""
    labels = {value: force_str(label, strings_only=True) for value, label in field.flatchoices}
    return lambda value: labels.get(value, value)


def _field_path(accessor, model) -> tuple[str | None, object, Callable | None]:
    """(the values_list path, the field, what turns the stored value into the accessor's) of an accessor
    reading a stored field: a path of fields, or one ending at `get_<choice field>_display`. A path
    ending at a relation (written as its object's text) or at no field gives no values_list path."""
    bits, display = list(accessor.bits), None
    last = bits[-1]
    if last.startswith("get_") and last.endswith("_display") and len(bits) > 1:
        owner = _path_field(model, bits[:-1])
        field = _path_field(owner.related_model, [last[4:-8]]) if getattr(owner, "related_model", None) else None
        if field is None or not field.choices:
            return None, None, None
        bits[-1], display = field.name, _choice_labels(field)
    field = _path_field(model, bits)
    if field is None or field.is_relation:
        return None, field, None
    return "__".join(bits), field, display


def _value_method(table, bound):
    """(the table's `value_<name>`, True) or (the column class's own `value`, False); library columns give raw values."""
    method = getattr(table, f"value_{bound.name}", None)
    if method is not None:
        return method, True
    column_class = type(bound.column)
    if column_class.__module__.split(".")[0] in OWN_APPS and column_class.value is not tables.Column.value:
        return bound.column.value, False
    return None, False


def _wanted(method) -> set[str]:
    """The arguments a value method takes, of those `Table.as_values()` offers."""
    signature = inspect.signature(method).parameters.values()
    offered = {"value", "record", "bound_column", "table"}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature):
        return offered
    return offered & {p.name for p in signature}


def _chain(*functions) -> Callable | None:
    functions = [f for f in functions if f is not None]
    if not functions:
        return None
    if len(functions) == 1:
        return functions[0]
    return lambda value: functools.reduce(lambda v, f: f(v), functions, value)


def export_column(table, bound, model) -> ExportColumn:
    """How a column is exported, worked out once (not per cell, as `Table.as_values()` does).

    Its value is, in order: the table's `value_<name>(...)`, the column class's own `value(...)`,
    a choice field's label, or the raw attribute (related objects as text). Its cells' kind is its
    field's (`column_kind`); a table's own `value_<name>` or a column without a field: by each value.
    """
    method, table_method = _value_method(table, bound)
    wanted = _wanted(method) if method is not None else set()
    labels = None
    if method is None and model is not None:
        field = bound.accessor.get_field(model)  # what `as_values` takes the choices from
        if field is not None and getattr(field, "choices", None):
            choices = dict(field.flatchoices)
            labels = lambda value: choices.get(value, value)  # noqa: E731

    def value(record):
        resolved = bound.accessor.resolve(record, quiet=True) if "record" not in wanted or "value" in wanted else None
        if method is None:
            return resolved if labels is None else labels(resolved)
        given = {"value": resolved, "record": record, "bound_column": bound, "table": table}
        return method(**{name: given[name] for name in wanted})

    path, field, display = _field_path(bound.accessor, model) if model is not None else (None, None, None)
    kind = None if table_method or display is not None else column_kind(field)
    summed = summed_names(table, bound)
    if path is None or not wanted <= {"value"}:
        return ExportColumn(force_str(bound.header), kind, value, summed=summed)
    convert = _chain(display, labels, (lambda v: method(value=v)) if method is not None else None)
    return ExportColumn(force_str(bound.header), kind, value, path, convert, summed=summed)


def summed_names(table, bound) -> tuple[str, ...]:
    """The totals a column's total adds up, as its footer on the list's page: its own (a summed column), or its
    parts' (a column derived from others, `parts`); none for a column the page does not total."""
    sum_fields = getattr(table, "sum_fields", None)
    if (sum_fields is None or bound.name not in sum_fields()) and not getattr(bound.column, "parts", None):
        return ()
    return tuple(getattr(bound.column, "parts", None) or (bound.name,))


def table_rows(table, exclude=("actions",), *, caption: str = "", totals: Callable | None = None) -> TableRows:
    """The columns of a django-tables2 table and its rows, for Excel (see `export_column`); `caption` and
    `totals`: the title line and the list's totals (`TableRows`)."""
    model = getattr(table.data, "model", None)
    bound_columns = [c for c in table.columns.iterall() if not (c.column.exclude_from_export or c.name in exclude)]
    columns = [export_column(table, bound, model) for bound in bound_columns]
    return TableRows(columns, getattr(table.data, "data", table.data), caption, totals)


def filter_descriptions(filterset) -> list[str]:
    """The filters applied to a list, in the form's order, each as "label：value" in words (a choice's label,
    是/否, a range of dates "2014-03-01 至 2014-06-30"); none when the filters are not valid or none is set."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return []
    form = filterset.form
    described = []
    for name, field in form.fields.items():
        text = _described(field, form.cleaned_data.get(name))
        if text:
            described.append(f"{force_str(field.label)}：{text}")
    return described


def _day(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date().isoformat() if timezone.is_aware(value) else value.date().isoformat()
    return value.isoformat()


def _described(field, value) -> str:
    """A filter's value in words (empty: not applied)."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(value, slice):  # a range of dates, either end open
        start, end = (None if v is None else _day(v) for v in (value.start, value.stop))
        if start and end:
            return str(MSG_RANGE % {"start": start, "end": end})
        return str(MSG_FROM % {"start": start}) if start else str(MSG_UNTIL % {"end": end}) if end else ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    values = list(value) if isinstance(value, (list, tuple, models.QuerySet)) else [value]
    if all(isinstance(v, models.Model) for v in values):  # a chosen agency, city, official…: its own text
        return "、".join(str(v) for v in values)
    labels = _choice_words(field)
    return "、".join(labels.get(str(v), force_str(v)) for v in values)


def _choice_words(field) -> dict:
    """{stored value: label} of a choice filter's fixed choices (none for choices worked out when shown)."""
    try:
        return {str(key): force_str(label) for key, label in field.choices if not isinstance(label, (list, tuple))}
    except (AttributeError, TypeError):
        return {}


def export_filename(title: str, day: datetime.date) -> str:
    """走访基层-2014-07-31.xlsx: the list's name and the day (the site's) it was downloaded."""
    name = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in title)
    return f"{name}-{day.isoformat()}.xlsx"


def _yes_no_writer(sheet, cell_format=None):
    """Yes/no as the words 是/否 (the active language's), not Excel's TRUE/FALSE."""
    words = {True: gettext("Yes"), False: gettext("No")}
    text = cell_writer(sheet, TEXT, cell_format)

    def write(r, c, value):
        if value is not None:
            text(r, c, words.get(value, value))

    return write


def _writer(sheet, kind: str, cell_format=None):
    return _yes_no_writer(sheet, cell_format) if kind == BOOLEAN else cell_writer(sheet, kind, cell_format)


def _any_writer(sheet, formats: dict):
    """A writer for a column without a field: each value by its type (one writer per type, made once)."""
    writers = {}

    def write(r, c, value):
        if value is None or value == "":
            return
        writer = writers.get(value.__class__)
        if writer is None:
            kind = value_kind(value)
            writer = writers[value.__class__] = _writer(sheet, kind, formats[kind])
        writer(r, c, value)

    return write


def _column_format(column: ExportColumn, formats: dict):
    """A column's number format: counts with thousands separators only where the page totals them (a year,
    a half-year are plain); the others by their kind."""
    if column.kind == NUMBER and not column.summed:
        return None
    return formats[column.kind]


def write_sheet(workbook, title: str, table: TableRows, *, progress: Progress = no_progress, total: int = 0) -> int:
    """Write the title line (`table.caption`), the header and the data rows, then the totals row; a sheet that
    fills up continues on the next one, under the same title line and header.

    `progress(done, total, "rows")` every PROGRESS_ROWS rows (`total`: the rows expected). Returns the rows written.
    """
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    caption_fmt = workbook.add_format({"bold": True, "font_size": 12})
    date_fmt = workbook.add_format({"num_format": DATE_FORMAT})
    money_fmt = workbook.add_format({"num_format": MONEY_FORMAT})
    int_fmt = workbook.add_format({"num_format": COUNT_FORMAT})
    formats = {TEXT: None, BOOLEAN: None, AMOUNT: money_fmt, NUMBER: int_fmt, DATE: date_fmt, DATETIME: date_fmt}
    header = [str(h) for h in table.header]
    widths = [max(8, len(h) * 2 + 2) for h in header]
    first = 1 if table.caption else 0  # the header's row
    part = 0

    def new_sheet():
        nonlocal part
        part += 1
        sheet = workbook.add_worksheet(title[:28] if part == 1 else f"{title[:24]} ({part})")
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(width, 40))
        if table.caption:
            sheet.write_string(0, 0, table.caption, caption_fmt)
        for c, h in enumerate(header):
            sheet.write_string(first, c, h, bold)
        sheet.freeze_panes(first + 1, 0)
        sheet.repeat_rows(0, first)
        writers = [
            _any_writer(sheet, formats)
            if column.kind is None
            else _writer(sheet, column.kind, _column_format(column, formats))
            for column in table.columns
        ]
        return sheet, list(enumerate(writers))

    (sheet, writers), r, written = new_sheet(), first + 1, 0
    for row in table.rows():
        if r >= EXCEL_MAX_ROWS - 1:  # the last row of the last sheet is the totals'
            (sheet, writers), r = new_sheet(), first + 1
        for (c, write), value in zip(writers, row):
            write(r, c, value)
        r += 1
        written += 1
        if not written % PROGRESS_ROWS:
            progress(written, max(total, written), "rows")
    if table.totals is not None:
        write_totals_row(workbook, sheet, r, table, written)
    return written


def write_totals_row(workbook, sheet, r: int, table: TableRows, count: int) -> None:
    """The list's totals under the rows (`table.totals()`, the page's), the count of rows in the first column."""
    totals = table.totals()
    text, count_fmt, money_fmt = (
        workbook.add_format({"bold": True, "top": 1, **extra})
        for extra in ({}, {"num_format": COUNT_FORMAT}, {"num_format": MONEY_FORMAT})
    )
    sheet.write_string(r, 0, str(MSG_TOTAL_ROW % {"count": f"{count:,}"}), text)
    for c, column in enumerate(table.columns[1:], start=1):
        parts = [totals.get(name) for name in column.summed]
        if not parts or any(part is None for part in parts):
            sheet.write_blank(r, c, None, text)
        else:
            decimal = column.kind == AMOUNT or any(isinstance(part, Decimal) for part in parts)
            sheet.write_number(r, c, float(sum(parts)), money_fmt if decimal else count_fmt)


def write_xlsx(target, sheets, *, progress: Progress = no_progress, total: int = 0) -> int:
    """Write the sheets (iterable of (title, `table_rows(...)`)) to `target` (a binary file); returns the rows
    written. `progress`: "rows" every PROGRESS_ROWS rows of `total` expected, then "save"."""
    book = workbook(target, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    written = 0
    try:
        for title, table in sheets:
            written += write_sheet(book, title, table, progress=progress, total=total)
        progress(written, max(total, written), "save")
    finally:
        book.close()
    return written


def xlsx_response(filename: str, sheets) -> FileResponse:
    """sheets: iterable of (title, `table_rows(...)`)."""
    handle = tempfile.TemporaryFile()
    try:
        write_xlsx(handle, sheets)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
