"""A record form's select offers "Choose…" (请选择) as its empty choice, never Django's "---------" (issue 16,
item 5): a related object's select (with or without its search box) and a model choice's alike."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from outreach.forms import MSG_CHOOSE
from pairings.forms import NeedyPersonForm
from visits.forms import VisitForm

pytestmark = pytest.mark.django_db


def test_the_record_forms_empty_choices_read_choose(staff_a):
    visit = VisitForm(user=staff_a)
    assert visit.fields["official"].empty_label == MSG_CHOOSE  # a related object
    needy = NeedyPersonForm(user=staff_a)
    assert next(iter(needy.fields["category"].choices)) == ("", MSG_CHOOSE)  # a model choice


@pytest.mark.parametrize("name", ["visits:visit_add", "pairings:needyperson_add", "pairings:contactpoint_add"])
def test_no_add_page_shows_the_dashes(cast, name):
    response = cast["staff_a"].get(reverse(name))
    page = response.content.decode()
    assert "---------" not in page
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert f">{escape(str(MSG_CHOOSE))}</option>" in page
