"""An import fills what the form fills: the agency's only Party committee, the half-year of an event's date."""

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from outreach.importing.engine import run_import
from outreach.importing.specs import sheet_for
from outreach.importing.writer import write_template
from pairings.models import Pairing
from tests.factories import CommitteeFactory, VillageOrgFactory
from tests.outreach.import_files import xlsx_bytes
from visits.models.services import FourIntoEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def book(model, *rows):
    sheet = sheet_for(model)
    return io.BytesIO(xlsx_bytes({str(sheet.title): [[str(c.title) for c in sheet.columns], *rows]}))


def committee_title():
    return str(sheet_for(Pairing).column("committee").title)


def test_a_pairing_without_its_committee_takes_the_agencys_only_one(agency_a):
    committee = CommitteeFactory(agency=agency_a)
    partner = VillageOrgFactory()
    report = run_import(
        book(Pairing, ["JD-1", None, None, partner.name, "2014-02-20", None, ""]), agency=agency_a, commit=True
    )
    assert report.ok, report.lines()
    assert Pairing.objects.get(reference="JD-1").committee == committee


def test_an_agency_without_a_committee_still_needs_the_cell(agency_a, agency_b):
    CommitteeFactory(agency=agency_b)  # another agency's committee is never taken (an agency has at most one)
    partner = VillageOrgFactory()
    report = run_import(
        book(Pairing, ["JD-1", None, None, partner.name, "2014-02-20", None, ""]), agency=agency_a, commit=True
    )
    assert not report.ok and Pairing.all_objects.count() == 0
    assert [(issue.row, issue.column, issue.message) for issue in report.issues] == [
        (2, f"C {committee_title()}", "此项为必填项。")
    ]


def event_row(**cells):
    values = {"reference": "SJ-1", "date": "2014-09-10", "title": "四进四送走进乡村", "officials": 20, **cells}
    return [values.get(column.name) for column in sheet_for(FourIntoEvent).columns]


def test_an_events_year_and_half_follow_from_its_date_when_left_empty(agency_a):
    report = run_import(
        book(FourIntoEvent, event_row(), event_row(reference="SJ-2", date="2014-03-02")), agency=agency_a, commit=True
    )
    assert report.ok, report.lines()
    assert FourIntoEvent.objects.get(reference="SJ-1").date == datetime.date(2014, 9, 10)
    assert (FourIntoEvent.objects.get(reference="SJ-1").year, FourIntoEvent.objects.get(reference="SJ-1").half) == (
        2014,
        2,
    )
    assert (FourIntoEvent.objects.get(reference="SJ-2").year, FourIntoEvent.objects.get(reference="SJ-2").half) == (
        2014,
        1,
    )


def test_a_filled_half_that_contradicts_the_date_is_still_refused(agency_a):
    report = run_import(book(FourIntoEvent, event_row(year=2014, half="上半年")), agency=agency_a, commit=True)
    assert not report.ok and FourIntoEvent.all_objects.count() == 0
    assert [(issue.row, issue.message) for issue in report.issues] == [
        (2, "日期须在所选半年内（2014-01-01 至 2014-06-30）。")
    ]
    assert report.issues[0].column.endswith(str(sheet_for(FourIntoEvent).column("date").title))


def test_aid_without_recipients_names_the_amount_column_too(agency_a):
    columns = sheet_for(FourIntoEvent).columns
    letter = {column.name: chr(ord("A") + i) for i, column in enumerate(columns)}
    amount = f"{letter['family_aid']} {sheet_for(FourIntoEvent).column('family_aid').title}"
    count = f"{letter['families_aided']} {sheet_for(FourIntoEvent).column('families_aided').title}"
    report = run_import(book(FourIntoEvent, event_row(family_aid="1.5万")), agency=agency_a, commit=True)
    assert not report.ok and FourIntoEvent.all_objects.count() == 0
    assert [(issue.row, issue.column) for issue in report.issues] == [(2, count)]
    see_also = translation.gettext("See also column “%(column)s”.") % {"column": amount}
    assert report.issues[0].message == f"{translation.gettext('Aid was entered but nobody was aided.')} {see_also}"
    assert amount in report.issues[0].message


def test_the_template_shows_the_filled_columns_as_optional_and_says_how(agency_a, staff_a):
    CommitteeFactory(agency=agency_a)
    buffer = io.BytesIO()
    write_template(buffer, agency=agency_a, user=staff_a)
    buffer.seek(0)
    book = load_workbook(buffer)
    lines = [[cell.value for cell in row[:3]] for row in book["说明"].iter_rows()]
    hints = {
        translation.gettext("May stay empty: your agency's Party committee"): committee_title(),
        translation.gettext("May stay empty: the year of the date"): "年度",
        translation.gettext("May stay empty: the half-year of the date"): "半年",
    }
    for hint, title in hints.items():
        found = [line for line in lines if line[2] and hint in line[2]]
        assert len(found) == 1, hint
        assert found[0][:2] == [title, translation.gettext("optional")]
    pairing = book[str(sheet_for(Pairing).title)]
    titles = [cell.value for cell in pairing[1]]
    shaded = pairing.cell(1, titles.index("编号") + 1).fill.fgColor.rgb
    assert pairing.cell(1, titles.index(committee_title()) + 1).fill.fgColor.rgb != shaded
    assert pairing.cell(1, titles.index(str(sheet_for(Pairing).column("partner").title)) + 1).fill.fgColor.rgb == shaded
