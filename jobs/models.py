"""A background job: long work asked for on a page and done by a worker (docs/jobs.md).

The job row is what users and officers see (who asked, for which agency, with which arguments,
how far it has come, what came out); the task queue (the Django tasks API, `jobs.runner.run_job`)
only carries the job's id to a worker. So the page, its JSON and the list read one table whatever
backend runs the work, and a worker that dies leaves a row that says so.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.models import Agency
from outreach.progress import step_text
from outreach.querysets import AgencyScopedQuerySet


class JobQuerySet(AgencyScopedQuerySet):
    def active(self):
        return self.filter(status__in=Job.ACTIVE)

    def listing(self):
        """For lists: without the result's bytes."""
        return self.select_related("agency", "requested_by").defer("result_content")

    def stale(self, seconds: float | None = None):
        """Running jobs whose worker has not been heard of for `seconds` (JOBS_STALE_SECONDS)."""
        seconds = settings.JOBS_STALE_SECONDS if seconds is None else seconds
        return self.filter(
            status=Job.Status.RUNNING, heartbeat_at__lt=timezone.now() - datetime.timedelta(seconds=seconds)
        )

    def expired(self, now=None):
        """Finished jobs whose result file is past its keeping time (JOBS_KEEP_DAYS)."""
        now = now or timezone.now()
        return self.filter(result_expires_at__lt=now, result_size__gt=0)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        help_text=_("The agency the work is for (empty: the whole province)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    #: what the work needs, as validated at enqueue (JSON: ids, a query string, a year…)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    #: the language of the person who asked: the result (workbook headers, messages) is written in it
    language = models.CharField(_("language"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=clock.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    #: the last sign of life of the worker running the job (JOBS_STALE_SECONDS)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("expected"), default=0)
    #: the current step's code (outreach.progress.STEPS) and its parameters, shown in the reader's language
    step = models.CharField(_("step"), max_length=32, default="queued")
    step_params = models.JSONField(_("step parameters"), default=dict, blank=True)
    #: why the job failed, in the site's language, for the person who asked
    error = models.TextField(_("error"), blank=True)
    #: a short account of what the job did ("已催报 12 个单位")
    message = models.TextField(_("result"), blank=True)
    #: the result file, kept in the database so every web server and worker reads the same one
    result_name = models.CharField(_("result file"), max_length=255, blank=True)
    result_content = models.BinaryField(_("result file content"), null=True, blank=True, editable=False)
    result_size = models.PositiveBigIntegerField(_("result size (bytes)"), default=0)
    result_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    #: where the result is seen instead of a file (an import's preview)
    result_link = models.CharField(_("result page"), max_length=300, blank=True)
    result_expires_at = models.DateTimeField(_("result kept until"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status"], name="job_agency_status"),
            models.Index(fields=["requested_by", "-created_at"], name="job_requester_created"),
        ]

    def __str__(self):
        return _("Job #%(number)s (%(kind)s)") % {"number": self.pk, "kind": self.kind_label}

    def get_absolute_url(self):
        return reverse("jobs:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        from jobs.kinds import kind_label

        return kind_label(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def fraction(self) -> float:
        """How far the job has come, 0.0–1.0 (1.0 once done)."""
        if self.status == self.Status.DONE:
            return 1.0
        if not self.total:
            return 0.0
        return max(0.0, min(1.0, self.done / self.total))

    @property
    def step_text(self) -> str:
        if self.status == self.Status.DONE:
            return step_text("done")
        if self.status == self.Status.QUEUED:
            return step_text("queued")
        if self.status in (self.Status.FAILED, self.Status.CANCELLED):
            return self.get_status_display()
        return step_text(self.step, self.done, self.total, self.step_params)

    @property
    def seconds_left(self) -> int | None:
        """A guess at the seconds left from the pace so far; None until there is a pace to go by."""
        if self.status != self.Status.RUNNING or not self.started_at or not self.total or not self.done:
            return None
        fraction = self.fraction
        if fraction <= 0 or fraction >= 1:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(0, round(elapsed * (1 - fraction) / fraction))

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result_name) and self.result_size > 0

    @property
    def result_url(self) -> str | None:
        if self.status != self.Status.DONE:
            return None
        if self.result_link:
            return self.result_link
        if self.has_file and (self.result_expires_at is None or self.result_expires_at > timezone.now()):
            return reverse("jobs:download", args=[self.pk])
        return None
