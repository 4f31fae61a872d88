"""A clerk imports visits from Excel: template, a preview with one error, the corrected workbook, the import.

The check and the import are background jobs; here they run inside the request (the immediate
backend), so each job's page shows its job done with the link to the batch's page.

Hand-made data (factories): agency A with two officials and its clerk (alice). The workbook is filled
with openpyxl, as a clerk would in Excel. Every step is photographed under artifacts/e2e/ by `shot`.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from jobs.models import Job
from outreach.models import ImportBatch
from outreach.validation import MSG_END_BEFORE_START
from tests.e2e.conftest import log_in
from tests.factories import OfficialFactory
from visits.models import Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VISITS = "走访基层"


def fill_visits(path, rows: dict[int, dict]) -> None:
    """Type values into rows of the template's visits sheet (row number → {column title: value})."""
    book = load_workbook(path)
    sheet = book[VISITS]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for r, values in rows.items():
        for title, value in values.items():
            sheet.cell(row=r, column=columns[title], value=value)
    book.save(path)


def through_the_job(page, url, kind):
    """The POST started a job, done at once here (the immediate backend): its page goes straight on to the
    batch's page. (tests/e2e/test_job_flows.py watches the bar move with a real worker.)"""
    job = Job.objects.latest("pk")
    assert (job.kind, job.status, job.error) == (kind, Job.Status.DONE, "")
    expect(page).to_have_url(f"{url}{job.result_url}")
    return job


def the_job_page(page, url, job):
    """A finished job's page, opened again: done, 100 %, nothing to cancel, the way on to its result."""
    page.goto(f"{url}{job.get_absolute_url()}")
    expect(page.get_by_test_id("job")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("job-cancel")).to_have_count(0)


def visit(reference, official, start, end):
    return {"编号": reference, "干部": official, "开始日期": start, "结束日期": end, "住村": "是", "走访农户（户）": 8}


def test_clerk_downloads_the_template_fixes_the_one_error_the_preview_shows_and_imports(
    live_server, page, shot, tmp_path, agency_a, staff_a
):
    OfficialFactory(agency=agency_a, name="张伟", title="副厅长")
    OfficialFactory(agency=agency_a, name="李娜", title="处长")
    url = live_server.url

    # 1. The clerk opens the import page from the navigation and downloads the template (all record types).
    log_in(page, url, "alice")
    page.get_by_test_id("nav-imports").click()
    expect(page).to_have_url(f"{url}{reverse('imports:index')}")
    expect(page.get_by_test_id("upload-form").locator("select[name=agency]")).to_have_count(0)  # staff: own agency
    with page.expect_download() as download:
        page.get_by_test_id("download-template").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.suffix == ".xlsx" and agency_a.code in template.name

    # 2. Two visits; the second ends before it starts.
    fill_visits(
        template,
        {
            2: visit("ZF-2014-001", "张伟", datetime.date(2014, 7, 1), datetime.date(2014, 7, 3)),
            3: visit("ZF-2014-002", "李娜", datetime.date(2014, 7, 10), datetime.date(2014, 7, 5)),
        },
    )
    page.locator("#id_file").set_input_files(template)
    page.get_by_test_id("upload").click()

    # 3. The check (a job, done at once) leads to the preview: exactly one problem, named by sheet, row and column;
    #    nothing to confirm, nothing saved.
    through_the_job(page, url, "import_check")
    first = ImportBatch.objects.latest("pk")
    expect(page).to_have_url(f"{url}{first.get_absolute_url()}")
    issues = page.get_by_test_id("issue")
    expect(issues).to_have_count(1)
    with translation.override("zh-hans"):
        message = str(MSG_END_BEFORE_START)
    expect(issues.locator("td")).to_have_text([VISITS, "3", "E 结束日期", message])
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "refused")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    expect(page.get_by_test_id("sheet").get_by_test_id("failed")).to_have_text("1")
    shot("preview-with-error")
    assert not Visit.all_objects.exists()

    # 4. The clerk corrects the end date in the workbook and uploads it again.
    fill_visits(template, {3: {"结束日期": datetime.date(2014, 7, 12)}})
    page.get_by_test_id("outcome").get_by_role("link").click()
    expect(page).to_have_url(f"{url}{reverse('imports:index')}")
    expect(page.get_by_test_id(f"batch-{first.pk}").get_by_test_id("status")).to_have_attribute(
        "data-status", "refused"
    )
    shot("import-page")
    page.locator("#id_file").set_input_files(template)
    page.get_by_test_id("upload").click()

    # 5. A clean preview: two new rows and the confirm button; still nothing saved.
    through_the_job(page, url, "import_check")
    second = ImportBatch.objects.latest("pk")
    assert second.pk != first.pk
    expect(page).to_have_url(f"{url}{second.get_absolute_url()}")
    expect(page.get_by_test_id("issue")).to_have_count(0)
    expect(page.get_by_test_id("row")).to_have_count(2)
    expect(page.locator("[data-testid=row][data-action=create]")).to_have_count(2)
    expect(page.get_by_test_id("sheet").get_by_test_id("created")).to_have_text("2")
    shot("preview-clean")
    assert not Visit.all_objects.exists()

    # 6. Confirm: the import's job page says what it did; both visits are imported, and the batch's page
    #    links to the list of visits.
    page.get_by_test_id("confirm").click()
    confirm = through_the_job(page, url, "import_confirm")
    the_job_page(page, url, confirm)
    expect(page.get_by_test_id("job-message")).to_contain_text("2")
    shot("import-job-done")
    page.get_by_test_id("job-result").click()
    expect(page).to_have_url(f"{url}{second.get_absolute_url()}")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "imported")
    expect(page.get_by_test_id("outcome")).to_contain_text("2")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    shot("imported")
    assert sorted(Visit.objects.values_list("reference", "end_date")) == [
        ("ZF-2014-001", datetime.date(2014, 7, 3)),
        ("ZF-2014-002", datetime.date(2014, 7, 12)),
    ]

    # 7. The visits list shows the imported records.
    page.get_by_test_id("list-link").click()
    expect(page).to_have_url(f"{url}{reverse('visits:visit_list')}")
    rows = page.locator("table.record-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="张伟")).to_have_count(1)
    expect(rows.filter(has_text="李娜").filter(has_text="2014-07-12")).to_have_count(1)
    shot("visit-list")
