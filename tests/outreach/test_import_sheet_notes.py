"""The template says how to enter what a form takes on one page and a workbook on two sheets (a visit and its
outcomes, a needy person and their pairing), and its example rows do as it says; a channel return's 半年
says when it is needed (it cannot follow from a date: a return has none)."""

import io

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook

from outreach.importing.engine import run_import
from outreach.importing.specs import REFERENCE, sheet_for
from outreach.importing.writer import EXAMPLE_PREFIX, INSTRUCTIONS_SHEET, sheet_name, write_template
from pairings.models import NeedyPairing, NeedyPerson
from tests.factories import OfficialFactory, poor_village
from tests.outreach.import_files import xlsx_bytes
from visits.models import ChannelReturn, Visit, VisitOutcome

pytestmark = pytest.mark.django_db

TWO_SHEETS = [(Visit, VisitOutcome), (NeedyPerson, NeedyPairing)]


@pytest.fixture(autouse=True)
def site_language():
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def template(agency_a, staff_a):
    OfficialFactory(agency=agency_a, name="张伟")
    poor_village()
    buffer = io.BytesIO()
    write_template(buffer, agency=agency_a, user=staff_a)
    buffer.seek(0)
    return load_workbook(buffer)


def instruction_lines(book) -> list[list]:
    return [[cell.value for cell in row[:3]] for row in book[INSTRUCTIONS_SHEET].iter_rows()]


@pytest.mark.parametrize("model", [model for pair in TWO_SHEETS for model in pair], ids=lambda m: m.__name__)
def test_each_sheet_of_a_pair_says_how_its_rows_go_with_the_others(template, model):
    spec = sheet_for(model)
    lines = instruction_lines(template)
    title = translation.gettext("Sheet “%(sheet)s”") % {"sheet": spec.title}
    at = next(number for number, line in enumerate(lines) if line[0] == title)
    # under the sheet's title: "one … per row", then the note, then the columns' header
    one_per_row = translation.gettext("One %(what)s per row; an example row is on the sheet “%(example)s”.")
    example = sheet_name(str(spec.title), EXAMPLE_PREFIX)
    assert lines[at][2] == one_per_row % {"what": model._meta.verbose_name, "example": example}
    assert lines[at + 1][2] == str(spec.note)
    assert lines[at + 2][0] == translation.gettext("column")


@pytest.mark.parametrize(("parent", "child"), TWO_SHEETS, ids=lambda m: m.__name__)
def test_the_example_rows_of_a_pair_import_together_as_the_note_says(template, agency_a, parent, child):
    """The child's example names the parent's example by its reference, and the two rows import as they are."""
    sheets = {}
    for model in (parent, child):
        spec = sheet_for(model)
        rows = list(template[sheet_name(str(spec.title), EXAMPLE_PREFIX)].iter_rows(values_only=True))
        sheets[str(spec.title)] = rows[:2]  # the header and the example row
    parent_reference = sheets[str(sheet_for(parent).title)][1][0]
    child_spec = sheet_for(child)
    link = next(column for column in child_spec.columns if column.kind == "parent")
    child_row = sheets[str(child_spec.title)][1]
    assert child_row[child_spec.columns.index(link)] == parent_reference
    assert parent_reference == sheet_for(parent).example[REFERENCE]
    report = run_import(io.BytesIO(xlsx_bytes(sheets)), agency=agency_a, commit=True)
    assert report.ok, report.lines()
    assert child.objects.get().reference == child_spec.example[REFERENCE]
    assert getattr(child.objects.get(), link.name).reference == parent_reference


def test_a_channel_returns_half_year_says_when_it_is_needed(template):
    spec = sheet_for(ChannelReturn)
    half = spec.column("half")
    help_text = translation.gettext("Required when the period is a half-year; empty for a whole-year return")
    assert str(half.help) == help_text
    lines = instruction_lines(template)
    title = translation.gettext("Sheet “%(sheet)s”") % {"sheet": spec.title}
    at = next(number for number, line in enumerate(lines) if line[0] == title)
    (line,) = [line for line in lines[at:] if line[0] == str(half.title)][:1]
    assert line[1] == translation.gettext("optional") and help_text in line[2]
    sheet = template[sheet_name(str(spec.title))]
    column = [cell.value for cell in sheet[1]].index(str(half.title))
    assert help_text in sheet.cell(1, column + 1).comment.text  # on the header too
