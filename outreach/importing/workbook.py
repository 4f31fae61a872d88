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
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

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

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UNPACK_RATIO = 50  # default max_unpacked = 50 × max_bytes; real workbooks compress ~5–20×
MERGED_SHOWN = 5  # ranges named in the message
CHUNK = 1 << 20

_OOXML_WORKBOOK = re.compile(rb"(spreadsheetml|ms-excel)\.(sheet|template)(\.macroEnabled)?\.main\+xml", re.I)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_MERGE_TAG = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]+)"')


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


def _check_archive(file, max_unpacked: int):
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if "[Content_Types].xml" not in archive.namelist():
                raise WorkbookError(MSG_NOT_XLSX)
            if sum(info.file_size for info in infos) > max_unpacked:
                raise WorkbookError(MSG_UNPACKS_TOO_LARGE, limit=filesizeformat(max_unpacked))
            if any(info.flag_bits & 0x1 for info in infos):  # zip-level encryption
                raise WorkbookError(MSG_PASSWORD)
            with archive.open("[Content_Types].xml") as stream:
                content_types = stream.read(CHUNK)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise WorkbookError(MSG_CORRUPTED) from None
    if not _OOXML_WORKBOOK.search(content_types):
        raise WorkbookError(MSG_NOT_XLSX)
    file.seek(0)


def _scan_sheet(archive: zipfile.ZipFile, path: str, max_rows: int) -> tuple[int, list[str]]:
    """The sheet's last row number (stopping once past max_rows) and its merged ranges."""
    last_row, merged, carry = 0, [], b""
    with archive.open(path.lstrip("/")) as stream:
        while True:
            chunk = stream.read(CHUNK)
            buffer = carry + chunk
            cut = buffer.rfind(b"<") if chunk else len(buffer)
            body, carry = buffer[: max(cut, 0)], buffer[max(cut, 0) :]
            if len(carry) > CHUNK:  # no tag start in a whole chunk: nothing to carry over
                carry = b""
            for match in _ROW_TAG.finditer(body):
                number = _ROW_NUMBER.search(match[1])
                last_row = int(number[1]) if number else last_row + 1
            if last_row > max_rows:
                return last_row, merged
            merged.extend(match[1].decode("ascii", "replace") for match in _MERGE_TAG.finditer(body))
            if not chunk:
                return last_row, merged


def open_workbook(file, *, max_bytes: int, max_rows: int, max_unpacked: int | None = None) -> Workbook:
    """Open an .xlsx (a path, an uploaded file or a binary file object) for reading, or refuse it.

    max_rows limits the row number of every sheet, the header included. Close the
    returned Workbook (or use it in a `with` block).
    """
    owned = None
    if isinstance(file, (str, os.PathLike)):
        file = owned = open(file, "rb")
    try:
        return _open(file, max_bytes=max_bytes, max_rows=max_rows, max_unpacked=max_unpacked, owned=owned)
    except BaseException:
        if owned is not None:
            owned.close()
        raise


def _open(file, *, max_bytes, max_rows, max_unpacked, owned) -> Workbook:
    if _size_of(file) > max_bytes:
        raise WorkbookError(MSG_TOO_LARGE, limit=filesizeformat(max_bytes))
    file.seek(0)
    head = file.read(len(OLE_MAGIC))
    file.seek(0)
    if head == OLE_MAGIC:
        _refuse_ole(file)
    if not head.startswith(b"PK"):
        raise WorkbookError(MSG_NOT_XLSX)
    _check_archive(file, max_unpacked if max_unpacked is not None else max_bytes * UNPACK_RATIO)
    try:
        book = load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception:  # an uploaded file: whatever openpyxl trips on, the file is damaged
        logger.info("openpyxl could not load an uploaded workbook", exc_info=True)
        raise WorkbookError(MSG_CORRUPTED) from None
    try:
        sheets = []
        with zipfile.ZipFile(file) as archive:
            for worksheet in book.worksheets:
                try:
                    last_row, merged = _scan_sheet(archive, worksheet._worksheet_path, max_rows)
                except Exception:
                    logger.info("could not scan sheet %s", worksheet.title, exc_info=True)
                    raise WorkbookError(MSG_CORRUPTED) from None
                if last_row > max_rows:
                    raise WorkbookError(MSG_TOO_MANY_ROWS, sheet=worksheet.title, limit=max_rows)
                hidden = worksheet.sheet_state != "visible"
                sheets.append(Sheet(worksheet.title, worksheet, hidden, merged, max_rows))
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
        while True:
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
            values = []
            for cell in cells:
                if cell.data_type in ("f", "e"):  # a formula or an error value: refused (one lookup per cell)
                    self._value(cell)
                values.append(cell.value)
            if all(read_text(value) is None for value in values):
                pending.append(number)
                continue
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
