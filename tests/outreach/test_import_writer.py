"""The import format written out: the template an agency downloads, and `export_records`."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.utils import translation
from openpyxl import load_workbook

from outreach.importing.engine import run_import
from outreach.importing.specs import record_sheets, sheet_for
from outreach.importing.writer import EXAMPLE_PREFIX, LISTS_SHEET, write_records, write_template
from outreach.models import Official, PeriodLock, PeriodReturn
from outreach.validation import COUNT_MAX
from pairings.models import ContactPoint, NeedyPerson
from tests.factories import (
    CommitteeFactory,
    ContactPointActivityFactory,
    ContactPointFactory,
    NeedyPersonFactory,
    OfficialFactory,
    VillageOrgFactory,
    VisitFactory,
    VisitOutcomeFactory,
    poor_village,
    region_chain,
)
from visits.models import ChannelReturn, Visit, VisitOutcome, VolunteerTeam

pytestmark = pytest.mark.django_db

TITLES = [str(spec.title) for spec in record_sheets()]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def directory(agency_a, agency_b):
    """What agency A's template names: its officials (one no longer in post), a poor village of a
    target city, its Party committee and a village organisation; and agency B's official."""
    village = poor_village()
    return {
        "leader": OfficialFactory(agency=agency_a, name="张伟", title="副主任"),
        "clerk": OfficialFactory(
            agency=agency_a, name="李娜", title="科员", rank=Official.Rank.OTHER, position=Official.Position.STAFF
        ),
        "retired": OfficialFactory(agency=agency_a, name="赵退", is_active=False),
        "other": OfficialFactory(agency=agency_b, name="王芳"),
        "village": village,
        "committee": CommitteeFactory(agency=agency_a),
        "partner": VillageOrgFactory(region=village),
    }


def template(agency, user, **kwargs):
    buffer = io.BytesIO()
    write_template(buffer, agency=agency, user=user, **kwargs)
    buffer.seek(0)
    return buffer


def validation_at(sheet, cell):
    found = [dv for dv in sheet.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (cell, found)
    return found[0]


def listed(book, formula):
    """The values of a dropdown's range on the lists sheet."""
    sheet_part, cells = formula.split("!")
    assert sheet_part.strip("=") == f"'{LISTS_SHEET}'"
    first, last = cells.replace("$", "").split(":")
    return [row[0].value for row in book[LISTS_SHEET][f"{first}:{last}"]]


def letter(model, name):
    index = [column.name for column in sheet_for(model).columns].index(name)
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def test_the_template_has_the_importers_sheets_and_headers(agency_a, staff_a, directory):
    book = load_workbook(template(agency_a, staff_a))
    assert book.sheetnames == ["说明", *TITLES, *(f"{EXAMPLE_PREFIX}{title}" for title in TITLES), LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    for spec in record_sheets():
        sheet = book[str(spec.title)]
        assert [cell.value for cell in sheet[1]] == [str(column.title) for column in spec.columns]
        assert sheet.freeze_panes == "A2"
        assert sheet[1][0].font.b
        assert sheet.max_row == 1  # formats and dropdowns make no rows
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in book.sheetnames)


def test_a_template_of_chosen_record_types(agency_a, staff_a, directory):
    book = load_workbook(template(agency_a, staff_a, models=[Visit, VisitOutcome]))
    assert book.sheetnames == ["说明", "走访基层", "走访成效", "示例-走访基层", "示例-走访成效", LISTS_SHEET]


def test_dropdowns_hold_the_choices_and_only_the_agencys_officials(agency_a, agency_b, staff_a, officer, directory):
    book = load_workbook(template(agency_a, staff_a))
    visits = book["走访基层"]

    official = validation_at(visits, f"{letter(Visit, 'official')}2")
    assert official.type == "list"
    assert str(official.sqref) == f"{letter(Visit, 'official')}2:{letter(Visit, 'official')}50001"
    # In post only, and none of agency B's: the choices the import accepts for agency A.
    assert listed(book, official.formula1) == ["张伟", "李娜"]

    leaders = validation_at(book["帮扶联系点"], f"{letter(ContactPoint, 'official')}2")
    assert listed(book, leaders.formula1) == ["张伟"]  # a contact point is led by a department-level official
    villages = validation_at(book["帮扶联系点"], f"{letter(ContactPoint, 'village')}2")
    assert listed(book, villages.formula1) == [directory["village"].full_name]

    category = validation_at(book["困难群众"], f"{letter(NeedyPerson, 'category')}2")
    assert category.type == "list"
    assert category.formula1 == '"低保户,五保户,残疾人,大病患者,孤寡老人,留守儿童,贫困学生,其他困难群众"'

    stay = validation_at(visits, f"{letter(Visit, 'is_village_stay')}2")
    assert stay.formula1 == '"是,否"'

    start = validation_at(visits, f"{letter(Visit, 'start_date')}2")
    # 2000-01-01 to 2100-12-31 ("between" is Excel's default operator, left unwritten)
    assert (start.type, start.operator, start.formula1, start.formula2) == ("date", None, "36526", "73415")
    households = validation_at(visits, f"{letter(Visit, 'households')}2")
    assert (households.type, households.operator, households.formula1, households.formula2) == (
        "whole",
        None,
        "0",
        str(COUNT_MAX),
    )  # the model's bounds
    year = validation_at(book["效能建设报表"], "C2")
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", None, "2000", "2100")
    financing = validation_at(book["走访成效"], f"{letter(VisitOutcome, 'financing')}2")
    assert (financing.type, financing.operator, financing.formula1) == ("decimal", "greaterThanOrEqual", "0")

    # Agency B's template (an officer downloads it) lists B's official, not A's.
    other = load_workbook(template(agency_b, officer))
    assert listed(other, validation_at(other["走访基层"], "C2").formula1) == ["王芳"]


def test_the_example_sheets_are_typed_and_name_the_agencys_directory(agency_a, staff_a, directory):
    book = load_workbook(template(agency_a, staff_a))
    example = book["示例-走访基层"]
    header = [cell.value for cell in example[1]]
    row = dict(zip(header, list(example[2])))
    assert row["编号"].value == "ZF-2014-001"
    assert row["单位代码"].value == agency_a.code
    assert row["干部"].value == "张伟"
    assert row["开始日期"].value == datetime.datetime(2014, 7, 1)
    assert row["开始日期"].number_format == "yyyy-mm-dd"
    assert row["住村"].value == "是"
    assert row["走访农户（户）"].value == 12
    outcome = dict(zip([c.value for c in book["示例-走访成效"][1]], [c.value for c in book["示例-走访成效"][2]]))
    assert outcome["走访"] == "ZF-2014-001"  # the parent by its own example's reference
    assert outcome["协调企业融资（元）"] == 200000
    assert book["示例-困难群众"]["E2"].value == "低保户"  # a required choice without an example: the first


def test_the_instructions_are_in_the_active_language(agency_a, staff_a, directory):
    with translation.override("en"):
        book = load_workbook(template(agency_a, staff_a))
    assert book.sheetnames[1] == "assistance contact points"
    text = "\n".join(str(cell.value) for row in book["说明"].iter_rows() for cell in row if cell.value)
    assert f"Import template of {agency_a.name}" in text
    assert "At most 50,000 rows per sheet" in text
    assert "Formulas and merged cells are refused" in text
    assert "Sheet “grassroots visits”" in text
    assert "the reference of a row of sheet “grassroots visits”" in text  # an outcome's visit
    assert "2 entries to choose from for 安徽省发展和改革委员会." in text  # the officials of a visit


def test_an_empty_template_imports_nothing_and_reports_nothing(agency_a, staff_a, directory):
    report = run_import(template(agency_a, staff_a), agency=agency_a, user=staff_a, commit=True)
    assert report.ok, report.lines()
    assert report.issues == [] and report.notices == []
    assert [sheet.title for sheet in report.sheets] == TITLES
    assert sum(report.totals().values()) == 0


def test_the_example_rows_import_as_they_are(agency_a, staff_a, directory):
    book = load_workbook(template(agency_a, staff_a))
    for title in TITLES:
        for cell in book[f"{EXAMPLE_PREFIX}{title}"][2]:
            book[title].cell(row=2, column=cell.column, value=cell.value)
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)

    report = run_import(filled, agency=agency_a, user=staff_a, commit=True)
    assert report.ok, report.lines()
    assert [(sheet.title, sheet.created) for sheet in report.sheets] == [(title, 1) for title in TITLES]
    visit = Visit.objects.get(reference="ZF-2014-001")
    assert (visit.agency, visit.official, visit.start_date, visit.village_days) == (
        agency_a,
        directory["leader"],
        datetime.date(2014, 7, 1),
        3,
    )
    assert VisitOutcome.objects.get().visit == visit
    assert ContactPoint.objects.get().village == directory["village"]
    assert VolunteerTeam.objects.get().kind == VolunteerTeam.Kind.GENERAL
    assert ChannelReturn.objects.get().half == ChannelReturn.Half.FIRST


def test_a_template_can_be_written_into_a_response(agency_a, staff_a, directory):
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    write_template(response, agency=agency_a, user=staff_a, models=[Visit])
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["说明", "走访基层", "示例-走访基层", LISTS_SHEET]


# --- export_records ----------------------------------------------------------------------------


@pytest.fixture
def records(agency_a, agency_b, directory):
    """Agency A: a contact point since 2013 with an activity in 2014 and one in 2013, a visit in 2014
    with its outcome, one in 2013, a needy person; agency B: a visit in 2014."""
    leader = directory["leader"]
    point = ContactPointFactory(
        agency=agency_a,
        official=leader,
        village=directory["village"],
        start_date=datetime.date(2013, 3, 1),
        reference="LXD-1",
    )
    ContactPointActivityFactory(contact_point=point, date=datetime.date(2014, 2, 1), reference="HD-14")
    ContactPointActivityFactory(contact_point=point, date=datetime.date(2013, 5, 1), reference="HD-13")
    visit = VisitFactory(agency=agency_a, official=leader, reference="ZF-14", place=directory["village"])
    VisitOutcomeFactory(visit=visit, reference="CX-14")
    VisitFactory(
        agency=agency_a,
        official=leader,
        reference="ZF-13",
        start_date=datetime.date(2013, 6, 1),
        end_date=datetime.date(2013, 6, 1),
    )
    NeedyPersonFactory(agency=agency_a, village=directory["village"], name="王某", reference="KN-1")
    VisitFactory(agency=agency_b, official=directory["other"], reference="ZF-B")


def sheet_rows(book, title):
    rows = list(book[title].iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_export_records_writes_the_years_records_as_the_import_reads_them(tmp_path, agency_a, records, directory):
    path = tmp_path / "2014.xlsx"
    out = io.StringIO()
    call_command("export_records", year=2014, output=str(path), stdout=out)
    assert "走访基层: 2" in out.getvalue() and "联系点活动: 1" in out.getvalue()
    assert "wrote 6 records of 2014" in out.getvalue()

    book = load_workbook(path)
    assert book.sheetnames == TITLES
    visits = sheet_rows(book, "走访基层")
    assert {(row["单位代码"], row["编号"]) for row in visits} == {("A001", "ZF-14"), ("A002", "ZF-B")}
    visit = next(row for row in visits if row["编号"] == "ZF-14")
    assert visit["干部"] == "张伟"
    assert visit["开始日期"] == datetime.datetime(2014, 5, 6)
    assert visit["住村"] == "是"
    assert visit["走访地点"] == directory["village"].full_name
    assert visit["走访农户（户）"] == 8
    assert book["走访基层"]["D2"].number_format == "yyyy-mm-dd"
    [outcome] = sheet_rows(book, "走访成效")
    assert (outcome["编号"], outcome["走访"], outcome["协调企业融资（元）"]) == ("CX-14", "ZF-14", 2000000)
    # The contact point began in 2013 and still stands: it is a record of 2014, and its 2014 activity names it.
    assert [row["编号"] for row in sheet_rows(book, "帮扶联系点")] == ["LXD-1"]
    [activity] = sheet_rows(book, "联系点活动")
    assert (activity["编号"], activity["联系点"], activity["活动类别"]) == ("HD-14", "LXD-1", "走访慰问")
    assert [row["编号"] for row in sheet_rows(book, "困难群众")] == ["KN-1"]


def test_export_records_of_one_agency_and_a_refused_official(tmp_path, agency_a, records, directory):
    Official.objects.filter(pk=directory["leader"].pk).update(is_active=False)
    path = tmp_path / "a.xlsx"
    out, err = io.StringIO(), io.StringIO()
    call_command("export_records", year=2014, output=str(path), agency="A001", stdout=out, stderr=err)
    assert {row["编号"] for row in sheet_rows(load_workbook(path), "走访基层")} == {"ZF-14"}
    # The official left their post: the cells still name them, and the command says the import will refuse them.
    assert "走访基层 · 干部: 1 cell(s) name an object that is no longer among the column's choices" in err.getvalue()

    with pytest.raises(CommandError, match="X999"):  # the command's message, in the site's language
        call_command("export_records", year=2014, output=str(path), agency="X999")


def test_an_export_imports_into_its_agency_unchanged_even_in_closed_months(tmp_path, agency_a, staff_a, records):
    path = tmp_path / "a.xlsx"
    write_records(path, year=2014, agency=agency_a)
    # The visit's month is locked and the activity's approved since: rows as stored are no change there.
    PeriodLock.objects.create(year=2014, month=5)
    PeriodReturn.objects.create(agency=agency_a, year=2014, month=2, status=PeriodReturn.Status.APPROVED)
    report = run_import(path, agency=agency_a, user=staff_a, commit=True)
    assert report.ok, report.lines()
    assert report.totals() == {"created": 0, "updated": 0, "unchanged": 5, "failed": 0}


def test_region_labels_follow_the_importers_table(tmp_path, agency_a, staff_a, directory):
    """Two villages of the same full name are told apart as the importer tells them apart."""
    twin = region_chain()  # another 亳州市利辛县张村镇王楼村
    assert twin.full_name == directory["village"].full_name
    NeedyPersonFactory(agency=agency_a, village=twin, reference="KN-T")
    path = tmp_path / "t.xlsx"
    write_records(path, year=2014)
    [row] = sheet_rows(load_workbook(path), "困难群众")
    assert row["所在村（社区）"] == f"{twin.full_name}（{twin.pk}）"
    assert run_import(path, agency=agency_a, commit=True).totals()["unchanged"] == 1
