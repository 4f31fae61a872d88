"""An officer opens the work dashboard: the charts draw without a console error, a card and a chart bar
each open the list of the records behind them. A clerk sees the dashboard of their own agency.

Hand-made data (tests/reports/data.py): two agencies with two of every record; every step is
photographed under artifacts/e2e/ by `shot`.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_channel_return_flow import log_in
from tests.reports.data import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DASHBOARD = reverse("reports:dashboard") + "?year=2014&as_of=2014-07-31&basis=all"  # records in no return


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def charts_drawn(page) -> int:
    page.wait_for_function("window.dashboardCharts && window.dashboardCharts.length >= 3")
    return page.evaluate("window.dashboardCharts.length")


def test_officer_opens_the_dashboard_and_follows_a_card_and_a_bar_to_their_records(
    live_server, page, shot, agency_a, agency_b, officer
):
    build([agency_a, agency_b], 2)
    errors = watch_errors(page)
    url = live_server.url
    log_in(page, url, "olivia")

    # 1. From the navigation to the dashboard of the province.
    page.get_by_test_id("nav-dashboard").click()
    expect(page).to_have_url(re.compile(r"/reports/dashboard/$"))
    page.goto(f"{url}{DASHBOARD}")
    assert charts_drawn(page) == 3  # monthly, cities, and one compliance chart for three agencies
    for selector in ("#chart-monthly", "#chart-cities", "canvas[data-chart=compliance]"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, selector
    card = page.get_by_test_id("card-cp.points")
    expect(card.get_by_test_id("card-value")).to_have_text("4")
    shot("dashboard")

    # 2. The card opens the contact points it counts: the window, in force, every agency.
    card.get_by_test_id("card-link").click()
    expect(page).to_have_url(re.compile(r"/pairings/contact-points/\?"))
    query = parse_qs(urlsplit(page.url).query)
    assert (query["standing_min"], query["standing_max"]) == (["2014-01-01"], ["2014-07-31"])
    expect(page.get_by_test_id("row-count")).to_contain_text("4")
    expect(page.locator("table.record-table tbody tr")).to_have_count(4)
    shot("card-records")

    # 3. Back on the dashboard, January's bar of visits opens January's visits.
    page.go_back()
    charts_drawn(page)
    page.locator("#chart-monthly").scroll_into_view_if_needed()
    point = page.evaluate(
        """() => { const chart = window.dashboardCharts[0];
                  const months = chart.data.datasets[0].data;
                  const index = months.findIndex(n => n > 0);
                  const bar = chart.getDatasetMeta(0).data[index];
                  return {index: index, x: bar.x, y: (bar.y + bar.base) / 2, n: months[index]}; }"""
    )
    box = page.locator("#chart-monthly").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    expect(page).to_have_url(re.compile(r"/visits/visits/\?"))
    query = parse_qs(urlsplit(page.url).query)
    month = point["index"] + 1
    assert query["start_date_min"] == [f"2014-{month:02d}-01"]
    expect(page.get_by_test_id("row-count")).to_contain_text(str(point["n"]))
    shot("bar-records")
    assert errors == []


def test_clerk_sees_the_dashboard_of_their_own_agency(live_server, page, shot, agency_a, agency_b, staff_a):
    build([agency_a], 1)
    build([agency_b], 3)
    errors = watch_errors(page)
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{DASHBOARD}")
    assert charts_drawn(page) == 3
    expect(page.get_by_test_id("card-cp.points").get_by_test_id("card-value")).to_have_text("1")
    expect(page.get_by_test_id("scope")).to_contain_text(agency_a.name)
    expect(page.locator("#id_agency")).to_have_count(0)  # held to their agency: no agency filter
    expect(page.get_by_test_id("compliance-table").locator("tbody tr")).to_have_count(1)
    shot("dashboard-staff")
    assert errors == []
