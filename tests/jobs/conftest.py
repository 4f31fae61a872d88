"""The jobs app's tests: test-only job kinds, jobs made directly, English for exact messages."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from jobs.kinds import KINDS, register
from jobs.models import Job


@pytest.fixture
def job_kind():
    """Register a test-only kind: `job_kind("name", function, retries=0)`; removed after the test.

    A forked child (JOBS_ISOLATION = "process") inherits the registry, so it runs these kinds too.
    """
    added = []

    def add(name, function, **options):
        assert name not in KINDS, f"{name} is a real kind"
        register(name, label=f"test kind {name}", **options)(function)
        added.append(name)
        return name

    yield add
    for name in added:
        KINDS.pop(name, None)


@pytest.fixture
def english():
    """Messages in English (the msgids), whatever the catalogue says."""
    with translation.override("en"):
        yield


def english_client(user) -> Client:
    """A logged-in client that picked English on the language switcher (the cookie)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def make_job(user, *, agency=None, status=Job.Status.DONE, kind="probe", **fields) -> Job:
    """A job row as a worker would have left it (no task queued)."""
    now = timezone.now()
    values = {"language": "en", "created_at": now, "attempts": 0 if status == Job.Status.QUEUED else 1}
    if status != Job.Status.QUEUED:
        values.update(started_at=now, heartbeat_at=now)
    if status in Job.FINISHED:
        values["finished_at"] = now
    values.update(fields)
    return Job.objects.create(kind=kind, status=status, requested_by=user, agency=agency, **values)


def with_file(job: Job, content: bytes = b"PK\x03\x04 a workbook", *, days: float = 7) -> Job:
    """A finished job with a result file kept for `days` more days (negative: expired)."""
    job.result_name = "访问记录.xlsx"
    job.result_content = content
    job.result_size = len(content)
    job.result_content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    job.result_expires_at = timezone.now() + datetime.timedelta(days=days)
    job.save()
    return job
