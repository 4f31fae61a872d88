"""A long list's Excel download as a background job (kind `list_export`): over JOBS_LIST_THRESHOLD rows the list's
button posts and the job writes exactly the filtered rows the user sees (the same workbook as the immediate
download); a short list stays an immediate download; a GET of a long list's download writes nothing in the request."""

import datetime
import errno
import io
from unittest import mock

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job
from jobs.runner import MSG_DISK_FULL
from jobs.services import enqueue
from outreach import exports
from outreach.exports_jobs import MSG_UNKNOWN_LIST
from outreach.generic import MSG_BAD_FILTERS, MSG_USE_THE_BUTTON
from tests import factories as f
from visits.tables import VisitTable

pytestmark = pytest.mark.django_db

LIST = reverse("visits:visit_list")


def rows_of(data: bytes) -> list[tuple]:
    """Every sheet's rows: the title line, the header, the records, the totals row."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def records_of(data: bytes) -> list[tuple]:
    """The records' rows (title line, header and totals row left out)."""
    return rows_of(data)[2:-1]


def direct(client, query="") -> bytes:
    response = client.get(f"{LIST}?{query}&export=xlsx" if query else f"{LIST}?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    return b"".join(response.streaming_content)


def start(client, query=""):
    return client.post(f"{LIST}?{query}&export=xlsx" if query else f"{LIST}?export=xlsx")


def result(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return response.content


@pytest.fixture
def visits(agency_a, agency_b):
    """Agency A: 4 visits, 2 of them village stays; agency B: 3 visits."""
    made = [
        f.VisitFactory(agency=agency_a, is_village_stay=i < 2, village_days=2 if i < 2 else 0, households=10 + i)
        for i in range(4)
    ]
    for _ in range(3):
        f.VisitFactory(agency=agency_b)
    return made


def test_a_short_list_is_still_an_immediate_download(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 4
    page = cast["staff_a"].get(LIST).content.decode()
    assert 'data-testid="export-job-form"' not in page and 'href="?export=xlsx" data-testid="export"' in page
    assert len(records_of(direct(cast["staff_a"]))) == 4
    assert not Job.objects.exists()


def test_a_long_lists_button_posts_and_its_get_writes_nothing(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 3
    page = cast["staff_a"].get(LIST, {"sort": "-start_date"}).content.decode()
    form = page.split('data-testid="export-job-form"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and 'action="?sort=-start_date&amp;export=xlsx"' in form
    response = cast["staff_a"].get(LIST, {"sort": "-start_date", "export": "xlsx"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?sort=-start_date"
    shown = [str(m) for m in cast["staff_a"].get(response["Location"]).context["messages"]]
    assert shown == [str(MSG_USE_THE_BUTTON) % {"count": "4", "limit": "3"}]
    assert not Job.objects.exists()


def test_a_long_list_becomes_a_job_with_exactly_the_filtered_rows(cast, staff_a, agency_a, visits, settings):
    settings.SITE_TODAY = "2014-07-31"
    settings.JOBS_LIST_THRESHOLD = 10
    expected_all = direct(cast["staff_a"], "sort=-households")
    expected_stays = direct(cast["staff_a"], "is_village_stay=true")
    settings.JOBS_LIST_THRESHOLD = 1
    response = start(cast["staff_a"], "sort=-households")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.agency, job.requested_by) == ("list_export", Job.Status.DONE, agency_a, staff_a)
    assert job.arguments == {"list": "visits:visit_list", "query": "sort=-households"}
    assert job.result_name == "走访基层-2014-07-31.xlsx"  # the list's name and the site's day, as the direct one
    from_job = rows_of(result(cast["staff_a"], job))
    assert from_job == rows_of(expected_all)  # title line, header, rows and totals alike
    assert len(records_of(result(cast["staff_a"], job))) == 4  # agency A's only, sorted as asked
    assert [row[0] for row in from_job[2:-1]] == [str(v.pk) for v in reversed(visits)]  # most households first
    households = from_job[1].index(str(VisitTable.base_columns["households"].verbose_name))
    assert from_job[-1][households] == sum(v.households for v in visits)  # the totals row

    start(cast["staff_a"], "is_village_stay=true")
    stays = rows_of(result(cast["staff_a"], Job.objects.latest("pk")))
    assert stays == rows_of(expected_stays) and len(stays) == 1 + 1 + 2 + 1
    assert stays[0][0].endswith("：是")  # the title line names the filter: village stay, yes


def test_officers_job_reads_every_agencys_rows(cast, officer, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 1
    start(cast["officer"])
    job = Job.objects.get()
    assert job.agency is None and job.requested_by == officer
    assert len(records_of(result(cast["officer"], job))) == 7


def test_the_job_reads_the_year_the_user_sees(cast, agency_a, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 0
    earlier = f.VisitFactory(agency=agency_a, start_date=datetime.date(2013, 5, 6), end_date=datetime.date(2013, 5, 6))
    cast["staff_a"].get(LIST, {"year": 2013})  # kept in the session
    assert cast["staff_a"].get(LIST).context["table"].paginator.count == 1  # the list opened without filters
    start(cast["staff_a"])
    job = Job.objects.get()
    assert "year=2013" in job.arguments["query"]
    rows = records_of(result(cast["staff_a"], job))
    assert [row[0] for row in rows] == [str(earlier.pk)]


def test_invalid_filters_show_the_list_with_a_message_and_start_nothing(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 1
    response = start(cast["staff_a"], "changed_since=not-a-date")
    assert response.status_code == 400
    assert str(MSG_BAD_FILTERS) in [str(m) for m in response.context["messages"]]
    assert response.context["filter"].errors
    assert not Job.objects.exists()


def test_too_many_jobs_is_a_message_and_nothing_queued(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 1
    settings.JOBS_MAX_PER_AGENCY = 0
    response = start(cast["staff_a"], "sort=-pk")
    assert response.status_code == 302 and response["Location"] == f"{LIST}?sort=-pk"
    assert not Job.objects.exists()


def test_a_post_without_the_download_is_not_allowed(cast, visits):
    assert cast["staff_a"].post(LIST).status_code == 405
    assert not Job.objects.exists()


def test_another_agencys_staff_cannot_download_the_result(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 1
    start(cast["staff_a"])
    job = Job.objects.get()
    assert cast["staff_b"].get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert cast["staff_b"].get(reverse("jobs:status", args=[job.pk])).status_code == 404


def test_progress_is_reported_every_thousand_rows_then_the_save(cast, visits, settings, monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_ROWS", 2)
    calls = []
    table = exports.TableRows([exports.ExportColumn("n", exports.NUMBER, lambda record: record)], list(range(5)))
    written = exports.write_xlsx(io.BytesIO(), [("t", table)], progress=lambda *a, **k: calls.append(a), total=5)
    assert written == 5
    assert calls == [(2, 5, "rows"), (4, 5, "rows"), (5, 5, "save")]
    settings.JOBS_LIST_THRESHOLD = 1
    start(cast["staff_a"])
    job = Job.objects.get()
    assert (job.done, job.total, job.step) == (4, 4, "done")


def test_a_full_disk_fails_the_job_and_offers_nothing(cast, visits, settings):
    settings.JOBS_LIST_THRESHOLD = 1
    with mock.patch.object(exports, "write_sheet", side_effect=OSError(errno.ENOSPC, "No space left")):
        start(cast["staff_a"])
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error == str(MSG_DISK_FULL)
    assert job.result_size == 0
    assert cast["staff_a"].get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_job_naming_no_list_fails_with_a_message(staff_a, agency_a):
    job = enqueue("list_export", user=staff_a, agency=agency_a, arguments={"list": "reports:year_end", "query": ""})
    assert job.status == Job.Status.FAILED and job.error == str(MSG_UNKNOWN_LIST)
    job = enqueue("list_export", user=staff_a, agency=agency_a, arguments={"list": "nope", "query": ""})
    assert job.status == Job.Status.FAILED and job.error == str(MSG_UNKNOWN_LIST)


def test_the_post_button_costs_the_list_page_no_query(cast, visits, settings):
    counts = {}
    for threshold in (100, 1):
        settings.JOBS_LIST_THRESHOLD = threshold
        with CaptureQueriesContext(connection) as queries:
            page = cast["staff_a"].get(LIST).content.decode()
        assert ('data-testid="export-job-form"' in page) == (threshold == 1)
        counts[threshold] = len(queries)
    assert counts[1] == counts[100]
