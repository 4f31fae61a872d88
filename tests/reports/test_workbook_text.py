"""The year-end workbook writes text from any table as text: an agency or a city whose name begins
with "=" (or looks like a link) is that name in a string cell, never a formula, on every sheet."""

import io

import openpyxl
import pytest
from django.urls import reverse

from outreach.models import Region
from tests.reports.data import build

pytestmark = pytest.mark.django_db

NAMES = ("=1+1", '=HYPERLINK("http://example.org","click")', "http://example.org")


@pytest.mark.parametrize("name", NAMES)
def test_directory_names_are_string_cells_in_the_breakdowns_and_details(cast, agency_a, agency_b, name):
    build([agency_a, agency_b], 1)
    agency_a.short_name = name
    agency_a.save()
    Region.objects.filter(level=Region.Level.CITY).update(name=name)
    response = cast["officer"].get(
        reverse("reports:year_end_xlsx"), {"year": 2014, "as_of": "2014-12-31", "basis": "all"}
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    by_agency, by_city = book.worksheets[1], book.worksheets[2]
    named = {  # an agency by its code and name, a city by its name
        sheet.title: [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value == name]
        for sheet, column in ((by_agency, 1), (by_city, 0))
    }
    assert len(named[by_agency.title]) == 1 and named[by_city.title]  # agency A001's row, and the cities'
    named = named[by_agency.title] + named[by_city.title]
    assert all(cell.data_type == "s" for cell in named)
    details = [cell for sheet in book.worksheets[3:] for row in sheet.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == name for cell in details)
    assert all(
        cell.data_type != "f" and cell.hyperlink is None
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
    )
