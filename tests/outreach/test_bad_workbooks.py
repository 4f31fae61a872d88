"""A corpus of hostile and broken workbooks (issue 14): each is refused before parsing, through the upload
view and through `import_records --dry-run`, with its message, no traceback and nothing imported.

The files are the issue's cases built small (bench/hostile.py builds them at full size for `make bench`,
which measures time and memory); the caps are scaled down with override_settings so that a file of a few
megabytes at most trips them.
"""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from bench import hostile
from jobs.models import Job
from outreach.importing import workbook as workbook_module
from outreach.importing.engine import MSG_NO_RECORD_SHEETS, record_sheets
from outreach.importing.specs import sheet_for
from outreach.importing.workbook import (
    MSG_CORRUPTED,
    MSG_NOT_XLSX,
    MSG_PART_TOO_LARGE,
    MSG_ROW_TOO_WIDE,
    MSG_TOO_MANY_CELLS,
    MSG_TOO_MANY_TEXTS,
    MSG_TOO_SLOW,
    MSG_TOO_WIDE,
    MSG_UNPACKS_TOO_LARGE,
    WorkbookError,
    iter_rows,
    open_workbook,
)
from outreach.models import ImportBatch
from tests.factories import OfficialFactory
from visits.models import Visit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
INDEX = reverse("imports:index")
VISITS = str(sheet_for(Visit).title)


def header() -> list[str]:
    return [str(column.title) for column in sheet_for(Visit).columns]


def visit_row(reference: str) -> list:
    values = {"reference": reference, "official": "张伟", "start_date": "2014-07-03", "end_date": "2014-07-04"}
    return [values.get(column.name) for column in sheet_for(Visit).columns]


@dataclass
class Case:
    build: callable  # (binary file) -> None
    settings: dict
    message: object
    params: dict

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.build(buffer)
        return buffer.getvalue()

    def expected(self) -> str:
        with translation.override("zh-hans"):
            return str(WorkbookError(self.message, **self.params))


def _not_a_zip(target):
    target.write(b"reference,official\n" * 1000)


def _zip_not_a_workbook(target):
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("notes.txt", "走访记录")


def _sheet_missing(target):
    hostile.sheet_part_missing(target, VISITS)


def _good(target):
    rows = [hostile.row_xml(1, header()), hostile.row_xml(2, visit_row("ZF-1"))]
    hostile.rezip(
        target, hostile.base_workbook([VISITS]), replace={"xl/worksheets/sheet1.xml": hostile.sheet_chunks(rows)}
    )


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(9))
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&j;</t></si></sst>'
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
)


def _billion_laughs(target):
    """Shared strings whose one text expands to 10^10 characters."""
    hostile.rezip(
        target,
        hostile.base_workbook([VISITS]),
        replace={"xl/sharedStrings.xml": LAUGHS},
        content_types=hostile.with_shared_strings,
    )


def _external_entity(target):
    """A sheet whose cell names a local file as an external entity."""
    hostile.rezip(target, hostile.base_workbook([VISITS]), replace={"xl/worksheets/sheet1.xml": XXE})


CASES = {
    # The issue's 276 KB file: shared strings unpacking to 50 MB (here 2 MB against a 1 MB cap).
    "shared-strings-bytes": Case(
        lambda target: hostile.shared_strings_bomb(target, header(), VISITS, unpacked=2 * MB),
        {"IMPORT_MAX_SHARED_STRINGS_BYTES": MB},
        MSG_PART_TOO_LARGE,
        {"part": "xl/sharedStrings.xml", "limit": filesizeformat(MB)},
    ),
    # Under the byte cap but more distinct texts than allowed: counted as bytes, never parsed.
    "shared-strings-count": Case(
        lambda target: hostile.shared_strings_bomb(target, header(), VISITS, unpacked=200_000),
        {"IMPORT_MAX_SHARED_STRINGS": 5_000},
        MSG_TOO_MANY_TEXTS,
        {"limit": "5,000"},
    ),
    # The issue's 970 KB zip of ~990 MB of spaces (here 4 MB against a 3 MB cap in all).
    "spaces": Case(
        lambda target: hostile.spaces_bomb(target, header(), VISITS, unpacked=4 * MB),
        {"IMPORT_MAX_UNPACKED_BYTES": 3 * MB},
        MSG_UNPACKS_TOO_LARGE,
        {"limit": filesizeformat(3 * MB)},
    ),
    # A cell at column XFD on every row: refused by the scan, no row padded to 16,384 cells.
    "xfd": Case(
        lambda target: hostile.far_column(target, header(), VISITS, rows=200),
        {},
        MSG_TOO_WIDE,
        {"sheet": VISITS, "limit": "BL", "cell": "XFD1"},
    ),
    # A row of cells without references (each takes the next column): too wide as well.
    "wide-row": Case(
        lambda target: hostile.wide_row_without_references(target, header(), VISITS, cells=5_000),
        {},
        MSG_ROW_TOO_WIDE,
        {"sheet": VISITS, "row": 2, "limit": 64},
    ),
    # More cells in the XML than an upload may hold.
    "too-many-cells": Case(
        lambda target: hostile.many_cells(target, VISITS, rows=100, columns=10),
        {"IMPORT_MAX_CELLS": 500},
        MSG_TOO_MANY_CELLS,
        {"limit": "500"},
    ),
    # Few cells in the XML but a header 14 columns wide over many rows: the rows × width the sheet spans.
    "too-many-cells-by-width": Case(
        lambda target: hostile.far_column(target, header(), VISITS, rows=60, row_values=["ZF"]),
        {"IMPORT_MAX_CELLS": 500, "IMPORT_MAX_COLUMNS": 16384},
        MSG_TOO_MANY_CELLS,
        {"limit": "500"},
    ),
    # A styles part past the cap for the workbook's other XML parts.
    "styles": Case(
        lambda target: hostile.styles_bomb(target, VISITS, unpacked=2 * MB),
        {"IMPORT_MAX_PART_BYTES": MB},
        MSG_PART_TOO_LARGE,
        {"part": "xl/styles.xml", "limit": filesizeformat(MB)},
    ),
    # Entity tricks (issue 14 kept them refused): expat stops the expansion, never fetches the file.
    "billion-laughs": Case(_billion_laughs, {}, MSG_CORRUPTED, {}),
    "external-entity": Case(_external_entity, {}, MSG_CORRUPTED, {}),
    "not-a-zip": Case(_not_a_zip, {}, MSG_NOT_XLSX, {}),
    "zip-not-a-workbook": Case(_zip_not_a_workbook, {}, MSG_NOT_XLSX, {}),
    # A budget of 0 s: the check stops at its first look at the clock.
    "no-time": Case(_good, {"IMPORT_CHECK_SECONDS": 0}, MSG_TOO_SLOW, {"seconds": "0"}),
}


def no_record_sheets() -> str:
    with translation.override("zh-hans"):
        return str(MSG_NO_RECORD_SHEETS % {"expected": "、".join(f"“{spec.title}”" for spec in record_sheets())})


@pytest.fixture
def zhang(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


@pytest.mark.parametrize("name", CASES)
def test_an_upload_is_refused_with_its_message_and_nothing_imported(name, cast, agency_a, zhang):
    case = CASES[name]
    content = case.content()
    with override_settings(**case.settings):
        response = cast["staff_a"].post(INDEX, {"file": SimpleUploadedFile("走访.xlsx", content)})
    job = Job.objects.get()  # the check's job: done (not failed: the refusal is its result), on the preview
    assert response.headers["Location"] == job.get_absolute_url()
    batch = ImportBatch.objects.get()  # kept, as every refused upload is
    assert (job.status, job.result_url) == (Job.Status.DONE, batch.get_absolute_url())
    assert batch.status == ImportBatch.Status.REFUSED
    assert [issue["message"] for issue in batch.report["issues"]] == [case.expected()]
    assert Visit.all_objects.count() == 0
    page = cast["staff_a"].get(batch.get_absolute_url())
    assert case.expected() in page.content.decode()


@pytest.mark.parametrize("name", CASES)
def test_the_dry_run_command_refuses_it_with_its_message_and_no_traceback(name, agency_a, zhang, tmp_path, capsys):
    case = CASES[name]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(case.content())
    with override_settings(**case.settings), pytest.raises(CommandError) as raised:
        call_command("import_records", str(path), "--dry-run", "--agency", agency_a.code)
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert case.expected() in err
    assert "Traceback" not in err
    assert Visit.all_objects.count() == 0


def test_a_missing_sheet_part_leaves_no_sheet_of_records_through_both_paths(cast, agency_a, zhang, tmp_path, capsys):
    buffer = io.BytesIO()
    _sheet_missing(buffer)
    cast["staff_a"].post(INDEX, {"file": SimpleUploadedFile("走访.xlsx", buffer.getvalue())})
    batch = ImportBatch.objects.get()
    assert [issue["message"] for issue in batch.report["issues"]] == [no_record_sheets()]
    path = tmp_path / "missing.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(CommandError):
        call_command("import_records", str(path), "--dry-run")
    err = capsys.readouterr().err
    assert no_record_sheets() in err and "Traceback" not in err
    assert Visit.all_objects.count() == 0


def test_a_good_workbook_passes_the_same_guard(cast, agency_a, zhang, tmp_path):
    buffer = io.BytesIO()
    _good(buffer)
    path = tmp_path / "good.xlsx"
    path.write_bytes(buffer.getvalue())
    call_command("import_records", str(path), "--agency", agency_a.code)
    assert list(Visit.objects.values_list("reference", flat=True)) == ["ZF-1"]


def test_the_command_no_longer_derives_the_unpacked_cap_from_its_huge_size_limit(agency_a, tmp_path, capsys):
    # import_records passes max_bytes=10**12; the unpacked cap is IMPORT_MAX_UNPACKED_BYTES, not 50 × that.
    path = tmp_path / "spaces.xlsx"
    hostile.spaces_bomb(path, header(), VISITS, unpacked=4 * MB)
    with override_settings(IMPORT_MAX_UNPACKED_BYTES=3 * MB), pytest.raises(CommandError):
        call_command("import_records", str(path), "--dry-run")
    assert str(CASES["spaces"].expected()) in capsys.readouterr().err


def test_without_the_column_cap_openpyxl_would_pad_every_row_to_the_far_cell(tmp_path):
    # Why IMPORT_MAX_COLUMNS is checked before reading: lifted, one cell at XFD makes every row 16,384 wide.
    path = tmp_path / "far.xlsx"
    hostile.far_column(path, header(), VISITS, rows=3)
    with override_settings(IMPORT_MAX_COLUMNS=16384), open_workbook(path, max_bytes=MB, max_rows=10) as book:
        rows = list(iter_rows(book[VISITS]))
    assert [number for number, _ in rows] == [1, 2, 3, 4]
    assert all(len(values) == 16384 for _, values in rows)


def test_the_shared_strings_are_read_as_openpyxl_reads_them(tmp_path):
    # Plain texts, rich-text runs joined, phonetic guides left out, x005F_ escapes undone.
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>张伟</t></si>"
        "<si><r><t>走访</t></r><r><rPr><b/></rPr><t>农户</t></r><rPh sb='0' eb='1'><t>ゾウ</t></rPh></si>"
        "<si><t>a_x005F_x000D_b</t></si>"
        "</sst>"
    ).encode()
    cells = [hostile.row_xml(1, ["x"])]
    cells.append(b'<row r="2">' + b"".join(f'<c r="A{n}" t="s"><v>{n - 2}</v></c>'.encode() for n in (2,)) + b"</row>")
    cells.append(b'<row r="3"><c r="A3" t="s"><v>1</v></c></row><row r="4"><c r="A4" t="s"><v>2</v></c></row>')
    path = tmp_path / "strings.xlsx"
    hostile.rezip(
        path,
        hostile.base_workbook([VISITS]),
        replace={"xl/worksheets/sheet1.xml": hostile.sheet_chunks(cells), "xl/sharedStrings.xml": strings},
        content_types=hostile.with_shared_strings,
    )
    with open_workbook(path, max_bytes=MB, max_rows=10) as book:
        values = [values[0] for _, values in iter_rows(book[VISITS])]
    assert values == ["x", "张伟", "走访农户", "a_x000D_b"]


def test_the_clock_is_checked_between_rows(tmp_path, monkeypatch):
    path = tmp_path / "good.xlsx"
    with open(path, "wb") as target:
        _good(target)
    with open_workbook(path, max_bytes=MB, max_rows=10, seconds=3600) as book:
        rows = iter_rows(book[VISITS])
        next(rows)
        book[VISITS].guard.deadline = 0  # the budget runs out while the rows are read
        with pytest.raises(WorkbookError) as raised:
            next(rows)
    assert raised.value.message is MSG_TOO_SLOW
    assert workbook_module.Guard  # the limits travel with the sheet
