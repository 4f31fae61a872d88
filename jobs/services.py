"""Asking for a job, cancelling it, and the housekeeping that keeps the queue honest."""

from __future__ import annotations

import contextlib
import datetime
import json
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend

from jobs import sidecar
from jobs.kinds import KINDS, get_kind
from jobs.models import Job
from jobs.runner import MSG_WORKER_LOST, run_job

logger = logging.getLogger(__name__)

MSG_TOO_MANY = _(
    "%(count)s jobs of yours are already queued or running (the limit is %(limit)s at once). "
    "Wait for one to finish, or cancel one, and try again."
)
MSG_BAD_ARGUMENTS = _("The job's settings could not be stored; nothing was started.")
MSG_NOT_YOURS = _("Only the person who started a job can cancel it.")
MSG_ALREADY_FINISHED = _("This job has already finished; there is nothing to cancel.")
MSG_QUEUE_DOWN = _("The job could not be queued: the job queue is not available. Nothing was started; try again later.")


def _cap_scope(user, agency):
    """Whose running jobs count against the cap: the agency's (staff) or the person's own (province-wide work)."""
    jobs = Job.objects.active()
    return jobs.filter(agency=agency) if agency is not None else jobs.filter(requested_by=user, agency__isnull=True)


def enqueue(kind: str, *, user, agency=None, arguments: dict | None = None) -> Job:
    """Queue a job of `kind` for `user` (and `agency`, or the whole province): refused with a
    ValidationError, nothing queued, when the agency (or the person) already has
    JOBS_MAX_PER_AGENCY jobs queued or running. Arguments must already be validated (by the
    page's form); they are stored as JSON."""
    get_kind(kind)
    arguments = dict(arguments or {})
    try:
        json.dumps(arguments)
    except (TypeError, ValueError) as error:
        raise ValidationError(MSG_BAD_ARGUMENTS, code="bad_arguments") from error
    limit = settings.JOBS_MAX_PER_AGENCY
    with transaction.atomic():
        running = _cap_scope(user, agency).count()
        if running >= limit:
            raise ValidationError(MSG_TOO_MANY, code="too_many", params={"count": running, "limit": limit})
        job = Job.objects.create(
            kind=kind,
            agency=agency,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            arguments=arguments,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
    if isinstance(run_job.get_backend(), (ImmediateBackend, DatabaseBackend)):
        _send(job)  # in this transaction: the task row commits with the job's (or the job runs here and now)
    else:
        # A broker outside the database (Redis): only once the job's row is committed, or a worker quick
        # off the mark would not find it and the job would wait, queued, for ever.
        transaction.on_commit(lambda: _send(job))
    return job


def _send(job: Job) -> None:
    try:
        result = run_job.using(queue_name=settings.JOBS_QUEUE).enqueue(job.pk)
    except Exception as error:  # the broker is down (Redis unreachable): the job must not wait, queued, for ever
        logger.exception("job %s could not be queued", job.pk)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            message = str(MSG_QUEUE_DOWN)
        with contextlib.suppress(DatabaseError):
            Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.FAILED, error=message, finished_at=timezone.now()
            )
        raise ValidationError(MSG_QUEUE_DOWN, code="queue_down") from error
    # The immediate backend has run the job by now; any other has queued it.
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()


def cancel(job: Job, *, user) -> Job:
    """The owner cancels: a queued job at once; a running one stops at its next progress report
    (its transaction rolled back) or is stopped by its worker after JOBS_CANCEL_GRACE_SECONDS."""
    if job.requested_by_id is None or job.requested_by_id != getattr(user, "pk", None):
        raise PermissionDenied(MSG_NOT_YOURS)
    if not job.is_active:
        raise ValidationError(MSG_ALREADY_FINISHED, code="finished")
    now = timezone.now()
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, cancel_requested=True, finished_at=now
    )
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()
    return job


def reap_stale(*, seconds: float | None = None, job_ids=None) -> int:
    """Running jobs whose worker has gone silent: run again when their kind is safe to retry and
    attempts remain, else failed with a message. Returns how many were dealt with."""
    seconds = settings.JOBS_STALE_SECONDS if seconds is None else seconds
    stale = Job.objects.stale(seconds)
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    count = 0
    for job in stale.only("pk", "kind", "attempts", "heartbeat_at", "language"):
        if seconds and sidecar.alive(job.pk, seconds):  # SQLite: its worker beats beside the database
            continue
        kind = KINDS.get(job.kind)
        same = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at)
        if (
            kind is not None
            and job.attempts <= kind.retries
            and not Job.objects.filter(pk=job.pk, cancel_requested=True).exists()
        ):
            if same.update(status=Job.Status.QUEUED, step="queued", done=0, heartbeat_at=None):
                logger.warning("job %s: its worker was lost; queued again (attempt %s)", job.pk, job.attempts + 1)
                with contextlib.suppress(ValidationError):  # the queue is down: the job is failed with a message
                    _send(job)
                count += 1
            continue
        with translation.override(job.language or settings.LANGUAGE_CODE):
            error = str(MSG_WORKER_LOST)
        if same.update(status=Job.Status.FAILED, error=error, finished_at=timezone.now()):
            sidecar.drop(job.pk)
            count += 1
    return count


def drop_expired_results(now=None) -> int:
    """Forget result files past JOBS_KEEP_DAYS (the job's row and its account stay)."""
    return Job.objects.expired(now).update(result_content=None, result_size=0)


def prune_finished(days: int, now=None) -> int:
    """Delete finished jobs older than `days` (0: keep them all)."""
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _per_model = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff).delete()
    return deleted
