"""The reporting cycle in the browser (issue 13): the officer sees a late agency on the reporting-rate page and
reminds it (催报); its clerk sees the badge and the reminder, submits June, withdraws it (撤回), submits it again;
the officer approves it from the review page (审核, "approve selected"); the rate for June moves.

Hand-made data: 2014 configured (monthly returns due on the 5th of the next month), the site's day fixed at
31 July 2014 (SITE_TODAY). Three agencies, January–May approved on time for all; June approved on time for
A002 and A003, nothing from A001 (late: June was due on 5 July). No channel returns: the grid has the months only.

June before: 2 of 3 submitted (66.67%); the year 17 of 18 (94.44%). After A001's late June is approved: June
3 of 3 (100.00%), the year 18 of 18 (100.00%); on time stays 66.67% (June) and 94.44% (the year), and A001's cell
reads late. Screenshots go to /tmp/e2e_cycle/ (never into the repository).
"""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notices.models import Notification, Reminder
from outreach.models import CampaignYear, PeriodReturn
from tests.e2e.conftest import log_in
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Status = PeriodReturn.Status
SHOTS = Path("/tmp/e2e_cycle")
JUNE = "2014-06"


@pytest.fixture
def snap(request):
    """A full-page screenshot per step under /tmp/e2e_cycle/: snap(page, "step")."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(target, step: str) -> Path:
        counter["n"] += 1
        path = SHOTS / f"{request.node.name}-{counter['n']:02d}-{step}.png"
        target.screenshot(path=str(path), full_page=True)
        return path

    return take


def approved(agency, month):
    """The agency's `month` of 2014 approved, submitted on the 28th of the month (on time)."""
    at = timezone.make_aware(datetime.datetime(2014, month, 28, 10))
    PeriodReturn.objects.create(agency=agency, year=2014, month=month, status=Status.APPROVED, submitted_at=at)


def unread(count: int) -> re.Pattern:
    """The badge's text: a visually hidden word ("未读: " once translated), then the count."""
    return re.compile(rf"(^|\D){count}\s*$")


def june_rates(page):
    """(June's submitted rate, June's on-time rate, the year's submitted rate, the year's on-time rate) as shown
    in the grid's footer (one column per month, then the year) and the cards above it."""
    submitted = page.get_by_test_id("submitted-rates").locator("td")
    on_time = page.get_by_test_id("on-time-rates").locator("td")
    return (
        submitted.nth(5),
        on_time.nth(5),
        page.get_by_test_id("year-submitted-rate"),
        page.get_by_test_id("year-on-time-rate"),
    )


def test_officer_reminds_a_late_agency_which_submits_withdraws_resubmits_and_is_approved_and_the_rate_moves(
    live_server, page, new_context, snap, settings, agency_a, agency_b, staff_a, officer
):
    settings.SITE_TODAY = "2014-07-31"
    CampaignYear.objects.create(
        year=2014,
        start_date=datetime.date(2014, 1, 1),
        end_date=datetime.date(2014, 12, 31),
        monthly_due_day=5,
        first_half_due=datetime.date(2014, 7, 15),
        second_half_due=datetime.date(2015, 1, 15),
        remind_days_before=3,
    )
    agency_c = AgencyFactory(code="A003", name="安徽省财政厅", short_name="省财政厅")
    for agency in (agency_a, agency_b, agency_c):
        for month in range(1, 6):
            approved(agency, month)
    approved(agency_b, 6)
    approved(agency_c, 6)
    url = live_server.url
    cell = f"cell-{agency_a.code}-{JUNE}"

    # 1. The officer opens the reporting-rate page from the navigation: 2014 as of today (31 July 2014).
    log_in(page, url, officer.username)
    page.get_by_test_id("nav-completeness").click()
    expect(page.get_by_test_id("cut-off")).to_contain_text("2014年7月31日")
    expect(page.get_by_test_id("completeness-grid").locator("thead th")).to_have_count(1 + 12 + 2)  # months only
    expect(page.get_by_test_id(f"row-{agency_a.code}")).to_contain_text(agency_a.code)
    expect(page.get_by_test_id(cell)).to_have_attribute("data-status", "missing")
    expect(page.get_by_test_id(f"cell-{agency_b.code}-{JUNE}")).to_have_attribute("data-status", "on_time")
    expect(page.get_by_test_id(f"cell-{agency_a.code}-2014-07")).to_have_attribute("data-status", "not_due")
    expect(page.get_by_test_id(f"overdue-{agency_a.code}")).to_have_text("1 / 0")
    june_submitted, june_on_time, year_submitted, year_on_time = june_rates(page)
    expect(june_submitted).to_have_text("66.67%")
    expect(june_on_time).to_have_text("66.67%")
    expect(year_submitted).to_have_text("94.44%")
    expect(year_on_time).to_have_text("94.44%")
    snap(page, "officer-late-agency")

    # 2. ... and reminds A001 of June from its cell (the bell beside the badge): only A001 has a bell.
    expect(page.locator("[data-testid^=remind-A00]")).to_have_count(1)
    page.get_by_test_id(f"remind-{agency_a.code}-{JUNE}").get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id(cell)).to_have_attribute("data-status", "missing")  # reminded, still missing
    assert list(Reminder.objects.values_list("agency__code", "period", "kind")) == [(agency_a.code, JUNE, "manual")]

    # 3. A001's clerk logs in: the badge in the navigation counts one unread notification, the reminder of June.
    clerk = new_context().new_page()
    log_in(clerk, url, staff_a.username)
    expect(clerk.get_by_test_id("unread-badge")).to_have_text(unread(1))
    clerk.get_by_test_id("nav-notices").click()
    note = Notification.objects.get(recipient=staff_a)
    expect(clerk.get_by_test_id("notifications").locator("[data-testid^=notice-]")).to_have_count(1)
    expect(clerk.get_by_test_id(f"notice-{note.pk}")).to_contain_text("2014年6月")
    expect(clerk.get_by_test_id(f"notice-{note.pk}").get_by_test_id("unread")).to_be_visible()
    snap(clerk, "clerk-reminder")

    # 4. The clerk submits June from 月度报送, withdraws it (accepting the browser's question), submits it again.
    clerk.get_by_role("link", name="月度报送").first.click()
    june = clerk.get_by_test_id("month-6").get_by_test_id("status")
    expect(june).to_have_attribute("data-status", "open")
    clerk.get_by_test_id("submit-6").click()
    expect(june).to_have_attribute("data-status", "submitted")
    expect(june).to_contain_text("待审核")
    questions = []
    clerk.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    clerk.get_by_test_id("withdraw-6").click()
    expect(june).to_have_attribute("data-status", "open")
    assert len(questions) == 1
    assert PeriodReturn.objects.get(agency=agency_a, month=6).submitted_at is None
    clerk.get_by_test_id("submit-6").click()
    expect(june).to_have_attribute("data-status", "submitted")
    expect(clerk.get_by_test_id("withdraw-6")).to_be_visible()
    snap(clerk, "clerk-resubmitted")
    june_return = PeriodReturn.objects.get(agency=agency_a, month=6)
    assert june_return.status == Status.SUBMITTED
    assert timezone.localtime(june_return.submitted_at).date() == datetime.date(2014, 7, 31)  # the site's day

    # Meanwhile the grid shows it awaiting review: submitted counts, on time does not.
    page.reload()
    expect(page.get_by_test_id(cell)).to_have_attribute("data-status", "awaiting")
    expect(june_submitted).to_have_text("100.00%")
    expect(june_on_time).to_have_text("66.67%")

    # 5. The officer approves it from the review page (审核): the one month awaiting review, ticked, approved.
    page.get_by_role("link", name="审核").first.click()
    expect(page.get_by_test_id("review").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id(f"return-{june_return.pk}")).to_contain_text("2014-06")
    page.get_by_test_id(f"pick-{june_return.pk}").check()
    page.get_by_test_id("approve-selected").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{agency_a.short_name} · 2014-06")
    expect(page.get_by_test_id("review").locator("tbody tr[data-testid^=return-]")).to_have_count(0)
    snap(page, "officer-approved")
    assert PeriodReturn.objects.get(pk=june_return.pk).status == Status.APPROVED

    # 6. Back on the reporting-rate page: June is complete, A001's June is late, the on-time rates have not moved.
    page.get_by_test_id("nav-completeness").click()
    expect(page.get_by_test_id(cell)).to_have_attribute("data-status", "late")
    submitted_at = timezone.localtime(june_return.submitted_at).strftime("%Y-%m-%d %H:%M")
    expect(page.get_by_test_id(cell).locator("a")).to_have_attribute(
        "title", re.compile(rf"2014-07-05.*{re.escape(submitted_at)}$")
    )
    expect(page.get_by_test_id(f"overdue-{agency_a.code}")).to_have_text("0 / 0")
    expect(page.locator("[data-testid^=remind-A00]")).to_have_count(0)
    june_submitted, june_on_time, year_submitted, year_on_time = june_rates(page)
    expect(june_submitted).to_have_text("100.00%")
    expect(june_on_time).to_have_text("66.67%")
    expect(year_submitted).to_have_text("100.00%")
    expect(year_on_time).to_have_text("94.44%")
    snap(page, "officer-rate-moved")

    # The clerk hears of the approval too: a second notification, both unread.
    clerk.reload()
    expect(clerk.get_by_test_id("unread-badge")).to_have_text(unread(2))
    clerk.get_by_test_id("nav-notices").click()
    expect(clerk.get_by_test_id("notifications").locator("[data-testid^=notice-]")).to_have_count(2)
