"""Excel downloads of lists: the rows the filters show, streamed through xlsxwriter's constant-memory mode."""

import datetime
import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone

EXCEL_MAX_ROWS = 1_048_576


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
