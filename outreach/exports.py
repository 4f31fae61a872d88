"""Excel downloads of lists: the rows the filters show, streamed through xlsxwriter's constant-memory mode."""

import datetime
import inspect
import tempfile
from decimal import Decimal

import django_tables2 as tables
import xlsxwriter
from django.db.models import Model
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import force_str

EXCEL_MAX_ROWS = 1_048_576
OWN_APPS = {"outreach", "pairings", "visits", "reports"}


def table_rows(table, exclude=("actions",)):
    """The header and the rows of a django-tables2 table as typed values, for Excel.

    Like `Table.as_values()`, but each column's way of getting a value is worked out
    once, not per cell (`as_values` inspects call signatures for every cell and
    manages about 1,300 rows a second; this is several times faster). A column's value
    is, in order: the table's `value_<name>(...)`, the column class's own `value(...)`,
    a choice field's label, or the raw attribute (related objects as text).
    """
    model = getattr(table.data, "model", None)
    columns = [c for c in table.columns.iterall() if not (c.column.exclude_from_export or c.name in exclude)]
    yield [force_str(c.header) for c in columns]
    getters = []
    for bound in columns:
        method = getattr(table, f"value_{bound.name}", None)
        column_class = type(bound.column)
        if (
            method is None
            and column_class.__module__.split(".")[0] in OWN_APPS
            and column_class.value is not tables.Column.value
        ):
            method = bound.column.value  # our column class's own export value (library columns give raw values)
        params = None  # None: pass every keyword (the method takes **kwargs)
        if method is not None:
            signature = inspect.signature(method).parameters.values()
            if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in signature):
                params = {p.name for p in signature}
        field = bound.accessor.get_field(model) if model is not None else None
        choices = dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else None
        getters.append((bound, method, params, choices))
    queryset = getattr(table.data, "data", None)
    # Stream the rows from the database rather than holding them all (memory stays flat).
    records = queryset.iterator(chunk_size=2000) if hasattr(queryset, "iterator") else table.data
    for record in records:
        row = []
        for bound, method, params, choices in getters:
            value = bound.accessor.resolve(record, quiet=True)
            if method is not None:
                kwargs = {"value": value, "record": record, "bound_column": bound, "table": table}
                value = method(**{k: v for k, v in kwargs.items() if params is None or k in params})
            elif choices is not None:
                value = choices.get(value, value)
            if isinstance(value, Model):
                value = str(value)
            row.append(value)
        yield row


def write_sheet(workbook, title: str, rows, *, money_columns=()) -> None:
    """Write a header row and data rows; a sheet that fills up continues on the next one."""
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date_fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money_fmt = workbook.add_format({"num_format": "#,##0.00"})
    int_fmt = workbook.add_format({"num_format": "#,##0"})
    rows = iter(rows)
    header = [str(h) for h in next(rows)]
    widths = [max(8, len(h) * 2 + 2) for h in header]
    sheet, r, part = None, 0, 0

    def new_sheet():
        nonlocal sheet, r, part
        part += 1
        sheet = workbook.add_worksheet(title[:28] if part == 1 else f"{title[:24]} ({part})")
        for c, h in enumerate(header):
            sheet.set_column(c, c, min(widths[c], 40))
            sheet.write_string(0, c, h, bold)
        sheet.freeze_panes(1, 0)
        sheet.repeat_rows(0)
        r = 1

    new_sheet()
    for row in rows:
        if r >= EXCEL_MAX_ROWS:
            new_sheet()
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, Decimal) or (c in money_columns and isinstance(value, (int, float))):
                sheet.write_number(r, c, float(value), money_fmt)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, int_fmt)
            elif isinstance(value, datetime.datetime):
                sheet.write_datetime(r, c, timezone.localtime(value).replace(tzinfo=None), date_fmt)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime(value.year, value.month, value.day), date_fmt)
            else:
                sheet.write_string(r, c, str(value))
        r += 1


def xlsx_response(filename: str, sheets) -> FileResponse:
    """sheets: iterable of (title, rows) where rows yields the header first."""
    handle = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(handle, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    for title, rows in sheets:
        write_sheet(workbook, title, rows)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
