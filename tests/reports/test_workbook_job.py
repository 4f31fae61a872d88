"""The year-end workbook as a background job (POST /reports/year-end/workbook-job/, kind `yearend_workbook`):
the job's file is the direct download's, cell for cell; the filters are checked before anything is queued
(a bad filter, another agency for staff, too many jobs); progress is reported; a full disk fails the job
with nothing to download; the page's button posts; `manage.py yearend` draws a bar on a terminal."""

import errno
import io
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.models import Job
from jobs.runner import MSG_DISK_FULL
from jobs.services import MSG_TOO_MANY
from reports import exports
from reports.forms import MSG_BAD_YEAR
from tests.reports.data import build
from tests.reports.test_workbook import PARAMS, download, summary

pytestmark = pytest.mark.django_db

JOB_URL = reverse("reports:workbook_job")
PAGE_URL = reverse("reports:year_end")


def start(client, params=None, *, body=None):
    """POST the button's form (the filters in its query string, or in the body); the response."""
    query = "&".join(f"{key}={value}" for key, value in (params or {}).items())
    return client.post(f"{JOB_URL}?{query}" if query else JOB_URL, body or {})


def result(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.content[:300]
    return response.content


def cells(data: bytes) -> dict:
    """Every sheet's cell values, by sheet name, in order."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_the_jobs_workbook_equals_the_direct_download(cast, officer, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    response = start(cast["officer"], PARAMS)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.requested_by, job.agency) == ("yearend_workbook", Job.Status.DONE, officer, None)
    assert job.result_name == "年度统计-2014-省-全部录入-2014-07-31.xlsx"
    direct = download(cast["officer"])
    from_job = result(cast["officer"], job)
    assert cells(from_job) == cells(direct)
    # page = JSON = workbook still holds through the job
    json_figures = cast["officer"].get(reverse("reports:year_end_json"), PARAMS).json()["figures"]
    book = openpyxl.load_workbook(io.BytesIO(from_job), read_only=True)
    assert summary(book) == json_figures and json_figures["cp.points"] == 4


def test_filters_in_the_post_body_are_the_same_workbook(cast, agency_a, agency_b):
    build([agency_a, agency_b], 1)
    start(cast["officer"], body={**PARAMS, "agency": agency_b.code})
    job = Job.objects.get()
    assert job.agency == agency_b and job.status == Job.Status.DONE
    assert cells(result(cast["officer"], job)) == cells(download(cast["officer"], agency=agency_b.code))


def test_staff_get_their_own_agencys_workbook_and_job(cast, staff_a, agency_a, agency_b):
    build([agency_a], 1)
    build([agency_b], 2)
    start(cast["staff_a"], PARAMS)
    job = Job.objects.get()
    assert job.agency == agency_a and job.requested_by == staff_a
    assert cells(result(cast["staff_a"], job)) == cells(download(cast["staff_a"]))
    assert summary(openpyxl.load_workbook(io.BytesIO(result(cast["staff_a"], job))))["cp.points"] == 1
    # agency B's staff neither see the job nor download its file
    assert cast["staff_b"].get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_staff_cannot_start_another_agencys_workbook(cast, agency_a, agency_b):
    response = start(cast["staff_a"], {**PARAMS, "agency": agency_b.code})
    assert response.status_code == 404  # as the GET download
    assert cast["staff_a"].get(reverse("reports:year_end_xlsx"), {**PARAMS, "agency": agency_b.code}).status_code == 404
    response = start(cast["staff_a"], PARAMS, body={"agency": agency_b.code})
    assert response.status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("bad", [{"year": "20x4"}, {"year": "1999"}])
def test_a_bad_filter_is_refused_with_its_message_and_no_job(cast, bad):
    response = start(cast["officer"], {**PARAMS, **bad})
    assert response.status_code == 400
    assert str(MSG_BAD_YEAR) in response.content.decode()
    assert not Job.objects.exists()


def test_too_many_jobs_is_a_message_on_the_page_and_nothing_queued(cast, settings):
    settings.JOBS_MAX_PER_AGENCY = 0
    response = start(cast["officer"], PARAMS, body={})
    assert response.status_code == 302 and response["Location"].startswith(PAGE_URL)
    assert "year=2014" in response["Location"]
    page = cast["officer"].get(response["Location"])
    expected = str(MSG_TOO_MANY) % {"count": 0, "limit": 0}
    assert expected in [str(m) for m in page.context["messages"]]
    assert not Job.objects.exists()


def test_get_is_not_allowed(cast):
    assert cast["officer"].get(JOB_URL, PARAMS).status_code == 405
    assert not Job.objects.exists()


def test_progress_is_reported_in_rows_of_the_whole_workbook(cast, agency_a):
    build([agency_a], 3)
    from reports.forms import ReportFilterForm

    form = ReportFilterForm(PARAMS, basis="all")
    assert form.is_valid()
    calls = []
    stats = exports.write_workbook(io.BytesIO(), form.scope(), progress=lambda *a, **k: calls.append((a, k)))
    steps = [args[2] for args, _params in calls]
    assert steps[0] == "figures" and steps[-1] == "save"
    sheets = [params["sheet"] for args, params in calls if args[2] == "sheet"]
    assert sheets[:3] == ["汇总", "按单位", "按市"] and len(sheets) == 3 + len(exports.DETAILS)
    done, total = calls[-1][0][:2]
    assert done == total == stats.total_rows
    dones = [args[0] for args, _params in calls[1:]]
    assert dones == sorted(dones) and all(args[1] == total for args, _params in calls[1:])
    # the job's row ends on the same count
    start(cast["officer"], PARAMS)
    job = Job.objects.get()
    assert (job.done, job.total) == (stats.total_rows, stats.total_rows)


def test_detail_sheets_report_every_chunk_of_rows(agency_a, monkeypatch):
    build([agency_a], 3)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    from reports.forms import ReportFilterForm

    form = ReportFilterForm(PARAMS, basis="all")
    assert form.is_valid()
    calls = []
    exports.write_workbook(io.BytesIO(), form.scope(), progress=lambda *a, **k: calls.append((a, k)))
    visits = str(exports.visits.Visit._meta.verbose_name_plural)
    within = [args[0] for args, params in calls if params.get("sheet") == visits]
    assert len(within) == 2 and within[1] == within[0] + 2  # the sheet's start, then after 2 of its 3 rows


def test_a_full_disk_fails_the_job_and_offers_nothing(cast):
    with mock.patch.object(exports, "write_detail_sheet", side_effect=OSError(errno.ENOSPC, "No space left")):
        start(cast["officer"], PARAMS)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error == str(MSG_DISK_FULL)
    assert job.result_size == 0 and not job.result_name
    assert cast["officer"].get(reverse("jobs:download", args=[job.pk])).status_code == 404
    status = cast["officer"].get(reverse("jobs:status", args=[job.pk])).json()
    assert status["result_url"] is None and status["error"] == str(MSG_DISK_FULL)


def test_the_pages_download_button_posts_to_the_job(cast):
    html = cast["officer"].get(PAGE_URL, PARAMS).content.decode()
    form = html.split('data-testid="workbook-job-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and f'action="{JOB_URL}?year=2014&amp;as_of=2014-07-31&amp;basis=all"' in form
    assert 'data-testid="download-xlsx"' in html.split('data-testid="workbook-job-form"')[1].split("</form>")[0]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_yearend_command_draws_a_bar_on_a_terminal_only(agency_a, tmp_path):
    build([agency_a], 1)
    options = {"year": "2014", "as_of": "2014-07-31", "basis": "all", "format": "xlsx"}
    terminal = Terminal()
    call_command("yearend", output=str(tmp_path / "a.xlsx"), stdout=io.StringIO(), stderr=terminal, **options)
    drawn = terminal.getvalue()
    assert "\r[" in drawn and "100.0%" in drawn
    piped = io.StringIO()
    call_command("yearend", output=str(tmp_path / "b.xlsx"), stdout=io.StringIO(), stderr=piped, **options)
    assert "\r[" not in piped.getvalue()
    assert cells((tmp_path / "a.xlsx").read_bytes()) == cells((tmp_path / "b.xlsx").read_bytes())
