"""The month end to end in the browser: a clerk submits June, withdraws it, corrects and resubmits it; an officer
opens the agency's month from the home grid, follows its records, approves it with another month from the review
page ("Approve selected"); locking July shows the agencies not approved and asks for confirmation.

Hand-made data (factories): agencies A and B, A's clerk (alice), B's clerk (bob) and an officer (olivia); the
site's today is fixed at 15 July 2014. Every step is photographed under artifacts/e2e/ by `shot`.
"""

import datetime

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from outreach.models import PeriodLock, PeriodReturn
from outreach.services import submit_month
from tests.e2e.conftest import log_in
from tests.factories import VisitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Status = PeriodReturn.Status


@override_settings(SITE_TODAY="2014-07-15")
def test_submit_withdraw_resubmit_approve_many_and_lock_with_confirmation(
    live_server, page, shot, new_context, agency_a, agency_b, staff_a, staff_b, officer
):
    VisitFactory(agency=agency_a, start_date=datetime.date(2014, 6, 3), end_date=datetime.date(2014, 6, 4))
    submit_month(user=staff_b, year=2014, month=6)  # B's June awaits review too
    url = live_server.url

    # The clerk submits June from the returns page, then withdraws it (confirming the browser's question).
    log_in(page, url, "alice")
    page.goto(f"{url}/returns/?year=2014")
    page.get_by_test_id("submit-6").click()
    expect(page.get_by_test_id("month-6").get_by_test_id("status")).to_have_attribute("data-status", "submitted")
    shot("submitted")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("withdraw-6").click()
    expect(page.get_by_test_id("month-6").get_by_test_id("status")).to_have_attribute("data-status", "open")
    shot("withdrawn")
    assert PeriodReturn.objects.get(agency=agency_a, month=6).status == Status.OPEN

    # ... and submits it again from the home page's grid.
    page.goto(f"{url}/?year=2014")
    page.get_by_test_id("agency-months").get_by_test_id("open-month-6").click()
    expect(page).to_have_url(f"{url}/returns/?year=2014#month-6")
    page.get_by_test_id("submit-6").click()
    expect(page.get_by_test_id("month-6").get_by_test_id("status")).to_have_attribute("data-status", "submitted")

    # The officer opens A's June from the province grid: the review page filtered to it, with its records.
    officer_page = new_context().new_page()
    log_in(officer_page, url, "olivia")
    officer_page.goto(f"{url}/?year=2014")
    officer_page.get_by_test_id(f"cell-{agency_a.code}-6").click()
    summary = officer_page.get_by_test_id("month-summary")
    expect(summary).to_contain_text("1")
    shot("officer-month", officer_page)
    summary.get_by_test_id("records-visit").click()
    expect(officer_page.locator("table tbody tr")).to_have_count(1)

    # Both Junes approved at once from the review queue.
    officer_page.goto(f"{url}/review/")
    for period in PeriodReturn.objects.filter(month=6):
        officer_page.get_by_test_id(f"pick-{period.pk}").check()
    officer_page.get_by_test_id("approve-selected").click()
    expect(officer_page.locator(".alert-success")).to_be_visible()
    shot("approved", officer_page)
    assert set(PeriodReturn.objects.filter(month=6).values_list("status", flat=True)) == {Status.APPROVED}

    # Locking July (nobody has submitted it): the agencies' state first, then the confirmation.
    officer_page.goto(f"{url}/locks/")
    officer_page.locator("input[name=year]").fill("2014")
    officer_page.locator("select[name=month]").select_option("7")
    officer_page.get_by_test_id("lock").click()
    expect(officer_page.get_by_test_id("lock-preview")).to_be_visible()
    expect(officer_page.get_by_test_id(f"unapproved-{agency_a.code}")).to_be_visible()
    shot("lock-preview", officer_page)
    assert PeriodLock.objects.count() == 0
    officer_page.get_by_test_id("confirm").check()
    officer_page.get_by_test_id("lock").click()
    expect(officer_page.get_by_test_id("active-locks")).to_contain_text("2014")
    assert PeriodLock.objects.get().month == 7
