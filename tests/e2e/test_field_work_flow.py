"""A clerk enters a visit with an outcome and submits its month; an officer approves it; the month is then closed.

Hand-made data (factories): agency A with a few officials, its clerk (alice) and an officer (olivia).
Every step is photographed under artifacts/e2e/ by `shot`.
"""

import datetime
import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from outreach.models import MSG_PERIOD_APPROVED, PeriodReturn, period_label
from tests.e2e.conftest import log_in
from tests.factories import OfficialFactory, region_chain
from visits.models import Visit, VisitOutcome

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

START, END = datetime.date(2014, 5, 6), datetime.date(2014, 5, 8)
# More than a handful of officials, so that finding one means searching; two share "建".
NAMES = (
    "王建军",
    "张建国",
    "李明",
    "赵丽华",
    "陈志强",
    "刘洋",
    "杨帆",
    "黄海涛",
    "周敏",
    "吴刚",
    "徐静",
    "孙伟",
    "胡斌",
    "朱红",
    "高峰",
    "林涛",
    "何琳",
    "郭勇",
)
# Buttons and links whose names begin with an icon glyph: "保存", not "保存并继续新增".
SAVE = re.compile("保存$")


def approved_message(day: datetime.date) -> str:
    """MSG_PERIOD_APPROVED for the month of `day`, as the Chinese user reads it."""
    with translation.override("zh-hans"):
        return str(MSG_PERIOD_APPROVED) % {"period": period_label(day)}


def test_clerk_enters_a_visit_submits_the_month_officer_approves_and_it_is_closed(
    live_server, page, shot, new_context, agency_a, agency_b, staff_a, officer
):
    officials = {name: OfficialFactory(agency=agency_a, name=name, title="副主任") for name in NAMES}
    OfficialFactory(agency=agency_b, name="李建国", title="副厅长")  # another agency's: never offered
    chosen = officials["张建国"]
    village = region_chain()  # 王楼村, with its county and township: places too
    url = live_server.url

    # 1. The clerk logs in and opens the list of visits from the "Visits" area.
    log_in(page, url, "alice")
    page.get_by_role("navigation").get_by_role("link", name="走访服务").click()
    page.get_by_test_id("area-links").get_by_role("link", name=re.compile("走访基层$")).click()
    expect(page.locator("h1")).to_contain_text("走访基层")
    shot("visit-list")

    # 2. Add a visit: search the official, dates, village stay, households, and one outcome row.
    page.get_by_role("link", name="新增走访基层").click()
    expect(page.locator("h1")).to_have_text("新增走访基层")
    # Tom Select replaces the official's <select> with a box that asks the server as one types.
    page.locator(".ts-control:has(#id_official-ts-control)").click()
    page.locator("#id_official-ts-control").press_sequentially("建国")
    options = page.locator("#id_official-ts-dropdown .option")
    expect(options).to_have_count(1)  # 张建国 only: not 王建军, not the other agency's 李建国
    expect(options.first).to_have_text(str(chosen))
    shot("official-search")
    options.first.click()
    expect(page.locator("#id_official")).to_have_value(str(chosen.pk))
    # The place is found by its code as well as its name (the server searches both).
    page.locator(".ts-control:has(#id_place-ts-control)").click()
    page.locator("#id_place-ts-control").press_sequentially(village.code)
    places = page.locator("#id_place-ts-dropdown .option")
    expect(places).to_have_count(1)
    expect(places.first).to_have_text(str(village))
    shot("place-search")
    places.first.click()
    expect(page.locator("#id_place")).to_have_value(str(village.pk))
    page.get_by_label("开始日期").fill(START.isoformat())
    page.get_by_label("结束日期").fill(END.isoformat())
    page.get_by_label("住村").check()
    page.get_by_label("走访农户（户）").fill("26")
    page.locator("#id_items-0-businesses_helped").fill("3")
    page.locator("#id_items-0-business_problems").fill("2")
    page.locator("#id_items-0-note").fill("协调解决农户灌溉用水问题")
    shot("visit-form")
    page.get_by_role("button", name=SAVE).click()

    # 3. The visit's page, with the outcome row.
    visit = Visit.objects.get()
    expect(page).to_have_url(f"{url}{visit.get_absolute_url()}")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    expect(page.locator("main, body").first).to_contain_text("张建国")
    expect(page.get_by_text("协调解决农户灌溉用水问题")).to_be_visible()
    shot("visit-detail")
    assert (visit.official, visit.place, visit.start_date, visit.end_date, visit.village_days, visit.households) == (
        chosen,
        village,
        START,
        END,
        3,
        26,
    )
    outcome = VisitOutcome.objects.get()
    assert (outcome.visit, outcome.agency, outcome.businesses_helped, outcome.business_problems) == (
        visit,
        agency_a,
        3,
        2,
    )

    # 4. Monthly returns of 2014: May holds the visit and its outcome; submit it.
    page.get_by_role("navigation").get_by_role("link", name="月度报送").click()
    page.get_by_label("年度").fill("2014")
    page.get_by_role("button", name="显示").click()
    may = page.get_by_test_id("month-5")
    records = may.get_by_test_id("records")
    expect(records.locator("summary")).to_have_text("1")  # the visit; its outcome goes with it
    expect(records).to_contain_text("走访基层 1")  # by type, each linked to its records
    expect(may.get_by_test_id("status")).to_have_text("未报送")
    may.get_by_role("button", name="报送").click()
    may = page.get_by_test_id("month-5")
    expect(may.get_by_test_id("status")).to_have_text("待审核")
    shot("month-submitted")
    period = PeriodReturn.objects.get(agency=agency_a, year=2014, month=5)
    assert (period.status, period.submitted_by) == (PeriodReturn.Status.SUBMITTED, staff_a)

    # 5. The officer, in a browser of their own, approves the month from the review queue.
    officer_page = new_context().new_page()
    log_in(officer_page, url, "olivia")
    officer_page.get_by_role("navigation").get_by_role("link", name="审核").click()
    row = officer_page.get_by_test_id(f"return-{period.pk}")
    expect(row).to_contain_text(str(agency_a))
    expect(row).to_contain_text("2014-05")
    shot("review-queue", target=officer_page)
    row.get_by_role("button", name="通过").click()
    expect(officer_page.locator(".alert-success")).to_contain_text("已审核通过")
    shot("approved", target=officer_page)
    period.refresh_from_db()
    assert (period.status, period.reviewed_by) == (PeriodReturn.Status.APPROVED, officer)

    # 6. The clerk tries to change the visit: refused with the approved message, nothing saved.
    before = Visit.objects.values().get(pk=visit.pk), VisitOutcome.objects.values().get(pk=outcome.pk)
    page.goto(f"{url}{visit.get_absolute_url()}")
    # The detail page says why, and offers no edit or delete.
    expect(page.get_by_test_id("closed-message")).to_contain_text(approved_message(START))
    expect(page.get_by_role("link", name="修改")).to_have_count(0)
    shot("visit-detail-approved")
    # A clerk who opens the edit page anyway (a bookmark, an old tab) sees the record read-only, with why.
    page.goto(f"{url}{visit.get_absolute_url()}edit/")
    expect(page.get_by_test_id("closed-message")).to_contain_text(approved_message(START))
    expect(page.get_by_test_id("read-only")).to_contain_text("走访农户（户）")
    expect(page.get_by_test_id("read-only-items")).to_be_visible()
    expect(page.get_by_role("button", name=SAVE)).to_have_count(0)
    expect(page.locator("main input:visible, main select, main textarea")).to_have_count(0)
    shot("edit-read-only")
    page.get_by_test_id("back").click()
    expect(page).to_have_url(re.compile(rf"{visit.get_absolute_url()}$"))
    assert (Visit.objects.values().get(pk=visit.pk), VisitOutcome.objects.values().get(pk=outcome.pk)) == before
