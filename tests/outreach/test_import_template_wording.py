"""The import template's hint under a dropdown column reads as a sentence (issue 16, item 5), not
"下拉列表中<the agency's name>可选5项"."""

import io

import pytest
from openpyxl import load_workbook

from outreach.importing.writer import INSTRUCTIONS_SHEET, MSG_LOOKUP_COUNT, MSG_NO_LOOKUP, write_template
from tests.factories import OfficialFactory
from visits.models import Visit

pytestmark = pytest.mark.django_db


def texts(buffer) -> list[str]:
    sheet = load_workbook(buffer)[INSTRUCTIONS_SHEET]
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


def template(agency, user) -> io.BytesIO:
    buffer = io.BytesIO()
    write_template(buffer, agency=agency, user=user, models=[Visit])
    buffer.seek(0)
    return buffer


def test_a_dropdown_column_says_how_many_entries_the_agency_may_choose_from(agency_a, staff_a):
    OfficialFactory.create_batch(3, agency=agency_a)
    shown = "\n".join(texts(template(agency_a, staff_a)))
    assert str(MSG_LOOKUP_COUNT) % {"count": 3, "agency": agency_a.name} in shown
    assert "in the dropdown:" not in shown and "下拉列表中" + agency_a.name not in shown


def test_a_dropdown_with_nothing_to_choose_says_so(agency_a, staff_a):
    shown = "\n".join(texts(template(agency_a, staff_a)))  # no officials yet
    assert str(MSG_NO_LOOKUP) % {"agency": agency_a.name} in shown
