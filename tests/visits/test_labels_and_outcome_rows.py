"""Wording (issue 16, item 5): one label per field on the form and on the record's page; the empty row for a
new outcome offers no 删除 box (there is nothing to delete); a needy person's list says 姓名 as the form does."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from pairings.models import NeedyPerson
from pairings.tables import NeedyPersonTable
from tests.factories import NeedyPersonFactory, OfficialFactory, VisitFactory, VisitOutcomeFactory
from visits.forms import VisitOutcomeFormSet
from visits.models import VisitOutcome
from visits.tables import VisitOutcomeTable

pytestmark = pytest.mark.django_db

OUTCOME_FIELDS = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")


def model_label(model, name):
    return str(model._meta.get_field(name).verbose_name)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_the_outcomes_on_the_visits_page_carry_the_labels_of_the_visits_form(cast, agency_a, staff_a):
    visit = VisitFactory(agency=agency_a, official=OfficialFactory(agency=agency_a))
    VisitOutcomeFactory(visit=visit, businesses_helped=2)
    form_labels = [str(VisitOutcomeFormSet.form.base_fields[name].label) for name in OUTCOME_FIELDS]
    table = VisitOutcomeTable(VisitOutcome.objects.filter(visit=visit))
    assert [str(table.columns[name].header) for name in OUTCOME_FIELDS] == form_labels
    assert form_labels == [model_label(VisitOutcome, name) for name in OUTCOME_FIELDS]
    page = cast["staff_a"].get(visit.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th[^>]*>(.*?)</th>", page, re.S)]
    for label in form_labels:
        assert label in headers, label


def test_the_empty_new_outcome_row_has_no_delete_box_but_a_saved_outcome_has_one(cast, agency_a):
    add = cast["staff_a"].get(reverse("visits:visit_add")).content.decode()
    assert 'name="items-0-businesses_helped"' in add and 'name="items-0-DELETE"' not in add
    visit = VisitFactory(agency=agency_a, official=OfficialFactory(agency=agency_a))
    VisitOutcomeFactory(visit=visit)
    edit = cast["staff_a"].get(reverse("visits:visit_edit", args=[visit.pk])).content.decode()
    assert 'name="items-0-DELETE"' in edit  # the saved outcome can be deleted
    assert 'name="items-1-businesses_helped"' in edit and 'name="items-1-DELETE"' not in edit  # the new row cannot


def test_the_needy_people_list_heads_the_name_as_the_form_does(agency_a):
    NeedyPersonFactory(agency=agency_a)
    table = NeedyPersonTable(NeedyPerson.objects.all())
    assert str(table.columns["name"].header) == model_label(NeedyPerson, "name")
