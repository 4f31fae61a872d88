"""In the browser: an officer reminds a late agency from the reporting-rate page; its clerk sees the badge,
opens the notification (which takes them to the returns page) and the badge is gone.

The site stands at 31 July 2014 (SITE_TODAY): agency A has not submitted June, agency B has.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notices.models import Notification, Reminder
from tests.e2e.conftest import log_in
from tests.notices.conftest import Status, approved_up_to, month_return

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_reminds_a_late_agency_and_its_clerk_reads_the_notification(
    live_server, page, shot, new_context, campaign, on_day, agency_a, agency_b, staff_a, officer
):
    approved_up_to(agency_a, 5)
    approved_up_to(agency_b, 5)
    month_return(agency_b, 6, Status.SUBMITTED)

    log_in(page, live_server.url, officer.username)
    page.goto(f"{live_server.url}{reverse('reports:completeness')}?year=2014&as_of=2014-07-31")
    page.get_by_test_id("remind-A001-2014-06").get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot("officer-reminded")
    assert list(Reminder.objects.values_list("agency__code", "period", "kind")) == [("A001", "2014-06", "manual")]
    page.goto(f"{live_server.url}{reverse('notices:reminders')}")
    expect(page.get_by_test_id("reminders")).to_contain_text("A001")
    shot("reminder-log")

    clerk = new_context().new_page()
    log_in(clerk, live_server.url, staff_a.username)
    expect(clerk.get_by_test_id("unread-badge")).to_contain_text("1")
    shot("clerk-badge", clerk)
    clerk.get_by_test_id("nav-notices").click()
    note = Notification.objects.get(recipient=staff_a)
    expect(clerk.get_by_test_id(f"notice-{note.pk}")).to_contain_text("2014年6月")
    shot("clerk-notifications", clerk)
    clerk.get_by_test_id(f"open-{note.pk}").click()
    expect(clerk).to_have_url(re.compile(re.escape(reverse("returns")) + r"\?year=2014$"))
    expect(clerk.get_by_test_id("unread-badge")).to_have_count(0)
    note.refresh_from_db()
    assert note.read_at is not None
