"""A clerk fills in the agency's half-year channel return over two sittings and submits it; an officer approves it.

Hand-made data (factories): agency A with last period's return (2013, second half, approved), its clerk
(alice) and an officer (olivia). Every step is photographed under artifacts/e2e/ by `shot`.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import ChannelReturnFactory
from visits.forms import MSG_LAST_PERIOD, last_value
from visits.models import ChannelReturn
from visits.tables import MSG_FILLED

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The first sitting: the public-opinion channel and the "four zeros"; administrative approval waits.
FIRST = {
    "opinions": "136",
    "leader_instructions": "41",
    "npc_motions": "12",
    "cppcc_proposals": "15",
    "requests": "88",
    "model_windows": "22",
    "model_posts": "160",
    "service_trades": "1",
    "pledged_members": "320",
    "survey_responses": "5200",
    "survey_satisfied": "5199",
}
# The second sitting: what was left empty.
SECOND = {
    "items_before": "42",
    "items_after": "13",
    "time_limit_before": "620",
    "time_limit_after": "300",
    "fees_cancelled": "4",
    "fees_cancelled_enterprise": "1",
    "burden_reduced": "260000",
    "convenience_items": "7",
    "convenience_with_chief": "5",
    "licences": "1620",
    "non_licences": "640",
}
TOTAL = len(ChannelReturn.REQUIRED)
# The first sitting answers the channel questions too (是 "true", 否 "false"): answers count as filled in.
CHANNELS = {
    "has_leader_mailbox": "true",
    "has_complaint_mailbox": "true",
    "has_suggestion_mailbox": "false",
    "has_disclosure": "false",
    "has_online_hall": "true",
    "has_hotline": "true",
}


def fill(page, figures):
    for name, value in figures.items():
        page.locator(f"#id_{name}").fill(value)


def test_clerk_fills_a_draft_completes_and_submits_it_and_an_officer_approves(
    live_server, page, shot, new_context, agency_a, staff_a, officer
):
    ChannelReturnFactory(agency=agency_a, year=2013, half=2, opinions=1234, status=ChannelReturn.Status.APPROVED)
    url = live_server.url
    listing = reverse("visits:channelreturn_list")

    # 1. The clerk opens the channel returns from the visits area and starts a new one.
    log_in(page, url, "alice")
    page.get_by_role("navigation").get_by_role("link", name="走访服务").click()
    page.get_by_test_id("area-links").locator(f"a[href='{listing}']").click()
    expect(page).to_have_url(f"{url}{listing}")
    page.get_by_test_id("add").click()

    # 2. 2014, first half: choosing the period redraws the empty form with last period's values beside the fields.
    expect(page.locator("#id_period_kind")).to_have_value("half")
    page.locator("#id_half").select_option("1")
    page.locator("#id_year").fill("2014")
    page.locator("#id_year").blur()
    expect(page).to_have_url(re.compile(r"\?year=2014&period_kind=half&half=1$"))
    expect(page.get_by_test_id("previous-period")).to_contain_text(ChannelReturn(year=2013, half=2).period_name())
    expect(page.get_by_test_id("last-opinions")).to_have_text(MSG_LAST_PERIOD % {"value": last_value(1234)})
    fill(page, FIRST)
    # The six channel questions start unanswered (未填), not as a silent 否: each is answered 是 or 否.
    for name, answer in CHANNELS.items():
        expect(page.locator(f"input[name={name}][value=unknown]")).to_be_checked()
        page.locator(f"input[name={name}][value={answer}]").check()
    expect(page.locator("input[name=is_window_unit][value=unknown]")).to_be_checked()  # not a silent 否 either
    page.locator("input[name=is_window_unit][value=true]").check()
    shot("draft-form")
    page.locator("button[name=_save]").click()

    # 3. Saved as a draft with the approval figures still empty.
    record = ChannelReturn.objects.get(agency=agency_a, year=2014, half=1)
    expect(page).to_have_url(f"{url}{record.get_absolute_url()}")
    expect(page.get_by_test_id("review-state").get_by_test_id("status")).to_have_attribute("data-status", "open")
    filled = MSG_FILLED % {"filled": len(FIRST) + len(CHANNELS) + 1, "total": TOTAL}  # + the service-window question
    expect(page.get_by_test_id("completeness")).to_contain_text(filled)
    expect(page.get_by_test_id("value-satisfaction_rate")).to_have_text("99.98%")
    expect(page.get_by_test_id("value-items_cut_rate")).to_have_text("—")
    shot("draft-saved")

    # 4. Reopened later: the form keeps what was entered and shows last period's values beside the rest.
    page.get_by_test_id("edit").click()
    expect(page.locator("#id_opinions")).to_have_value("136")
    expect(page.get_by_test_id("last-opinions")).to_have_text(MSG_LAST_PERIOD % {"value": last_value(1234)})
    expect(page.get_by_test_id("last-licences")).to_have_text(MSG_LAST_PERIOD % {"value": last_value(1500)})
    fill(page, SECOND)
    shot("completing")
    page.locator("button[name=_save]").click()
    expect(page.get_by_test_id("completeness")).to_contain_text(MSG_FILLED % {"filled": TOTAL, "total": TOTAL})
    expect(page.get_by_test_id("value-items_cut_rate")).to_have_text("69.05%")  # 1 − 13/42
    expect(page.get_by_test_id("value-time_cut_rate")).to_have_text("51.61%")  # 1 − 300/620

    # 5. Submitted: closed for the clerk, waiting for review.
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("review-state").get_by_test_id("status")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("edit")).to_have_count(0)
    expect(page.get_by_test_id("submit")).to_have_count(0)
    shot("submitted")

    # 6. The officer, in a browser of their own, finds it from the review page and approves it.
    officer_page = new_context().new_page()
    log_in(officer_page, url, "olivia")
    officer_page.goto(f"{url}{reverse('review')}")
    officer_page.get_by_test_id("channel-returns-awaiting").click()
    rows = officer_page.locator("table.record-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(record.period_name())
    shot("officer-queue", target=officer_page)
    rows.first.get_by_role("link", name=str(record.pk), exact=True).click()
    expect(officer_page.get_by_test_id("review-actions")).to_be_visible()
    shot("officer-review", target=officer_page)
    officer_page.get_by_test_id("approve").click()
    expect(officer_page.get_by_test_id("review-state").get_by_test_id("status")).to_have_attribute(
        "data-status", "approved"
    )
    expect(officer_page.get_by_test_id("review-actions")).to_have_count(0)
    shot("approved", target=officer_page)

    # 7. Back with the clerk: approved, and nothing left to change.
    page.reload()
    expect(page.get_by_test_id("review-state").get_by_test_id("status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("edit")).to_have_count(0)
    shot("clerk-sees-approved")
    record.refresh_from_db()
    assert (record.status, record.items_after, record.submitted_by, record.reviewed_by) == (
        ChannelReturn.Status.APPROVED,
        13,
        staff_a,
        officer,
    )
