"""A running job's progress beside the database, for when the database cannot take it (SQLite).

SQLite has one writer at a time: while a job's own transaction writes (an import's check or
confirm), neither its progress reports nor its worker's heartbeat can be written to the job's
row. They go to a small file instead (in JOBS_TMPDIR, named after the database and the job), which
the job's page and JSON read while the job runs, and which tells `reap_stale` that the worker is
alive. On PostgreSQL the row takes them and no file is written. The file is removed when the job
ends.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone


def _database_key() -> str:
    """The database the jobs live in: two sites (or two test runs) on one machine keep apart."""
    db = connections["default"].settings_dict
    ident = f"{db['ENGINE']}|{db['NAME']}|{db.get('HOST', '')}|{db.get('PORT', '')}"
    return hashlib.sha256(ident.encode()).hexdigest()[:12]


def path_of(job_id: int) -> Path:
    return Path(settings.JOBS_TMPDIR or tempfile.gettempdir()) / f"outreach-job-{_database_key()}-{job_id}.json"


def write(job_id: int, values: dict) -> None:
    """Keep the job's latest progress (done, total, step, step_params); atomic for readers."""
    path = path_of(job_id)
    data = {key: values[key] for key in ("done", "total", "step", "step_params") if key in values}
    with contextlib.suppress(OSError):
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, path)


def beat(job_id: int) -> None:
    """The worker is alive, though the database cannot be told now."""
    path = path_of(job_id)
    with contextlib.suppress(OSError):
        if path.exists():
            os.utime(path)
        else:
            path.write_text("{}")


def read(job_id: int) -> tuple[dict, datetime.datetime] | None:
    """(the progress kept beside the database, when it was last touched), or None."""
    path = path_of(job_id)
    try:
        stamp = path.stat().st_mtime
        data = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return None
    return data, datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)


def alive(job_id: int, seconds: float) -> bool:
    """Has the job's worker been heard of through the file in the last `seconds`?"""
    try:
        return time.time() - path_of(job_id).stat().st_mtime < seconds
    except OSError:
        return False


def overlay(job) -> None:
    """Show a running job's latest progress: the file's, when it is newer than the row's."""
    kept = read(job.pk) if job.status == job.Status.RUNNING else None
    if kept is None:
        return
    data, stamp = kept
    if job.heartbeat_at is not None and stamp <= job.heartbeat_at:
        return
    for key in ("done", "total", "step", "step_params"):
        if key in data:
            setattr(job, key, data[key])
    job.heartbeat_at = min(stamp, timezone.now())


def drop(job_id: int) -> None:
    with contextlib.suppress(OSError):
        path_of(job_id).unlink()
