"""List exports (?export=xlsx): text from any table stays text, never a formula or a link; the
writers chosen per column give each kind of value its cell type and format; and the sheet reads as
the list (issue 16, item 10): a title line naming the list and its filters, the header, the rows with
yes/no as 是/否 and a record's number as plain text, the page's totals, a Chinese file name with the day."""

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from outreach import exports
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULAS = ("=1+1", '=HYPERLINK("http://example.org","click")', "http://example.org", "+1", "007")


def download(client, url_name, params=None):
    response = client.get(reverse(url_name), {**(params or {}), "export": "xlsx"})
    assert response.status_code == 200, response.status_code
    return response


def export(client, url_name, params=None) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(download(client, url_name, params).streaming_content)))


def sheet_parts(sheet) -> tuple[str, list, list[list], list]:
    """(the title line, the header's cells, the data rows' cells, the totals row's cells)."""
    title, header, *rows, totals = list(sheet.iter_rows())
    return title[0].value, header, rows, totals


def cells_by_header(sheet) -> list[dict]:
    _title, header, rows, _totals = sheet_parts(sheet)
    names = [cell.value for cell in header]
    return [dict(zip(names, row)) for row in rows]


def zh(message, **values) -> str:
    with translation.override("zh-hans"):
        return str(message % values) if values else str(translation.gettext(message))


@pytest.mark.parametrize("text", FORMULAS)
def test_directory_and_record_text_beginning_with_a_formula_sign_is_a_string_cell(cast, agency_a, text):
    agency_a.short_name = text
    agency_a.save()
    visit = f.VisitFactory(agency=agency_a, official=f.OfficialFactory(agency=agency_a, name=text))
    f.ContactPointActivityFactory(contact_point=f.ContactPointFactory(agency=agency_a, official=visit.official))
    for url_name in ("visits:visit_list", "pairings:contactpointactivity_list"):
        _title, _header, (row,), _totals = sheet_parts(export(cast["officer"], url_name).active)
        agency, official = row[1], row[2]  # No., agency, official, ...
        assert (agency.value, agency.data_type) == (text, "s"), url_name
        assert (official.value, official.data_type) == (text, "s"), url_name


def test_each_kind_of_value_has_its_cell_type_and_format(cast, agency_a):
    visit = f.VisitFactory(agency=agency_a, is_village_stay=True, village_days=3, households=1234)
    f.ContactPointActivityFactory(
        contact_point=f.ContactPointFactory(agency=agency_a, official=visit.official), money=Decimal("1234.50")
    )
    (row,) = cells_by_header(export(cast["staff_a"], "visits:visit_list").active)
    cells = list(row.values())
    start, stay, households = cells[4], cells[6], cells[8]  # No., official, position, place, start date, ...
    assert (start.value, start.number_format) == (datetime.datetime(2014, 5, 6), "yyyy-mm-dd")
    assert (households.value, households.number_format) == (1234, "#,##0")
    assert (stay.value, stay.data_type) == (zh("Yes"), "s")
    assert cells[1].data_type == "s"
    (row,) = cells_by_header(export(cast["staff_a"], "pairings:contactpointactivity_list").active)
    money = list(row.values())[-1]
    assert (money.value, money.number_format) == (1234.5, "#,##0.00")


def test_yes_no_is_written_as_the_words_not_true_false(cast, agency_a):
    f.VisitFactory(agency=agency_a, is_village_stay=True, village_days=2)
    f.VisitFactory(agency=agency_a, is_village_stay=False, village_days=0, start_date=datetime.date(2014, 5, 7))
    rows = cells_by_header(export(cast["staff_a"], "visits:visit_list", {"sort": "start_date"}).active)
    stay = zh("village stay")
    assert [(row[stay].value, row[stay].data_type) for row in rows] == [(zh("Yes"), "s"), (zh("No"), "s")]
    assert [row[stay].value for row in rows] == ["是", "否"]


def test_a_records_number_is_plain_text_and_a_year_has_no_thousands_separator(cast, agency_a):
    f.VisitFactory(agency=agency_a, id=11013)  # a number past the thousands
    event = f.FourIntoEventFactory(agency=agency_a)
    (row,) = cells_by_header(export(cast["staff_a"], "visits:visit_list").active)
    number = row[zh("No.")]
    assert (number.value, number.data_type) == ("11013", "s")  # not 11,013
    (row,) = cells_by_header(export(cast["staff_a"], "visits:fourintoevent_list").active)
    assert row[zh("No.")].value == str(event.pk)
    year = row[zh("year")]
    assert (year.value, year.number_format) == (event.year, "General")  # 2014, not 2,014


def test_the_title_line_names_the_list_and_the_filters_applied(cast, officer, agency_a):
    village = f.poor_village()
    city = village.city
    f.VisitFactory(agency=agency_a, place=village, is_village_stay=True, village_days=2)
    params = {
        "start_date_min": "2014-03-01",
        "start_date_max": "2014-06-30",
        "city": city.pk,
        "is_village_stay": "true",
        "agency": agency_a.pk,
    }
    title, header, rows, _totals = sheet_parts(export(cast["officer"], "visits:visit_list", params).active)
    parts = title.split(" · ")
    with translation.override("zh-hans"):
        assert parts[0] == "走访基层"
        assert f"{zh('start date')}：{zh(exports.MSG_RANGE, start='2014-03-01', end='2014-06-30')}" in parts
        assert f"{zh('city')}：{city}" in parts and f"{zh('agency')}：{agency_a}" in parts
        assert f"{zh('village stay')}：是" in parts
        assert header[0].value == zh("No.") and header[0].font.b  # the header on the second row
        assert len(rows) == 1
    # an open end and a choice: "from …", the choice's label
    title, *_rest = sheet_parts(export(cast["officer"], "visits:visit_list", {"start_date_min": "2014-03-01"}).active)
    assert f"{zh('start date')}：{zh(exports.MSG_FROM, start='2014-03-01')}" in title.split(" · ")
    title, *_rest = sheet_parts(
        export(cast["officer"], "visits:visit_list", {"rank": ["department", "division"]}).active
    )
    label, ranks = zh("official's rank"), f"{zh('Department level')}、{zh('Division level')}"
    assert f"{label}：{ranks}" in title.split(" · ")  # both ranks, by their labels


def test_the_totals_row_is_the_pages_totals(cast, agency_a):
    for households, stay in ((1200, True), (34, False), (5, True)):
        f.VisitFactory(agency=agency_a, households=households, is_village_stay=stay, village_days=2 if stay else 0)
    f.VisitFactory(agency=f.AgencyFactory(), households=999)  # another agency's: neither on the page nor below
    page = cast["staff_a"].get(reverse("visits:visit_list"), {"is_village_stay": "true"})
    _title, header, rows, totals = sheet_parts(
        export(cast["staff_a"], "visits:visit_list", {"is_village_stay": "true"}).active
    )
    by_name = {cell.value: i for i, cell in enumerate(header)}
    households = totals[by_name[zh("households")]]
    assert households.value == page.context["table"].totals["households"] == 1205
    assert households.number_format == "#,##0" and households.font.b
    assert totals[by_name[zh("village-stay days")]].value == page.context["table"].totals["village_days"] > 0
    assert totals[0].value == zh(exports.MSG_TOTAL_ROW, count="2") and len(rows) == 2
    assert totals[by_name[zh("official")]].value is None  # no total for a column the page does not total

    f.ContactPointActivityFactory(contact_point=f.ContactPointFactory(agency=agency_a), money=Decimal("0.25"))
    f.ContactPointActivityFactory(contact_point=f.ContactPointFactory(agency=agency_a), money=Decimal("1000.50"))
    _title, header, _rows, totals = sheet_parts(export(cast["staff_a"], "pairings:contactpointactivity_list").active)
    money = totals[-1]
    assert (money.value, money.number_format) == (1000.75, "#,##0.00")


def test_the_file_is_named_after_the_list_and_the_sites_day(cast, agency_a, settings):
    settings.SITE_TODAY = "2014-07-31"
    f.VisitFactory(agency=agency_a)
    response = download(cast["staff_a"], "visits:visit_list")
    assert f"filename*=utf-8''{quote('走访基层-2014-07-31.xlsx')}" in response["Content-Disposition"]
    assert exports.export_filename('a/b:"c"', datetime.date(2014, 7, 31)) == "a_b__c_-2014-07-31.xlsx"
