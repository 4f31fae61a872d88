"""List exports (?export=xlsx): text from any table stays text, never a formula or a link; the
writers chosen per column give each kind of value its cell type and format."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULAS = ("=1+1", '=HYPERLINK("http://example.org","click")', "http://example.org", "+1", "007")


def export(client, url_name) -> openpyxl.Workbook:
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def cells_by_header(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


@pytest.mark.parametrize("text", FORMULAS)
def test_directory_and_record_text_beginning_with_a_formula_sign_is_a_string_cell(cast, agency_a, text):
    agency_a.short_name = text
    agency_a.save()
    visit = f.VisitFactory(agency=agency_a, official=f.OfficialFactory(agency=agency_a, name=text))
    f.ContactPointActivityFactory(contact_point=f.ContactPointFactory(agency=agency_a, official=visit.official))
    for url_name in ("visits:visit_list", "pairings:contactpointactivity_list"):
        (row,) = list(export(cast["officer"], url_name).active.iter_rows(min_row=2))
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
    assert (stay.value, stay.data_type) == (True, "b")
    assert (households.value, households.number_format) == (1234, "#,##0")
    assert cells[0].value == visit.pk and cells[1].data_type == "s"
    (row,) = cells_by_header(export(cast["staff_a"], "pairings:contactpointactivity_list").active)
    money = list(row.values())[-1]
    assert (money.value, money.number_format) == (1234.5, "#,##0.00")
