"""The year-end statistics as files: the JSON payload and the Excel workbook (docs/domain.md §4).

Both render from the selectors the year-end page uses (`year_end_figures`, `year_end_page`), so
the page, the JSON and the workbook show the same numbers. The workbook (`write_workbook`) has:

* a summary sheet: label, value and unit of every figure in the catalogue's (the article's)
  order, under its section and part titles, with the scope, cut-off and basis (统计口径, in
  words) on top, and each figure's code in the last column (for machines, not in the reader's way);
* the breakdowns per agency (code and name) and per city (its name), a column per figure headed
  by its label, with the scope's own figure underneath (distinct counts do not add up, so it is
  labelled as the figure, never a sum of the rows);
* one detail sheet per source table with exactly the records the figures count (`DETAILS`:
  `reports.scope.counted()`, as the figures) and never a needy person's name.

Detail rows are read with `values_list(...).iterator()` — choice labels, yes/no and agency
names are worked out in SQL, once per query — and handed to xlsxwriter's constant-memory mode
as they come, each column through a writer chosen once (`outreach.excel.cell_writer`) and
formatted by its column, so memory stays flat whatever the size and a row costs no more than
plain xlsxwriter's `write_row()` (bench/workbook.py measures both). A sheet that reaches Excel's
row limit continues on "<title> (2)". Text is always written as text: a directory name
beginning with "=" stays that name, never a formula.
"""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.db.models.fields import BooleanField, DateField, DecimalField
from django.db.models.functions import Coalesce, NullIf
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from outreach import excel
from outreach.excel import (
    COUNT_FORMAT,
    DATE_FORMAT,
    EXCEL_MAX_ROWS,
    MONEY_FORMAT,
    XLSX_CONTENT_TYPE,  # noqa: F401 (the download's file type, for the view)
    write_strings,
)
from outreach.exports import export_filename
from outreach.models import Agency, AgencyRecord, Basis
from outreach.progress import Progress, no_progress
from pairings.models import ContactPoint, ContactPointActivity, JointActivity, NeedyPairing, Pairing, Support
from reports.forms import ReportScope, basis_text
from reports.indicators import BY_AGENCY, MONEY, PERCENT, Indicator, Scope, as_json_value
from reports.scope import city_path, counted
from reports.selectors import sections, year_end_figures, year_end_page
from visits import models as visits

CHUNK_SIZE = 5000

# Number formats besides outreach.excel's (yuan, counts, dates): rates are stored as the percentage
# number the JSON gives (99.98, not 0.9998) and shown with a "%" sign, so a cell reads back as the JSON value.
HOURS_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.00"%"'


# --- JSON ----------------------------------------------------------------------------------------


def year_end_payload(scope: ReportScope, figures: dict | None = None) -> dict:
    """The body of /reports/year-end.json and of `manage.py yearend --format json` (15 queries).

    `figures`: `year_end_figures()` of the scope if the caller already has them.
    """
    if figures is None:
        figures = year_end_figures(
            year=scope.year, as_of=scope.as_of, agency=scope.agency, city=scope.city, basis=scope.basis
        )
    basis = Basis(scope.basis)
    return {
        "year": scope.year,
        "as_of": scope.as_of.isoformat(),
        "agency": scope.agency.code if scope.agency is not None else None,
        "city": scope.city.code if scope.city is not None else None,
        "basis": basis.value,
        "basis_label": str(basis.label),
        "basis_description": str(basis.description),
        "figures": {code: as_json_value(code, value) for code, value in figures.items()},
    }


def workbook_filename(scope: ReportScope) -> str:
    """年度统计-2014-省纪委[-亳州市]-已报送-2014-07-31.xlsx: named as a list's download (`export_filename`), by the
    statistics' title, the year, whose figures (the province or the agency, and the city), the basis and the as-of day."""
    parts = [gettext("Year-end statistics"), str(scope.year)]
    parts.append(str(scope.agency) if scope.agency is not None else gettext("Province"))
    if scope.city is not None:
        parts.append(scope.city.name)
    parts.append(str(Basis(scope.basis).label))
    return export_filename("-".join(parts), scope.as_of)


def scope_label(scope: ReportScope) -> str:
    """Whose figures: the province or an agency, and the city if one is chosen."""
    label = str(scope.agency) if scope.agency is not None else gettext("Province")
    if scope.city is not None:
        label = f"{label} · {scope.city.name}"
    return label


# --- detail sheets: the records behind the figures -------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a detail sheet: a field path and its header.

    Without a header, a column is named after its field: the relation's for "<relation>__name"
    paths, the last field's otherwise. `flag`: the path is a yes/no annotation of the rows, not a field.
    """

    path: str
    header: str | None = None
    flag: bool = False


#: in a detail's columns: the target city its records count by (`reports.scope.city_path`)
IN_CITY = Column("", _("city"))


@dataclass(frozen=True)
class Detail:
    """A detail sheet: the records of `model` the figures count (`counted(model, scope)`) and which columns."""

    model: type
    columns: tuple[Column | str, ...]  # a field path stands for a column named after its field
    #: by default by agency, then by the date the records count by (`period_date_field`)
    order: tuple[str, ...] | None = None
    #: adds what a sheet shows besides the fields to the counted rows: Callable[[QuerySet, Scope], QuerySet]
    annotate: object = None

    def _column(self, column: Column | str) -> Column:
        if column is IN_CITY:  # the city the figures count the record by: one rule, `reports.scope.COUNTED`
            return Column(f"{city_path(self.model)}__name", IN_CITY.header)
        return column if isinstance(column, Column) else Column(column)

    def rows(self, scope: Scope):
        rows = counted(self.model, scope)
        return rows if self.annotate is None else self.annotate(rows, scope)

    def __post_init__(self):
        columns = tuple(self._column(column) for column in self.columns)
        object.__setattr__(self, "columns", columns)
        if self.order is None:
            object.__setattr__(self, "order", ("agency__code", self.model.period_date_field, "pk"))


def own_fields(model, *, exclude=()) -> list[str]:
    """The fields a record type declares (not the record number nor what every agency record has), in order."""
    common = {"id", *(f.name for f in AgencyRecord._meta.fields)}
    return [f.name for f in model._meta.concrete_fields if f.name not in common and f.name not in exclude]


def _latest(rows, scope: Scope):
    """`latest` marks each agency's last counted return, whose stocks count (the figures' ordering: period end,
    then pk); every counted return's flows add up."""
    later = (
        counted(visits.ChannelReturn, scope)
        .filter(agency=OuterRef("agency"))
        .filter(Q(period_end__gt=OuterRef("period_end")) | Q(period_end=OuterRef("period_end"), pk__gt=OuterRef("pk")))
    )
    return rows.annotate(latest=~Exists(later))


DETAILS: tuple[Detail, ...] = (
    Detail(
        ContactPoint,
        ("official__name", "village__full_name", IN_CITY, "start_date", "end_date"),
    ),
    # Needy people are personal data (docs/domain.md §3): their village and category only, never a name.
    Detail(
        NeedyPairing,
        (
            Column("needy_person_id", _("needy person (record number)")),
            "official__name",
            Column("needy_person__village__full_name", _("village or community")),
            IN_CITY,
            "needy_person__category",
            "start_date",
            "end_date",
        ),
    ),
    Detail(
        ContactPointActivity,
        (
            Column("contact_point__official__name", _("department-level leader")),
            Column("contact_point__village__full_name", _("contact village")),
            IN_CITY,
            "kind",
            "date",
            "people_consoled",
            "problems_solved",
            "money",
        ),
    ),
    Detail(
        Pairing,
        (
            "committee__name",
            "partner__name",
            Column("partner__kind", _("partner type")),
            Column("partner__region__full_name", _("location")),
            IN_CITY,
            "start_date",
            "end_date",
        ),
    ),
    Detail(
        JointActivity,
        (
            Column("pairing_id", _("pairing (record number)")),
            Column("pairing__partner__name", _("partner Party organisation")),
            IN_CITY,
            "kind",
            "date",
            "title",
            "participants",
        ),
    ),
    Detail(
        Support,
        (
            Column("pairing__partner__name", _("partner Party organisation")),
            IN_CITY,
            "date",
            "projects_planned",
            "projects_supported",
            "industries_assisted",
            "funds",
        ),
    ),
    Detail(
        visits.Visit,
        (
            "official__name",
            "official__rank",
            "official__position",
            "start_date",
            "end_date",
            "is_village_stay",
            "village_days",
            "place__full_name",
            IN_CITY,
            "households",
            "enterprises",
            "communities",
            "villager_groups",
            "forums",
            "opinions",
        ),
    ),
    Detail(
        visits.VisitOutcome,
        (
            Column("visit__official__name", _("official")),
            Column("visit__start_date", _("visit start date")),
            Column("visit__place__full_name", _("place visited")),
            IN_CITY,
            "businesses_helped",
            "business_problems",
            "financing",
            "migrant_cases",
            "difficulties",
        ),
    ),
    Detail(
        visits.ChannelReturn,
        annotate=_latest,
        columns=(
            "year",
            "period_kind",
            "half",
            "period_end",
            "status",
            Column("latest", _("latest in the window (its stocks count)"), flag=True),
            *visits.ChannelReturn.CHANNELS,
            "is_window_unit",
            *(
                visits.ChannelReturn.OPINION_FLOWS
                + visits.ChannelReturn.ZERO_STOCKS
                + visits.ChannelReturn.ZERO_FLOWS
                + visits.ChannelReturn.APPROVAL_STOCKS
                + visits.ChannelReturn.APPROVAL_FLOWS
            ),
        ),
    ),
    Detail(
        visits.FourIntoEvent,
        tuple(own_fields(visits.FourIntoEvent, exclude=("year", "note"))),
    ),
    Detail(
        visits.VolunteerTeam,
        ("name", "kind", "specialty", "members", "start_date", "end_date"),
        order=("agency__code", "pk"),
    ),
    Detail(
        visits.VolunteerService,
        ("team__name", "date", "activity", "person_times", "hours", "place"),
    ),
    # Not "books donated to": free text that may name people.
    Detail(
        visits.FiveIntoAction,
        ("date", "kind", "title", *visits.FiveIntoAction.yield_fields()),
    ),
)

TEXT, COUNT, HOURS, DATE = "text", "count", "hours", "date"  # column kinds, besides MONEY


@dataclass
class ResolvedColumn:
    header: str
    kind: str
    select: object  # a field path or an expression for values_list()


def _field(model, path: str):
    parts = path.split("__")
    fields = []
    for part in parts:
        fields.append(model._meta.get_field(part))
        model = fields[-1].related_model or model
    return fields


def _resolve(model, column: Column) -> ResolvedColumn:
    """Header, number format and SQL selection of a column: choices and yes/no as labels, in SQL."""
    if column.flag:
        return ResolvedColumn(str(column.header), TEXT, _yes_no(column.path))
    fields = _field(model, column.path)
    last = fields[-1]
    header = column.header
    if header is None:
        relation_name = len(fields) > 1 and column.path.rsplit("__", 1)[-1] in ("name", "full_name")
        header = (fields[0] if relation_name else last).verbose_name
    select = column.path
    if getattr(last, "choices", None):
        kind, select = TEXT, _labels(column.path, last.flatchoices)
    elif isinstance(last, BooleanField):
        kind, select = TEXT, _yes_no(column.path)
    elif isinstance(last, DateField):
        kind = DATE
    elif isinstance(last, DecimalField):
        kind = MONEY if last.decimal_places == 2 else HOURS
    elif column.path.endswith("_id") or last.get_internal_type().endswith("IntegerField"):
        kind = COUNT
    else:
        kind = TEXT
    return ResolvedColumn(str(header), kind, select)


def _labels(path: str, choices):
    """A choice field's label in the active language, worked out by the database (not per row in Python)."""
    return Case(
        *(When(**{path: value}, then=Value(str(label))) for value, label in choices),
        default=Value(""),
        output_field=CharField(),
    )


def _yes_no(path: str):
    return Case(
        When(**{path: True}, then=Value(gettext("Yes"))),
        default=Value(gettext("No")),
        output_field=CharField(),
    )


AGENCY_NAME = Coalesce(NullIf(F("agency__short_name"), Value("")), F("agency__name"), output_field=CharField())


def detail_query(detail: Detail, scope: Scope):
    """(headers and kinds, the values_list queryset) of one detail sheet."""
    columns = [
        ResolvedColumn(str(Agency._meta.get_field("code").verbose_name), TEXT, "agency__code"),
        ResolvedColumn(gettext("agency"), TEXT, AGENCY_NAME),
    ] + [_resolve(detail.model, column) for column in detail.columns]
    rows = detail.rows(scope).order_by(*detail.order).values_list(*(c.select for c in columns))
    return columns, rows


def detail_title(detail: Detail) -> str:
    return str(detail.model._meta.verbose_name_plural)


# --- writing -----------------------------------------------------------------------------------------


class Formats:
    """The workbook's cell formats, made once per workbook; `number[kind]` per column or figure kind."""

    def __init__(self, workbook):
        add = workbook.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.header = add({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"})
        self.code = add({"italic": True, "font_color": "#666666", "bg_color": "#F2F2F2", "border": 1})
        self.section = add({"bold": True, "font_size": 12, "bg_color": "#DDEBF7"})
        self.part = add({"bold": True})
        numbers = {
            COUNT: COUNT_FORMAT,
            MONEY: MONEY_FORMAT,
            HOURS: HOURS_FORMAT,
            DATE: DATE_FORMAT,
            PERCENT: PERCENT_FORMAT,
            TEXT: None,
        }
        self.number = {kind: add({"num_format": n}) if n else None for kind, n in numbers.items()}
        self.total = {
            kind: add({"bold": True, "top": 1, **({"num_format": n} if n else {})}) for kind, n in numbers.items()
        }


def figure_kind(indicator: Indicator) -> str:
    """The number format of a figure: count, money, percent, or hours (one decimal place)."""
    if indicator.code == "volunteer.hours":
        return HOURS
    return indicator.kind


WIDTHS = {TEXT: 18, COUNT: 10, MONEY: 16, HOURS: 12, DATE: 11}


def _width(header: str, kind: str) -> int:
    # Chinese characters are about two columns wide; long headers wrap rather than widen the sheet.
    return max(WIDTHS[kind], min(len(header) * 2 + 2, 30))


def _sheet_name(title: str, part: int) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    title = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)
    if part == 1:
        return title[:31]
    suffix = f" ({part})"
    return title[: 31 - len(suffix)] + suffix


def _print_setup(sheet, header_rows: int, columns: int = 0, *, landscape=True) -> None:
    """A4, one page wide, the header rows (and the first columns) repeated on every page."""
    if landscape:
        sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, header_rows - 1)
    if columns:
        sheet.repeat_columns(0, columns - 1)


# Detail sheets format only what needs it: counts show as they are (a year, a record number, a small
# count), dates and yuan take their column's format. A cell with a format costs more to write.
DETAIL_FORMATS = (DATE, MONEY, HOURS)
# How a column's cells are written (no cell format: the column's own shows dates and yuan).
CELL_KINDS = {TEXT: excel.TEXT, DATE: excel.DATE}


def _cell_writers(sheet, columns: list[ResolvedColumn]) -> list:
    """One writer per column, chosen once (`outreach.excel.cell_writer`): text as text, a date as
    its Excel day number, counts and amounts as the numbers they are."""
    return [excel.cell_writer(sheet, CELL_KINDS.get(column.kind, excel.NUMBER)) for column in columns]


def write_detail_sheet(workbook, fmt: Formats, title: str, columns: list[ResolvedColumn], rows, *, tick=None) -> int:
    """A bold frozen header and the rows; a sheet that reaches Excel's row limit continues on "<title> (n)".

    Cells take their column's number format (`DETAIL_FORMATS`). Returns the number of rows written.
    `tick(written)`: called every CHUNK_SIZE rows (the workbook's progress).
    """
    part, written = 0, 0

    def new_sheet():
        nonlocal part
        part += 1
        sheet = workbook.add_worksheet(_sheet_name(title, part))
        for c, column in enumerate(columns):
            number_format = fmt.number[column.kind] if column.kind in DETAIL_FORMATS else None
            sheet.set_column(c, c, _width(column.header, column.kind), number_format)
        write_strings(sheet, 0, [column.header for column in columns], fmt.header)
        sheet.freeze_panes(1, 0)
        _print_setup(sheet, 1)
        return sheet, list(enumerate(_cell_writers(sheet, columns)))

    def close(sheet, last_row):
        sheet.autofilter(0, 0, max(last_row, 1), len(columns) - 1)

    (sheet, writers), r, limit = new_sheet(), 1, EXCEL_MAX_ROWS
    for row in rows:
        if r >= limit:
            close(sheet, r - 1)
            (sheet, writers), r = new_sheet(), 1
        for c, write in writers:
            write(r, c, row[c])
        r += 1
        written += 1
        if tick is not None and not written % CHUNK_SIZE:
            tick(written)
    close(sheet, r - 1)
    return written


def write_summary_sheet(workbook, fmt: Formats, scope: ReportScope, figures: dict) -> int:
    """A title (scope, cut-off and the basis in words), then label · value · unit of every figure under its
    section and part, and last its code (machine-readable, out of the reader's way)."""
    sheet = workbook.add_worksheet(_sheet_name(gettext("Summary"), 1))
    for c, width in enumerate((50, 20, 12, 24)):
        sheet.set_column(c, c, width)
    title = gettext("Year-end statistics %(year)s · %(scope)s · as of %(date)s") % {
        "year": scope.year,
        "scope": scope_label(scope),
        "date": formats.date_format(scope.as_of, "DATE_FORMAT"),
    }
    sheet.merge_range(0, 0, 0, 3, f"{title} · {basis_text(scope.basis)}", fmt.title)
    headers = [gettext("figure"), gettext("value"), gettext("unit"), gettext("code")]
    write_strings(sheet, 1, headers, fmt.header)
    sheet.freeze_panes(2, 0)
    _print_setup(sheet, 2, landscape=False)
    r = 2
    for section in sections(figures):
        sheet.merge_range(r, 0, r, 3, str(section.title), fmt.section)
        r += 1
        for part in section.parts:
            sheet.merge_range(r, 0, r, 3, str(part.title), fmt.part)
            r += 1
            for row in part.rows:
                indicator = row.indicator
                sheet.write_string(r, 0, str(indicator.label))
                if row.value is not None:  # None: a rate with nothing below the line (null in the JSON)
                    sheet.write_number(r, 1, row.value, fmt.number[figure_kind(indicator)])
                sheet.write_string(r, 2, str(indicator.unit))
                sheet.write_string(r, 3, indicator.code, fmt.code)
                r += 1
    return len(figures)


def write_breakdown_sheet(workbook, fmt: Formats, title: str, breakdown, total: dict | None, total_label: str) -> int:
    """One row per agency (its code and name) or per city (its name), then a column per figure, headed by its
    label (the summary sheet gives each label's code).

    `total`: the scope's own figures, written under the rows as `total_label`; distinct counts
    (agencies, officials, organisations) do not add up over the rows, so this is never a sum.
    """
    sheet = workbook.add_worksheet(_sheet_name(title, 1))
    indicators = breakdown.indicators
    kinds = [figure_kind(i) for i in indicators]
    by_agency = breakdown.by == BY_AGENCY
    # An agency by its code and name; a city by its name alone (a region's code is the directory's, no reader's).
    lead = [gettext("code"), gettext("agency")] if by_agency else [gettext("city")]
    first = len(lead)
    if by_agency:
        sheet.set_column(0, 0, 10)
    sheet.set_column(first - 1, first - 1, 24)
    for c, kind in enumerate(kinds, start=first):
        sheet.set_column(c, c, 14, fmt.number[kind])
    sheet.set_row(0, 60)
    write_strings(sheet, 0, lead + [str(i.label) for i in indicators], fmt.header)
    sheet.freeze_panes(1, first)
    _print_setup(sheet, 1, first)
    # Codes and names are text whatever they hold (a name beginning with "=" is no formula).
    text, number = excel.cell_writer(sheet, excel.TEXT), excel.cell_writer(sheet, excel.NUMBER)
    r = 1
    for row in breakdown.rows:
        if row.unit is None:
            names = [gettext("No city")]
        elif by_agency:
            names = [row.unit.code, str(row.unit)]
        else:
            names = [row.unit.name]
        for c, name in enumerate(names, start=first - len(names)):
            text(r, c, name)
        for c, indicator in enumerate(indicators, start=first):
            number(r, c, row.figures[indicator.code])
        r += 1
    if total is not None:
        write_strings(sheet, r, [""] * (first - 1) + [total_label], fmt.total[TEXT])
        for c, (indicator, kind) in enumerate(zip(indicators, kinds), start=first):
            value = total[indicator.code]
            if value is None:
                sheet.write_blank(r, c, None, fmt.total[kind])
            else:
                sheet.write_number(r, c, value, fmt.total[kind])
    return len(breakdown.rows)


@dataclass
class WorkbookStats:
    """What `write_workbook` wrote: rows per sheet title (a continued sheet under its first title)."""

    summary_rows: int = 0
    breakdown_rows: int = 0
    detail_rows: dict = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return self.summary_rows + self.breakdown_rows + sum(self.detail_rows.values())


def write_workbook(
    target, scope: ReportScope, *, page: dict | None = None, progress: Progress = no_progress
) -> WorkbookStats:
    """Write the year-end workbook of `scope` to `target` (a path or a binary file object).

    Labels and headers are in the active language. `page`: `year_end_page(scope)` if the caller
    already has it. Queries: those of `year_end_page` plus one per detail sheet.

    `progress` (outreach.progress): "figures" while the page is computed, then "sheet" per sheet
    and every CHUNK_SIZE rows of a detail sheet, in rows of the whole workbook. Only when someone
    watches (a job, a terminal) are the detail sheets' rows counted first, one query each; the
    plain download makes no such query.
    """
    watched = progress is not no_progress
    if page is None:
        progress(0, 1, "figures")
        page = year_end_page(scope, compare=False)
    figures, by_agency, by_city = page["figures"], page["agency_breakdown"], page["city_breakdown"]
    queries = [(detail_title(detail), *detail_query(detail, scope)) for detail in DETAILS]
    first = len(figures) + len(by_agency.rows) + len(by_city.rows)  # the summary and breakdown sheets' rows
    expected = first + (sum(rows.count() for _title, _columns, rows in queries) if watched else 0)
    stats = WorkbookStats()
    workbook = excel.workbook(target, {"constant_memory": True, "default_date_format": DATE_FORMAT})
    try:
        fmt = Formats(workbook)
        progress(0, expected, "sheet", sheet=gettext("Summary"))
        stats.summary_rows = write_summary_sheet(workbook, fmt, scope, figures)
        total_label = gettext("%(scope)s: the figure itself (not a sum of the rows)") % {"scope": scope_label(scope)}
        for title, breakdown in ((gettext("By agency"), by_agency), (gettext("By city"), by_city)):
            progress(stats.total_rows, expected, "sheet", sheet=title)
            total = figures if len(breakdown.rows) > 1 else None  # one row is the figure itself
            stats.breakdown_rows += write_breakdown_sheet(workbook, fmt, title, breakdown, total, total_label)
        for title, columns, rows in queries:
            before = stats.total_rows
            progress(before, expected, "sheet", sheet=title)

            def tick(written, before=before, title=title):
                progress(before + written, max(expected, before + written), "sheet", sheet=title)

            stats.detail_rows[title] = write_detail_sheet(
                workbook, fmt, title, columns, rows.iterator(chunk_size=CHUNK_SIZE), tick=tick if watched else None
            )
        progress(stats.total_rows, max(expected, stats.total_rows), "save")
    finally:
        workbook.close()
    return stats
