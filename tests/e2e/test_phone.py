"""On a phone (390×844): a list's rows keep to one line and the table scrolls sideways inside its card, the
filters fold away behind a 筛选 button, and the dashboard's ranking keeps an agency's name on one line. At the
desktop width (1366×768) the filters stay open and there is no 筛选 button.

Photographs of the main pages at both widths go to /tmp/shots16/ (outside the repository) to be looked at.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from outreach.models import Basis
from reports.services import publish_snapshot
from tests import factories as f
from tests.e2e.conftest import log_in
from tests.reports.data import build
from visits.models import Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots16")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
VISITS = reverse("visits:visit_list")
DASHBOARD = reverse("reports:dashboard") + "?year=2014&as_of=2014-07-31&basis=all"
ROWS = 50  # one page of the list (RecordTable.Meta.per_page)


def photograph(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sized(new_context, viewport):
    """A page of a new browser context at the window size `viewport`."""
    page = new_context().new_page()
    page.set_viewport_size(viewport)
    return page


def page_height(page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def one_line(locator) -> bool:
    """The element's text stands on one line: its height is under two of its lines."""
    return locator.evaluate(
        """el => { const style = getComputedStyle(el);
                   const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
                   const range = document.createRange(); range.selectNodeContents(el);
                   return range.getBoundingClientRect().height < 2 * line; }"""
    )


@pytest.fixture
def visits(agency_a):
    village = f.poor_village()  # 亳州市利辛县张村镇王楼村: the longest cell of a row
    official = f.OfficialFactory(agency=agency_a, name="欧阳建国", title="副厅长")
    return [f.VisitFactory(agency=agency_a, official=official, place=village) for _i in range(ROWS)]


def test_on_a_phone_the_visit_list_scrolls_sideways_and_its_filters_fold_away(
    live_server, new_context, visits, staff_a
):
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{VISITS}")
    rows = page.locator("table.record-table tbody tr")
    expect(rows).to_have_count(ROWS)

    # The filters are folded behind 筛选; the list starts on the first screen.
    filters, toggle = page.get_by_test_id("filters"), page.get_by_test_id("filters-toggle")
    expect(filters).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert page.locator("table.record-table").bounding_box()["y"] < PHONE["height"]

    # A row keeps to one line: the place visited is not broken one character a line, the page stays short...
    place = rows.first.get_by_role("cell", name="亳州市利辛县张村镇王楼村", exact=True)
    expect(place).to_be_visible()
    assert one_line(place), place.bounding_box()
    assert page_height(page) < 3000, page_height(page)
    # ... and the table scrolls sideways inside its card, not the page.
    scroller = page.get_by_test_id("list-scroller")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    photograph(page, "phone-visit-list")

    # 筛选 opens the filters, and closes them again.
    panel = page.locator("#filters-panel")
    toggle.click()
    expect(panel).to_have_class(re.compile(r"\bshow\b"))  # opened, the transition over
    expect(filters).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    photograph(page, "phone-visit-list-filters-open")
    toggle.click()
    expect(filters).to_be_hidden()


def test_on_a_phone_filters_with_a_mistake_are_shown_open(live_server, new_context, visits, staff_a):
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{VISITS}?start_date_min=2014-13-45")
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters").locator(".invalid-feedback, .is-invalid").first).to_be_visible()


def test_at_the_desktop_width_the_filters_stay_open(live_server, new_context, visits, staff_a):
    page = sized(new_context, DESKTOP)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{VISITS}")
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_be_hidden()
    photograph(page, "desktop-visit-list")


def test_on_a_phone_the_dashboard_ranking_keeps_an_agency_on_one_line(
    live_server, new_context, agency_a, agency_b, officer
):
    build([agency_a, agency_b], 1)
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "olivia")
    page.goto(f"{live_server.url}{DASHBOARD}")
    name = page.get_by_test_id(f"compliance-{agency_a.code}").locator("th")
    expect(name).to_have_text(agency_a.name)
    assert one_line(name), name.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    photograph(page, "phone-dashboard")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_no_main_page_scrolls_sideways(live_server, new_context, width, agency_a, agency_b, staff_a, officer):
    """The pages a clerk and an officer use most fit the window's width (wide tables scroll inside their card);
    each is photographed to be looked at."""
    build([agency_a, agency_b], 2)
    viewport = PHONE if width == "phone" else DESKTOP
    visit = Visit.objects.filter(agency=agency_a).first()
    year = "?year=2014&as_of=2014-07-31&basis=all"
    for username, paths in (
        ("alice", {"home": "/", "visits": VISITS, "visit-form": reverse("visits:visit_edit", args=[visit.pk])}),
        (
            "olivia",
            {
                "home": "/",
                "dashboard": DASHBOARD,
                "year-end": reverse("reports:year_end") + year,
                "completeness": reverse("reports:completeness") + "?year=2014",
                "review": reverse("review"),
            },
        ),
    ):
        page = sized(new_context, viewport)
        log_in(page, live_server.url, username)
        for name, path in paths.items():
            assert page.goto(f"{live_server.url}{path}").ok, path
            photograph(page, f"{width}-{username}-{name}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (username, path)
        page.context.close()


REPORTS = {
    "dashboard": DASHBOARD,
    "year-end": reverse("reports:year_end") + "?year=2014&as_of=2014-07-31&basis=all",
    "completeness": reverse("reports:completeness") + "?year=2014&as_of=2014-07-31",
}


@pytest.mark.parametrize("name", REPORTS)
def test_on_a_phone_the_report_filters_fold_away_and_the_page_does_not_scroll_sideways(
    live_server, new_context, agency_a, agency_b, officer, name
):
    build([agency_a, agency_b], 1)
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "olivia")
    page.goto(f"{live_server.url}{REPORTS[name]}")
    filters, toggle = page.get_by_test_id("filters"), page.get_by_test_id("filters-toggle")
    expect(filters).to_be_hidden()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("已筛选")  # the year and cut-off in the address are filters applied
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    photograph(page, f"phone-{name}")

    toggle.click()
    expect(page.locator("#filters-panel")).to_have_class(re.compile(r"\bshow\b"))
    expect(filters).to_be_visible()
    expect(filters.get_by_label("年度")).to_have_value("2014")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    photograph(page, f"phone-{name}-filters-open")


@pytest.mark.parametrize("name", REPORTS)
def test_on_a_phone_report_filters_with_a_mistake_are_shown_open(
    live_server, new_context, agency_a, agency_b, officer, name
):
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "olivia")
    page.goto(f"{live_server.url}{REPORTS[name].split('?')[0]}?year=abc")
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters").locator(".invalid-feedback").first).to_contain_text("2000")


def test_on_a_phone_the_dashboard_opens_on_its_figures(live_server, new_context, agency_a, agency_b, officer):
    """The filters folded behind 筛选, the first screen shows the headline figures, not the filter form."""
    build([agency_a, agency_b], 1)
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "olivia")
    page.goto(f"{live_server.url}{DASHBOARD}")
    expect(page.get_by_test_id("report-filters").get_by_test_id("filters")).to_be_hidden()
    cards = page.get_by_test_id("cards").locator(".dashboard-card")
    expect(cards.first).to_be_visible()
    assert cards.first.bounding_box()["y"] + cards.first.bounding_box()["height"] < PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-dashboard-first-screen.png"))  # the first screen only
    page.get_by_test_id("filters-toggle").click()
    expect(page.locator("#filters-panel")).to_have_class(re.compile(r"\bshow\b"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-dashboard-first-screen-filters-open.png"))


def test_on_a_phone_the_published_statistics_fit_the_width(live_server, new_context, agency_a, agency_b, officer):
    """The list of publications keeps a row's dates on one line (the table scrolls inside its card); the page of
    one publication fits the width and shows its figures' table on the first screen."""
    build([agency_a, agency_b], 1)
    snapshot = publish_snapshot(basis=Basis.ALL, year=2014, as_of=datetime.date(2014, 7, 31), user=officer)
    page = sized(new_context, PHONE)
    log_in(page, live_server.url, "olivia")
    assert page.goto(f"{live_server.url}{reverse('reports:snapshot_list')}?year=2014").ok
    as_of = page.get_by_test_id(f"snapshot-{snapshot.pk}").get_by_role("cell", name="2014-07-31", exact=True)
    expect(as_of).to_be_visible()
    assert one_line(as_of), as_of.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "phone-snapshot-list-first-screen.png"))

    assert page.goto(f"{live_server.url}{reverse('reports:snapshot_detail', args=[snapshot.pk])}").ok
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.get_by_test_id("changed-count").bounding_box()["y"] < PHONE["height"]
    photograph(page, "phone-snapshot-detail")
    page.screenshot(path=str(SHOTS / "phone-snapshot-detail-first-screen.png"))
