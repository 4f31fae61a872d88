"""The Excel import's check and confirm as background jobs: progress, cancel, once only, the per-agency cap.

The jobs run inside the POST (the immediate backend, inline): a job "cancelled mid-way" is one whose
owner cancels while its progress is being reported (the job's own progress call then raises
JobCancelled inside the import's transaction).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from jobs.kinds import KINDS
from jobs.models import Job
from jobs.runner import JobContext
from jobs.services import MSG_TOO_MANY, enqueue
from outreach.importing import engine
from outreach.importing.engine import run_import
from outreach.importing.services import (
    MSG_ALREADY_IMPORTED,
    MSG_IMPORTED,
    MSG_STILL_CHECKING,
    check_batch,
    preview_upload,
)
from outreach.importing.specs import sheet_for
from outreach.models import ImportBatch
from outreach.progress import step_text
from tests.factories import OfficialFactory
from tests.outreach.import_files import xlsx_bytes
from visits.models import Visit, VisitOutcome

pytestmark = pytest.mark.django_db

VISITS = "走访基层"
OUTCOMES = "走访成效"
INDEX = reverse("imports:index")


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def zhang(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


@pytest.fixture
def small_chunks(monkeypatch, settings):
    """Chunks of 2 rows and progress written at every call, so a few rows make several steps."""
    monkeypatch.setattr(engine, "CHUNK", 2)
    settings.JOBS_PROGRESS_INTERVAL = 0


def header(model) -> list[str]:
    return [str(column.title) for column in sheet_for(model).columns]


def visit_row(reference, official="张伟", start="2014-07-03", end="2014-07-04"):
    values = {"reference": reference, "official": official, "start_date": start, "end_date": end, "households": 3}
    return [values.get(column.name) for column in sheet_for(Visit).columns]


def outcome_row(reference, visit):
    values = {"reference": reference, "visit": visit, "businesses_helped": 1}
    return [values.get(column.name) for column in sheet_for(VisitOutcome).columns]


def workbook(visits=5, outcomes=0) -> bytes:
    sheets = {VISITS: [header(Visit), *[visit_row(f"ZF-{n}") for n in range(1, visits + 1)]]}
    if outcomes:
        sheets[OUTCOMES] = [header(VisitOutcome), *[outcome_row(f"CX-{n}", f"ZF-{n}") for n in range(1, outcomes + 1)]]
    return xlsx_bytes(sheets)


def upload(client, content: bytes):
    return client.post(INDEX, {"file": SimpleUploadedFile("走访.xlsx", content)})


def job_at(response) -> Job:
    assert response.status_code == 302, response
    return Job.objects.get(pk=int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))


def nothing_written():
    return not Visit.all_objects.exists() and not VisitOutcome.all_objects.exists() and not Visit.history.exists()


class Spy:
    def __init__(self):
        self.calls = []

    def __call__(self, done, total, step="", **params):
        self.calls.append((done, total, step, params))


def cancel_at(monkeypatch, nth: int, step: str = "check_sheet"):
    """The owner cancels the running job just before its `nth` progress report of `step`."""
    original, seen = JobContext.__call__, []

    def call(context, done, total, step_code="", **params):
        if step_code == step:
            seen.append(done)
            if len(seen) == nth:
                Job.objects.filter(pk=context.job.pk).update(cancel_requested=True)
        return original(context, done, total, step_code, **params)

    monkeypatch.setattr(JobContext, "__call__", call)
    return seen


# --- progress ------------------------------------------------------------------------------------


def test_the_import_reports_its_progress_per_chunk_and_per_sheet_up_to_the_total(small_chunks, agency_a, zhang):
    spy = Spy()
    report = run_import(io.BytesIO(workbook(visits=5, outcomes=3)), agency=agency_a, commit=True, progress=spy)
    assert report.ok and report.committed, report.lines()
    assert spy.calls[0] == (0, 0, "read", {})
    assert spy.calls[-1] == (8, 8, "write_rows", {})
    checks = [(done, total, params["sheet"]) for done, total, step, params in spy.calls if step == "check_sheet"]
    # 5 visits in chunks of 2: after 2 and 4 rows, then at the sheet's end; the 3 outcomes after 2, then at the
    # end; in rows of the whole workbook, so the bar never goes back
    assert checks == [(2, 8, VISITS), (4, 8, VISITS), (5, 8, VISITS), (7, 8, OUTCOMES), (8, 8, OUTCOMES)]


def test_a_check_reports_no_write_step_and_a_refused_file_stops_after_reading(agency_a, zhang):
    spy = Spy()
    assert run_import(io.BytesIO(workbook(visits=3)), agency=agency_a, commit=False, progress=spy).ok
    assert [step for _done, _total, step, _params in spy.calls] == ["read", "check_sheet"]
    assert spy.calls[-1][:2] == (3, 3)
    spy = Spy()
    assert not run_import(io.BytesIO(b"not a workbook"), agency=agency_a, progress=spy).ok
    assert spy.calls == [(0, 0, "read", {})]


def test_the_check_job_stores_its_progress_as_it_goes_and_ends_on_the_preview(
    cast, monkeypatch, small_chunks, staff_a, zhang
):
    stored, original = [], JobContext.__call__

    def watched(context, *args, **params):  # what the page's JSON reads after each report
        original(context, *args, **params)
        job = Job.objects.get(pk=context.job.pk)
        stored.append((job.status, job.done, job.total, job.step_text))

    monkeypatch.setattr(JobContext, "__call__", watched)
    job = job_at(upload(cast["staff_a"], workbook(visits=5)))
    with translation.override("zh-hans"):
        checking = [step_text("check_sheet", done, 5, {"sheet": VISITS}) for done in (2, 4, 5)]
    assert stored == [
        ("running", 0, 0, step_text("read")),
        ("running", 2, 5, checking[0]),
        ("running", 4, 5, checking[1]),
        ("running", 5, 5, checking[2]),
    ]
    batch = ImportBatch.objects.get()
    assert (job.kind, job.status, job.result_url) == ("import_check", Job.Status.DONE, batch.get_absolute_url())
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.PREVIEWED, 5)
    status = cast["staff_a"].get(reverse("jobs:status", args=[job.pk])).json()
    assert (status["status"], status["progress"], status["result_url"]) == ("done", 1.0, batch.get_absolute_url())
    assert nothing_written()


def test_the_import_kinds_redirect_to_the_batch_and_only_the_check_is_run_again(db):
    check, confirm = KINDS["import_check"], KINDS["import_confirm"]
    assert (check.retries, check.redirect) == (1, True)
    assert (confirm.retries, confirm.redirect) == (0, True)


# --- cancel --------------------------------------------------------------------------------------


def test_a_check_cancelled_mid_way_keeps_no_preview_and_writes_nothing(cast, monkeypatch, small_chunks, zhang):
    seen = cancel_at(monkeypatch, 2)
    job = job_at(upload(cast["staff_a"], workbook(visits=6)))
    assert seen == [2, 4]  # stopped at its second report, not run to the end
    assert job.status == Job.Status.CANCELLED and job.result_url is None
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.report, batch.rows_created) == (ImportBatch.Status.CHECKING, {}, 0)
    assert nothing_written()
    page = cast["staff_a"].get(batch.get_absolute_url())
    assert page.context["check_stopped"] and not page.context["can_confirm"]
    assert 'data-testid="confirm"' not in page.content.decode()
    # and it cannot be confirmed
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [str(MSG_STILL_CHECKING)]
    assert Job.objects.count() == 1 and nothing_written()


def test_a_confirm_cancelled_mid_way_leaves_the_database_as_it_was(cast, monkeypatch, small_chunks, staff_a, zhang):
    batch = preview_upload(
        file=SimpleUploadedFile("走访.xlsx", workbook(visits=6, outcomes=2)), agency=zhang.agency, user=staff_a
    )
    assert batch.status == ImportBatch.Status.PREVIEWED
    seen = cancel_at(monkeypatch, 3)  # after 6 visits were written inside the import's transaction
    job = job_at(cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk])))
    assert seen == [2, 4, 6]
    assert (job.kind, job.status, job.message) == ("import_confirm", Job.Status.CANCELLED, "")
    batch.refresh_from_db()
    assert (batch.status, batch.imported_at, batch.imported_by) == (ImportBatch.Status.PREVIEWED, None, None)
    assert nothing_written()

    # the owner may confirm again: everything is imported, once
    monkeypatch.undo()
    again = job_at(cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk])))
    assert again.status == Job.Status.DONE, again.error
    assert again.message == MSG_IMPORTED % {"created": 8, "updated": 0, "unchanged": 0}
    assert (Visit.objects.count(), VisitOutcome.objects.count()) == (6, 2)


# --- once only -----------------------------------------------------------------------------------


def test_a_confirm_job_run_twice_fails_the_second_time_with_the_message_and_writes_once(staff_a, agency_a, zhang):
    batch = preview_upload(file=SimpleUploadedFile("走访.xlsx", workbook(visits=2)), agency=agency_a, user=staff_a)
    first = enqueue("import_confirm", user=staff_a, agency=agency_a, arguments={"batch": batch.pk})
    second = enqueue("import_confirm", user=staff_a, agency=agency_a, arguments={"batch": batch.pk})
    assert first.status == Job.Status.DONE
    batch.refresh_from_db()
    at = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
    assert (second.status, second.error) == (Job.Status.FAILED, MSG_ALREADY_IMPORTED % {"at": at})
    assert second.result_url is None
    assert Visit.objects.count() == 2
    assert all(visit.history.count() == 1 for visit in Visit.objects.all())


def test_a_check_run_again_leaves_a_batch_checked_since_alone(cast, staff_a, agency_a, zhang):
    batch = preview_upload(file=SimpleUploadedFile("走访.xlsx", workbook(visits=2)), agency=agency_a, user=staff_a)
    cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    # the check's worker was lost after it had written the preview; its second run comes after the confirm
    job = enqueue("import_check", user=staff_a, agency=agency_a, arguments={"batch": batch.pk})
    assert job.status == Job.Status.DONE
    batch.refresh_from_db()
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.IMPORTED, 2)
    assert check_batch(batch, user=staff_a).status == ImportBatch.Status.IMPORTED


def test_a_confirm_already_queued_is_shown_instead_of_starting_another(cast, staff_a, agency_a, zhang):
    batch = preview_upload(file=SimpleUploadedFile("走访.xlsx", workbook(visits=2)), agency=agency_a, user=staff_a)
    queued = Job.objects.create(
        kind="import_confirm", agency=agency_a, requested_by=staff_a, arguments={"batch": batch.pk}
    )
    page = cast["staff_a"].get(batch.get_absolute_url())
    html = page.content.decode()
    assert not page.context["can_confirm"] and 'data-testid="confirm"' not in html
    assert f'href="{queued.get_absolute_url()}" data-testid="confirm-job"' in html
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]))
    assert response.headers["Location"] == queued.get_absolute_url()
    assert Job.objects.count() == 1 and nothing_written()


def test_a_batch_being_checked_links_to_its_job_and_cannot_be_confirmed(cast, staff_a, agency_a):
    batch = ImportBatch.objects.create(
        agency=agency_a,
        uploaded_by=staff_a,
        file_name="走访.xlsx",
        content=b"x",
        sha256="0",
        size=1,
        status=ImportBatch.Status.CHECKING,
    )
    check = Job.objects.create(
        kind="import_check",
        agency=agency_a,
        requested_by=staff_a,
        arguments={"batch": batch.pk},
        status=Job.Status.RUNNING,
    )
    page = cast["staff_a"].get(batch.get_absolute_url())
    html = page.content.decode()
    assert page.context["check_job"] == check and not page.context["check_stopped"]
    assert f'href="{check.get_absolute_url()}" data-testid="check-job"' in html
    assert 'data-status="checking"' in html and 'data-testid="confirm"' not in html

    Job.objects.filter(pk=check.pk).update(status=Job.Status.FAILED, error="超时")
    page = cast["staff_a"].get(batch.get_absolute_url())
    assert page.context["check_stopped"] and "超时" in page.content.decode()


# --- limits and permissions -----------------------------------------------------------------------


def test_an_upload_over_the_agencys_job_cap_shows_the_form_error_and_keeps_nothing(cast, settings, zhang):
    settings.JOBS_MAX_PER_AGENCY = 0
    response = upload(cast["staff_a"], workbook(visits=2))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MSG_TOO_MANY % {"count": 0, "limit": 0}]
    assert MSG_TOO_MANY % {"count": 0, "limit": 0} in response.content.decode()
    assert not ImportBatch.objects.exists() and not Job.objects.exists()


def test_a_confirm_over_the_agencys_job_cap_is_refused_with_the_message(cast, settings, staff_a, agency_a, zhang):
    batch = preview_upload(file=SimpleUploadedFile("走访.xlsx", workbook(visits=2)), agency=agency_a, user=staff_a)
    settings.JOBS_MAX_PER_AGENCY = 1
    Job.objects.create(kind="probe", agency=agency_a, requested_by=staff_a, status=Job.Status.RUNNING)
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert response.redirect_chain == [(batch.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [MSG_TOO_MANY % {"count": 1, "limit": 1}]
    assert list(Job.objects.values_list("kind", flat=True)) == ["probe"]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and nothing_written()


def test_another_agencys_staff_cannot_confirm_and_start_no_job(cast, staff_a, agency_a, zhang):
    batch = preview_upload(file=SimpleUploadedFile("走访.xlsx", workbook(visits=2)), agency=agency_a, user=staff_a)
    assert cast["staff_b"].post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert not Job.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED and nothing_written()


def test_another_agencys_staff_cannot_see_the_import_jobs(cast, staff_a, zhang):
    job = job_at(upload(cast["staff_a"], workbook(visits=1)))
    assert cast["staff_b"].get(job.get_absolute_url()).status_code == 404
    assert cast["staff_b"].get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert cast["officer"].get(reverse("jobs:status", args=[job.pk])).json()["status"] == "done"


def test_the_upload_puts_the_running_jobs_in_the_navigation(cast, staff_a, zhang):
    upload(cast["staff_a"], workbook(visits=1))
    assert cast["staff_a"].session.get("jobs_watch") is True


# --- the command line ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_import_records_draws_a_progress_bar_on_a_terminal_only(agency_a, zhang, tmp_path):
    path = tmp_path / "visits.xlsx"
    path.write_bytes(workbook(visits=3))
    terminal = Terminal()
    call_command("import_records", str(path), "--dry-run", "--agency", agency_a.code, stderr=terminal)
    drawn = terminal.getvalue()
    with translation.override("zh-hans"):
        last = step_text("check_sheet", 3, 3, {"sheet": VISITS})
    assert drawn.startswith("\r[") and drawn.endswith(f"100.0% {last}\x1b[K\n")
    quiet = Terminal()
    call_command("import_records", str(path), "--dry-run", "--no-progress", "--agency", agency_a.code, stderr=quiet)
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    call_command("import_records", str(path), "--dry-run", "--agency", agency_a.code, stderr=piped)
    assert piped.getvalue() == ""
    assert nothing_written()
