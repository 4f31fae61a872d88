"""Import a workbook of records: every row checked by the records' own rules, then all written or none.

`run_import(file, agency=..., user=..., commit=...)` reads every record sheet it knows (parents
first, whatever the workbook's order), checks each row exactly as a form save would (the form's
choices for related objects, then the model's `full_clean()`: required fields, bounds, dates
within spans, locked and approved months, ...), and writes rows chunk by chunk inside one
transaction, so a later sheet can name records of an earlier one. At the end the transaction is
rolled back unless `commit` is set and no row had a problem: a preview and an import run the same
code, and an import with one bad row writes nothing.

Progress (outreach.progress): `progress` is called once per chunk of CHUNK rows with the rows read
so far of the rows expected (the matched sheets' data rows, as the workbook's scan counted them),
then once before the write is committed. A progress callable that raises (a job cancelled by its
owner, jobs.runner.JobCancelled) stops the import: the exception propagates and nothing is kept.

A row whose reference names a live record of its agency and type updates that record (with a
history entry and a new version, like an edit on the form) when anything changed, and leaves it
alone when nothing did; so importing the same workbook twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from outreach import plausibility
from outreach.importing import cells
from outreach.importing.cells import CellError, match_key
from outreach.importing.fastwrite import create_with_history
from outreach.importing.lookups import LookupTable, choices_of
from outreach.importing.specs import AGENCY, LOOKUP, PARENT, REFERENCE, RecordSheet, record_sheets
from outreach.importing.workbook import (
    MSG_TOO_MANY_ROWS,
    HeaderError,
    WorkbookError,
    iter_rows,
    open_workbook,
    read_header,
)
from outreach.models import Agency, remembered_periods
from outreach.progress import Progress, no_progress

logger = logging.getLogger(__name__)

MAX_ISSUES = 1000  # problems kept for the preview (all are counted)
MAX_LISTED_ROWS = 200  # rows listed per sheet in the preview (all are counted)
CHUNK = 500

MSG_NO_RECORD_SHEETS = _(
    "The workbook has no sheet of records. Its sheets must be named as in the template: %(expected)s."
)
MSG_SHEET_IGNORED = _("Sheet “%(sheet)s” is not a sheet of records and was not read.")
MSG_BLANK_ROWS = _("Sheet “%(sheet)s”: blank rows %(rows)s were skipped.")
MSG_AGENCY_COLUMN_NEEDED = _("Sheet “%(sheet)s” needs the column “%(title)s”: this import is not for one agency.")
MSG_REFERENCE_REQUIRED = _("Enter a reference: it identifies the row when the workbook is imported again.")
MSG_DUPLICATE_REFERENCE = _("The reference “%(reference)s” is also used in row %(row)s of this sheet.")
MSG_NOT_THIS_AGENCY = _("The agency code “%(found)s” is not that of %(agency)s, the agency this import is for.")
MSG_UNKNOWN_AGENCY = _("There is no agency with the code “%(found)s”.")
MSG_AGENCY_REQUIRED = _("Enter the agency code.")
MSG_NOT_A_CHOICE = _("“%(found)s” is not among the choices of this column for %(agency)s (see the template's list).")
MSG_AMBIGUOUS = _("“%(found)s” names more than one; use the name as the template's list gives it.")
MSG_NO_PARENT = _(
    "There is no %(what)s with the reference “%(found)s” in sheet “%(sheet)s” or among the records of %(agency)s."
)
MSG_PARENT_FAILED = _("The %(what)s “%(found)s” has errors of its own in sheet “%(sheet)s”; correct them first.")
MSG_DATABASE = _("The import could not be written and nothing was saved; please try again. (%(error)s)")
MSG_TOO_MANY_DATA_ROWS = _(
    "Sheet “%(sheet)s” has more than %(limit)s rows of records, the most one import takes. "
    "Split it into several workbooks, or delete the empty rows below the data."
)
MSG_SEE_ALSO = _("See also column “%(column)s”.")
MSG_MORE_PROBLEMS = _("… and %(count)s more problems not listed.")
# The form's word for an empty required field (Django's own, and so already translated).
MSG_REQUIRED = _("This field is required.")

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
# Stamps an import never writes from a row.
SYSTEM_FIELDS = {
    "id",
    "agency",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
    "deleted_at",
    "deleted_by",
}


@dataclass
class Issue:
    sheet: str = ""
    row: int | None = None
    column: str = ""  # letter and title, e.g. "D 开始日期"
    message: str = ""

    def __str__(self):
        place = " · ".join(
            part
            for part in (self.sheet, gettext("row %(row)s") % {"row": self.row} if self.row else "", self.column)
            if part
        )
        return f"{place}: {self.message}" if place else self.message


@dataclass
class SheetSummary:
    title: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    rows: list = field(default_factory=list)  # [row, reference, action] of the first MAX_LISTED_ROWS

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed


@dataclass
class ImportReport:
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0
    sheets: list[SheetSummary] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    committed: bool = False
    #: values far above their usual maximum (outreach.plausibility): not problems; confirmed before the import
    unusual: list[Issue] = field(default_factory=list)
    unusual_count: int = 0

    @property
    def ok(self) -> bool:
        return self.issue_count == 0

    @property
    def unlisted(self) -> int:
        return self.issue_count - len(self.issues)

    def add(self, message, *, sheet="", row=None, column="") -> None:
        self.issue_count += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(Issue(str(sheet), row, str(column), str(message)))

    def flag(self, message, *, sheet="", row=None, column="") -> None:
        self.unusual_count += 1
        if len(self.unusual) < MAX_ISSUES:
            self.unusual.append(Issue(str(sheet), row, str(column), str(message)))

    @property
    def unusual_unlisted(self) -> int:
        return self.unusual_count - len(self.unusual)

    @property
    def unusual_signature(self) -> str:
        """What confirming the unusual values confirms: these values (a box ticked on another preview: nothing)."""
        return hashlib.sha256(repr([asdict(issue) for issue in self.unusual]).encode()).hexdigest()[:16]

    def totals(self) -> Counter:
        counts = Counter()
        for sheet in self.sheets:
            counts.update(created=sheet.created, updated=sheet.updated, unchanged=sheet.unchanged, failed=sheet.failed)
        return counts

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        return cls(
            issues=[Issue(**issue) for issue in data.get("issues", [])],
            issue_count=data.get("issue_count", 0),
            sheets=[SheetSummary(**sheet) for sheet in data.get("sheets", [])],
            notices=data.get("notices", []),
            committed=data.get("committed", False),
            unusual=[Issue(**issue) for issue in data.get("unusual", [])],
            unusual_count=data.get("unusual_count", 0),
        )

    def lines(self) -> list[str]:
        """Every listed problem as one line (the command line's output)."""
        lines = [str(issue) for issue in self.issues]
        if self.unlisted:
            lines.append(str(MSG_MORE_PROBLEMS) % {"count": self.unlisted})
        return lines


def system_user():
    """The command line's stand-in for a user: sees every agency, is recorded as nobody."""
    return get_user_model()(username="import_records", is_superuser=True, is_staff=True)


def sheet_keys(spec: RecordSheet) -> set[str]:
    from outreach.importing.workbook import _title_keys

    return _title_keys(spec.title)


def run_import(
    file,
    *,
    agency: Agency | None,
    user=None,
    commit: bool = False,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    reason: str = "",
    progress: Progress = no_progress,
) -> ImportReport:
    """Check (and with `commit`, write) a workbook's records; see the module's description.

    `agency`: the agency every row belongs to (a staff member's own; the one an officer chose);
    None reads each row's agency code. `user`: who imports (scopes the choices, recorded as author);
    None for the command line. `progress`: see the module's description.
    """
    report = ImportReport()
    progress(0, 0, "read")
    try:
        book = open_workbook(
            file,
            max_bytes=max_bytes or settings.IMPORT_MAX_BYTES,
            max_rows=(max_rows or settings.IMPORT_MAX_ROWS) + 1,  # + the header
        )
    except WorkbookError as error:
        report.add(data_rows(error), sheet=error.params.get("sheet", ""))
        return report
    with book:
        specs = record_sheets()
        matched = []
        for sheet in book.sheets:
            spec = next((spec for spec in specs if match_key(sheet.title) in sheet_keys(spec)), None)
            if spec is not None:
                matched.append((spec, sheet))
            elif not sheet.hidden and not is_template_sheet(sheet.title):
                report.notices.append(str(MSG_SHEET_IGNORED) % {"sheet": sheet.title})
        if not matched:
            expected = "、".join(f"“{spec.title}”" for spec in specs)
            report.add(MSG_NO_RECORD_SHEETS % {"expected": expected})
            return report
        matched.sort(key=lambda pair: specs.index(pair[0]))
        importer = Importer(
            report,
            agency=agency,
            user=user,
            reason=reason,
            epoch=book.epoch,
            progress=progress,
            total=sum(expected_rows(sheet) for _spec, sheet in matched),
        )
        try:
            with transaction.atomic(), remembered_periods():
                for spec, sheet in matched:
                    importer.read_sheet(spec, sheet)
                if commit and report.ok:
                    progress(importer.total, importer.total, "write_rows")
                    report.committed = True
                else:
                    transaction.set_rollback(True)
        except DatabaseError as error:  # a race with another writer: nothing of this import stays
            logger.exception("import failed")
            report.committed = False
            report.add(MSG_DATABASE % {"error": error.__class__.__name__})
    return report


def expected_rows(sheet) -> int:
    """The data rows a sheet may hold, below a header in its first row (from the scan at opening: no extra read)."""
    return max(sheet.last_row - 1, 0)


def data_rows(error: WorkbookError) -> WorkbookError:
    """The row limit as the user counts it: rows of data, below the header."""
    if error.message is MSG_TOO_MANY_ROWS:
        return WorkbookError(MSG_TOO_MANY_DATA_ROWS, sheet=error.params["sheet"], limit=error.params["limit"] - 1)
    return error


TEMPLATE_SHEETS = {"说明", "示例", "选项", "instructions", "example", "examples", "lists"}


def is_template_sheet(title: str) -> bool:
    """The template's own sheets (instructions, examples, choice lists) are never read as records."""
    key = match_key(title)
    return key in {match_key(t) for t in TEMPLATE_SHEETS} or key.startswith(("示例", "example"))


@dataclass
class Row:
    number: int
    raw: dict
    values: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)  # column name -> message
    agency_id: int | None = None
    reference: str | None = None
    before: dict | None = None  # an updated record's stored values, by field


class Importer:
    def __init__(
        self, report: ImportReport, *, agency, user, reason="", epoch=None, progress=no_progress, total: int = 0
    ):
        self.report = report
        self.progress = progress
        self.total = total  # rows expected in every sheet read (an estimate: blank rows are counted)
        self.done = 0  # rows read in the sheets before the current one
        self.agency = agency
        self.user = user if user is not None and user.pk else None
        self.scope_user = user if self.user is not None else system_user()
        self.reason = reason or "import"
        self.agencies = {match_key(a.code): a for a in Agency.objects.all()}
        self.agency_names = {a.pk: a.name for a in self.agencies.values()}
        self.forms = {}
        self.tables = {}
        self._not_from_rows = {}
        self.failed = defaultdict(set)  # (model, agency_id) -> references of rows with problems
        self.epoch = epoch
        self.limits = {}  # year -> usual maxima (outreach.plausibility)

    # -- sheets -------------------------------------------------------------------

    def read_sheet(self, spec: RecordSheet, sheet) -> None:
        start, read = self.done, 0
        try:
            read = self._read_sheet(spec, sheet)
        finally:
            self.done = start + max(read, expected_rows(sheet))
        self.tell(sheet.title)

    def tell(self, title: str) -> None:
        """Report how far the import has come (rows read of rows expected) while in sheet `title`."""
        self.total = max(self.total, self.done)
        self.progress(self.done, self.total, "check_sheet", sheet=title)

    def _read_sheet(self, spec: RecordSheet, sheet) -> int:
        """Read and check one sheet; returns how many rows were read (for the progress)."""
        summary = SheetSummary(title=sheet.title)
        self.report.sheets.append(summary)
        rows = iter_rows(sheet)
        start, read, told = self.done, 0, 0
        try:
            header = read_header(rows, {column.name: column.title for column in spec.columns}, optional=(AGENCY,))
            if self.agency is None and AGENCY not in header.columns:
                raise WorkbookError(MSG_AGENCY_COLUMN_NEEDED, sheet=sheet.title, title=spec.column(AGENCY).title)
            self.header = header
            seen: dict = defaultdict(dict)  # agency id -> {reference: the row that first used it}
            chunk = []
            for number, values in rows:
                chunk.append(Row(number, header.values(values)))
                if len(chunk) >= self.chunk_size(spec):
                    self.process(spec, sheet.title, chunk, seen, summary)
                    read += len(chunk)
                    chunk = []
                    if read - told >= CHUNK:  # once per CHUNK rows, even where rows are checked one by one
                        told, self.done = read, start + read
                        self.tell(sheet.title)
            if chunk:
                self.process(spec, sheet.title, chunk, seen, summary)
                read += len(chunk)
        except HeaderError as error:
            for problem in error.problems:
                self.report.add(problem, sheet=sheet.title)
            return read
        except WorkbookError as error:
            self.report.add(data_rows(error), sheet=sheet.title)
            return read
        if rows.blank_rows:
            shown = ", ".join(str(n) for n in rows.blank_rows[:20]) + (" …" if len(rows.blank_rows) > 20 else "")
            self.report.notices.append(str(MSG_BLANK_ROWS) % {"sheet": sheet.title, "rows": shown})
        return read

    def chunk_size(self, spec) -> int:
        # A record type with a uniqueness rule beside the reference is checked against the rows written before it.
        return 1 if len(spec.model._meta.constraints) > 1 else CHUNK

    def column_title(self, spec, name) -> str:
        letter = self.header.letter(name) if name in self.header.columns else ""
        return f"{letter} {spec.column(name).title}".strip()

    # -- one chunk of rows ------------------------------------------------------------

    def process(self, spec: RecordSheet, title: str, chunk: list[Row], seen: dict, summary: SheetSummary) -> None:
        for row in chunk:
            self.read_cells(spec, row)
            if row.reference is not None and row.agency_id is not None:
                first = seen[row.agency_id].setdefault(row.reference, row.number)
                if first != row.number:
                    row.problems[REFERENCE] = MSG_DUPLICATE_REFERENCE % {"reference": row.reference, "row": first}
        existing = self.fetch(spec.model, [row for row in chunk if not row.problems.get(REFERENCE)])
        parents = {name: self.fetch(model, chunk, field_name=name) for name, model in spec.parents.items()}
        creates, updates = [], []
        for row in chunk:
            record, action = self.check_row(spec, title, row, existing, parents)
            if record is None:
                summary.failed += 1
                if row.reference is not None:
                    self.failed[(spec.model, row.agency_id)].add(row.reference)
                for name, message in row.problems.items():
                    column = self.column_title(spec, name) if name != NON_FIELD_ERRORS else ""
                    self.report.add(message, sheet=title, row=row.number, column=column)
                continue
            if action != UNCHANGED:
                self.flag_unusual(spec, title, row, record)
            if action == CREATE:
                creates.append(record)
                summary.created += 1
            elif action == UPDATE:
                updates.append(record)
                summary.updated += 1
            else:
                summary.unchanged += 1
            if len(summary.rows) < MAX_LISTED_ROWS:
                summary.rows.append([row.number, row.reference, action])
        if creates:
            create_with_history(spec.model, creates, user=self.user, reason=self.reason)
        if updates:
            bulk_update_with_history(
                updates,
                spec.model,
                self.update_fields(spec),
                batch_size=CHUNK,
                default_user=self.user,
                default_change_reason=self.reason,
                manager=spec.model.all_objects,
            )

    def flag_unusual(self, spec: RecordSheet, title: str, row: Row, record) -> None:
        """List the row's new or changed values far above their usual maximum (not problems: the preview asks
        for them to be confirmed)."""
        year = plausibility.year_of(record)
        if year not in self.limits:
            self.limits[year] = plausibility.limits_for(year)
        for flag in plausibility.flags(record, self.limits[year], before=row.before):
            name = flag.key.rsplit(".", 1)[1]
            column = self.column_title(spec, name) if name in self.header.columns else ""
            self.report.flag(flag.message, sheet=title, row=row.number, column=column)

    def read_cells(self, spec: RecordSheet, row: Row) -> None:
        for column in spec.columns:
            if column.name not in self.header.columns:
                continue
            try:
                row.values[column.name] = column.read(row.raw.get(column.name), epoch=self.epoch)
            except CellError as error:
                row.problems[column.name] = str(error)
        if spec.fill is not None:
            spec.fill(row.values)
        reference = row.values.pop(REFERENCE, None)
        if reference is None and REFERENCE not in row.problems:
            row.problems[REFERENCE] = str(MSG_REFERENCE_REQUIRED)
        else:
            row.reference = reference
            if reference is not None:
                try:
                    spec.model._meta.get_field(REFERENCE).clean(reference, None)
                except ValidationError as error:
                    row.problems[REFERENCE] = " ".join(error.messages)
                    row.reference = None
        code = row.values.pop(AGENCY, None)
        if self.agency is not None:
            row.agency_id = self.agency.pk
            if code is not None and match_key(code) != match_key(self.agency.code):
                row.problems[AGENCY] = MSG_NOT_THIS_AGENCY % {"found": code, "agency": self.agency.name}
        elif code is None:
            row.problems[AGENCY] = str(MSG_AGENCY_REQUIRED)
        else:
            agency = self.agencies.get(match_key(code))
            if agency is None:
                row.problems[AGENCY] = MSG_UNKNOWN_AGENCY % {"found": code}
            else:
                row.agency_id = agency.pk

    def fetch(self, model, rows: list[Row], field_name: str = REFERENCE) -> dict:
        """Live records of `model` named by the rows' `field_name` cells, by (agency, reference key)."""
        wanted = defaultdict(set)
        for row in rows:
            reference = row.reference if field_name == REFERENCE else row.values.get(field_name)
            if reference is not None and row.agency_id is not None:
                wanted[row.agency_id].add(reference)
        found = {}
        for agency_id, references in wanted.items():
            # Unordered: the (agency, reference) index answers it, not a walk through the agency's records by date.
            for record in model.objects.filter(agency_id=agency_id, reference__in=references).order_by():
                found[(agency_id, record.reference)] = record
        return found

    # -- one row ----------------------------------------------------------------------

    def check_row(self, spec: RecordSheet, title: str, row: Row, existing: dict, parents: dict):
        """The record the row makes (new or updated) and what happens to it; (None, None) with row.problems set."""
        if row.agency_id is None:
            return None, None
        key = (row.agency_id, row.reference) if row.reference is not None else None
        record = existing.get(key) if key else None
        action = UPDATE if record is not None else CREATE
        if record is None:
            record = spec.model(agency_id=row.agency_id, reference=row.reference or "")
        if action == UPDATE:
            before = {column.attname: getattr(record, column.attname) for column in spec.columns if column.model_field}
            row.before = before
            record.keep_stored_period_date()  # as read a moment ago: no query per row for it
        resolved = set()
        for column in spec.columns:
            if column.model_field is None or column.name == REFERENCE or column.name in row.problems:
                continue
            if column.name not in row.values and column.name not in spec.sole_choice:
                continue
            value = row.values.get(column.name)
            sole = None
            if value is None and column.name in spec.sole_choice:
                # Left empty, as on the form: the agency's only choice (several: the cell must say which).
                sole = self.table(spec, column, row.agency_id).sole
            if value is None and sole is None and column.required:
                # Said here, on its column, as the form says it: an empty lookup would not even be assignable.
                row.problems[column.name] = str(MSG_REQUIRED)
                continue
            if sole is not None:
                value = sole
            elif column.kind == LOOKUP and value is not None:
                value = self.lookup(spec, column, row, value)
                if column.name in row.problems:
                    continue
            elif column.kind == PARENT and value is not None:
                value = self.parent(spec, column, row, value, parents[column.name])
                if column.name in row.problems:
                    continue
            if value is None:
                value = self.empty_value(column.model_field)
            elif column.kind in (LOOKUP, PARENT):
                resolved.add(column.name)
            setattr(record, column.name, value)
        if (
            action == UPDATE
            and not row.problems
            and all(getattr(record, name) == value for name, value in before.items())
        ):
            # A row as stored writes nothing: not a change, even in a month locked, submitted or approved since.
            return record, UNCHANGED
        # A related object found among the form's choices exists (Django would look each one up again);
        # the fields no row fills (stamps, derived values) are the model's own business.
        exclude = set(row.problems) | resolved | self.not_from_rows(spec)
        try:
            record.full_clean(
                exclude=exclude,
                validate_unique=False,
                validate_constraints=self.chunk_size(spec) == 1,
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                target = name if name in {c.name for c in spec.columns} else NON_FIELD_ERRORS
                joined = " ".join(self.model_message(spec, name, each) for each in errors)
                row.problems[target] = f"{row.problems[target]} {joined}" if target in row.problems else joined
        if row.problems:
            return None, None
        if action == UPDATE:
            changed = [name for name, value in before.items() if getattr(record, name) != value]
            if not changed:
                return record, UNCHANGED
            record.version += 1
            record.updated_by = self.user
            record.updated_at = timezone.now()
        else:
            record.created_by = record.updated_by = self.user
        return record, action

    def model_message(self, spec, name, error: ValidationError) -> str:
        """A model's message on column `name`, naming the other column it is about (`RecordSheet.see_also`)."""
        message = " ".join(error.messages)
        other = spec.see_also.get((name, error.code))
        if other is None:
            return message
        return f"{message} {MSG_SEE_ALSO % {'column': self.column_title(spec, other)}}"

    def not_from_rows(self, spec) -> set[str]:
        if spec.model not in self._not_from_rows:
            columns = {column.name for column in spec.columns if column.name != AGENCY}  # a row's agency is a known one
            self._not_from_rows[spec.model] = {
                f.name for f in spec.model._meta.concrete_fields if f.name not in columns
            }
        return self._not_from_rows[spec.model]

    @staticmethod
    def update_fields(spec) -> list[str]:
        """What an updated row writes: its columns, the values the model derives from them, and the edit's stamp."""
        derived = [f.name for f in spec.model._meta.concrete_fields if not f.editable and f.name not in SYSTEM_FIELDS]
        columns = [c.name for c in spec.columns if c.model_field is not None and c.name != REFERENCE]
        return [*columns, *derived, "version", "updated_by", "updated_at"]

    @staticmethod
    def empty_value(model_field):
        """What an empty cell stores: the default, else NULL, else the empty text of a text field; None otherwise
        (a related object, a date or a number has no empty value but None, which the model's checks refuse)."""
        if model_field.has_default():
            return model_field.get_default()
        if (
            model_field.null
            or model_field.is_relation
            or not isinstance(model_field, (models.CharField, models.TextField))
        ):
            return None
        return ""

    def lookup(self, spec, column, row, text):
        table = self.table(spec, column, row.agency_id)
        found = table.find(text)
        if found is None:
            message = MSG_AMBIGUOUS if match_key(text) in table.ambiguous else MSG_NOT_A_CHOICE
            row.problems[column.name] = message % {
                "found": cells.shown(text),
                "agency": self.agency_names[row.agency_id],
            }
        return found

    def table(self, spec, column, agency_id) -> LookupTable:
        form = self.form(spec)
        # Choices of an agency's own (officials, its committee) are per agency; regions are everyone's.
        per_agency = any(f.name == "agency" for f in form.fields[column.name].queryset.model._meta.fields)
        key = (spec.model, column.name, agency_id if per_agency else None)
        if key not in self.tables:
            self.tables[key] = LookupTable(choices_of(form, column, agency_id))
        return self.tables[key]

    def form(self, spec):
        if spec.model not in self.forms:
            self.forms[spec.model] = spec.form(user=self.scope_user)
        return self.forms[spec.model]

    def parent(self, spec, column, row, reference, found: dict):
        record = found.get((row.agency_id, reference))
        if record is not None:
            return record
        model = column.model_field.related_model
        params = {
            "what": model._meta.verbose_name,
            "found": reference,
            "sheet": model._meta.verbose_name_plural,
            "agency": self.agency_names[row.agency_id],
        }
        failed = reference in self.failed[(model, row.agency_id)]
        row.problems[column.name] = (MSG_PARENT_FAILED if failed else MSG_NO_PARENT) % params
        return None
