"""Jobs run by real workers, as in production: `db_worker` on the test database, `rqworker` on Redis.

The rest of the suite runs jobs with the immediate backend inside the request; here the job goes
through the queue to a worker process that runs it in a child process under its limits
(tests/jobs/workers.py). A worker sees only committed data, so these tests use transactional
databases.
"""

import hashlib
import io
import uuid
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from jobs import sidecar
from jobs.models import Job
from jobs.runner import MSG_WORKER_LOST
from jobs.services import enqueue, reap_stale
from outreach.importing.services import MSG_IMPORTED, preview_upload, start_check, start_confirm
from outreach.importing.specs import sheet_for
from outreach.models import ImportBatch
from tests.conftest import client_for
from tests.factories import OfficialFactory
from tests.jobs import workers
from tests.reports.data import build
from tests.reports.test_workbook import PARAMS, summary
from visits.models import Visit, VisitOutcome

db_workers, rq_workers = workers.db_workers, workers.rq_workers  # the fixtures

pytestmark = pytest.mark.django_db(transaction=True)


VISITS = "走访基层"


@pytest.fixture
def zhang(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


def visits_workbook(rows: int) -> bytes:
    """A "走访基层" sheet of `rows` visits by 张伟 with unique references, as a clerk fills the template
    (openpyxl's write-only mode: about a second for 20,000 rows)."""
    columns = sheet_for(Visit).columns
    book = Workbook(write_only=True)
    sheet = book.create_sheet(VISITS)
    sheet.append([str(column.title) for column in columns])
    for number in range(1, rows + 1):
        values = {
            "reference": f"ZF-{number:06d}",
            "official": "张伟",
            "start_date": "2014-07-03",
            "end_date": "2014-07-04",
            "households": number % 9 + 1,
        }
        sheet.append([values.get(column.name) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("走访.xlsx", content)


def records() -> tuple:
    """The visit and outcome tables (with their history) as counts and a checksum of every row."""
    digest = hashlib.sha256()
    for queryset in (Visit.all_objects, VisitOutcome.all_objects, Visit.history, VisitOutcome.history):
        for row in queryset.order_by("pk").values_list():
            digest.update(repr(row).encode())
    counts = tuple(model.count() for model in (Visit.all_objects, VisitOutcome.all_objects, Visit.history))
    return counts, digest.hexdigest()


def checking_rows(job) -> bool:
    """The job is running and has reported rows checked: on PostgreSQL in its row, on SQLite (where the
    work's transaction holds the write lock) beside the database (jobs/sidecar.py), as its page shows it."""
    fresh = Job.objects.get(pk=job.pk)
    sidecar.overlay(fresh)
    return fresh.status == Job.Status.RUNNING and fresh.done > 0 and fresh.step == "check_sheet"


def progress_seen(job):
    """The states and progress a job goes through, as the page's JSON would poll them."""
    fresh = Job.objects.get(pk=job.pk)
    return fresh.status, fresh.done, fresh.total, fresh.step


def test_a_database_worker_runs_a_probe_from_queued_through_running_with_progress_to_done(db_workers, officer):
    job = enqueue("probe", user=officer, arguments={"seconds": 3, "steps": 6})
    assert job.status == Job.Status.QUEUED and job.task_id  # nobody has taken it yet: no worker runs
    db_workers.start()

    running = db_workers.wait(
        lambda: (state := progress_seen(job))[0] == Job.Status.RUNNING and state[1] > 0 and state,
        timeout=30,
        what="the probe to run and report progress",
    )
    _status, done, total, step = running
    assert 0 < done < total == 6 and step == "rows"

    job = db_workers.wait_for_job(job)
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total, job.fraction, job.attempts, job.message) == (6, 6, 1.0, 1, "ok")
    assert job.started_at and job.finished_at and job.started_at < job.finished_at


def test_several_database_workers_take_each_job_once(db_workers, officer, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "several database workers side by side need PostgreSQL: django-tasks-db takes a task with "
            "SELECT … FOR UPDATE SKIP LOCKED, which SQLite has not (one worker per SQLite file)"
        )
    settings.JOBS_MAX_PER_AGENCY = 100  # the cap is not what this test is about
    jobs = [enqueue("probe", user=officer, arguments={"seconds": 0.2}) for _number in range(30)]
    db_workers.start(3)

    db_workers.wait(
        lambda: Job.objects.filter(pk__in=[job.pk for job in jobs], status__in=Job.FINISHED).count() == len(jobs),
        timeout=120,
        what="30 probes to finish on 3 workers",
    )
    finished = Job.objects.filter(pk__in=[job.pk for job in jobs])
    assert set(finished.values_list("status", "attempts")) == {(Job.Status.DONE, 1)}
    tasks = DBTaskResult.objects.filter(queue_name=db_workers.queue)
    assert sorted(tasks.values_list("id", flat=True)) == sorted(uuid.UUID(job.task_id) for job in finished)
    runs = {str(task.id): (task.status, task.worker_ids, task.return_value) for task in tasks}
    # each task taken by exactly one worker, which claimed the job (a second delivery would return "skipped")
    assert {(status, len(workers), value) for status, workers, value in runs.values()} == {
        (TaskResultStatus.SUCCESSFUL, 1, Job.Status.DONE)
    }
    takers = Counter(workers[0] for _status, workers, _value in runs.values())
    assert len(takers) > 1, f"one worker took every job: {takers}"
    assert set(takers) <= {worker.name for worker in db_workers.started}


def test_an_rq_worker_on_redis_runs_a_probe(rq_workers, officer):
    job = enqueue("probe", user=officer, arguments={"seconds": 1, "steps": 4})
    assert job.status == Job.Status.QUEUED and job.task_id
    rq_workers.start()
    job = rq_workers.wait_for_job(job)
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total, job.attempts, job.message) == (4, 4, 1, "ok")


def test_an_rq_worker_writes_the_year_end_workbook(rq_workers, officer, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    rq_workers.start()
    job = enqueue("yearend_workbook", user=officer, arguments={"query": urlencode(PARAMS)})
    job = rq_workers.wait_for_job(job, timeout=120)
    assert job.status == Job.Status.DONE, job.error
    assert (job.result_name, job.attempts) == ("年度统计-2014-省-全部录入-2014-07-31.xlsx", 1)
    assert job.done == job.total > 0  # the rows written, reported as it went
    book = load_workbook(io.BytesIO(bytes(job.result_content)), read_only=True)
    figures = client_for(officer).get(reverse("reports:year_end_json"), PARAMS).json()["figures"]
    assert summary(book) == figures and figures["cp.points"] == 4


def test_a_database_worker_checks_and_confirms_an_import_in_a_child_process(db_workers, staff_a, agency_a, zhang):
    db_workers.start()
    batch, check = start_check(file=upload(visits_workbook(300)), agency=agency_a, user=staff_a)
    check = db_workers.wait_for_job(check)
    assert check.status == Job.Status.DONE, check.error
    batch.refresh_from_db()
    assert (batch.status, batch.rows_created, batch.problems) == (ImportBatch.Status.PREVIEWED, 300, 0)
    assert (check.kind, check.result_url, check.fraction) == ("import_check", batch.get_absolute_url(), 1.0)
    # the rows checked were reported from the child while its transaction was open (on SQLite, where the
    # check holds the write lock, beside the database: jobs/sidecar.py) and kept when the job ended
    assert (check.done, check.total) == (300, 300)
    assert not Visit.all_objects.exists()  # the check wrote nothing

    confirm = db_workers.wait_for_job(start_confirm(batch=batch, user=staff_a))
    assert confirm.status == Job.Status.DONE, confirm.error
    with translation.override(confirm.language):
        assert confirm.message == MSG_IMPORTED % {"created": 300, "updated": 0, "unchanged": 0}
    batch.refresh_from_db()
    assert (batch.status, batch.imported_by) == (ImportBatch.Status.IMPORTED, staff_a)
    assert Visit.objects.filter(agency=agency_a, official=zhang).count() == 300
    assert sorted(Visit.objects.values_list("reference", flat=True))[::299] == ["ZF-000001", "ZF-000300"]


def test_a_worker_killed_mid_confirm_leaves_the_database_as_it_was_and_the_confirm_is_never_run_twice(
    db_workers, staff_a, agency_a, zhang
):
    rows = 20_000
    batch = preview_upload(file=upload(visits_workbook(rows)), agency=agency_a, user=staff_a)
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.PREVIEWED, rows)
    before = records()
    assert before[0] == (0, 0, 0)

    (worker,) = db_workers.start()
    job = start_confirm(batch=batch, user=staff_a)
    # the confirm's transaction is open and has written rows (the engine writes chunk by chunk as it checks)
    db_workers.wait(lambda: checking_rows(job), timeout=60, interval=0.01, what="the confirm to report progress")
    db_workers.kill(worker)  # SIGKILL to the worker and the job's child process

    assert records() == before
    batch.refresh_from_db()
    assert (batch.status, batch.imported_at) == (ImportBatch.Status.PREVIEWED, None)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.RUNNING, 1)  # nobody knows yet

    # the lost worker's job is failed, not queued again: an import's confirm is never retried
    assert reap_stale(seconds=0) == 1
    job.refresh_from_db()
    with translation.override(job.language):
        assert (job.status, job.error, job.attempts) == (Job.Status.FAILED, str(MSG_WORKER_LOST), 1)

    # a new worker takes the next job (a probe), and the confirm is not run again
    db_workers.start()
    probe = db_workers.wait_for_job(enqueue("probe", user=staff_a, agency=agency_a), timeout=60)
    assert probe.status == Job.Status.DONE, probe.error
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)
    assert records() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED

    # confirming again (a new job) imports every row, once
    again = start_confirm(batch=batch, user=staff_a)
    assert again.pk != job.pk
    again = db_workers.wait_for_job(again, timeout=180)
    assert again.status == Job.Status.DONE, again.error
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert (Visit.objects.count(), Visit.history.count()) == (rows, rows)
