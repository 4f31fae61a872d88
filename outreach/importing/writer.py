"""The import format written out: the template an agency fills in, and every record of a year.

`write_template(output, agency=..., user=...)` writes the workbook a clerk downloads: an
instructions sheet (说明); one empty sheet per record type, named and headed exactly as the
importer reads it (`outreach.importing.specs`), with dropdowns for the choices and for the
agency's directory objects (officials, villages, Party organisations; their lists stand on
the hidden sheet 选项, as a village list is far longer than an in-cell list may be), checks
and formats for dates and numbers; and an example sheet per record type (示例-…) filled from
the sheet's example and the agency's own officials and places. The importer reads none of
说明, 示例… and 选项.

`write_records(output, year=...)` writes the live records of a year in the same format, so
that importing the workbook into a database with the same directory and no records gives the
same records (`manage.py export_records`). Each cell is written as the importer reads it back:
a directory object by its label in the very table the importer builds, a parent record by its
reference, a choice by its label, yes/no as 是/否, dates as dates and amounts as numbers.
"""

from __future__ import annotations

import datetime
import io
import os
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from xlsxwriter.utility import xl_col_to_name

from outreach import excel
from outreach.importing.engine import system_user
from outreach.importing.lookups import LookupTable, base_label, choices_of
from outreach.importing.specs import (
    AGENCY,
    BOOL,
    CHOICE,
    DATE,
    DECIMAL,
    INT,
    KIND_HINTS,
    LOOKUP,
    MONEY,
    PARENT,
    REFERENCE,
    TEXT,
    RecordSheet,
    record_sheets,
    sheet_for,
)
from outreach.models import Span
from outreach.progress import Progress, no_progress

INSTRUCTIONS_SHEET = "说明"
LISTS_SHEET = "选项"
EXAMPLE_PREFIX = "示例-"
YES, NO = "是", "否"
SHEET_NAME_LIMIT = 31
BAD_SHEET_CHARACTERS = "[]:*?/\\"
INLINE_LIST_LIMIT = 255  # characters of an in-cell dropdown list, commas included (Excel's limit)
FIRST_DATE, LAST_DATE = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
CHUNK_SIZE = 2000

MSG_CHOOSE = _("Choose a value from the list.")
MSG_DATE = _("Enter a date, e.g. 2014-07-03.")
MSG_WHOLE_FROM = _("Enter a whole number of at least %(min)s.")
MSG_WHOLE_BETWEEN = _("Enter a whole number from %(min)s to %(max)s.")
MSG_NUMBER = _("Enter a number of at least 0.")
MSG_REQUIRED = _("required")
MSG_OPTIONAL = _("optional")
# The line under the dropdown's hint ("Choose from the dropdown list"), a sentence a clerk reads.
MSG_LOOKUP_COUNT = _("%(count)s entries to choose from for %(agency)s.")
MSG_NO_LOOKUP = _("Nothing to choose from here for %(agency)s yet.")


# --- shared by both workbooks -------------------------------------------------------------


def sheet_name(title: str, prefix: str = "") -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\."""
    name = "".join("_" if ch in BAD_SHEET_CHARACTERS else ch for ch in f"{prefix}{title}")
    return name[:SHEET_NAME_LIMIT]


@contextmanager
def open_book(output, **options):
    """An xlsxwriter workbook (`outreach.excel.workbook`) on a path or a binary file; a file that
    cannot seek (an HttpResponse) gets the finished workbook in one write."""
    direct = isinstance(output, (str, os.PathLike)) or hasattr(output, "seek")
    target = (os.fspath(output) if isinstance(output, os.PathLike) else output) if direct else io.BytesIO()
    book = excel.workbook(target, options)
    try:
        yield book
    finally:
        book.close()
    if not direct:
        output.write(target.getvalue())


class Formats:
    def __init__(self, book):
        self.book = book
        self.header = book.add_format(
            {"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.required_header = book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.text = book.add_format({"num_format": "@"})
        self.date = book.add_format({"num_format": excel.DATE_FORMAT})
        self.whole = book.add_format({"num_format": "0"})
        self.money = book.add_format({"num_format": excel.MONEY_FORMAT})
        self._decimals = {}

    def decimal(self, places: int):
        if places not in self._decimals:
            pattern = "0." + "0" * places if places else "0"
            self._decimals[places] = self.book.add_format({"num_format": pattern})
        return self._decimals[places]

    def of(self, column):
        """The number format a column's cells take."""
        kind = column.kind
        if kind == DATE:
            return self.date
        if kind == INT:
            return self.whole
        if kind == MONEY:
            return self.money
        if kind == DECIMAL:
            return self.decimal(column.model_field.decimal_places)
        return self.text  # references, codes, names, lists: text as typed (2014-001 stays 2014-001)


WIDTHS = {TEXT: 14, INT: 10, MONEY: 14, DECIMAL: 10, DATE: 12, BOOL: 8, CHOICE: 14, LOOKUP: 24, PARENT: 14}


def column_width(column) -> int:
    if column.kind == TEXT and column.model_field is not None and column.model_field.get_internal_type() == "TextField":
        return 40
    # Chinese characters are about two columns wide; long headers wrap rather than widen the sheet.
    return max(WIDTHS[column.kind], min(len(str(column.title)) * 2 + 2, 30))


def write_header(sheet, fmt: Formats, spec: RecordSheet) -> None:
    """Column formats and widths, and the header row (required columns shaded), frozen."""
    for c, column in enumerate(spec.columns):
        sheet.set_column(c, c, column_width(column), fmt.of(column))
        sheet.write_string(0, c, str(column.title), fmt.required_header if column.must_fill else fmt.header)
    sheet.freeze_panes(1, 0)


def choice_labels(column) -> dict:
    """{value: label in the active language} of a choice column."""
    return {value: str(label) for value, label in column.model_field.flatchoices if value not in ("", None)}


def int_bounds(column) -> tuple[int, int | None]:
    low, high = 0, None
    for validator in column.model_field.validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    return low, high


def is_agency_scoped(model) -> bool:
    try:
        model._meta.get_field("agency")
    except FieldDoesNotExist:
        return False
    return True


# --- the template ------------------------------------------------------------------------------


class Lists:
    """The dropdowns' lists, one column each of the hidden sheet 选项 (a list used twice is written once)."""

    def __init__(self):
        self.columns: list[tuple[str, list[str]]] = []
        self.index: dict[tuple, int] = {}

    def source(self, heading: str, options: list[str]) -> str:
        key = tuple(options)
        if key not in self.index:
            self.index[key] = len(self.columns)
            self.columns.append((heading, options))
        letter = xl_col_to_name(self.index[key])
        return f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(options) + 1}"

    def write(self, book, fmt: Formats) -> None:
        sheet = book.add_worksheet(LISTS_SHEET)
        for c, (heading, options) in enumerate(self.columns):
            sheet.set_column(c, c, 30)
            sheet.write_string(0, c, heading, fmt.header)
            for r, option in enumerate(options, 1):
                sheet.write_string(r, c, option)
        sheet.hide()


def list_source(lists: Lists, heading: str, options: list[str], *, inline: bool):
    """An in-cell list when wanted and Excel takes one (short, no commas), else a range of the lists sheet."""
    if inline and len(",".join(options)) <= INLINE_LIST_LIMIT and not any("," in option for option in options):
        return options
    return lists.source(heading, options)


def validation_of(column, options: list[str] | None, lists: Lists, heading: str) -> dict | None:
    """The data validation of a column's cells (None: anything goes)."""
    title = str(column.title)[:32]
    kind = column.kind
    if kind in (CHOICE, LOOKUP, BOOL):
        if not options:
            return None
        # A directory list (hundreds of villages) always stands on the lists sheet; a short fixed one in the cell.
        source = list_source(lists, heading, options, inline=kind != LOOKUP)
        return {"validate": "list", "source": source, "error_title": title, "error_message": str(MSG_CHOOSE)}
    # Dates and numbers are also read from text (2014.7.3, 1.5万): Excel warns, and lets the clerk go on.
    if kind == DATE:
        return {
            "validate": "date",
            "criteria": "between",
            "minimum": FIRST_DATE,
            "maximum": LAST_DATE,
            "error_type": "warning",
            "error_title": title,
            "error_message": str(MSG_DATE),
        }
    if kind == INT:
        low, high = int_bounds(column)
        if high is None:
            return {
                "validate": "integer",
                "criteria": ">=",
                "value": low,
                "error_type": "warning",
                "error_title": title,
                "error_message": str(MSG_WHOLE_FROM) % {"min": low},
            }
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_type": "warning",
            "error_title": title,
            "error_message": str(MSG_WHOLE_BETWEEN) % {"min": low, "max": high},
        }
    if kind in (MONEY, DECIMAL):
        return {
            "validate": "decimal",
            "criteria": ">=",
            "value": 0,
            "error_type": "warning",
            "error_title": title,
            "error_message": str(MSG_NUMBER),
        }
    return None


@dataclass
class TemplateSheet:
    """One record type in the template: its lookup tables for the agency and its dropdown options."""

    spec: RecordSheet
    tables: dict[str, LookupTable] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.spec.title)

    def options(self, column) -> list[str] | None:
        if column.kind == LOOKUP:
            return self.tables[column.name].options()
        if column.kind == CHOICE:
            return list(choice_labels(column).values())
        if column.kind == BOOL:
            return [YES, NO]
        return None

    def example_row(self, agency) -> list:
        """One row a clerk could import as it is: the spec's example, the agency's first official,
        village or organisation, a parent named by its own sheet's example reference."""
        row = []
        for column in self.spec.columns:
            given = self.spec.example.get(column.name)
            if column.name == AGENCY:
                value = agency.code
            elif column.kind == LOOKUP:
                options = self.tables[column.name].options()
                value = options[0] if options else None
            elif column.kind == PARENT:
                value = sheet_for(column.model_field.related_model).example.get(REFERENCE)
            elif column.kind == CHOICE:
                labels = choice_labels(column)
                if given is None and column.model_field.has_default():
                    given = column.model_field.get_default()
                if given is None and column.required:
                    given = next(iter(labels))
                value = labels.get(given)
            elif column.kind == BOOL:
                value = None if given is None else (YES if given else NO)
            else:
                value = given
            row.append(value)
        return row


def write_template(output, *, agency, user, models=None) -> None:
    """The import template of `agency` for `user` (the clerk or officer downloading it), in the active language.

    `models`: the record types to include (all when None), in the importer's order.
    """
    specs = [spec for spec in record_sheets() if models is None or spec.model in models]
    sheets = []
    for spec in specs:
        form = spec.form(user=user)
        tables = {
            column.name: LookupTable(choices_of(form, column, agency.pk))
            for column in spec.columns
            if column.kind == LOOKUP
        }
        sheets.append(TemplateSheet(spec, tables))
    lists = Lists()
    last_row = settings.IMPORT_MAX_ROWS
    with open_book(output) as book:
        fmt = Formats(book)
        instructions = book.add_worksheet(INSTRUCTIONS_SHEET)
        for template in sheets:
            sheet = book.add_worksheet(sheet_name(template.title))
            write_header(sheet, fmt, template.spec)
            for c, column in enumerate(template.spec.columns):
                heading = f"{template.title}·{column.title}"
                validation = validation_of(column, template.options(column), lists, heading)
                if validation is not None:
                    sheet.data_validation(1, c, last_row, c, validation)
                hint = column_hint(template, column, agency)
                if hint:
                    sheet.write_comment(0, c, hint, {"x_scale": 2, "y_scale": 1.5})
        for template in sheets:
            sheet = book.add_worksheet(sheet_name(template.title, EXAMPLE_PREFIX))
            write_header(sheet, fmt, template.spec)
            for c, (write, value) in enumerate(
                zip(cell_writers(sheet, fmt, template.spec.columns), template.example_row(agency))
            ):
                write(1, c, value)
        write_instructions(instructions, fmt, sheets, agency)
        lists.write(book, fmt)


def column_hint(template: TemplateSheet, column, agency) -> str:
    """What a column takes, in a sentence or two (the header's comment and the instructions' line)."""
    kind = column.kind
    if kind == PARENT:
        parts = [str(KIND_HINTS[PARENT]) % {"sheet": column.model_field.related_model._meta.verbose_name_plural}]
    else:
        parts = [str(KIND_HINTS[kind])]
    if kind == CHOICE:
        parts.append(
            ("、" if translation.get_language().startswith("zh") else ", ").join(choice_labels(column).values())
        )
    elif kind == LOOKUP:
        count = len(template.tables[column.name].labels)
        message = MSG_LOOKUP_COUNT if count else MSG_NO_LOOKUP
        parts.append(str(message) % {"count": count, "agency": agency.name})
    if column.filled:
        parts.append(str(column.filled))
    if column.help:
        parts.append(str(column.help))
    return "\n".join(part for part in parts if part)


INSTRUCTIONS = (
    _(
        "Enter one record per row on the sheet of its type, below the header row. Keep the sheets' names and the "
        "header rows as they are; a sheet you do not need may be deleted or left empty."
    ),
    _(
        "“%(reference)s”: your own number for each row, unique in its sheet. A row whose reference a record of your "
        "agency already has updates that record instead of adding another, so a corrected workbook can be imported "
        "again; rows that did not change are left alone."
    ),
    _(
        "“%(agency_column)s” may stay empty: the rows are then those of the agency the import is for (%(agency)s, "
        "code %(code)s)."
    ),
    _(
        "A column that names another record (the visit of a visit outcome, the pairing of a joint activity, ...) takes "
        "that record's reference: from its sheet in the same workbook, or of a record imported before."
    ),
    _(
        "Columns with a dropdown take one of its values: the choices, and the officials, villages and Party "
        "organisations %(agency)s may name."
    ),
    _(
        "Dates as 2014-07-03 (or 2014/7/3, 2014.7.3, 2014年7月3日); amounts in yuan, 万 and 亿 may be used (1.5万); "
        "yes/no as 是 or 否. Shaded headers are the columns every row must fill."
    ),
    _(
        "At most %(rows)s rows per sheet and %(size)s per file. Formulas and merged cells are refused: paste values "
        "only, and do not merge cells."
    ),
    _(
        "Nothing is saved while any row has a problem: the check lists every problem with its sheet, row and column. "
        "The sheets “%(instructions)s”, “%(example)s…” and the hidden “%(lists)s” are not imported."
    ),
)


def write_instructions(sheet, fmt: Formats, sheets: list[TemplateSheet], agency) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 2, 90)
    sheet.write_string(0, 0, gettext("Import template of %(agency)s") % {"agency": agency.name}, fmt.title)
    params = {
        "reference": gettext("reference"),
        "agency_column": gettext("agency code"),
        "agency": agency.name,
        "code": agency.code,
        "rows": f"{settings.IMPORT_MAX_ROWS:,}",
        "size": filesizeformat(settings.IMPORT_MAX_BYTES),
        "instructions": INSTRUCTIONS_SHEET,
        "example": EXAMPLE_PREFIX,
        "lists": LISTS_SHEET,
    }
    r = 2
    for number, text in enumerate(INSTRUCTIONS, 1):
        sheet.write_string(r, 0, f"{number}.")
        sheet.write_string(r, 2, str(text) % params, fmt.wrap)
        r += 1
    for template in sheets:
        r += 1
        sheet.write_string(r, 0, gettext("Sheet “%(sheet)s”") % {"sheet": template.title}, fmt.title)
        sheet.write_string(
            r,
            2,
            gettext("One %(what)s per row; an example row is on the sheet “%(example)s”.")
            % {
                "what": template.spec.model._meta.verbose_name,
                "example": sheet_name(template.title, EXAMPLE_PREFIX),
            },
            fmt.wrap,
        )
        r += 1
        if template.spec.note:
            sheet.write_string(r, 2, str(template.spec.note), fmt.wrap)
            r += 1
        for c, heading in enumerate((gettext("column"), gettext("required"), gettext("what it takes"))):
            sheet.write_string(r, c, heading, fmt.header)
        r += 1
        for column in template.spec.columns:
            sheet.write_string(r, 0, str(column.title), fmt.bold if column.must_fill else None)
            sheet.write_string(r, 1, str(MSG_REQUIRED if column.must_fill else MSG_OPTIONAL))
            sheet.write_string(r, 2, column_hint(template, column, agency), fmt.wrap)
            r += 1
    sheet.activate()


# --- the records of a year -----------------------------------------------------------------------


def own_year_condition(model, year: int) -> Q | None:
    """The records of `model` that belong to `year` by their own dates (None: all of them, they carry none).

    Events dated in the year (a visit by its start date, an outcome by its visit's, a return or a
    "four into" event by its year); standing things (contact points, pairings, teams) whose span
    overlaps the year; needy people, who carry no date, all.
    """
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if issubclass(model, Span):
        return Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    if model.period_date_field is None:
        return None
    if any(f.name == "year" for f in model._meta.concrete_fields):
        return Q(year=year)
    return Q(**{f"{model.period_date_field}__range": (first, last)})


def records_of_year(spec: RecordSheet, year: int, agency=None):
    """The live records of a sheet in `year` (see `own_year_condition`), with the parents that
    the year's records of other sheets name even when they lie outside the year."""
    model = spec.model
    condition = own_year_condition(model, year)
    if condition is not None:
        for child in record_sheets():
            for name, parent in child.parents.items():
                if parent is not model:
                    continue
                children = child.model.objects.all()
                own = own_year_condition(child.model, year)
                if own is not None:
                    children = children.filter(own)
                if agency is not None:
                    children = children.filter(agency=agency)
                condition |= Q(pk__in=children.values(name))
    rows = model.objects.all() if condition is None else model.objects.filter(condition)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows.order_by("agency__code", "pk")


class Labels:
    """Directory objects by the label the importer reads them by: the same tables (the form's
    choices for the command line's user, narrowed to the row's agency), built once each.

    The choices of a column are read once for all agencies and shared out: an agency's table
    holds the same objects as the importer's narrowed query, and a label depends only on them.
    """

    def __init__(self):
        self.user = system_user()
        self.forms = {}
        self.choices = {}
        self.tables = {}
        self.outside: dict[tuple[str, str], int] = {}  # (sheet, column) -> cells naming an object outside the choices
        self._fallback = {}

    def table(self, spec: RecordSheet, column, agency_id: int) -> LookupTable:
        model = column.model_field.related_model
        scoped = is_agency_scoped(model)
        key = (spec.model, column.name, agency_id if scoped else None)
        if key not in self.tables:
            if spec.model not in self.forms:
                self.forms[spec.model] = spec.form(user=self.user)
            every = (spec.model, column.name)
            if every not in self.choices:
                by_agency = defaultdict(list)
                for obj in choices_of(self.forms[spec.model], column, None):
                    by_agency[obj.agency_id if scoped else None].append(obj)
                self.choices[every] = by_agency
            by_agency = self.choices[every]
            objects = by_agency[None]
            if scoped:
                shared = model._meta.get_field("agency").null  # choices_of: the agency's own and the unattached
                objects = by_agency[agency_id] + (by_agency[None] if shared else [])
            self.tables[key] = LookupTable(objects)
        return self.tables[key]

    def label(self, spec: RecordSheet, column, agency_id: int, pk) -> str | None:
        if pk is None:
            return None
        label = self.table(spec, column, agency_id).labels.get(pk)
        if label is None:
            # Not among the choices (an official no longer in post): written by name; the import will say so.
            place = (str(spec.title), str(column.title))
            self.outside[place] = self.outside.get(place, 0) + 1
            model = column.model_field.related_model
            if (model, pk) not in self._fallback:
                self._fallback[(model, pk)] = base_label(model._base_manager.get(pk=pk))
            label = self._fallback[(model, pk)]
        return label


def value_paths(spec: RecordSheet) -> list[str]:
    """What each column is read from, in one query: a parent's reference and the agency's code by a join."""
    paths = []
    for column in spec.columns:
        if column.name == AGENCY:
            paths.append("agency__code")
        elif column.kind == PARENT:
            paths.append(f"{column.name}__reference")
        elif column.kind == LOOKUP:
            paths.append(column.attname)
        else:
            paths.append(column.name)
    return [*paths, "agency_id"]


def cell_converters(spec: RecordSheet, labels: Labels) -> list:
    """One function per column turning a stored value into what the importer reads back, chosen once."""
    converters = []
    for column in spec.columns:
        kind = column.kind
        if kind == LOOKUP:
            converters.append(lambda value, agency_id, column=column: labels.label(spec, column, agency_id, value))
        elif kind == CHOICE:
            converters.append(lambda value, agency_id, names=choice_labels(column): names.get(value))
        elif kind == BOOL:
            converters.append(lambda value, agency_id: None if value is None else (YES if value else NO))
        else:
            converters.append(lambda value, agency_id: value)
    return converters


@dataclass
class RecordsWritten:
    counts: dict[str, int] = field(default_factory=dict)  # sheet title -> rows
    outside: dict[tuple[str, str], int] = field(default_factory=dict)  # (sheet, column) -> cells the import will refuse


def write_records(output, *, year: int, agency=None, progress: Progress = no_progress) -> RecordsWritten:
    """Every live record of `year` (of one agency, or all) in the import format; see `records_of_year`.

    Streams the rows (constant memory, chunked queries), one sheet per record type, headers and
    values in the active language. `progress` (outreach.progress): "sheet" per sheet and every
    CHUNK_SIZE rows, in rows of the whole workbook; only when someone watches (a job, a terminal)
    are the rows counted first, one query per sheet.
    """
    result = RecordsWritten()
    labels = Labels()
    watched = progress is not no_progress
    expected = sum(records_of_year(spec, year, agency).count() for spec in record_sheets()) if watched else 0
    done = 0
    with open_book(output, constant_memory=True) as book:
        fmt = Formats(book)
        for spec in record_sheets():
            title = str(spec.title)
            progress(done, max(expected, done), "sheet", sheet=title)
            sheet = book.add_worksheet(sheet_name(title))
            write_header(sheet, fmt, spec)
            columns = spec.columns
            converters = cell_converters(spec, labels)
            writers = cell_writers(sheet, fmt, columns)
            rows = records_of_year(spec, year, agency).values_list(*value_paths(spec))
            r = 0
            for r, values in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), 1):
                agency_id = values[-1]
                for c, (convert, write) in enumerate(zip(converters, writers)):
                    write(r, c, convert(values[c], agency_id))
                if watched and not r % CHUNK_SIZE:
                    progress(done + r, max(expected, done + r), "sheet", sheet=title)
            if r:
                sheet.autofilter(0, 0, r, len(columns) - 1)
            result.counts[title] = r
            done += r
        progress(done, max(expected, done), "save")
    result.outside = labels.outside
    return result


CELL_KINDS = {DATE: excel.DATE, INT: excel.AMOUNT, MONEY: excel.AMOUNT, DECIMAL: excel.AMOUNT}


def cell_writers(sheet, fmt: Formats, columns) -> list:
    """One writer per column, chosen once (`outreach.excel.cell_writer`): dates as dates, numbers as
    numbers in the column's format, the rest (labels, references, yes/no) as text; empty cells left empty."""
    return [
        excel.cell_writer(
            sheet, CELL_KINDS.get(column.kind, excel.TEXT), fmt.of(column) if column.kind in CELL_KINDS else None
        )
        for column in columns
    ]
