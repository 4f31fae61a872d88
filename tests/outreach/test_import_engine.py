"""The import engine: rows checked by the records' own rules, written all together or not at all."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from outreach.importing.engine import run_import
from outreach.importing.specs import sheet_for
from outreach.models import PeriodLock, PeriodReturn
from tests.factories import OfficialFactory, VisitFactory
from tests.outreach.import_files import xlsx, xlsx_bytes
from visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

VISITS = "走访基层"
OUTCOMES = "走访成效"
UPDATE_QUERIES = 10  # with the year's usual maxima (outreach.plausibility), read once per year


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def header(model):
    return [str(column.title) for column in sheet_for(model).columns]


def visit_row(
    reference, official, start="2014-07-03", end="2014-07-04", stay="是", households=12, agency=None, **extra
):
    row = [reference, agency, official, start, end, stay, None, households, 0, 0, 0, 1, 3, extra.get("note", "")]
    return row


def outcome_row(reference, visit_reference, financing="1.5万", agency=None):
    return [reference, agency, visit_reference, 1, 2, financing, 0, 1, ""]


@pytest.fixture
def official(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


def book(*visit_rows, outcomes=()):
    sheets = {VISITS: [header(Visit), *visit_rows]}
    if outcomes:
        sheets[OUTCOMES] = [header(VisitOutcome), *outcomes]
    return io.BytesIO(xlsx_bytes(sheets))


def test_rows_are_created_with_their_readings_and_outcomes_name_their_visit(agency_a, official, staff_a):
    report = run_import(
        book(
            visit_row("ZF-1", " 张伟 ", start="2014.7.3", end="2014年7月4日", households="１２户"),
            visit_row("ZF-2", "张伟", start="2014-06-10", end="2014-06-10", stay="否", households="3"),
            outcomes=[outcome_row("CX-1", "ZF-1", financing="1.5万"), outcome_row("CX-2", "ZF-2", financing="3,000元")],
        ),
        agency=agency_a,
        user=staff_a,
        commit=True,
    )
    assert report.ok, report.lines()
    assert report.committed
    assert report.totals()["created"] == 4
    first = Visit.objects.get(reference="ZF-1")
    assert (first.agency, first.official, first.start_date, first.end_date) == (
        agency_a,
        official,
        datetime.date(2014, 7, 3),
        datetime.date(2014, 7, 4),
    )
    assert first.households == 12
    assert first.village_days == 2  # derived by the model, as on the form
    assert first.created_by == staff_a
    assert first.history.count() == 1
    entry = first.history.get()
    assert (entry.history_user, entry.history_type, entry.history_change_reason) == (staff_a, "+", "import")
    assert entry.instance == first  # every column copied, ids included
    assert all(getattr(entry, field.attname) == getattr(first, field.attname) for field in Visit._meta.concrete_fields)
    assert VisitOutcome.objects.get(reference="CX-1").financing == Decimal("15000.00")
    assert VisitOutcome.objects.get(reference="CX-2").visit.reference == "ZF-2"
    assert VisitOutcome.objects.get(reference="CX-2").financing == Decimal("3000.00")


def test_one_bad_row_writes_nothing_and_is_named_by_sheet_row_and_column(agency_a, official):
    report = run_import(
        book(visit_row("ZF-1", "张伟"), visit_row("ZF-2", "张伟", households=-3), visit_row("ZF-3", "李四")),
        agency=agency_a,
        commit=True,
    )
    assert not report.ok and not report.committed
    assert Visit.all_objects.count() == 0
    places = {(issue.sheet, issue.row, issue.column) for issue in report.issues}
    assert places == {(VISITS, 3, "H 走访农户（户）"), (VISITS, 4, "C 干部")}
    messages = {issue.row: issue.message for issue in report.issues}
    assert messages[3] == "数量不能为负数。"
    assert "“李四”不在本列" in messages[4]
    assert report.sheets[0].created == 1 and report.sheets[0].failed == 2


def test_an_error_of_the_model_names_its_column(agency_a, official):
    report = run_import(book(visit_row("ZF-1", "张伟", start="2014-07-05", end="2014-07-01")), agency=agency_a)
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "E 结束日期")]
    assert "结束日期" in report.issues[0].message or "不能早于" in report.issues[0].message


def test_a_row_with_several_mistakes_reports_each_on_its_own_column(agency_a, official):
    # A cell that cannot be read, a name not in the list and a rule of the model: every one is listed.
    row = visit_row("ZF-1", "李四", start="2014-07-05", end="2014-07-04", households="abc", stay="也许")
    report = run_import(book(row), agency=agency_a, commit=True)
    assert not report.ok and Visit.all_objects.count() == 0
    columns = {issue.column: issue.message for issue in report.issues if issue.row == 2}
    assert set(columns) == {"C 干部", "E 结束日期", "F 住村", "H 走访农户（户）"}
    assert "“李四”不在本列" in columns["C 干部"]
    assert columns["E 结束日期"] == "结束日期不能早于开始日期。"
    assert "“abc”" in columns["H 走访农户（户）"] and "“也许”" in columns["F 住村"]
    assert report.issue_count == 4


def test_a_preview_writes_nothing_even_when_every_row_is_good(agency_a, official):
    report = run_import(book(visit_row("ZF-1", "张伟")), agency=agency_a, commit=False)
    assert report.ok and not report.committed
    assert report.sheets[0].rows == [[2, "ZF-1", "create"]]
    assert Visit.all_objects.count() == 0


def test_importing_the_same_rows_again_changes_nothing_and_a_changed_row_updates_with_history(
    agency_a, official, staff_a
):
    rows = [visit_row("ZF-1", "张伟"), visit_row("ZF-2", "张伟", start="2014-06-10", end="2014-06-10")]
    assert run_import(book(*rows), agency=agency_a, user=staff_a, commit=True).ok
    visit = Visit.objects.get(reference="ZF-1")
    again = run_import(book(*rows), agency=agency_a, user=staff_a, commit=True)
    assert again.ok and again.totals()["unchanged"] == 2 and again.totals()["created"] == 0
    assert Visit.objects.count() == 2
    assert Visit.history.count() == 2

    rows[0] = visit_row("ZF-1", "张伟", households=20)
    changed = run_import(book(*rows), agency=agency_a, user=staff_a, commit=True)
    assert (changed.totals()["updated"], changed.totals()["unchanged"]) == (1, 1)
    visit.refresh_from_db()
    assert visit.households == 20 and visit.version == 2
    assert visit.history.count() == 2
    assert visit.history.first().households == 20 and visit.history.first().history_type == "~"
    assert Visit.objects.count() == 2


def test_a_deleted_record_is_not_updated_by_its_reference(agency_a, official):
    assert run_import(book(visit_row("ZF-1", "张伟")), agency=agency_a, commit=True).ok
    Visit.objects.get(reference="ZF-1").delete()
    report = run_import(book(visit_row("ZF-1", "张伟")), agency=agency_a, commit=True)
    assert report.totals()["created"] == 1
    assert Visit.all_objects.filter(reference="ZF-1").count() == 2
    assert Visit.objects.filter(reference="ZF-1").count() == 1


def test_locked_and_approved_months_refuse_naming_the_rows(agency_a, official):
    PeriodLock.objects.create(year=2014, month=6)
    PeriodReturn.objects.create(agency=agency_a, year=2014, month=5, status=PeriodReturn.Status.APPROVED)
    report = run_import(
        book(
            visit_row("ZF-1", "张伟", start="2014-06-10", end="2014-06-11"),
            visit_row("ZF-2", "张伟", start="2014-05-10", end="2014-05-10"),
            visit_row("ZF-3", "张伟", start="2014-07-10", end="2014-07-10"),
        ),
        agency=agency_a,
        commit=True,
    )
    assert not report.ok
    assert Visit.all_objects.count() == 0
    by_row = {issue.row: issue.message for issue in report.issues}
    assert set(by_row) == {2, 3}
    assert "2014年6月" in by_row[2] and "锁定" in by_row[2]
    assert "2014年5月" in by_row[3] and "审核通过" in by_row[3]


def test_an_update_into_a_locked_month_is_refused(agency_a, official):
    assert run_import(
        book(visit_row("ZF-1", "张伟", start="2014-06-10", end="2014-06-10")), agency=agency_a, commit=True
    ).ok
    PeriodLock.objects.create(year=2014, month=6)
    report = run_import(
        book(visit_row("ZF-1", "张伟", start="2014-06-10", end="2014-06-10", households=99)),
        agency=agency_a,
        commit=True,
    )
    assert [issue.row for issue in report.issues] == [2]
    assert Visit.objects.get(reference="ZF-1").households == 12


def test_an_update_out_of_a_locked_month_is_refused(agency_a, official):
    assert run_import(
        book(visit_row("ZF-1", "张伟", start="2014-06-10", end="2014-06-10")), agency=agency_a, commit=True
    ).ok
    PeriodLock.objects.create(year=2014, month=6)
    report = run_import(
        book(visit_row("ZF-1", "张伟", start="2014-07-10", end="2014-07-10")), agency=agency_a, commit=True
    )
    assert [issue.row for issue in report.issues] == [2]
    assert "2014年6月" in report.issues[0].message and "锁定" in report.issues[0].message
    assert Visit.objects.get(reference="ZF-1").start_date == datetime.date(2014, 6, 10)


@pytest.mark.parametrize("count", [3, 30])
def test_updating_rows_takes_the_same_queries_for_3_rows_as_for_30(
    agency_a, official, count, django_assert_num_queries
):
    rows = [visit_row(f"ZF-{n}", "张伟") for n in range(count)]
    assert run_import(book(*rows), agency=agency_a, commit=True).ok
    changed = book(*[visit_row(f"ZF-{n}", "张伟", households=40) for n in range(count)])
    # Agencies, the officials' choices, the rows' records, locks and returns, the year's usual maxima, the update
    # and its history; savepoints around them. Not one query per row.
    with django_assert_num_queries(UPDATE_QUERIES):
        report = run_import(changed, agency=agency_a, commit=True)
    assert report.totals()["updated"] == count
    assert set(Visit.objects.values_list("households", flat=True)) == {40}


def test_rows_for_another_agency_are_refused_on_an_agency_upload(agency_a, agency_b, official):
    other = OfficialFactory(agency=agency_b, name="王芳")
    report = run_import(
        book(visit_row("ZF-1", "张伟", agency=agency_b.code), visit_row("ZF-2", other.name)),
        agency=agency_a,
        commit=True,
    )
    assert {(issue.row, issue.column.split()[1]) for issue in report.issues} == {(2, "单位代码"), (3, "干部")}
    assert Visit.all_objects.count() == 0


def test_without_an_agency_each_row_names_its_own(agency_a, agency_b, official):
    OfficialFactory(agency=agency_b, name="王芳")
    rows = [
        visit_row("ZF-1", "张伟", agency=agency_a.code),
        visit_row("ZF-1", "王芳", agency=agency_b.code),  # the same reference in two agencies: two records
    ]
    report = run_import(book(*rows), agency=None, commit=True)
    assert report.ok, report.lines()
    assert sorted(Visit.objects.values_list("agency__code", "official__name")) == [("A001", "张伟"), ("A002", "王芳")]

    bad = run_import(
        book(visit_row("ZF-3", "张伟", agency="X999"), visit_row("ZF-4", "张伟")), agency=None, commit=True
    )
    assert [(issue.row, issue.message) for issue in bad.issues] == [
        (2, "没有代码为“X999”的单位。"),
        (3, "请填写单位代码。"),
    ]


def test_a_sheet_without_the_agency_column_needs_an_agency(agency_a, official):
    columns = header(Visit)
    rows = [visit_row("ZF-1", "张伟")]
    without = [[cell for index, cell in enumerate(row) if index != 1] for row in [columns, *rows]]
    data = io.BytesIO(xlsx_bytes({VISITS: without}))
    assert run_import(data, agency=agency_a, commit=True).ok
    data.seek(0)
    report = run_import(data, agency=None)
    assert [issue.message for issue in report.issues] == ["工作表“走访基层”需要“单位代码”列：本次导入未指定单位。"]


def test_references_are_required_and_unique_within_a_sheet(agency_a, official):
    report = run_import(
        book(visit_row(None, "张伟"), visit_row("ZF-1", "张伟"), visit_row("ZF-1", "张伟")), agency=agency_a
    )
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, "A 编号"), (4, "A 编号")]
    assert "编号" in report.issues[0].message
    assert "第3行" in report.issues[1].message


def test_an_outcome_naming_a_missing_or_failed_visit(agency_a, official):
    report = run_import(
        book(
            visit_row("ZF-1", "张伟", households=-1),
            outcomes=[outcome_row("CX-1", "ZF-1"), outcome_row("CX-2", "ZF-9")],
        ),
        agency=agency_a,
    )
    messages = {(issue.sheet, issue.row): issue.message for issue in report.issues}
    assert "有错误" in messages[(OUTCOMES, 2)]
    assert "ZF-9" in messages[(OUTCOMES, 3)] and "没有" in messages[(OUTCOMES, 3)]


def test_an_outcome_may_name_a_visit_already_recorded(agency_a, official):
    VisitFactory(agency=agency_a, official=official, reference="OLD-1")
    report = run_import(book(outcomes=[outcome_row("CX-1", "OLD-1")]), agency=agency_a, commit=True)
    assert report.ok, report.lines()
    assert VisitOutcome.objects.get().visit.reference == "OLD-1"


def test_blank_rows_are_skipped_and_reported(agency_a, official):
    data = io.BytesIO(
        xlsx_bytes({VISITS: [header(Visit), visit_row("ZF-1", "张伟"), [None] * 5, visit_row("ZF-2", "张伟")]})
    )
    report = run_import(data, agency=agency_a, commit=True)
    assert report.ok and report.totals()["created"] == 2
    assert report.notices == ["工作表“走访基层”：已跳过空行 3。"]


def test_unknown_sheets_are_named_and_template_sheets_ignored(agency_a, official):
    data = io.BytesIO(
        xlsx_bytes(
            {
                "说明": [["x"]],
                "示例-走访基层": [["x"]],
                "Sheet1": [["x"]],
                VISITS: [header(Visit), visit_row("ZF-1", "张伟")],
            }
        )
    )
    report = run_import(data, agency=agency_a)
    assert report.ok
    assert report.notices == ["工作表“Sheet1”不是记录工作表，未读取。"]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"name,count\n", "不是 Excel 工作簿"),
        (b"PK\x03\x04 broken", "损坏"),
    ],
)
def test_bad_files_are_reported_never_raised(agency_a, content, expected):
    report = run_import(io.BytesIO(content), agency=agency_a, commit=True)
    assert not report.ok and expected in report.issues[0].message


def test_a_workbook_without_record_sheets(agency_a):
    report = run_import(io.BytesIO(xlsx_bytes({"Sheet1": [["a"]]})), agency=agency_a)
    assert "没有记录工作表" in report.issues[0].message and "走访基层" in report.issues[0].message


def test_formulas_merged_cells_hidden_sheets_and_headers(agency_a, official, tmp_path):
    formula = io.BytesIO(xlsx_bytes({VISITS: [header(Visit), [*visit_row("ZF-1", "张伟")[:7], "=1+1"]]}))
    assert "公式" in run_import(formula, agency=agency_a).issues[0].message
    merged = io.BytesIO(xlsx_bytes({VISITS: [header(Visit), visit_row("ZF-1", "张伟")]}, merged={VISITS: ["H2:I2"]}))
    assert "合并" in run_import(merged, agency=agency_a).issues[0].message
    hidden = io.BytesIO(
        xlsx_bytes({"Sheet1": [["x"]], VISITS: [header(Visit), visit_row("ZF-1", "张伟")]}, hidden=[VISITS])
    )
    assert "隐藏" in run_import(hidden, agency=agency_a).issues[0].message
    renamed = header(Visit)
    renamed[7] = "走访农户数"
    renamed.append("备用")
    report = run_import(io.BytesIO(xlsx_bytes({VISITS: [renamed, visit_row("ZF-1", "张伟")]})), agency=agency_a)
    messages = " ".join(issue.message for issue in report.issues)
    assert "走访农户（户）" in messages and "备用" in messages
    assert Visit.all_objects.count() == 0


def test_too_many_rows_are_refused_with_the_limit(agency_a, official):
    rows = [visit_row(f"ZF-{n}", "张伟") for n in range(12)]
    report = run_import(book(*rows), agency=agency_a, commit=True, max_rows=10)
    assert not report.ok
    assert (
        report.issues[0].message
        == "工作表“走访基层”超过 10 行记录，这是一次导入的上限。请拆分为几个工作簿，或删除数据下方的空行。"
    )
    assert Visit.all_objects.count() == 0


def test_the_command_imports_and_fails_loudly(agency_a, official, tmp_path, capsys):
    path = xlsx(tmp_path / "visits.xlsx", {VISITS: [header(Visit), visit_row("ZF-1", "张伟", agency=agency_a.code)]})
    call_command("import_records", str(path), "--dry-run")
    assert Visit.all_objects.count() == 0
    call_command("import_records", str(path), "--agency", agency_a.code)
    assert Visit.objects.get().reference == "ZF-1"
    call_command("import_records", str(path))
    assert "未变1条" in capsys.readouterr().out  # "Imported: 0 added, 0 updated, 1 unchanged." in Chinese

    bad = xlsx(tmp_path / "bad.xlsx", {VISITS: [header(Visit), visit_row("ZF-2", "无此人", agency=agency_a.code)]})
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(bad))
    assert raised.value.returncode == 1
    assert "走访基层 · 第2行 · C 干部" in capsys.readouterr().err
    assert Visit.objects.count() == 1
    with pytest.raises(CommandError, match="NOPE"):
        call_command("import_records", str(path), "--agency", "NOPE")


def test_a_hundred_thousand_rows_are_refused_quickly_with_the_limit(agency_a, tmp_path):
    import xlsxwriter

    path = tmp_path / "huge.xlsx"
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet(VISITS)
    sheet.write_row(0, 0, header(Visit))
    for n in range(1, 100_001):
        sheet.write_row(n, 0, (n, "张伟"))
    workbook.close()
    with open(path, "rb") as handle:
        report = run_import(handle, agency=agency_a, commit=True)
    assert [issue.sheet for issue in report.issues] == [VISITS]
    assert [issue.message for issue in report.issues] == [
        "工作表“走访基层”超过 50000 行记录，这是一次导入的上限。请拆分为几个工作簿，或删除数据下方的空行。"
    ]
    assert Visit.all_objects.count() == 0
