"""Open an uploaded workbook safely and walk its rows.

`open_workbook` refuses, before openpyxl parses anything it need not: a file over
the size limit; a file that is not an .xlsx (CSV, an old .xls, a Word file); a
password-protected workbook (Excel stores those as OLE compound files, D0 CF 11 E0,
holding an "EncryptedPackage" stream); a damaged zip; a zip that would unpack to
more than `max_unpacked` bytes (a zip bomb); and a sheet whose rows go past
`max_rows`. The last check and the merged-cell check read each sheet's XML once as
a byte stream (regular expressions over decompressed chunks), stopping at the
first row past the limit: memory stays flat and nothing hangs.

Readings, decided once for every record type:

- Hidden sheets: a hidden sheet is never read as data (`iter_rows` refuses it,
  naming the sheet) but its presence alone is no error, because templates keep
  dropdown lists in hidden sheets. An importer that finds one of its record
  sheets hidden therefore refuses the file.
- Formulas (data_only=False shows them) and error values (#N/A) are refused,
  naming the first cell: the clerk pastes the sheet as values.
- Merged cells in a sheet that is read are refused, naming the ranges.
- Rows whose cells are all empty or spaces are skipped; those between data rows
  are counted in `RowReader.blank_rows` so the preview can say so. Blank rows
  after the last data row are not reported.
- The header is the first non-blank row. Titles match whitespace- and
  full-width-tolerantly, in any of the site's languages; an unknown title close to
  a missing one is reported as "did you mean …?". Columns with an empty title are
  ignored.
"""

import difflib
import itertools
import logging
import os
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS, WORKSHEET_TYPE
from openpyxl.xml.functions import iterparse

from .cells import Problem, match_key, read_text, shown

logger = logging.getLogger(__name__)

MSG_TOO_LARGE = _("The file is larger than %(limit)s; split it into smaller workbooks.")
MSG_NOT_XLSX = _(
    "This is not an Excel workbook (.xlsx). Open it in Excel or WPS and save it as “Excel workbook (*.xlsx)”."
)
MSG_OLD_XLS = _(
    "This is an old-style Excel file (.xls). Open it in Excel or WPS and save it as “Excel workbook (*.xlsx)”."
)
MSG_PASSWORD = _("The workbook is password-protected. Remove the password in Excel or WPS and upload it again.")
MSG_CORRUPTED = _(
    "The file is damaged and cannot be read. Open it in Excel or WPS, save it again and upload the new copy."
)
MSG_UNPACKS_TOO_LARGE = _("The workbook unpacks to more than %(limit)s; split it into smaller workbooks.")
MSG_TOO_MANY_ROWS = _(
    "Sheet “%(sheet)s” has more than %(limit)s rows. Split it, or delete the empty rows below the data."
)
MSG_NO_SUCH_SHEET = _("The workbook has no sheet “%(sheet)s”.")
MSG_HIDDEN_SHEET = _("Sheet “%(sheet)s” is hidden. Unhide it and check its rows, or delete it.")
MSG_MERGED_CELLS = _("Sheet “%(sheet)s” has merged cells (%(ranges)s). Unmerge them and fill in every cell.")
MSG_FORMULA = _(
    "Sheet “%(sheet)s”, cell %(cell)s holds a formula (%(formula)s). "
    "Replace the formulas with their values (copy, then Paste Special › Values)."
)
MSG_ERROR_VALUE = _("Sheet “%(sheet)s”, cell %(cell)s shows the error %(found)s; correct it.")
MSG_EMPTY_SHEET = _("Sheet “%(sheet)s” is empty; it needs a header row.")
MSG_MISSING_COLUMN = _("Sheet “%(sheet)s” has no column “%(title)s”.")
MSG_UNKNOWN_COLUMN = _(
    "Sheet “%(sheet)s”, column %(column)s: “%(title)s” is not a column of this sheet; the columns are %(expected)s."
)
MSG_RENAMED_COLUMN = _(
    "Sheet “%(sheet)s”, column %(column)s: “%(title)s” is not a column of this sheet; did you mean “%(expected)s”?"
)
MSG_DUPLICATE_COLUMN = _("Sheet “%(sheet)s”, column %(column)s: “%(title)s” appears twice.")
MSG_AT_CELL = _("Sheet “%(sheet)s”, row %(row)s, column %(column)s: %(message)s")
MSG_PART_TOO_LARGE = _(
    "Part “%(part)s” of the workbook unpacks to more than %(limit)s; split the data into smaller workbooks."
)
MSG_TOO_WIDE = _(
    "Sheet “%(sheet)s” has a cell beyond column %(limit)s (%(cell)s). "
    "Delete the columns to the right of the data and upload the workbook again."
)
MSG_ROW_TOO_WIDE = _(
    "Sheet “%(sheet)s”, row %(row)s has more than %(limit)s cells. "
    "Delete the columns to the right of the data and upload the workbook again."
)
MSG_TOO_MANY_CELLS = _(
    "The workbook holds more than %(limit)s cells (rows × columns of the header); split it into smaller workbooks."
)
MSG_TOO_MANY_TEXTS = _("The workbook holds more than %(limit)s different texts; split it into smaller workbooks.")
MSG_TOO_SLOW = _(
    "Checking the workbook took longer than %(seconds)s seconds and was stopped; "
    "split it into smaller workbooks and upload them one by one."
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MERGED_SHOWN = 5  # ranges named in the message
CHUNK = 1 << 20

_OOXML_WORKBOOK = re.compile(rb"(spreadsheetml|ms-excel)\.(sheet|template)(\.macroEnabled)?\.main\+xml", re.I)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_MERGE_TAG = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]+)"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_CELL_REFERENCE = re.compile(rb"[A-Z]+\d+")
_SHARED_STRING_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")
_XML_PART = re.compile(r"\.(xml|rels|vml)$", re.I)
CONTENT_TYPES = "[Content_Types].xml"
STRINGS_CHECKED = 10_000  # the time is checked every so many shared strings


def _cell_column_tag(max_columns: int) -> re.Pattern:
    """A cell tag whose reference has at least as many letters as the last allowed column's."""
    letters = len(get_column_letter(max_columns))
    return re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{%d,})\d' % letters)


class WorkbookError(Problem):
    """The file, a sheet or a cell's kind makes the whole workbook unreadable."""


class HeaderError(WorkbookError):
    """Every problem of one header row; str() lists them one a line."""

    def __init__(self, problems: list[WorkbookError]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems

    def __str__(self):
        return "\n".join(str(problem) for problem in self.problems)


def located(error: Problem, *, sheet: str, row: int, column: str) -> str:
    """A cell's message with its place, as the preview shows it."""
    return str(MSG_AT_CELL) % {"sheet": sheet, "row": row, "column": column, "message": error}


@dataclass
class Sheet:
    title: str
    worksheet: object  # openpyxl ReadOnlyWorksheet
    hidden: bool
    merged: list[str]
    max_rows: int
    last_row: int = 0
    guard: "Guard | None" = None


@dataclass
class Workbook:
    book: object  # openpyxl Workbook in read-only mode
    sheets: list[Sheet]
    _file: object = field(default=None, repr=False)

    @property
    def epoch(self):
        """The date system (1900 or 1904) for `read_date(..., epoch=)`."""
        return self.book.epoch

    @property
    def hidden_sheets(self) -> list[str]:
        return [sheet.title for sheet in self.sheets if sheet.hidden]

    def __getitem__(self, title: str) -> Sheet:
        """The sheet of that title, whitespace- and full-width-tolerant."""
        for sheet in self.sheets:
            if match_key(sheet.title) == match_key(title):
                return sheet
        raise WorkbookError(MSG_NO_SUCH_SHEET, sheet=title)

    def close(self):
        self.book.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _size_of(file) -> int:
    size = getattr(file, "size", None)  # Django's UploadedFile knows it
    if size is not None:
        return size
    position = file.tell()
    end = file.seek(0, os.SEEK_END)
    file.seek(position)
    return end


def _contains(file, needles: list[bytes]) -> set[bytes]:
    """Which needles occur in the file (read in chunks; the file is already under the size limit)."""
    found, tail = set(), b""
    overlap = max(len(needle) for needle in needles)
    file.seek(0)
    while chunk := file.read(CHUNK):
        buffer = tail + chunk
        found.update(needle for needle in needles if needle in buffer)
        tail = buffer[-overlap:]
    file.seek(0)
    return found


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _refuse_ole(file):
    """An OLE compound file: an encrypted .xlsx, or an old .xls (stream names are UTF-16 in the directory)."""
    found = _contains(file, [_utf16("EncryptedPackage"), _utf16("Workbook"), _utf16("Book")])
    if _utf16("EncryptedPackage") in found:
        raise WorkbookError(MSG_PASSWORD)
    if found:
        raise WorkbookError(MSG_OLD_XLS)
    raise WorkbookError(MSG_NOT_XLSX)


@dataclass
class Guard:
    """The limits of one upload and the clock of its check (see the settings IMPORT_MAX_*)."""

    max_rows: int
    max_unpacked: int
    max_shared_strings: int
    max_sheet_bytes: int
    max_part_bytes: int
    max_columns: int
    max_cells: int
    max_strings: int
    seconds: float
    deadline: float = 0.0
    cells: int = 0
    scanned_cells: int = 0

    def __post_init__(self):
        self.deadline = time.monotonic() + self.seconds
        self.column_tag = _cell_column_tag(self.max_columns)

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise WorkbookError(MSG_TOO_SLOW, seconds=f"{self.seconds:g}")

    def count_cells(self, count: int, *, scanned=False):
        """Count cells against max_cells: those the scan finds in the XML (scanned), or the header's
        width × rows of each sheet read; either total over max_cells is refused."""
        total = self.scanned_cells = self.scanned_cells + count if scanned else self.scanned_cells
        if not scanned:
            total = self.cells = self.cells + count
        if total > self.max_cells:
            raise WorkbookError(MSG_TOO_MANY_CELLS, limit=f"{self.max_cells:,}")


def _check_archive(file, guard: Guard):
    """Refuse from the zip's directory alone (nothing inflated but the content types): a file that is
    no workbook, an encrypted one, and one whose parts unpack to more than the caps allow."""
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if CONTENT_TYPES not in archive.namelist():
                raise WorkbookError(MSG_NOT_XLSX)
            if sum(info.file_size for info in infos) > guard.max_unpacked:
                raise WorkbookError(MSG_UNPACKS_TOO_LARGE, limit=filesizeformat(guard.max_unpacked))
            if any(info.flag_bits & 0x1 for info in infos):  # zip-level encryption
                raise WorkbookError(MSG_PASSWORD)
            if archive.getinfo(CONTENT_TYPES).file_size > guard.max_part_bytes:  # the others once it is read
                raise WorkbookError(MSG_PART_TOO_LARGE, part=CONTENT_TYPES, limit=filesizeformat(guard.max_part_bytes))
            with archive.open(CONTENT_TYPES) as stream:
                content_types = stream.read(CHUNK)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise WorkbookError(MSG_CORRUPTED) from None
    if not _OOXML_WORKBOOK.search(content_types):
        raise WorkbookError(MSG_NOT_XLSX)
    file.seek(0)


def _chunks(archive: zipfile.ZipFile, path: str, guard: Guard):
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(CHUNK):
            guard.check_time()
            yield chunk


@dataclass
class SheetScan:
    last_row: int = 0
    merged: list[str] = field(default_factory=list)


def _scan_sheet(archive: zipfile.ZipFile, path: str, guard: Guard, title: str) -> SheetScan:
    """Read a sheet's XML once as bytes, before openpyxl parses it: its last row number (stopping once
    past max_rows) and merged ranges; a cell beyond max_columns, or a row of more cells, is refused."""
    scan, carry, cells_in_row, row = SheetScan(), b"", 0, 0
    chunks = _chunks(archive, path, guard)
    while True:
        chunk = next(chunks, b"")
        buffer = carry + chunk
        cut = buffer.rfind(b"<") if chunk else len(buffer)
        body, carry = buffer[: max(cut, 0)], buffer[max(cut, 0) :]
        if len(carry) > CHUNK:  # no tag start in a whole chunk: nothing to carry over
            carry = b""
        position = 0
        guard.count_cells(
            len(_CELL_TAG.findall(body)), scanned=True
        )  # every cell of every sheet, even those never read
        for match in _ROW_TAG.finditer(body):
            cells_in_row += len(_CELL_TAG.findall(body, position, match.start()))
            if cells_in_row > guard.max_columns:
                raise WorkbookError(MSG_ROW_TOO_WIDE, sheet=title, row=row, limit=guard.max_columns)
            number = _ROW_NUMBER.search(match[1])
            row = scan.last_row = int(number[1]) if number else scan.last_row + 1
            cells_in_row, position = 0, match.end()
        cells_in_row += len(_CELL_TAG.findall(body, position))
        if cells_in_row > guard.max_columns:
            raise WorkbookError(MSG_ROW_TOO_WIDE, sheet=title, row=row, limit=guard.max_columns)
        for match in guard.column_tag.finditer(body):
            if column_index_from_string(match[1].decode("ascii")) > guard.max_columns:
                cell = _CELL_REFERENCE.match(body, match.start(1))
                raise WorkbookError(
                    MSG_TOO_WIDE,
                    sheet=title,
                    limit=get_column_letter(guard.max_columns),
                    cell=cell[0].decode("ascii") if cell else match[1].decode("ascii"),
                )
        if scan.last_row > guard.max_rows:
            raise WorkbookError(MSG_TOO_MANY_ROWS, sheet=title, limit=guard.max_rows)
        scan.merged.extend(match[1].decode("ascii", "replace") for match in _MERGE_TAG.finditer(body))
        if not chunk:
            return scan


_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TEXT = f"{{{SHEET_MAIN_NS}}}r/{{{SHEET_MAIN_NS}}}t"


class _GuardedReader(ExcelReader):
    """openpyxl's reader (read-only, formulas kept, no external links) with the upload's caps applied
    before each part is parsed: the parts' sizes by kind, the shared strings counted as bytes, then
    parsed with the clock running, and every worksheet scanned as bytes before openpyxl touches it."""

    def __init__(self, file, guard: Guard):
        super().__init__(file, read_only=True, keep_vba=False, data_only=False, keep_links=False)
        self.guard = guard
        self.scans: dict[str, SheetScan] = {}

    def read_manifest(self):
        super().read_manifest()
        strings = {part.PartName.lstrip("/") for part in self.package.findall(SHARED_STRINGS)}
        sheets = {part.PartName.lstrip("/") for part in self.package.findall(WORKSHEET_TYPE)}
        for info in self.archive.infolist():
            if info.filename in strings:
                limit = self.guard.max_shared_strings
            elif info.filename in sheets:
                limit = self.guard.max_sheet_bytes
            elif _XML_PART.search(info.filename):
                limit = self.guard.max_part_bytes
            else:  # pictures and the like: openpyxl does not read them here
                continue
            if info.file_size > limit:
                raise WorkbookError(MSG_PART_TOO_LARGE, part=info.filename, limit=filesizeformat(limit))

    def read_strings(self):
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        path = part.PartName.lstrip("/")
        # Counted first, as bytes: openpyxl keeps every text in memory.
        count, carry = 0, b""
        for chunk in itertools.chain(_chunks(self.archive, path, self.guard), [b""]):
            buffer = carry + chunk
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            if cut < 0 or len(buffer) - cut > 64:  # a tag cut by the chunk's end is carried over
                cut = len(buffer)
            count += len(_SHARED_STRING_TAG.findall(buffer, 0, cut))
            carry = buffer[cut:]
            if count > self.guard.max_strings:
                raise WorkbookError(MSG_TOO_MANY_TEXTS, limit=f"{self.guard.max_strings:,}")
        self.shared_strings = self._parse_strings(path)

    def _parse_strings(self, path: str) -> list[str]:
        """openpyxl's read_string_table (plain text: the runs' texts joined, phonetic guides left out),
        with the clock checked as it goes and the parsed entries dropped from the tree."""
        strings, root = [], None
        with self.archive.open(path) as source:
            for event, node in iterparse(source, events=("start", "end")):
                if root is None:
                    root = node
                if event != "end" or node.tag != _SI:
                    continue
                plain = node.find(_T)
                text = (plain.text or "") if plain is not None else ""
                if len(node) > 1 or plain is None:  # rich text: the runs' texts
                    text += "".join(run.text or "" for run in node.iterfind(_RUN_TEXT))
                strings.append(text.replace("x005F_", ""))
                node.clear()
                if len(strings) % STRINGS_CHECKED == 0:
                    root.clear()
                    self.guard.check_time()
        return strings

    def read_worksheets(self):
        """openpyxl's read-only walk of the worksheets, each scanned first; chart sheets are left out."""
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            self.scans[rel.target.lstrip("/")] = _scan_sheet(self.archive, rel.target, self.guard, sheet.name)
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


class _Worksheet(ReadOnlyWorksheet):
    def _get_size(self):
        """Not read: openpyxl would parse a whole sheet that declares no dimension, and RowReader
        ignores the declared one anyway (reset_dimensions)."""


def _guard(max_rows: int, max_unpacked: int | None, seconds: float | None) -> Guard:
    return Guard(
        max_rows=max_rows,
        max_unpacked=max_unpacked if max_unpacked is not None else settings.IMPORT_MAX_UNPACKED_BYTES,
        max_shared_strings=settings.IMPORT_MAX_SHARED_STRINGS_BYTES,
        max_sheet_bytes=settings.IMPORT_MAX_SHEET_BYTES,
        max_part_bytes=settings.IMPORT_MAX_PART_BYTES,
        max_columns=settings.IMPORT_MAX_COLUMNS,
        max_cells=settings.IMPORT_MAX_CELLS,
        max_strings=settings.IMPORT_MAX_SHARED_STRINGS,
        seconds=seconds if seconds is not None else settings.IMPORT_CHECK_SECONDS,
    )


def open_workbook(
    file, *, max_bytes: int, max_rows: int, max_unpacked: int | None = None, seconds: float | None = None
) -> Workbook:
    """Open an .xlsx (a path, an uploaded file or a binary file object) for reading, or refuse it.

    max_rows limits the row number of every sheet, the header included. The other limits come from
    the settings IMPORT_MAX_* (max_unpacked and seconds may be given); the clock of IMPORT_CHECK_SECONDS
    starts here and runs while the rows are read. Close the returned Workbook (or use it in a `with` block).
    """
    owned = None
    if isinstance(file, (str, os.PathLike)):
        file = owned = open(file, "rb")
    try:
        return _open(file, max_bytes=max_bytes, guard=_guard(max_rows, max_unpacked, seconds), owned=owned)
    except BaseException:
        if owned is not None:
            owned.close()
        raise


def _open(file, *, max_bytes, guard: Guard, owned) -> Workbook:
    if _size_of(file) > max_bytes:
        raise WorkbookError(MSG_TOO_LARGE, limit=filesizeformat(max_bytes))
    file.seek(0)
    head = file.read(len(OLE_MAGIC))
    file.seek(0)
    if head == OLE_MAGIC:
        _refuse_ole(file)
    if not head.startswith(b"PK"):
        raise WorkbookError(MSG_NOT_XLSX)
    _check_archive(file, guard)
    reader = None
    try:
        reader = _GuardedReader(file, guard)
        reader.read()
    except Exception as error:  # an uploaded file: whatever openpyxl trips on, the file is damaged
        cause = error if isinstance(error, WorkbookError) else error.__cause__
        if reader is not None and getattr(reader, "archive", None) is not None:
            reader.archive.close()
        if isinstance(cause, WorkbookError):  # openpyxl wraps what its steps raise in a ValueError
            raise cause from None
        logger.info("openpyxl could not load an uploaded workbook", exc_info=True)
        raise WorkbookError(MSG_CORRUPTED) from None
    book = reader.wb
    try:
        sheets = []
        for worksheet in book.worksheets:
            path = worksheet._worksheet_path.lstrip("/")
            scan = reader.scans.get(path)
            if scan is None:  # not reached by the reader's own walk: scan it now
                with zipfile.ZipFile(file) as archive:
                    try:
                        scan = _scan_sheet(archive, path, guard, worksheet.title)
                    except WorkbookError:
                        raise
                    except Exception:
                        logger.info("could not scan sheet %s", worksheet.title, exc_info=True)
                        raise WorkbookError(MSG_CORRUPTED) from None
            hidden = worksheet.sheet_state != "visible"
            sheets.append(Sheet(worksheet.title, worksheet, hidden, scan.merged, guard.max_rows, scan.last_row, guard))
    except BaseException:
        book.close()
        raise
    return Workbook(book, sheets, owned)


class RowReader:
    """Iterates (row_number, values) over a sheet's non-blank rows; see the module's readings.

    `blank_rows` lists the blank rows skipped between data rows read so far.
    """

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.blank_rows: list[int] = []
        self._rows = self._read()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._rows)

    def _read(self):
        sheet = self.sheet
        if sheet.hidden:
            raise WorkbookError(MSG_HIDDEN_SHEET, sheet=sheet.title)
        if sheet.merged:
            merged = sorted(sheet.merged, key=_top_left)
            ranges = ", ".join(merged[:MERGED_SHOWN]) + (" …" if len(sheet.merged) > MERGED_SHOWN else "")
            raise WorkbookError(MSG_MERGED_CELLS, sheet=sheet.title, ranges=ranges)
        worksheet = sheet.worksheet
        # The declared dimension may be wrong; openpyxl would cut the rows at it.
        worksheet.reset_dimensions()
        pending: list[int] = []
        cells_by_row = worksheet.iter_rows()
        number = 0
        guard, header_seen = sheet.guard, False
        while True:
            if guard is not None:
                guard.check_time()
            try:
                cells = next(cells_by_row, None)
            except Exception:
                logger.info("could not read sheet %s", sheet.title, exc_info=True)
                raise WorkbookError(MSG_CORRUPTED) from None
            if cells is None:
                return
            number += 1
            if number > sheet.max_rows:  # the scan at opening saw fewer rows than there are
                raise WorkbookError(MSG_TOO_MANY_ROWS, sheet=sheet.title, limit=sheet.max_rows)
            if guard is not None and len(cells) > guard.max_columns:  # the scan at opening saw narrower rows
                raise WorkbookError(
                    MSG_TOO_WIDE,
                    sheet=sheet.title,
                    limit=get_column_letter(guard.max_columns),
                    cell=f"{get_column_letter(len(cells))}{number}",
                )
            values = []
            for cell in cells:
                if cell.data_type in ("f", "e"):  # a formula or an error value: refused (one lookup per cell)
                    self._value(cell)
                values.append(cell.value)
            if all(read_text(value) is None for value in values):
                pending.append(number)
                continue
            if guard is not None and not header_seen:
                # The header's width times the rows from it to the sheet's last: the cells this sheet may hold.
                header_seen = True
                width = max(index for index, value in enumerate(values) if read_text(value) is not None) + 1
                guard.count_cells(width * (max(sheet.last_row, number) - number + 1))
            self.blank_rows.extend(pending)
            pending.clear()
            yield number, tuple(values)

    def _value(self, cell):
        if cell.data_type == "f":
            formula = getattr(cell.value, "text", cell.value)
            raise WorkbookError(MSG_FORMULA, sheet=self.sheet.title, cell=cell.coordinate, formula=shown(formula))
        if cell.data_type == "e":
            raise WorkbookError(MSG_ERROR_VALUE, sheet=self.sheet.title, cell=cell.coordinate, found=cell.value)
        return cell.value


def _top_left(cell_range: str):
    try:
        min_col, min_row, _max_col, _max_row = range_boundaries(cell_range)
    except ValueError:
        return (0, 0)
    return (min_row, min_col)


def iter_rows(sheet: Sheet) -> RowReader:
    return RowReader(sheet)


@dataclass
class Header:
    sheet: str
    row: int
    columns: dict[str, int]  # field name -> 0-based column index

    def values(self, row: tuple) -> dict:
        """The raw values of one row by field name."""
        return {name: row[index] if index < len(row) else None for name, index in self.columns.items()}

    def letter(self, name: str) -> str:
        return get_column_letter(self.columns[name] + 1)


def _title_keys(title) -> set[str]:
    """The match keys of a (lazy) title in every language of the site."""
    keys = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.add(match_key(title))
    return keys


def read_header(rows, expected: dict[str, str], *, optional=()) -> Header:
    """Read the header from `rows` (a RowReader) and map its columns to fields.

    `expected` maps field names to column titles (verbose names, lazy or not);
    fields in `optional` may be absent. Raises HeaderError listing every missing,
    unknown, renamed and duplicated column.
    """
    sheet = rows.sheet.title if hasattr(rows, "sheet") else ""
    try:
        row_number, values = next(rows)
    except StopIteration:
        raise WorkbookError(MSG_EMPTY_SHEET, sheet=sheet) from None
    field_by_key = {key: name for name, title in expected.items() for key in _title_keys(title)}
    columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    problems: list[WorkbookError] = []
    for index, value in enumerate(values):
        title = read_text(value)
        if title is None:
            continue
        name = field_by_key.get(match_key(title))
        if name is None:
            unknown.append((index, title))
        elif name in columns:
            problems.append(
                WorkbookError(MSG_DUPLICATE_COLUMN, sheet=sheet, column=get_column_letter(index + 1), title=title)
            )
        else:
            columns[name] = index
    missing = {match_key(expected[name]): name for name in expected if name not in columns}
    listed = ", ".join(f"“{title}”" for title in expected.values())
    for index, title in unknown:
        close = difflib.get_close_matches(match_key(title), list(missing), n=1, cutoff=0.6)
        where = {"sheet": sheet, "column": get_column_letter(index + 1), "title": title}
        if close:
            name = missing.pop(close[0])
            problems.append(WorkbookError(MSG_RENAMED_COLUMN, **where, expected=str(expected[name])))
        else:
            problems.append(WorkbookError(MSG_UNKNOWN_COLUMN, **where, expected=listed))
    problems.extend(
        WorkbookError(MSG_MISSING_COLUMN, sheet=sheet, title=str(expected[name]))
        for name in missing.values()
        if name not in optional
    )
    if problems:
        raise HeaderError(problems)
    return Header(sheet=sheet, row=row_number, columns=columns)
