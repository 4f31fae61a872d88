"""Test settings: the real settings with a fast hasher and plain static storage."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from outreach.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LANGUAGE_CODE = "zh-hans"
# No persistent connections in tests: a live server thread's open connection would keep
# PostgreSQL from dropping the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Jobs run in the request (the immediate backend), in the test's own transaction; the end-to-end
# tests start real workers with their own settings (tests/jobs/workers.py).
TASKS_BACKEND = os.environ.get("TEST_TASKS_BACKEND", "immediate")
TASKS["default"]["BACKEND"] = {  # noqa: F405
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}[TASKS_BACKEND]
JOBS_ISOLATION = os.environ.get("JOBS_ISOLATION", "inline")
JOBS_DATABASE = os.environ.get("JOBS_DATABASE", "default")

# On SQLite the test database is a file (not Django's shared in-memory one), so that a real job worker,
# started as another process by the end-to-end tests, works on the same database. One name per test
# process (pytest-xdist adds _gw0, _gw1…); Django deletes the file when the run ends.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    import uuid

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"outreach-test-{uuid.uuid4().hex[:12]}.sqlite3")
    }

# A replica alias mirroring the test database, for the router's tests (tests/outreach/test_replica.py), which
# turn the router on with override_settings(DATABASE_ROUTERS=...); no other test reads it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
