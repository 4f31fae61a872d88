"""One reader of numbers for the record forms and the import (issue 16 item 4).

A count or an amount typed on a record form is read as the import reads the same text in a cell
("1.5万" is 15,000, "2,000" is 2000, "300余" is refused with the same message); a refused value comes back
as typed, with its message beside the field, and nothing is saved.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from outreach.forms import NumberField
from outreach.importing.cells import MSG_APPROXIMATE, CellError
from outreach.importing.specs import DECIMAL, INT, MONEY, record_sheets
from tests.factories import OfficialFactory, region_chain
from visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

#: what a clerk may type, read or refused alike by the import and the forms
TYPED = [
    "0",
    "12",
    " 7 ",
    "2,000",
    "3，000",
    "１２３",
    "30人",
    "1.5万",
    "0.5亿",
    "¥1,234.50",
    "1234.5元",
    "1.5万元",
    "12.5",
    "1.234",
    "2.25",
    "300余",
    "300多人",
    "一万",
    "abc",
    "1e5",
    "NaN",
    "3,00",
    "5美元",
    "¥30人",
]

NUMBER_COLUMNS = [
    (sheet, column)
    for sheet in record_sheets()
    for column in sheet.columns
    if column.kind in (INT, MONEY, DECIMAL) and column.name in sheet.form.base_fields
]


def read_by_import(column, text):
    try:
        return column.read(text, epoch=CALENDAR_WINDOWS_1900), None
    except CellError as error:
        return None, str(error)


def read_by_form(field, text):
    try:
        return field.clean(text), None
    except ValidationError as error:
        return None, error.messages[0]


@pytest.mark.parametrize(
    ("sheet", "column"), NUMBER_COLUMNS, ids=[f"{s.model._meta.model_name}.{c.name}" for s, c in NUMBER_COLUMNS]
)
def test_every_number_field_of_a_record_form_reads_what_the_import_reads(sheet, column):
    field = sheet.form.base_fields[column.name]
    assert isinstance(field, NumberField)
    for text in TYPED:
        by_form, by_import = read_by_form(field, text), read_by_import(column, text)
        if by_import[0] is not None and field.max_value is not None and by_import[0] > field.max_value:
            continue  # a year of 15,000: the form's own bound refuses it
        if by_import[0] is not None and field.min_value is not None and by_import[0] < field.min_value:
            continue
        assert by_form == by_import, text


def test_the_number_columns_cover_counts_amounts_and_decimals():
    """The parity above is checked on every kind of number (a guard against an empty parametrisation)."""
    assert {column.kind for _sheet, column in NUMBER_COLUMNS} == {INT, MONEY, DECIMAL}


# --- on the visit form -----------------------------------------------------------------------------


@pytest.fixture
def visit_form(agency_a):
    official, place = OfficialFactory(agency=agency_a), region_chain()

    def data(**changes):
        posted = {
            "official": official.pk,
            "start_date": "2014-05-06",
            "end_date": "2014-05-06",
            "place": place.pk,
            "households": "12",
            "enterprises": "0",
            "communities": "0",
            "villager_groups": "0",
            "forums": "0",
            "opinions": "0",
            "note": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-businesses_helped": "2",
            "items-0-business_problems": "1",
            "items-0-financing": "0",
            "items-0-migrant_cases": "0",
            "items-0-difficulties": "0",
            "items-0-note": "",
        }
        posted.update(changes)
        return posted

    return data


def test_the_visit_form_saves_1_5_wan_as_15000_yuan(cast, visit_form):
    data = visit_form(households="3,000户", **{"items-0-financing": "1.5万", "items-0-businesses_helped": "２"})
    response = cast["staff_a"].post(reverse("visits:visit_add"), data)
    # 3,000 households on one visit is far above the usual: read as 3000, shown back to confirm
    assert [(flag.key, flag.value) for flag in response.context["unusual"]] == [("visits.visit.households", 3000)]
    confirmed = {**data, "confirm_unusual": response.context["unusual_signature"]}
    response = cast["staff_a"].post(reverse("visits:visit_add"), confirmed)
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == visit.get_absolute_url()
    outcome = visit.outcomes.get()
    assert (visit.households, outcome.financing, outcome.businesses_helped) == (3000, Decimal("15000.00"), 2)


def test_a_refused_number_comes_back_as_typed_with_its_message_and_nothing_is_saved(cast, visit_form):
    response = cast["staff_a"].post(
        reverse("visits:visit_add"), visit_form(households="300余", **{"items-0-financing": "1.5万"})
    )
    assert response.status_code == 200
    message = str(MSG_APPROXIMATE) % {"found": "300余"}
    assert response.context["form"].errors["households"] == [message]
    html = response.content.decode()
    # Both the refused value and the accepted one of the outcome row are shown as they were typed.
    assert 'name="households" value="300余"' in html
    assert 'name="items-0-financing" value="1.5万"' in html
    assert 'id="error_1_id_households"' in html and message in html  # beside the field
    assert Visit.all_objects.count() == 0 and VisitOutcome.all_objects.count() == 0


def test_number_fields_are_text_inputs_with_a_numeric_keyboard(cast):
    html = cast["staff_a"].get(reverse("visits:visit_add")).content.decode()
    assert 'type="number"' not in html  # a number input drops what the browser cannot read ("1.5万")
    for name in ("households", "items-0-financing", "items-0-difficulties"):
        assert f'type="text" name="{name}"' in html and f'name="{name}" value' in html, name
    assert html.count('inputmode="decimal"') == 11  # six counts of the visit, five of its outcome row
