"""An officer goes from the dashboard's card to its records, opens the year-end statistics, downloads
the workbook (its figures are the page's), publishes the statistics, and sees a later change marked
beside the published figure.

Hand-made data (tests/reports/data.py); every step is photographed under artifacts/e2e/ by `shot`.
"""

import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.indicators import CATALOGUE
from tests import factories as f
from tests.e2e.test_channel_return_flow import log_in
from tests.reports.data import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUERY = "?year=2014&as_of=2014-07-31&basis=all"  # the records here are in no monthly return


def shown_values(page) -> dict:
    """{code: value as shown} from the year-end page's figure tables."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('section[data-testid=section] tr[data-code]')]
             .map(tr => [tr.dataset.code, tr.querySelector('[data-testid=value]').textContent.trim()]))"""
    )


def test_officer_from_dashboard_to_records_to_year_end_workbook_and_publication(
    live_server, page, shot, tmp_path, agency_a, agency_b, officer
):
    build([agency_a, agency_b], 2)
    url = live_server.url
    log_in(page, url, "olivia")

    # 1. The dashboard's card opens the records behind it.
    page.goto(f"{url}{reverse('reports:dashboard')}{QUERY}")
    card = page.get_by_test_id("card-cp.points")
    expect(card.get_by_test_id("card-value")).to_have_text("4")
    card.get_by_test_id("card-link").click()
    expect(page).to_have_url(re.compile(r"/pairings/contact-points/\?"))
    expect(page.locator("table.record-table tbody tr")).to_have_count(4)

    # 2. The year-end statistics, from the reports page, with the article's cut-off.
    page.goto(f"{url}{reverse('reports:index')}")
    page.locator(f"a[href='{reverse('reports:year_end')}']").first.click()
    expect(page).to_have_url(re.compile(r"/reports/year-end/$"))
    page.goto(f"{url}{reverse('reports:year_end')}{QUERY}")
    expect(page.get_by_test_id("cut-off")).to_contain_text("截至2014年7月31日")
    expect(page.get_by_test_id("consistency")).to_have_class(re.compile("mb-4"))
    expect(page.get_by_test_id("summary")).to_have_count(3)
    values = shown_values(page)
    assert list(values) == [indicator.code for indicator in CATALOGUE]
    assert values["cp.points"] == "4" and values["pair.funds"] == "40.00"  # 万元, the exact yuan on hover
    funds = page.locator("section[data-testid=section] tr[data-code='pair.funds']")
    expect(funds.get_by_test_id("value")).to_have_attribute("title", "400,000.00 元")
    expect(funds.get_by_test_id("unit")).to_have_text("万元")
    shot("year-end")

    # 3. The workbook is written by a background job: the button goes to the job's page, which offers the
    # download when done; its summary sheet holds the page's figures.
    page.get_by_test_id("download-xlsx").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.get_by_test_id("job-status")).to_have_class(re.compile("job-status-done"))
    expect(page.get_by_test_id("job-progress").locator(".progress-bar")).to_have_text("100%")
    shot("year-end-workbook-job")
    with page.expect_download() as info:
        page.get_by_test_id("job-result").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved, read_only=True)
    summary = workbook.worksheets[0]
    cells = {row[3]: row[1] for row in summary.iter_rows(values_only=True) if len(row) > 3 and row[3] in values}
    assert cells["cp.points"] == 4 and cells["pair.funds"] == 400000
    assert len(cells) == len(CATALOGUE)
    page.goto(f"{url}{reverse('reports:year_end')}{QUERY}")

    # 4. Publish, then a later contact point shows as changed beside the published figure.
    page.get_by_test_id("publish").click()
    expect(page).to_have_url(re.compile(r"/reports/snapshots/publish/"))
    expect(page.locator("input[name=as_of]")).to_have_value("2014-07-31")
    expect(page.locator("select[name=basis]")).to_have_value("approved")  # publishing's default basis
    page.locator("select[name=basis]").select_option("all")  # as the page: these records are in no return
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/reports/snapshots/\d+/"))
    f.ContactPointFactory(agency=agency_a)
    page.goto(f"{url}{reverse('reports:year_end')}{QUERY}")
    expect(page.get_by_test_id("snapshot-banner")).to_be_visible()
    row = page.locator("section[data-testid=section] tr[data-code='cp.points']")
    expect(row.get_by_test_id("published")).to_have_text("4")
    expect(row.get_by_test_id("value")).to_have_text("5")
    expect(row.get_by_test_id("changed-marker")).to_be_visible()
    shot("changed-since-publication")
    row.get_by_test_id("changed-records").click()
    expect(page.locator("table.record-table tbody tr")).to_have_count(1)
