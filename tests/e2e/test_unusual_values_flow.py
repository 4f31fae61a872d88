"""A value far above the usual (issue 16 item 11), in the browser: the clerk types 900 households for one visit,
the form shows it back with a box to confirm (and nothing is saved), the clerk ticks it and saves; the officer
finds the record on 异常数值 and opens it. The warning state has no serious accessibility violation."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.e2e.test_accessibility import axe_violations, described
from tests.factories import OfficialFactory, VisitFactory
from visits.models import Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVE = re.compile("保存$")
DAY = datetime.date(2014, 5, 6)


def test_the_clerk_confirms_an_unusual_value_and_the_officer_finds_it(
    live_server, new_context, shot, agency_a, staff_a, officer
):
    official = OfficialFactory(agency=agency_a, name="张建国")
    visit = VisitFactory(official=official, agency=agency_a, start_date=DAY, end_date=DAY, households=12)
    url = live_server.url
    page = new_context(bypass_csp=True).new_page()  # axe-core is injected as a script
    log_in(page, url, "alice")
    page.goto(f"{url}{reverse('visits:visit_edit', args=[visit.pk])}")
    page.get_by_label("走访农户（户）").fill("900")
    page.get_by_role("button", name=SAVE).click()

    warning = page.get_by_test_id("unusual-values")
    expect(warning).to_be_visible()
    expect(warning.get_by_test_id("unusual-value")).to_have_count(1)
    expect(warning).to_contain_text("900")
    expect(page.get_by_label("走访农户（户）")).to_have_value("900")  # as typed
    visit.refresh_from_db()
    assert visit.households == 12  # nothing saved yet
    found = axe_violations(page)
    assert not found, described("unusual values", found)
    shot("unusual-warning", target=page)

    page.get_by_test_id("confirm-unusual").check()
    page.get_by_role("button", name=SAVE).click()
    expect(page).to_have_url(f"{url}{visit.get_absolute_url()}")
    visit.refresh_from_db()
    assert visit.households == 900

    officer_page = new_context(bypass_csp=True).new_page()
    log_in(officer_page, url, "olivia")
    officer_page.get_by_test_id("nav-outliers").click()
    officer_page.get_by_label("年度").fill("2014")
    officer_page.get_by_label("截至").fill("2014-07-31")
    officer_page.get_by_role("button", name="筛选").click()
    rows = officer_page.get_by_test_id("outlier")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("900")
    found = axe_violations(officer_page)
    assert not found, described("outliers", found)
    shot("outliers", target=officer_page)
    rows.first.get_by_role("link").click()
    expect(officer_page).to_have_url(f"{url}{visit.get_absolute_url()}")
    assert Visit.objects.get().households == 900
