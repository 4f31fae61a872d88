"""The Content-Security-Policy (issue 14) in a real browser: a clerk's and an officer's main pages open
without one violation (no inline script, handler or style attribute is refused), and the interactive bits
still work under it: the dashboard's charts draw, a searchable select opens, the withdraw question is asked
(and declining it sends nothing), the language switcher changes the language, sizes set from data apply.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from outreach.models import PeriodReturn
from tests.e2e.conftest import log_in
from tests.reports.data import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every violation of the page's policy, as the browser reports it to the page (added before any page script).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""


def watched(page) -> list[str]:
    """Console errors and uncaught exceptions of the page from now on (a refused inline bit logs one)."""
    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def assert_clean(page, errors, where):
    page.wait_for_load_state("load")
    violations = page.evaluate("window.__cspViolations || []")
    assert violations == [], (where, violations)
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == [], (where, errors)
    assert errors == [], (where, errors)


def canvas_has_ink(page, selector) -> bool:
    return page.evaluate(
        """(selector) => { const c = document.querySelector(selector);
             const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
             for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true; return false; }""",
        selector,
    )


def test_main_pages_of_each_role_open_without_a_violation_and_still_work(
    live_server, page, new_context, settings, agency_a, agency_b, staff_a, officer
):
    settings.SITE_TODAY = "2014-07-31"
    build([agency_a, agency_b], 2)
    PeriodReturn.objects.create(agency=agency_a, year=2014, month=6, status=PeriodReturn.Status.SUBMITTED)
    url = live_server.url

    # The clerk: home, a list, a form with a searchable select, the monthly returns with a withdraw question.
    errors = watched(page)
    log_in(page, url, staff_a.username)
    assert_clean(page, errors, "home")
    response = page.goto(f"{url}{reverse('visits:visit_list')}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("table.record-table tbody tr")).to_have_count(2)
    assert_clean(page, errors, "visit list")

    page.goto(f"{url}{reverse('visits:visit_add')}")
    searched = page.locator("select[data-search-url]").first  # asks the server (fetch: connect-src 'self')
    wrapper = page.locator(f"#{searched.get_attribute('id')}-ts-control").locator(
        "xpath=ancestor::div[contains(@class, 'ts-wrapper')]"
    )
    wrapper.locator(".ts-control").click()
    page.keyboard.type("1")
    expect(wrapper.locator(".ts-dropdown")).to_be_visible()  # Tom Select opened its list of matches
    page.keyboard.press("Escape")
    assert_clean(page, errors, "visit form")

    page.goto(f"{url}{reverse('returns')}?year=2014")
    june = page.get_by_test_id("month-6").get_by_test_id("status")
    expect(june).to_have_attribute("data-status", "submitted")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("withdraw-6").click()
    page.wait_for_timeout(300)
    assert len(questions) == 1 and "撤回" in questions[0]
    assert PeriodReturn.objects.get(agency=agency_a, month=6).status == PeriodReturn.Status.SUBMITTED  # declined
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("withdraw-6").click()
    expect(june).to_have_attribute("data-status", "open")
    assert_clean(page, errors, "returns")

    # The language switcher (data-autosubmit) sends its form on change.
    page.locator("#language-form select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_clean(page, errors, "language switched")

    # The officer: the dashboard's charts, year-end, reporting rates, the review queue.
    officer_page = new_context().new_page()
    errors = watched(officer_page)
    log_in(officer_page, url, officer.username)
    officer_page.goto(f"{url}{reverse('reports:dashboard')}?year=2014&as_of=2014-07-31&basis=all")
    officer_page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length >= 3")
    assert canvas_has_ink(officer_page, "#chart-monthly")
    assert officer_page.evaluate("getComputedStyle(document.querySelector('.chart-box')).height") == "340px"
    compliance_box = officer_page.locator(".chart-box[data-height]").first
    assert compliance_box.evaluate("el => el.style.height") == compliance_box.get_attribute("data-height")
    widths = officer_page.evaluate(
        """() => Array.from(document.querySelectorAll(".progress-bar[data-width]"),
                           el => [el.style.width, el.dataset.width])"""
    )
    assert len(widths) == 2 and all(shown and float(shown[:-1]) == float(wanted[:-1]) for shown, wanted in widths)
    assert_clean(officer_page, errors, "dashboard")

    for name in ("reports:year_end", "reports:completeness", "review", "home"):
        officer_page.goto(f"{url}{reverse(name)}?year=2014")
        expect(officer_page.locator("main")).not_to_be_empty()
        assert_clean(officer_page, errors, name)
