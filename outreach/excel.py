"""Every workbook the system writes: Excel's limits, the file type, number formats and typed cell writers.

The list exports (`outreach.exports`), the year-end workbook (`reports.exports`) and the import
template and records (`outreach.importing.writer`) write their cells through `cell_writer()`: one
function per column, chosen once for the column's kind, so a row costs no more than plain
xlsxwriter's (`bench/workbook.py` measures both). Text is always written with `write_string`, and
workbooks are opened with xlsxwriter's string conversions off: no value from any table (a record,
a directory name beginning with "=" or "http://") becomes a formula, a link or a number.
"""

import datetime

import xlsxwriter
from django.utils import timezone

EXCEL_MAX_ROWS = 1_048_576  # rows of a sheet; a longer list continues on "<title> (2)"
EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()  # Excel's day 0 (1900 date system)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"  # yuan, thousands separated
COUNT_FORMAT = "#,##0"

# What a column holds, and so how its cells are written (`cell_writer`):
TEXT = "text"  # str(value), always a string cell
NUMBER = "number"  # the number as it is (an int, or a Decimal written with its own digits)
AMOUNT = "amount"  # a Decimal (or any number) written as a float
DATE = "date"  # a date as its Excel day number; the cell's or column's format shows it as a date
DATETIME = "datetime"  # an aware timestamp in local time, as an Excel date and time
BOOLEAN = "boolean"  # TRUE / FALSE


def workbook(target, options: dict | None = None) -> xlsxwriter.Workbook:
    """An xlsxwriter workbook on a path or a binary file object, with no guessing from strings:
    even `write()` keeps "=1+1", "http://…" and "007" as the text they are."""
    return xlsxwriter.Workbook(
        target, {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False, **(options or {})}
    )


def excel_day(value: datetime.date) -> int:
    """A date as Excel's day number (1900 date system)."""
    return value.toordinal() - EXCEL_EPOCH


def cell_writer(sheet, kind: str, cell_format=None):
    """A function `(row, col, value)` writing one kind of value into `sheet`, chosen once per column.

    None and "" leave the cell empty (xlsxwriter's `write()` would work out every cell's type
    anew, which costs as much as writing it). The writers call the worksheet's `_write_<type>()`
    methods, which its public `write_<type>(row, col, ...)` only wrap to accept "A1" cell names
    (checked on every call, a tenth of a cell's cost); rows and columns here are always numbers.
    """
    if kind == TEXT:
        write_string = sheet._write_string

        def write(r, c, value):
            if value is not None and value != "":
                write_string(r, c, str(value), cell_format)

        return write
    if kind == BOOLEAN:
        write_boolean = sheet._write_boolean

        def write(r, c, value):
            if value is not None:
                write_boolean(r, c, value, cell_format)

        return write
    if kind == DATETIME:
        write_datetime = sheet._write_datetime

        def write(r, c, value):
            if value is not None:
                write_datetime(r, c, timezone.localtime(value).replace(tzinfo=None), cell_format)

        return write
    write_number = sheet._write_number
    if kind == DATE:

        def write(r, c, value):
            if value is not None:
                write_number(r, c, value.toordinal() - EXCEL_EPOCH, cell_format)

    elif kind == AMOUNT:

        def write(r, c, value):
            if value is not None:
                write_number(r, c, float(value), cell_format)

    elif kind == NUMBER:

        def write(r, c, value):
            if value is not None:
                write_number(r, c, value, cell_format)

    else:
        raise ValueError(f"unknown cell kind {kind!r}")
    return write


def write_strings(sheet, r: int, values, cell_format=None, *, first_col: int = 0) -> None:
    """A row of text (a header): every value as a string; "" a blank cell that keeps the format."""
    for c, value in enumerate(values, start=first_col):
        if value == "":
            sheet.write_blank(r, c, None, cell_format)
        else:
            sheet.write_string(r, c, str(value), cell_format)


def download(content: bytes, filename: str, content_type: str = XLSX_CONTENT_TYPE):
    """A file kept as bytes (an uploaded workbook, a job's result, a template) as an attachment."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    return HttpResponse(
        bytes(content),
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
