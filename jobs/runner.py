"""Running a job on a worker: the one task of the Django tasks API, the limits, the ending.

`run_job` is the only task (django_tasks `@task`): the queue, whatever its backend (the
database by default, Redis through django-tasks-rq when the province outgrows it), carries the
job's id and nothing else. The worker that takes it:

1. claims the job (queued → running in one conditional UPDATE, so a job delivered twice, or
   taken by two database workers at once, runs once);
2. runs its kind's function in a child process (JOBS_ISOLATION = "process", the default) with a
   memory limit (JOBS_MEMORY_LIMIT_MB, RLIMIT_AS) and a wall-clock limit (JOBS_TIME_LIMIT): a job
   that exceeds one fails with a message and the worker goes on to the next job. The worker
   beats the job's heart while the child works and stops the child when its owner cancels.
   The child dies with the worker (PR_SET_PDEATHSIG), so a worker killed mid-job leaves no
   orphan writing behind it: the open transaction is rolled back and the job, no longer heard
   of, is marked failed by `reap_stale` (or run again when its kind is safe to retry);
3. writes the ending: the result file into the job row (from a temporary file the work wrote),
   or the error, or "cancelled".

JOBS_ISOLATION = "inline" runs the function in the worker itself (the test suite, with the
immediate backend: the job is done when `enqueue` returns).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import errno
import glob
import logging
import multiprocessing
import os
import resource
import signal
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, OperationalError, connections
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from jobs import sidecar
from jobs.kinds import Outcome, get_kind
from jobs.models import Job
from outreach.excel import XLSX_CONTENT_TYPE

logger = logging.getLogger(__name__)

MSG_TIME_LIMIT = _("The job took longer than the limit of %(minutes)s minutes and was stopped. Nothing was changed.")
MSG_MEMORY = _("The job needed more memory than the limit of %(mb)s MB and was stopped. Nothing was changed.")
MSG_CRASHED = _("The job stopped unexpectedly (it may have run out of memory). Nothing was changed; please try again.")
MSG_WORKER_LOST = _(
    "The worker running this job stopped (restarted or killed). Nothing was changed; please start the job again."
)
MSG_DISK_FULL = _("The result could not be written: the server's disk is full. Nothing is offered for download.")
MSG_WRITE_FAILED = _("The result could not be written (%(error)s). Nothing is offered for download.")
MSG_SAVE_FAILED = _("The result could not be saved (%(error)s). Nothing is offered for download.")
MSG_UNEXPECTED = _("The job failed because of an error on the server (%(error)s). Nothing was changed.")
MSG_NOT_ALLOWED = _("You are no longer allowed to do this.")

PR_SET_PDEATHSIG = 1


class JobCancelled(Exception):
    """Raised inside the work when its owner cancels: the work stops, its transaction is rolled back."""


@dataclass
class Ending:
    status: str
    error: str = ""
    message: str = ""
    link: str = ""
    path: str = ""
    name: str = ""
    content_type: str = ""


class JobContext:
    """What a kind's function gets: the job, its arguments, who asked, progress and a place for the result file.

    Calling it reports progress: `context(done, total, "check", sheet=…)` (outreach.progress). It writes
    at most every JOBS_PROGRESS_INTERVAL seconds through its own connection (JOBS_DATABASE), so the
    progress shows while the work's own transaction is still open, and raises `JobCancelled` once the
    owner has cancelled.
    """

    def __init__(self, job: Job, *, database: str | None = None):
        self.job = job
        self.arguments = job.arguments
        self.database = database or settings.JOBS_DATABASE
        self.interval = settings.JOBS_PROGRESS_INTERVAL
        self.last = 0.0
        self.path = ""
        self.name = ""
        self.content_type = ""
        self.handle = None

    @cached_property
    def user(self):
        from django.contrib.auth import get_user_model

        if self.job.requested_by_id is None:
            return None
        return get_user_model().objects.select_related("profile").get(pk=self.job.requested_by_id)

    @cached_property
    def agency(self):
        return self.job.agency

    def __call__(self, done: int, total: int, step: str = "", **params) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and done < total:
            return
        self.last = now
        values = {"done": max(0, done), "total": max(0, total), "heartbeat_at": timezone.now()}
        if step:
            values.update(step=step[:32], step_params={key: str(value) for key, value in params.items()})
        if self._work_holds_the_lock():
            sidecar.write(self.job.pk, values)
            updated = not self._cancel_requested()
        else:
            try:
                updated = (
                    Job.objects.using(self.database)
                    .filter(pk=self.job.pk, cancel_requested=False, status=Job.Status.RUNNING)
                    .update(**values)
                )
            except OperationalError:  # SQLite: another writer holds the lock; the progress goes beside the database
                sidecar.write(self.job.pk, values)
                updated = not self._cancel_requested()  # and a cancel can still be read
        if not updated:
            raise JobCancelled

    def _work_holds_the_lock(self) -> bool:
        """SQLite: the work's own transaction (IMMEDIATE) holds the one write lock, so a write through the
        jobs connection could only wait for its timeout and fail: the progress goes beside the database."""
        work = connections["default"]
        return self.database != "default" and work.vendor == "sqlite" and work.in_atomic_block

    def _cancel_requested(self) -> bool:
        try:
            return Job.objects.using(self.database).filter(pk=self.job.pk, cancel_requested=True).exists()
        except OperationalError:  # not even a read (SQLite writing the work's pages out): the next call sees it
            return False

    def output(self, name: str, content_type: str = XLSX_CONTENT_TYPE):
        """A binary file to write the result into; it is kept with the job once the work returns."""
        handle = tempfile.NamedTemporaryFile(prefix=_temp_prefix(self.job.pk), dir=settings.JOBS_TMPDIR, delete=False)
        self.path, self.name, self.content_type, self.handle = handle.name, name[-255:], content_type, handle
        return handle

    def close(self) -> None:
        """Close the result file (its last bytes reach the disk here, so a full disk can fail here)."""
        if self.handle is not None:
            self.handle.close()

    def discard(self) -> None:
        """Drop the result file of work that did not finish: nothing partial is kept."""
        with contextlib.suppress(OSError):
            self.close()
        _drop(self.path)


def _temp_prefix(job_id: int) -> str:
    return f"job-{job_id}-"


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _drop(path: str) -> None:
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def execute(job: Job, *, database: str | None = None) -> Ending:
    """Run the job's function here and now; every way it can end becomes an `Ending` (nothing raises)."""
    context = JobContext(job, database=database)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            try:
                outcome = get_kind(job.kind).run(context) or Outcome()
                context.close()  # a result file left open by the work: flushed now, or failed as a write
            except JobCancelled:
                context.discard()
                return Ending(Job.Status.CANCELLED)
            except ValidationError as error:
                context.discard()
                return Ending(Job.Status.FAILED, error=_messages(error))
            except PermissionDenied:
                context.discard()
                return Ending(Job.Status.FAILED, error=str(MSG_NOT_ALLOWED))
            except MemoryError:
                context.discard()
                return Ending(Job.Status.FAILED, error=str(MSG_MEMORY) % {"mb": settings.JOBS_MEMORY_LIMIT_MB})
            except OSError as error:
                context.discard()
                if error.errno == errno.ENOSPC:
                    return Ending(Job.Status.FAILED, error=str(MSG_DISK_FULL))
                return Ending(Job.Status.FAILED, error=str(MSG_WRITE_FAILED) % {"error": error.strerror or error})
            except Exception as error:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                context.discard()
                return Ending(Job.Status.FAILED, error=str(MSG_UNEXPECTED) % {"error": error.__class__.__name__})
            return Ending(
                Job.Status.DONE,
                message=str(outcome.message),
                link=outcome.link,
                path=context.path,
                name=context.name,
                content_type=context.content_type,
            )
    finally:
        for alias in {context.database, "default"}:
            # not inside the caller's transaction (the immediate backend in a test): closing would end it
            if not connections[alias].in_atomic_block:
                connections[alias].close_if_unusable_or_obsolete()


def finish(job: Job, ending: Ending) -> str:
    """Write the ending on the job row (the result file into it); returns the job's final status."""
    now = timezone.now()
    values = {"status": ending.status, "finished_at": now, "heartbeat_at": now, "message": ending.message[:2000]}
    kept = sidecar.read(job.pk)  # SQLite: the last progress the database could not take while the work wrote
    if kept is not None:
        values.update({key: kept[0][key] for key in ("done", "total") if key in kept[0]})
        sidecar.drop(job.pk)
    if ending.status == Job.Status.FAILED:
        values["error"] = ending.error or str(MSG_CRASHED)
    if ending.status == Job.Status.DONE:
        values.update(step="done", result_link=ending.link[:300])
        if ending.path:
            try:
                with open(ending.path, "rb") as handle:
                    content = handle.read()
            except OSError as error:
                values.update(status=Job.Status.FAILED, error=str(MSG_WRITE_FAILED) % {"error": error.strerror})
            else:
                values.update(
                    result_name=ending.name,
                    result_content=content,
                    result_size=len(content),
                    result_content_type=ending.content_type,
                    result_expires_at=now + datetime.timedelta(days=settings.JOBS_KEEP_DAYS),
                )
    try:
        Job.objects.filter(pk=job.pk).update(**values)
    except DatabaseError as error:
        logger.exception("job %s: the result could not be saved", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            finished_at=now,
            error=str(MSG_SAVE_FAILED) % {"error": error.__class__.__name__},
            result_name="",
            result_size=0,
        )
        values["status"] = Job.Status.FAILED
    finally:
        _drop(ending.path)
    return values["status"]


# -- process isolation ------------------------------------------------------------------------


def _die_with_parent() -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the stale check still ends the job
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _limit_memory() -> None:
    limit = settings.JOBS_MEMORY_LIMIT_MB * 1024 * 1024
    if limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(job_id: int, pipe) -> None:
    status = 1
    try:
        _die_with_parent()
        _limit_memory()
        job = Job.objects.select_related("agency").get(pk=job_id)
        ending = execute(job)
        pipe.send(ending)
        status = 0
    except BaseException:
        logger.exception("job %s: the child process failed", job_id)
    finally:
        try:
            connections.close_all()
        finally:
            os._exit(status)


def _heartbeat(job: Job) -> bool:
    """Mark the job alive; True when its owner has asked to cancel it.

    The cancel is read first: on SQLite a read goes through while the child's transaction holds the write
    lock, the heartbeat's write does not (it waits, then fails), and a job being cancelled needs no beat.
    """
    try:
        jobs = Job.objects.using(settings.JOBS_DATABASE)  # on SQLite: gives up at once while the child writes
        if jobs.filter(pk=job.pk, cancel_requested=True).exists():
            return True
        jobs.filter(pk=job.pk, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
    except OperationalError:  # SQLite busy with the child's write: the beat goes beside the database
        sidecar.beat(job.pk)
    return False


def _drop_leftovers(job: Job) -> None:
    """Remove the result file a child stopped mid-work left behind (it never handed it over)."""
    directory = settings.JOBS_TMPDIR or tempfile.gettempdir()
    for path in glob.glob(os.path.join(glob.escape(directory), glob.escape(_temp_prefix(job.pk)) + "*")):
        _drop(path)


def run_isolated(job: Job) -> Ending:
    """Run the job in a child process under the memory and time limits; the worker survives whatever it does."""
    connections.close_all()  # the child opens its own connections; a shared socket would be corrupted
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(job.pk, writer), name=f"job-{job.pk}")
    process.start()
    writer.close()
    deadline = time.monotonic() + settings.JOBS_TIME_LIMIT
    cancel_seen_at = None
    ending = None
    try:
        while ending is None:
            if reader.poll(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    ending = reader.recv()
                except EOFError:  # the child died without a word
                    break
                continue
            if not process.is_alive():
                break
            if _heartbeat(job) and cancel_seen_at is None:
                cancel_seen_at = time.monotonic()
            if cancel_seen_at is not None and time.monotonic() - cancel_seen_at > settings.JOBS_CANCEL_GRACE_SECONDS:
                process.kill()  # the work did not notice in time: stop it (its transaction is rolled back)
                ending = Ending(Job.Status.CANCELLED)
            elif time.monotonic() > deadline:
                process.kill()
                minutes = f"{settings.JOBS_TIME_LIMIT / 60:g}"
                ending = Ending(Job.Status.FAILED, error=str(MSG_TIME_LIMIT) % {"minutes": minutes})
    finally:
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()
        reader.close()
    if ending is None:
        cancelled = Job.objects.filter(pk=job.pk, cancel_requested=True).exists()
        ending = Ending(Job.Status.CANCELLED) if cancelled else Ending(Job.Status.FAILED, error=str(MSG_CRASHED))
    if not ending.path:
        _drop_leftovers(job)
    return ending


# -- the task ---------------------------------------------------------------------------------


def claim(job_id: int) -> Job | None:
    """Queued → running, once: None when the job is gone, cancelled or already taken."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, cancel_requested=False).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1, step="start"
    )
    if not taken:
        return None
    return Job.objects.select_related("agency").get(pk=job_id)


@task()
def run_job(job_id: int) -> str:
    """The task every backend runs: claim the job, do it under its limits, write how it ended."""
    job = claim(job_id)
    if job is None:
        return "skipped"
    with translation.override(job.language or settings.LANGUAGE_CODE):
        ending = run_isolated(job) if settings.JOBS_ISOLATION == "process" else execute(job)
        return finish(job, ending)
