"""An officer reads amounts the Chinese way and follows a figure to a list that adds up to it on screen:
the 帮扶资金 card in 万元 with the exact yuan on hover, the charts' own formatter by the same rule, and the
list it opens showing the figure in 万元 beside the exact column total; the 厅局级领导干部 card opens the
contact points with "counted once per official". At desktop and phone widths; photographed under artifacts/e2e/."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from reports import numbers
from tests import factories as f
from tests.e2e.test_channel_return_flow import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
DASHBOARD = reverse("reports:dashboard") + "?year=2014&as_of=2014-07-31&basis=all"


@pytest.mark.parametrize("width", [1366, 390])
def test_amounts_in_wan_with_the_exact_yuan_and_a_list_that_adds_up(live_server, page, shot, agency_a, officer, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 768})
    pairing = f.PairingFactory(agency=agency_a, start_date=D(2013, 1, 1))
    f.SupportFactory(pairing=pairing, date=D(2014, 3, 1), funds=Decimal("82632016.00"))
    village = f.poor_village()
    official = f.OfficialFactory(agency=agency_a)
    for _ in range(2):
        f.ContactPointFactory(agency=agency_a, official=official, village=village, start_date=D(2014, 1, 1))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server.url, "olivia")

    page.goto(f"{live_server.url}{DASHBOARD}")
    page.wait_for_function("window.dashboardCharts && window.dashboardFormat")
    funds = page.get_by_test_id("card-pair.funds")
    expect(funds.get_by_test_id("card-value")).to_have_text("8,263.20")
    expect(funds.get_by_test_id("card-value")).to_have_attribute("title", "82,632,016.00 元")
    expect(funds.get_by_test_id("card-unit")).to_have_text("万元")
    formatted = page.evaluate(
        "() => [82632016, 9999.99, 30770436596.71].map(window.dashboardFormat.amount)"
        ".concat([window.dashboardFormat.number(11013), window.dashboardFormat.share(33.333)])"
    )
    with translation.override("zh-hans"):
        yi = str(numbers.YI.unit)  # 亿元 once the catalogue has it
    assert formatted == ["8,263.20 万元", "9,999.99 元", f"307.70 {yi}", "11,013", "33.3%"]
    shot(f"funds-card-{width}")

    funds.get_by_test_id("card-link").click()
    expect(page).to_have_url(re.compile(r"/pairings/support/\?.*figure=pair\.funds"))
    note = page.get_by_test_id("drilldown-note")
    expect(note.get_by_test_id("drilldown-figure")).to_contain_text("8,263.20 万元")
    expect(note.get_by_test_id("drilldown-figure")).to_have_attribute("title", "82,632,016.00 元")
    footer_total = page.locator("table.record-table tfoot span[title]")  # the totals row in the figure's unit
    expect(footer_total).to_have_text("8,263.20 万元")
    expect(footer_total).to_have_attribute("title", "82,632,016.00 元")
    shot(f"funds-list-{width}")

    page.goto(f"{live_server.url}{DASHBOARD}")
    page.get_by_test_id("card-cp.officials").get_by_test_id("card-link").click()
    expect(page.get_by_test_id("row-count")).to_contain_text("2")
    expect(page.get_by_test_id("drilldown-note").get_by_test_id("drilldown-figure")).to_contain_text(
        re.compile(r"[:：] ?1 ")
    )
    shot(f"officials-list-{width}")
    assert errors == []
