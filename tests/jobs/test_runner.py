"""jobs.runner: how a job ends (its result file, its error), and the limits a worker runs it under.

The first part runs jobs inline (the suite's JOBS_ISOLATION). The second forks a child per job exactly
as a worker does (`run_isolated`, JOBS_ISOLATION = "process"), here in the test process, which plays
the worker: so those tests commit (transaction=True) for the child to see the job, which it reads
through its own connection (on SQLite the test database is a file, settings_test.py).
"""

import datetime
import errno
import os
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from jobs.kinds import Outcome
from jobs.models import Job, JobQuerySet
from jobs.runner import (
    MSG_CRASHED,
    MSG_DISK_FULL,
    MSG_MEMORY,
    MSG_SAVE_FAILED,
    MSG_TIME_LIMIT,
    MSG_WRITE_FAILED,
    run_job,
)
from jobs.services import cancel, enqueue
from outreach.excel import XLSX_CONTENT_TYPE
from outreach.models import Agency
from tests.jobs.conftest import english_client

CONTENT = b"PK\x03\x04" + bytes(range(256)) * 40  # not text: bytes kept as they are


@pytest.fixture
def tmpdir_jobs(settings, tmp_path):
    """The jobs' temporary files in a directory of the test's own, to see what is left behind."""
    settings.JOBS_TMPDIR = str(tmp_path)
    return tmp_path


def writes_a_file(context):
    with context.output("走访记录 2014.xlsx") as handle:
        handle.write(CONTENT)
    return Outcome(message="6,720 行")


def leaves_the_file_open(context):
    handle = context.output("report.csv", "text/csv")
    handle.write(b"a,b\n" * 10_000)  # partly still in the buffer when the work returns
    return Outcome()


def writes_then_runs_out_of_disk(context):
    with transaction.atomic():
        Agency.objects.create(code="Z998", name="磁盘满时写的单位")
        with context.output("big.xlsx") as handle:
            handle.write(b"half a workbook")
            raise OSError(errno.ENOSPC, "No space left on device")


def writes_records_then_crashes(context):
    with transaction.atomic():
        Agency.objects.create(code="Z997", name="崩溃前写的单位")
        with context.output("never.xlsx") as handle:
            handle.write(b"half")
            os._exit(3)


def assert_failed_leaving_nothing(job, error, tmpdir, code):
    """Failed with `error`: no file offered, no temporary file left, the work's agency `code` rolled back."""
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(error)
    assert (job.result_size, job.result_content, job.result_url) == (0, None, None)
    assert list(tmpdir.iterdir()) == []
    assert not Agency.objects.filter(code=code).exists()


# --- how a job ends (inline) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_result_file_is_kept_with_the_job_for_keep_days(settings, tmpdir_jobs, staff_a, agency_a, job_kind):
    settings.JOBS_KEEP_DAYS = 3
    job = enqueue(job_kind("test_file", writes_a_file), user=staff_a, agency=agency_a)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.result_name, job.result_size, job.result_content_type) == (
        "走访记录 2014.xlsx",
        len(CONTENT),
        XLSX_CONTENT_TYPE,
    )
    assert bytes(job.result_content) == CONTENT
    kept = job.result_expires_at - job.finished_at
    assert kept == datetime.timedelta(days=3)
    assert job.message == "6,720 行"
    assert job.result_url == reverse("jobs:download", args=[job.pk])
    assert list(tmpdir_jobs.iterdir()) == []  # the temporary file is gone


@pytest.mark.django_db
def test_a_result_file_the_work_left_open_is_kept_whole(tmpdir_jobs, staff_a, agency_a, job_kind):
    job = enqueue(job_kind("test_open_file", leaves_the_file_open), user=staff_a, agency=agency_a)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert bytes(job.result_content) == b"a,b\n" * 10_000
    assert job.result_content_type == "text/csv"
    assert list(tmpdir_jobs.iterdir()) == []


@pytest.mark.django_db
def test_a_full_disk_fails_the_job_keeps_nothing_and_rolls_back(tmpdir_jobs, staff_a, agency_a, job_kind, english):
    job = enqueue(job_kind("test_disk_full", writes_then_runs_out_of_disk), user=staff_a, agency=agency_a)
    assert_failed_leaving_nothing(job, MSG_DISK_FULL, tmpdir_jobs, "Z998")
    assert job.error == "The result could not be written: the server's disk is full. Nothing is offered for download."
    assert job.result_name == ""
    assert english_client(staff_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_full_disk_when_the_file_is_flushed_fails_the_job(tmpdir_jobs, staff_a, agency_a, job_kind, monkeypatch):
    def fills_the_disk_on_close(context):
        handle = context.output("big.xlsx")
        handle.write(b"x" * 100)

        def full():
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(handle, "close", full)
        return Outcome()

    job = enqueue(job_kind("test_full_on_close", fills_the_disk_on_close), user=staff_a, agency=agency_a)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(MSG_DISK_FULL)
    assert job.result_size == 0
    assert list(tmpdir_jobs.iterdir()) == []


@pytest.mark.django_db
def test_another_failed_write_names_the_error(tmpdir_jobs, staff_a, agency_a, job_kind, english):
    def cannot_write(context):
        context.output("x.xlsx").write(b"x")
        raise PermissionError(errno.EACCES, "Permission denied")

    job = enqueue(job_kind("test_write_failed", cannot_write), user=staff_a, agency=agency_a)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == str(MSG_WRITE_FAILED) % {"error": "Permission denied"}
    assert job.error == "The result could not be written (Permission denied). Nothing is offered for download."
    assert list(tmpdir_jobs.iterdir()) == []


@pytest.mark.django_db
def test_a_database_error_while_saving_the_result_fails_the_job_and_offers_nothing(
    tmpdir_jobs, staff_a, agency_a, job_kind, monkeypatch, english
):
    update = JobQuerySet.update
    failed = []

    def update_failing_once_with_the_file(self, **values):
        if "result_content" in values and not failed:
            failed.append(values["result_name"])
            raise DatabaseError("database or disk is full")
        return update(self, **values)

    monkeypatch.setattr(JobQuerySet, "update", update_failing_once_with_the_file)
    job = enqueue(job_kind("test_file", writes_a_file), user=staff_a, agency=agency_a)
    monkeypatch.undo()
    job.refresh_from_db()
    assert failed == ["走访记录 2014.xlsx"]
    assert job.status == Job.Status.FAILED
    assert job.error == str(MSG_SAVE_FAILED) % {"error": "DatabaseError"}
    assert job.error == "The result could not be saved (DatabaseError). Nothing is offered for download."
    assert (job.result_size, job.result_content, job.result_name, job.result_url) == (0, None, "", None)
    assert job.finished_at is not None
    assert list(tmpdir_jobs.iterdir()) == []
    assert english_client(staff_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (
            ValidationError(["The year 2099 has no data.", "Choose another."]),
            "The year 2099 has no data. Choose another.",
        ),
        (PermissionDenied(), "You are no longer allowed to do this."),
        (MemoryError(), "The job needed more memory than the limit of 2048 MB and was stopped. Nothing was changed."),
        (KeyError("boom"), "The job failed because of an error on the server (KeyError). Nothing was changed."),
    ],
    ids=["refused", "no-longer-allowed", "memory", "bug"],
)
def test_how_the_work_fails_is_the_jobs_error_and_its_writes_are_rolled_back(
    settings, tmpdir_jobs, staff_a, agency_a, job_kind, raised, expected, english
):
    settings.JOBS_MEMORY_LIMIT_MB = 2048

    def fails(context):
        with transaction.atomic():
            Agency.objects.create(code="Z996", name="失败前写的单位")
            context.output("x.xlsx").write(b"partial")
            raise raised

    job = enqueue(job_kind("test_fails", fails), user=staff_a, agency=agency_a)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == expected  # in the language of the person who asked (English here)
    assert job.result_size == 0
    assert list(tmpdir_jobs.iterdir()) == []
    assert not Agency.objects.filter(code="Z996").exists()


@pytest.mark.django_db
def test_progress_is_written_at_most_every_interval_but_the_last_report_always(
    settings, monkeypatch, staff_a, agency_a, job_kind
):
    settings.JOBS_PROGRESS_INTERVAL = 60
    monkeypatch.setattr("jobs.runner.time.monotonic", lambda: 10_000.0)  # every report in the same instant

    def reports_often(context):
        seen = []
        for done in range(1, 1001):
            context(done, 1000, "rows")
            if done in (1, 999, 1000):
                seen.append(Job.objects.values_list("done", flat=True).get(pk=context.job.pk))
        return Outcome(message=repr(seen))

    job = enqueue(job_kind("test_often", reports_often), user=staff_a, agency=agency_a)
    assert job.message == "[1, 1, 1000]"  # the first report, none until the interval, the last one


@pytest.mark.django_db
def test_a_job_delivered_twice_runs_once(staff_a, agency_a, job_kind):
    runs = []
    kind = job_kind("test_count_runs", lambda context: runs.append(context.job.pk))
    job = enqueue(kind, user=staff_a, agency=agency_a)
    assert run_job.call(job.pk) == "skipped"  # the same task again (a broker redelivering it)
    job.refresh_from_db()
    assert runs == [job.pk]
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)


# --- limits, in a child process -----------------------------------------------------------------------


def virtual_memory_mb() -> int:
    """This process's address space (what RLIMIT_AS counts): a forked child starts with the same."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize in /proc/self/status")


#: committed data, for the child to see; the jobs' own connection (progress, heartbeats) as in production
in_a_worker = pytest.mark.django_db(transaction=True, databases=["default", "jobs"])


@pytest.fixture
def isolated(settings, tmpdir_jobs):
    """Jobs run as a worker runs them: each in a child process, beaten every 0.1 s, progress and heartbeats
    through the second connection (JOBS_DATABASE = "jobs", the production setting; the suite's is "default")."""
    settings.JOBS_ISOLATION = "process"
    settings.JOBS_DATABASE = "jobs"
    settings.JOBS_HEARTBEAT_SECONDS = 0.1
    settings.JOBS_PROGRESS_INTERVAL = 0
    return tmpdir_jobs


def run_and_time(kind, user, agency):
    started = time.monotonic()
    job = enqueue(kind, user=user, agency=agency)
    job.refresh_from_db()
    return job, time.monotonic() - started


def assert_worker_goes_on(user, agency):
    """The test process (the worker) is alive and runs the next job."""
    job = enqueue("probe", user=user, agency=agency, arguments={"steps": 2})
    job.refresh_from_db()
    assert (job.status, job.fraction) == (Job.Status.DONE, 1.0)


@in_a_worker
def test_a_job_in_a_child_process_ends_done_with_its_file(isolated, staff_a, agency_a, job_kind):
    job, _seconds = run_and_time(job_kind("test_file", writes_a_file), staff_a, agency_a)
    assert job.status == Job.Status.DONE
    assert bytes(job.result_content) == CONTENT
    assert job.message == "6,720 行"
    assert job.attempts == 1
    assert list(isolated.iterdir()) == []


@in_a_worker
def test_a_job_over_the_memory_limit_fails_and_the_worker_goes_on(
    settings, isolated, staff_a, agency_a, job_kind, english
):
    baseline = virtual_memory_mb()
    settings.JOBS_MEMORY_LIMIT_MB = baseline + 200  # room to work, not for what comes next

    def hoards(context):
        context(1, 2, "rows")  # under the limit, the work runs and reports
        hoard = bytearray(400 * 1024 * 1024)
        return Outcome(message=str(len(hoard)))

    job, _seconds = run_and_time(job_kind("test_hoards", hoards), staff_a, agency_a)
    assert job.status == Job.Status.FAILED
    assert job.error == str(MSG_MEMORY) % {"mb": baseline + 200}
    assert job.error == (
        f"The job needed more memory than the limit of {baseline + 200} MB and was stopped. Nothing was changed."
    )
    assert job.done == 1  # it was running in the child when it hit the limit
    assert virtual_memory_mb() < baseline + 200  # the worker itself never held the memory
    assert_worker_goes_on(staff_a, agency_a)


@in_a_worker
def test_a_job_over_the_time_limit_is_stopped_and_rolled_back(settings, isolated, staff_a, agency_a, job_kind, english):
    settings.JOBS_TIME_LIMIT = 1

    def dawdles(context):
        with transaction.atomic():
            Agency.objects.create(code="Z995", name="超时前写的单位")
            context.output("slow.xlsx").write(b"partial")
            time.sleep(60)
        return Outcome(message="never")

    job, seconds = run_and_time(job_kind("test_dawdles", dawdles), staff_a, agency_a)
    # the child's partial file is removed by the worker
    assert_failed_leaving_nothing(job, str(MSG_TIME_LIMIT) % {"minutes": f"{1 / 60:g}"}, isolated, "Z995")
    assert job.error.startswith("The job took longer than the limit of ")
    assert 1 <= seconds < 8, seconds
    assert_worker_goes_on(staff_a, agency_a)


@in_a_worker
def test_a_job_whose_process_dies_fails_and_nothing_it_wrote_stays(isolated, staff_a, agency_a, job_kind, english):
    job, _seconds = run_and_time(job_kind("test_crashes", writes_records_then_crashes), staff_a, agency_a)
    assert_failed_leaving_nothing(job, MSG_CRASHED, isolated, "Z997")
    assert job.error.startswith("The job stopped unexpectedly")
    assert_worker_goes_on(staff_a, agency_a)


@in_a_worker
def test_a_full_disk_in_a_child_process_fails_and_offers_nothing(isolated, staff_a, agency_a, job_kind, english):
    job, _seconds = run_and_time(job_kind("test_disk_full", writes_then_runs_out_of_disk), staff_a, agency_a)
    assert_failed_leaving_nothing(job, MSG_DISK_FULL, isolated, "Z998")
    assert english_client(staff_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@in_a_worker
def test_a_running_job_cancelled_by_its_owner_is_stopped_after_the_grace(
    settings, isolated, staff_a, agency_a, job_kind
):
    settings.JOBS_CANCEL_GRACE_SECONDS = 1
    settings.JOBS_TIME_LIMIT = 30

    def never_reports(context):
        cancel(Job.objects.get(pk=context.job.pk), user=context.user)  # the owner, on the job's page
        with transaction.atomic():
            Agency.objects.create(code="Z994", name="取消前写的单位")  # holds SQLite's write lock from here
            context.output("never.xlsx").write(b"partial")
            time.sleep(60)  # never reports progress, so never notices
        return Outcome(message="never")

    job, seconds = run_and_time(job_kind("test_never_reports", never_reports), staff_a, agency_a)
    assert job.status == Job.Status.CANCELLED
    assert job.cancel_requested
    assert job.error == ""
    assert 1 <= seconds < 8, seconds  # the grace, not the time limit
    assert not Agency.objects.filter(code="Z994").exists()
    assert list(isolated.iterdir()) == []
    assert_worker_goes_on(staff_a, agency_a)


@in_a_worker
def test_a_running_job_that_reports_progress_stops_at_once_when_cancelled(
    settings, isolated, staff_a, agency_a, job_kind
):
    settings.JOBS_CANCEL_GRACE_SECONDS = 30

    def reports(context):
        cancel(Job.objects.get(pk=context.job.pk), user=context.user)
        with transaction.atomic():
            Agency.objects.create(code="Z993", name="取消前写的单位")
            for done in range(1, 601):
                context(done, 600, "rows")
                time.sleep(0.05)
        return Outcome(message="never")

    job, seconds = run_and_time(job_kind("test_reports", reports), staff_a, agency_a)
    assert job.status == Job.Status.CANCELLED
    assert seconds < 5, seconds  # well before the grace: the work stopped itself
    assert not Agency.objects.filter(code="Z993").exists()


@in_a_worker
def test_progress_shows_while_the_child_works(isolated, staff_a, agency_a, job_kind):
    def reports_and_looks(context):
        seen = []
        for done in (12_000, 24_000):
            context(done, 50_000, "check")
            job = Job.objects.get(pk=context.job.pk)  # what the page's JSON reads meanwhile
            seen.append(f"{job.status} {job.fraction} {job.step}")
        return Outcome(message="; ".join(seen))  # the child's account comes back through the ending

    job, _seconds = run_and_time(job_kind("test_progress", reports_and_looks), staff_a, agency_a)
    assert job.status == Job.Status.DONE
    assert job.message == "running 0.24 check; running 0.48 check"
