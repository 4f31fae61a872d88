"""Opening uploaded workbooks: every bad file is refused with its message; rows and headers read as documented."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from outreach.importing import workbook as workbook_module
from outreach.importing.cells import MSG_NOT_A_DATE, read_date
from outreach.importing.workbook import (
    MSG_AT_CELL,
    MSG_CORRUPTED,
    MSG_DUPLICATE_COLUMN,
    MSG_EMPTY_SHEET,
    MSG_ERROR_VALUE,
    MSG_FORMULA,
    MSG_HIDDEN_SHEET,
    MSG_MERGED_CELLS,
    MSG_MISSING_COLUMN,
    MSG_NO_SUCH_SHEET,
    MSG_NOT_XLSX,
    MSG_OLD_XLS,
    MSG_PASSWORD,
    MSG_RENAMED_COLUMN,
    MSG_TOO_LARGE,
    MSG_TOO_MANY_ROWS,
    MSG_UNKNOWN_COLUMN,
    MSG_UNPACKS_TOO_LARGE,
    HeaderError,
    WorkbookError,
    iter_rows,
    located,
    open_workbook,
    read_header,
)
from outreach.models import Region

from .import_files import (
    big_xlsx,
    damaged_member,
    ole_file,
    truncated,
    xlsx,
    xlsx_bytes,
    zip_without_workbook,
)

LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_rows": 1000}
VISITS = "走访记录"
HEADER = ["姓名", "开始日期", "人数"]
EXPECTED = {"name": "姓名", "start": "开始日期", "people": "人数"}


def refused(file, **limits) -> WorkbookError:
    with pytest.raises(WorkbookError) as excinfo:
        open_workbook(file, **(LIMITS | limits)).close()
    return excinfo.value


def assert_error(error, message, **params):
    assert error.message is message, str(error)
    assert error.params == params
    assert str(error) == (str(message) % params if params else str(message))


def read_all(path, title=VISITS):
    with open_workbook(path, **LIMITS) as book:
        rows = iter_rows(book[title])
        return list(rows), rows.blank_rows


# --- files that are not readable workbooks ---------------------------------------------


def test_a_csv_renamed_to_xlsx_is_not_a_workbook(tmp_path):
    path = tmp_path / "visits.xlsx"
    path.write_text("姓名,开始日期\n张三,2014-07-03\n", encoding="utf-8")
    assert_error(refused(path), MSG_NOT_XLSX)


def test_an_empty_file_is_not_a_workbook(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert_error(refused(path), MSG_NOT_XLSX)


def test_an_old_xls_renamed_to_xlsx_is_named(tmp_path):
    path = ole_file(tmp_path / "old.xlsx", "Workbook", "\x05SummaryInformation")
    assert_error(refused(path), MSG_OLD_XLS)


def test_a_password_protected_workbook_is_named(tmp_path):
    path = ole_file(tmp_path / "secret.xlsx", "EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")
    assert_error(refused(path), MSG_PASSWORD)


def test_another_ole_file_is_not_a_workbook(tmp_path):
    path = ole_file(tmp_path / "letter.xlsx", "WordDocument")
    assert_error(refused(path), MSG_NOT_XLSX)


def test_a_word_file_is_not_a_workbook(tmp_path):
    assert_error(refused(zip_without_workbook(tmp_path / "report.xlsx")), MSG_NOT_XLSX)


def test_a_truncated_zip_is_damaged(tmp_path):
    source = xlsx_bytes({VISITS: [HEADER, ["张三", "2014-07-03", 3]]})
    assert_error(refused(truncated(tmp_path / "half.xlsx", source)), MSG_CORRUPTED)


def test_a_zip_with_a_damaged_sheet_is_damaged(tmp_path):
    source = xlsx_bytes({VISITS: [HEADER] + [[f"干部{n}", "2014-07-03", n] for n in range(200)]})
    assert_error(refused(damaged_member(tmp_path / "bad.xlsx", source)), MSG_CORRUPTED)


def test_size_is_checked_before_parsing(tmp_path):
    # Garbage over the limit: refused for its size, so nothing was parsed.
    path = tmp_path / "huge.xlsx"
    path.write_bytes(b"x" * 2048)
    assert_error(refused(path, max_bytes=1024), MSG_TOO_LARGE, limit=filesizeformat(1024))


def test_an_uploaded_file_over_the_limit_is_refused_by_its_declared_size():
    upload = SimpleUploadedFile("v.xlsx", xlsx_bytes({VISITS: [HEADER]}))
    assert_error(refused(upload, max_bytes=upload.size - 1), MSG_TOO_LARGE, limit=filesizeformat(upload.size - 1))


def test_a_zip_that_unpacks_too_large_is_refused(tmp_path):
    path = xlsx(tmp_path / "bomb.xlsx", {VISITS: [HEADER] + [["同一个名字" * 20, "2014-07-03", 1]] * 2000})
    assert_error(refused(path, max_unpacked=100_000), MSG_UNPACKS_TOO_LARGE, limit=filesizeformat(100_000))


# --- the row limit ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hundred_thousand_rows(tmp_path_factory):
    return big_xlsx(tmp_path_factory.mktemp("big") / "big.xlsx", 100_000)


def test_a_sheet_over_the_row_limit_is_refused_naming_it_and_reading_stops_early(hundred_thousand_rows, monkeypatch):
    read = []
    real_chunks = workbook_module._chunks

    def spy(archive, path, guard):
        for chunk in real_chunks(archive, path, guard):
            read.append(len(chunk))
            yield chunk

    monkeypatch.setattr(workbook_module, "_chunks", spy)
    error = refused(hundred_thousand_rows, max_bytes=50 * 1024 * 1024, max_rows=1000)
    assert_error(error, MSG_TOO_MANY_ROWS, sheet=VISITS, limit=1000)
    with zipfile.ZipFile(hundred_thousand_rows) as archive:
        unpacked = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert sum(read) < unpacked / 2, "the scan read the whole sheet instead of stopping past the limit"


def test_a_sheet_at_the_row_limit_is_read(tmp_path):
    path = big_xlsx(tmp_path / "edge.xlsx", 999)  # header + 999 rows = 1000
    rows, blank = read_all(path)
    assert len(rows) == 1000
    assert rows[-1] == (1000, ("干部998", 998))
    assert blank == []


def test_rows_past_the_limit_stop_the_reader_too(tmp_path):
    # Belt and braces: should a sheet hold more rows than its scan counted, the reader stops.
    path = big_xlsx(tmp_path / "rows.xlsx", 20)
    with open_workbook(path, **LIMITS) as book:
        sheet = book[VISITS]
        sheet.max_rows = 10
        rows = iter_rows(sheet)
        with pytest.raises(WorkbookError) as excinfo:
            for _ in rows:
                pass
    assert_error(excinfo.value, MSG_TOO_MANY_ROWS, sheet=VISITS, limit=10)


def test_a_wrong_declared_dimension_does_not_cut_rows(tmp_path):
    # Some writers leave <dimension ref="A1"/>; openpyxl alone would then read one row.
    source = xlsx_bytes({VISITS: [HEADER] + [[f"干部{n}", "2014-07-03", n] for n in range(5)]})

    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, replaced = re.subn(rb'<dimension ref="A1:C6"\s*/>', b'<dimension ref="A1"/>', data)
                assert replaced == 1
            dst.writestr(item, data)
    rows, _blank = read_all(io.BytesIO(patched.getvalue()))
    assert [number for number, _ in rows] == [1, 2, 3, 4, 5, 6]


# --- sheets -----------------------------------------------------------------------------


def test_a_hidden_sheet_is_listed_and_refused_when_read(tmp_path):
    path = xlsx(
        tmp_path / "hidden.xlsx",
        {VISITS: [HEADER], "下拉列表": [["村"]], "旧数据": [HEADER]},
        hidden=("下拉列表",),
        very_hidden=("旧数据",),
    )
    with open_workbook(path, **LIMITS) as book:
        assert book.hidden_sheets == ["下拉列表", "旧数据"]
        assert list(iter_rows(book[VISITS])) == [(1, tuple(HEADER))]
        for title in ("下拉列表", "旧数据"):
            with pytest.raises(WorkbookError) as excinfo:
                next(iter_rows(book[title]))
            assert_error(excinfo.value, MSG_HIDDEN_SHEET, sheet=title)


def test_sheets_are_found_by_title_tolerantly_and_a_missing_one_is_named(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", {" 走访记录\u3000": [HEADER]})
    with open_workbook(path, **LIMITS) as book:
        assert book["走访记录"].title == " 走访记录\u3000"
        with pytest.raises(WorkbookError) as excinfo:
            book["结对"]
    assert_error(excinfo.value, MSG_NO_SUCH_SHEET, sheet="结对")


def test_merged_cells_are_refused_naming_the_ranges(tmp_path):
    rows = [HEADER, ["张三", "2014-07-03", 3], [None, "2014-07-04", 4]]
    path = xlsx(tmp_path / "merged.xlsx", {VISITS: rows, "说明": [["x"]]}, merged={VISITS: ["A2:A3", "B5:C5"]})
    with open_workbook(path, **LIMITS) as book:
        assert list(iter_rows(book["说明"])) == [(1, ("x",))]  # other sheets still read
        with pytest.raises(WorkbookError) as excinfo:
            next(iter_rows(book[VISITS]))
    assert_error(excinfo.value, MSG_MERGED_CELLS, sheet=VISITS, ranges="A2:A3, B5:C5")


def test_many_merged_ranges_are_cut_short_in_the_message(tmp_path):
    ranges = [f"A{n}:B{n}" for n in range(2, 10)]
    path = xlsx(tmp_path / "merged.xlsx", {VISITS: [HEADER]}, merged={VISITS: ranges})
    with open_workbook(path, **LIMITS) as book, pytest.raises(WorkbookError) as excinfo:
        next(iter_rows(book[VISITS]))
    assert excinfo.value.params["ranges"] == "A2:B2, A3:B3, A4:B4, A5:B5, A6:B6 …"


def test_a_formula_is_refused_naming_its_cell(tmp_path):
    rows = [HEADER, ["张三", "2014-07-03", 3], ["李四", "2014-07-04", "=C2+1"]]
    path = xlsx(tmp_path / "formula.xlsx", {VISITS: rows})
    with open_workbook(path, **LIMITS) as book:
        rows_read = iter_rows(book[VISITS])
        assert next(rows_read)[0] == 1
        assert next(rows_read)[0] == 2
        with pytest.raises(WorkbookError) as excinfo:
            next(rows_read)
    assert_error(excinfo.value, MSG_FORMULA, sheet=VISITS, cell="C3", formula="=C2+1")


def test_text_that_starts_with_an_equals_sign_is_not_a_formula(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = VISITS
    sheet.append(HEADER)
    sheet["A2"] = "=张三"
    sheet["A2"].data_type = "s"  # typed as '=张三 in Excel
    book.save(tmp_path / "text.xlsx")
    rows, _ = read_all(tmp_path / "text.xlsx")
    assert rows[1] == (2, ("=张三",))


def test_an_error_value_is_refused_naming_its_cell(tmp_path):
    path = xlsx(tmp_path / "error.xlsx", {VISITS: [HEADER, ["张三", "#N/A", 3]]})
    with open_workbook(path, **LIMITS) as book, pytest.raises(WorkbookError) as excinfo:
        list(iter_rows(book[VISITS]))
    assert_error(excinfo.value, MSG_ERROR_VALUE, sheet=VISITS, cell="B2", found="#N/A")


def test_blank_rows_in_the_middle_are_skipped_and_counted(tmp_path):
    rows = [
        HEADER,
        ["张三", "2014-07-03", 3],
        [],
        [None, "  ", "\u3000"],  # only spaces: blank
        ["李四", "2014-07-04", 4],
        [],
        [None, None, None],  # trailing blanks: not reported
    ]
    read, blank = read_all(xlsx(tmp_path / "blank.xlsx", {VISITS: rows}))
    assert [number for number, _ in read] == [1, 2, 5]
    assert read[2] == (5, ("李四", "2014-07-04", 4))
    assert blank == [3, 4]


def test_an_uploaded_file_object_is_read(tmp_path):
    upload = SimpleUploadedFile("v.xlsx", xlsx_bytes({VISITS: [HEADER, ["张三", "2014.7.3", "30人"]]}))
    with open_workbook(upload, **LIMITS) as book:
        assert list(iter_rows(book[VISITS]))[1] == (2, ("张三", "2014.7.3", "30人"))


def test_date_cells_come_back_as_dates_and_the_epoch_is_exposed(tmp_path):
    import datetime

    path = xlsx(tmp_path / "d.xlsx", {VISITS: [HEADER, ["张三", datetime.date(2014, 7, 3), 3]]})
    with open_workbook(path, **LIMITS) as book:
        (_, values) = list(iter_rows(book[VISITS]))[1]
        assert read_date(values[1], epoch=book.epoch) == datetime.date(2014, 7, 3)


# --- the header -------------------------------------------------------------------------


def header_of(tmp_path, titles, expected=None, **kwargs):
    path = xlsx(tmp_path / "h.xlsx", {VISITS: [titles, ["张三", "2014-07-03", 3]]})
    with open_workbook(path, **LIMITS) as book:
        rows = iter_rows(book[VISITS])
        header = read_header(rows, expected or EXPECTED, **kwargs)
        return header, list(rows)


def header_problems(tmp_path, titles, expected=None, **kwargs):
    with pytest.raises(HeaderError) as excinfo:
        header_of(tmp_path, titles, expected, **kwargs)
    return excinfo.value.problems


def test_header_maps_titles_to_fields_in_any_order_and_spacing(tmp_path):
    header, rows = header_of(tmp_path, ["人数", " 姓 名 ", "开始日期\u3000", None])
    assert header.columns == {"people": 0, "name": 1, "start": 2}
    assert header.row == 1
    assert header.letter("start") == "C"
    assert rows == [(2, ("张三", "2014-07-03", 3))]
    assert header.values(rows[0][1]) == {"people": "张三", "name": "2014-07-03", "start": 3}
    assert header.values(("x",)) == {"people": "x", "name": None, "start": None}


def test_header_matches_lazy_titles_in_either_language(tmp_path):
    expected = {"level": Region.Level.VILLAGE.label, "city": Region.Level.CITY.label, "other": "人数"}
    header, _ = header_of(tmp_path, ["Village", "市", "人数"], expected)
    assert header.columns == {"level": 0, "city": 1, "other": 2}


def test_header_reports_missing_columns(tmp_path):
    problems = header_problems(tmp_path, ["姓名", "人数"])
    assert len(problems) == 1
    assert_error(problems[0], MSG_MISSING_COLUMN, sheet=VISITS, title="开始日期")


def test_header_allows_optional_columns_to_be_absent(tmp_path):
    header, _ = header_of(tmp_path, ["姓名", "人数"], optional=("start",))
    assert header.columns == {"name": 0, "people": 1}


def test_header_reports_a_renamed_column_with_a_suggestion(tmp_path):
    problems = header_problems(tmp_path, ["姓名", "起始日期", "人数"])
    assert len(problems) == 1  # the suggestion replaces the "missing" message
    assert_error(problems[0], MSG_RENAMED_COLUMN, sheet=VISITS, column="B", title="起始日期", expected="开始日期")


def test_header_reports_unknown_and_duplicate_columns(tmp_path):
    problems = header_problems(tmp_path, ["姓名", "开始日期", "人数", "备注", "姓名"])
    assert len(problems) == 2
    assert_error(problems[0], MSG_DUPLICATE_COLUMN, sheet=VISITS, column="E", title="姓名")
    assert_error(
        problems[1], MSG_UNKNOWN_COLUMN, sheet=VISITS, column="D", title="备注", expected="“姓名”, “开始日期”, “人数”"
    )


def test_header_error_lists_every_problem_one_a_line(tmp_path):
    with pytest.raises(HeaderError) as excinfo:
        header_of(tmp_path, ["日期", "备注"])
    lines = str(excinfo.value).split("\n")
    assert lines == [str(problem) for problem in excinfo.value.problems]
    assert len(lines) == 4  # 日期 ≈ 开始日期, 备注 unknown, 姓名 and 人数 missing


def test_header_of_an_empty_sheet(tmp_path):
    path = xlsx(tmp_path / "e.xlsx", {VISITS: [[], [None, " "]]})
    with open_workbook(path, **LIMITS) as book, pytest.raises(WorkbookError) as excinfo:
        read_header(iter_rows(book[VISITS]), EXPECTED)
    assert_error(excinfo.value, MSG_EMPTY_SHEET, sheet=VISITS)


def test_located_puts_the_place_before_a_cell_message():
    from outreach.importing.cells import CellError

    error = CellError(MSG_NOT_A_DATE, found="明天")
    text = located(error, sheet=VISITS, row=12, column="开始日期")
    assert text == str(MSG_AT_CELL) % {"sheet": VISITS, "row": 12, "column": "开始日期", "message": str(error)}
    assert text.endswith(str(MSG_NOT_A_DATE) % {"found": "明天"})
