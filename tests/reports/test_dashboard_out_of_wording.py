"""The line under the "officials who met the yearly minimum" card reads as a sentence (issue 16, item 5):
"有年度走访要求的干部共 8 人，占 100.0%", not "占有年度走访要求的干部 8 的 100.0%" (the unit is said, the share last)."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reports.catalogue import BY_CODE
from tests.reports.data import build

pytestmark = pytest.mark.django_db

MSG_OUT_OF = "%(share)s of all %(label)s (%(value)s %(unit)s)"  # the template's msgid


def test_the_minimum_cards_out_of_line_names_the_whole_with_its_unit_and_the_share(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    response = cast["officer"].get(reverse("reports:dashboard"), {"year": 2014, "as_of": "2014-07-31", "basis": "all"})
    card = {card["code"]: card for card in response.context["cards"]}["visit.minimum_met"]
    out_of = card["out_of"]
    due = BY_CODE["visit.minimum_due"]
    assert str(out_of["label"]) == str(due.label) and str(out_of["unit"]) == str(due.unit)
    shown = re.search(r'data-testid="card-out-of">(.*?)</div>', response.content.decode(), re.S)[1]
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        expected = translation.gettext(MSG_OUT_OF) % {
            "share": out_of["share"],
            "label": due.label,
            "value": out_of["value"],
            "unit": due.unit,
        }
    assert html.unescape(shown.strip()) == expected
    assert f"{out_of['value']} {due.unit}" in expected  # the whole counted in its unit (人), not a bare number
