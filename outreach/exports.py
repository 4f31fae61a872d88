"""Excel downloads of lists: the rows the filters show, streamed through xlsxwriter's constant-memory mode.

`table_rows(table)` works out once per column how a cell's value is read from a record (what
django-tables2's `Table.as_values()` works out for every cell) and how it is written: by the
column's model field (`column_kind`), through a writer chosen once per column (`outreach.excel`).
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
from django.utils.encoding import force_str

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


@dataclass(frozen=True)
class TableRows:
    """The columns of a table and the rows to write (`rows()`: the cells' values, row by row).

    When every column is a field path the rows are read with `values_list()` (no model instances,
    the costliest part of a row otherwise); else record by record. Either way they stream from the
    database (memory stays flat).
    """

    columns: list[ExportColumn]
    data: object  # a queryset, or any iterable of records

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
    """How the cells of a model field are written: yes/no as TRUE/FALSE, yuan as money, counts as
    whole numbers, dates as dates, text and relations as text. None: by each value (a choice's
    label, or the stored value where it is none of the choices; a field of no such kind)."""
    if field is None:
        return None
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
    if path is None or not wanted <= {"value"}:
        return ExportColumn(force_str(bound.header), kind, value)
    convert = _chain(display, labels, (lambda v: method(value=v)) if method is not None else None)
    return ExportColumn(force_str(bound.header), kind, value, path, convert)


def table_rows(table, exclude=("actions",)) -> TableRows:
    """The columns of a django-tables2 table and its rows, for Excel (see `export_column`)."""
    model = getattr(table.data, "model", None)
    bound_columns = [c for c in table.columns.iterall() if not (c.column.exclude_from_export or c.name in exclude)]
    columns = [export_column(table, bound, model) for bound in bound_columns]
    return TableRows(columns, getattr(table.data, "data", table.data))


def _any_writer(sheet, formats: dict):
    """A writer for a column without a field: each value by its type (one writer per type, made once)."""
    writers = {}

    def write(r, c, value):
        if value is None or value == "":
            return
        writer = writers.get(value.__class__)
        if writer is None:
            kind = value_kind(value)
            writer = writers[value.__class__] = cell_writer(sheet, kind, formats[kind])
        writer(r, c, value)

    return write


def write_sheet(workbook, title: str, table: TableRows, *, progress: Progress = no_progress, total: int = 0) -> int:
    """Write a header row and data rows; a sheet that fills up continues on the next one.

    `progress(done, total, "rows")` every PROGRESS_ROWS rows (`total`: the rows expected). Returns the rows written.
    """
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date_fmt = workbook.add_format({"num_format": DATE_FORMAT})
    money_fmt = workbook.add_format({"num_format": MONEY_FORMAT})
    int_fmt = workbook.add_format({"num_format": COUNT_FORMAT})
    formats = {TEXT: None, BOOLEAN: None, AMOUNT: money_fmt, NUMBER: int_fmt, DATE: date_fmt, DATETIME: date_fmt}
    header = [str(h) for h in table.header]
    widths = [max(8, len(h) * 2 + 2) for h in header]
    part = 0

    def new_sheet():
        nonlocal part
        part += 1
        sheet = workbook.add_worksheet(title[:28] if part == 1 else f"{title[:24]} ({part})")
        for c, h in enumerate(header):
            sheet.set_column(c, c, min(widths[c], 40))
            sheet.write_string(0, c, h, bold)
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        writers = [
            _any_writer(sheet, formats)
            if column.kind is None
            else cell_writer(sheet, column.kind, formats[column.kind])
            for column in table.columns
        ]
        return list(enumerate(writers))

    writers, r, written = new_sheet(), 1, 0
    for row in table.rows():
        if r >= EXCEL_MAX_ROWS:
            writers, r = new_sheet(), 1
        for (c, write), value in zip(writers, row):
            write(r, c, value)
        r += 1
        written += 1
        if not written % PROGRESS_ROWS:
            progress(written, max(total, written), "rows")
    return written


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
