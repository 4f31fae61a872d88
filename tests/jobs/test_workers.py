"""Jobs run by real workers, as in production: `db_worker` on the test database, `rqworker` on Redis.

The rest of the suite runs jobs with the immediate backend inside the request; here the job goes
through the queue to a worker process that runs it in a child process under its limits
(tests/jobs/workers.py). A worker sees only committed data, so these tests use transactional
databases.
"""

import uuid
from collections import Counter

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import enqueue
from tests.jobs import workers

db_workers, rq_workers = workers.db_workers, workers.rq_workers  # the fixtures

pytestmark = pytest.mark.django_db(transaction=True)


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
