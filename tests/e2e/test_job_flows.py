"""Background jobs in the browser with a REAL worker: the page's bar moves while a `db_worker` process works.

(a) A clerk uploads a workbook of 15,000 visits: the job's page shows the bar and the step, then takes
    her to the preview; she confirms, watches the import's job page, and finds the visits in the list.
(b) An officer asks for the year-end workbook of the demo province: the job's page, then the download,
    an .xlsx whose summary sheet holds the page's figures.

The worker is started by the test (tests/jobs/workers.py) on the live server's database. One photograph
of a job in progress goes to /tmp/shots15/ (outside the repository), the others under artifacts/e2e/.
"""

import datetime
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from playwright.sync_api import expect

from jobs.models import Job
from outreach.generic import url_name
from outreach.models import Basis, ImportBatch
from outreach.progress import step_text
from reports.exports import workbook_filename
from reports.forms import ReportScope
from tests.conftest import client_for
from tests.e2e.conftest import log_in
from tests.factories import OfficialFactory
from tests.jobs import workers
from tests.jobs.test_workers import visits_workbook
from tests.reports.test_workbook import summary
from visits.models import Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

db_workers = workers.db_workers  # the fixture

SHOTS = Path("/tmp/shots15")
ROWS = 15_000
YEAR_END = {"year": "2014", "as_of": "2014-07-31", "basis": "all"}


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def job_page(url) -> re.Pattern:
    return re.compile(rf"^{re.escape(url)}/jobs/\d+/(\?started=1)?$")


def wait_until_running(page, timeout=60_000) -> None:
    """The page's script has drawn the job as running (it polls /jobs/<id>.json every second)."""
    expect(page.get_by_test_id("job")).to_have_attribute("data-status", "running", timeout=timeout)


def test_a_clerk_uploads_watches_the_check_confirms_watches_the_import_and_sees_the_records(
    live_server, page, shot, tmp_path, db_workers, agency_a, staff_a, today
):
    OfficialFactory(agency=agency_a, name="张伟", title="副厅长")
    url = live_server.url
    workbook = tmp_path / "走访.xlsx"
    workbook.write_bytes(visits_workbook(ROWS))

    # 1. The upload queues the check; no worker runs yet, so her job's page shows it waiting, bar at 0.
    log_in(page, url, "alice")
    page.goto(f"{url}{reverse('imports:index')}")
    page.locator("#id_file").set_input_files(workbook)
    page.get_by_test_id("upload").click()
    expect(page).to_have_url(job_page(url))
    check = Job.objects.get(kind="import_check")
    expect(page.get_by_test_id("job")).to_have_attribute("data-status", "queued")
    expect(page.get_by_test_id("job-progress")).to_have_attribute("aria-valuenow", "0")
    expect(page.get_by_test_id("job-step")).to_have_text(zh(step_text("queued")))
    expect(page.get_by_test_id("job-cancel")).to_be_visible()
    shot("check-queued")

    # 2. A worker starts: the page follows the job without a reload and, when the check is done, goes on to
    #    the preview: 15,000 visits to add, nothing saved yet.
    db_workers.start()
    batch = ImportBatch.objects.get()
    expect(page).to_have_url(f"{url}{batch.get_absolute_url()}", timeout=90_000)
    check.refresh_from_db()
    assert (check.status, check.attempts) == (Job.Status.DONE, 1), check.error
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "previewed")
    expect(page.get_by_test_id("sheet").get_by_test_id("created")).to_have_text(str(ROWS))
    shot("preview")
    assert not Visit.all_objects.exists()

    # 3. She confirms: the import's job page, the bar and the step moving while the worker writes.
    page.get_by_test_id("confirm").click()
    expect(page).to_have_url(job_page(url))
    wait_until_running(page)
    expect(page.get_by_test_id("job-status")).to_have_text(zh(Job.Status.RUNNING.label))
    expect(page.get_by_test_id("job-progress")).to_be_visible()
    expect(page.get_by_test_id("job-step")).not_to_be_empty()
    if connection.vendor == "postgresql":
        # rows written of rows expected, reported from inside the import's open transaction (on SQLite the
        # import holds the write lock and the bar waits for the end: outreach/settings.py)
        expect(page.get_by_test_id("job-progress")).not_to_have_attribute("aria-valuenow", "0", timeout=30_000)
        expect(page.get_by_test_id("job-step")).to_contain_text(f"{ROWS:,}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "job-page-in-progress.png"), full_page=True)
    shot("import-running")

    # 4. Done: the page goes on to the batch (every row imported), whose link leads to the visits.
    expect(page).to_have_url(f"{url}{batch.get_absolute_url()}", timeout=120_000)
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "imported")
    expect(page.get_by_test_id("outcome")).to_contain_text(str(ROWS))
    confirm = Job.objects.get(kind="import_confirm")
    assert (confirm.status, confirm.attempts, confirm.requested_by) == (Job.Status.DONE, 1, staff_a)
    assert Visit.objects.filter(agency=agency_a).count() == ROWS
    page.goto(f"{url}{reverse(url_name(Visit, 'list'))}?year=2014")
    expect(page.get_by_test_id("row-count")).to_contain_text(str(ROWS))
    expect(page.locator("table.record-table tbody tr").first).to_contain_text("张伟")
    shot("visits")


def test_an_officer_gets_the_year_end_workbook_of_the_province_through_a_job(
    live_server, page, shot, tmp_path, db_workers, officer
):
    call_command("seed_demo", verbosity=0)
    db_workers.start()
    url = live_server.url
    log_in(page, url, "olivia")

    # 1. The year-end page's Excel button asks for the workbook: the job's page follows it to the end.
    page.goto(f"{url}{reverse('reports:year_end')}?{urlencode(YEAR_END)}")
    page.get_by_test_id("download-xlsx").click()
    expect(page).to_have_url(job_page(url))
    job = Job.objects.get(kind="yearend_workbook")
    assert (job.requested_by, job.agency) == (officer, None)
    expect(page.get_by_test_id("job")).to_have_attribute("data-status", "done", timeout=180_000)
    expect(page.get_by_test_id("job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.get_by_test_id("job-result")).to_be_visible()
    shot("workbook-done")

    # 2. Download: an .xlsx whose first sheet is the summary of the page's figures.
    with page.expect_download() as download:
        page.get_by_test_id("job-result").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    with translation.override("zh-hans"):  # named as the page's own download: 年度统计-2014-省-全部录入-2014-07-31.xlsx
        scope = ReportScope(year=2014, as_of=datetime.date(2014, 7, 31), agency=None, city=None, basis=Basis.ALL)
        assert path.name == workbook_filename(scope)
    book = openpyxl.load_workbook(path, read_only=True)
    with translation.override("zh-hans"):
        assert book.sheetnames[0] == gettext("Summary")
    title = book.worksheets[0]["A1"].value
    assert "2014" in title
    figures = client_for(officer).get(reverse("reports:year_end_json"), YEAR_END)
    assert summary(book) == figures.json()["figures"]
    assert int(summary(book)["cp.points"]) > 0
