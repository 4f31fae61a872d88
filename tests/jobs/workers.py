"""Real job workers for end-to-end tests: `manage.py db_worker` or `manage.py rqworker` processes on the TEST database.

The test suite runs jobs with the immediate backend, inside the request. These helpers start the
workers production runs, as subprocesses of the test, on the test's own database (a file on SQLite,
see outreach/settings_test.py; the test database on PostgreSQL) and on a queue of their own, and
point the test process's task backend at the same queue, so a job enqueued by a view or by
`jobs.services.enqueue` is taken by a real worker, in a child process under its limits
(JOBS_ISOLATION=process), exactly as in production.

    @pytest.mark.django_db(transaction=True)   # a worker sees only committed data
    def test_something(db_workers):
        db_workers.start()
        job = enqueue("probe", user=..., arguments={"seconds": 1, "steps": 5})
        job = db_workers.wait_for_job(job, Job.Status.DONE)

Workers are stopped at teardown (SIGTERM, then SIGKILL, each in its own process group) and their
output is printed there: pytest shows it under "Captured stdout teardown" when the test failed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
#: a Redis database of its own, so nothing collides with other users of the local Redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
IN_CI = os.environ.get("CI", "").lower() == "true"


def database_url() -> str:
    """The URL of the database the test process works on (the test database), for a worker's DATABASE_URL."""
    params = connection.settings_dict
    engine = params["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(params["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("a worker process cannot share an in-memory SQLite database (settings_test.py)")
        return f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        user = quote(params.get("USER") or "", safe="")
        password = quote(params.get("PASSWORD") or "", safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = quote(params.get("HOST") or "", safe="")  # empty: the local socket, as the test process connects
        port = f":{params['PORT']}" if params.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(params['NAME'], safe='')}"
    raise RuntimeError(f"no worker URL for the database engine {engine}")


def redis_available(url: str = REDIS_URL) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.exceptions.RedisError, OSError):
        return False


def require_redis() -> None:
    """Skip when the local Redis is not there, except under CI=true, where the rq path must be tested."""
    if redis_available():
        return
    message = f"Redis is not reachable at {REDIS_URL} (start it: `redis-server --daemonize yes`)"
    if IN_CI:
        pytest.fail(message + " (CI=true: the Redis backend's tests may not be skipped)")
    pytest.skip(message)


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path
    command: list[str]
    #: killed on purpose by the test: its death is not a failure
    expected: bool = False

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def signal_group(self, signum: int) -> None:
        """Signal the worker and every process it started (the job's child): they share its process group."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def kill(self) -> None:
        """SIGKILL the worker and its job's child at once, as the OOM killer or a power cut would."""
        self.signal_group(signal.SIGKILL)
        self.process.wait(10)

    def stop(self, grace: float = 10) -> None:
        """SIGTERM (a worker finishes its current job's step and exits), then SIGKILL."""
        if self.alive():
            self.signal_group(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.signal_group(signal.SIGKILL)
                self.process.wait(10)
        else:
            self.signal_group(signal.SIGKILL)  # a child the dead worker left behind


@dataclass
class Workers:
    """Worker processes of one backend on one queue of their own, and the test process pointed at it."""

    backend: str = "database"
    queue: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:10]}")
    environment: dict = field(default_factory=dict)
    started: list[Worker] = field(default_factory=list)

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}")
        self.logs = Path(tempfile.mkdtemp(prefix="outreach-workers-"))

    # -- the test process ---------------------------------------------------------------------

    def settings(self) -> dict:
        """What the test process needs to enqueue to these workers (django_tasks resets its backends
        when TASKS changes: django_tasks/signals.py; django_rq reads RQ_QUEUES at each call)."""
        queues = sorted({"default", self.queue})  # as outreach/settings.py: the task is declared on "default"
        return {
            "TASKS_BACKEND": self.backend,
            "JOBS_QUEUE": self.queue,
            "TASKS": {"default": {"BACKEND": BACKENDS[self.backend], "QUEUES": queues}},
            "RQ_QUEUES": {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1} for name in queues},
        }

    def env(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "outreach.settings_test",
            "DATABASE_URL": database_url(),
            "TEST_TASKS_BACKEND": self.backend,
            "JOBS_ISOLATION": "process",
            "JOBS_DATABASE": "jobs",
            "JOBS_QUEUE": self.queue,
            "REDIS_URL": REDIS_URL,
            "SITE_TODAY": str(settings.SITE_TODAY or ""),
            "PYTHONUNBUFFERED": "1",
            **self.environment,
        }
        env.pop("PYTEST_XDIST_WORKER", None)
        return env

    # -- the workers --------------------------------------------------------------------------

    def command(self, name: str) -> list[str]:
        manage = [sys.executable, str(ROOT / "manage.py")]
        if self.backend == "database":
            return [
                *manage,
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--queue-name",
                self.queue,
                "--worker-id",
                name,
                "-v",
                "2",
            ]
        return [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", "--name", name, self.queue]

    def start(self, count: int = 1) -> list[Worker]:
        new = []
        env = self.env()
        for _number in range(count):
            name = f"{self.queue}-w{len(self.started) + 1}-{socket.gethostname()[:8]}"[:64]
            log = self.logs / f"{name}.log"
            command = self.command(name)
            with open(log, "wb") as handle:
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: the job's child is killed with it
                )
            worker = Worker(name=name, process=process, log=log, command=command)
            self.started.append(worker)
            new.append(worker)
        return new

    def stop(self) -> None:
        for worker in self.started:
            worker.stop()

    def output(self) -> str:
        parts = []
        for worker in self.started:
            code = worker.process.poll()
            state = "running" if code is None else f"exited {code}"
            parts.append(f"--- worker pid {worker.pid} ({state}): {' '.join(worker.command[2:])}\n{worker.output()}")
        return "\n".join(parts)

    # -- waiting --------------------------------------------------------------------------------

    def wait(self, predicate, *, timeout: float = 60, what: str = "the condition", interval: float = 0.1):
        """Poll `predicate` until it returns something truthy (returned); on timeout fail with the workers' output.
        A worker that exited meanwhile fails at once."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            dead = [worker for worker in self.started if not worker.alive() and not worker.expected]
            if dead:
                pytest.fail(f"a worker exited while waiting for {what}\n{self.output()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout:g} s waiting for {what}\n{self.output()}")
            time.sleep(interval)

    def wait_for_job(self, job, *statuses, timeout: float = 60):
        """Wait until the job reaches one of `statuses` (default: any finished one); returns it fresh."""
        from jobs.models import Job

        wanted = statuses or Job.FINISHED

        def reached():
            fresh = Job.objects.get(pk=job.pk)
            return fresh if fresh.status in wanted else None

        return self.wait(reached, timeout=timeout, what=f"job #{job.pk} ({job.kind}) to be {'/'.join(wanted)}")

    def kill(self, worker: Worker) -> None:
        worker.expected = True
        worker.kill()


@contextmanager
def running_workers(backend: str = "database", *, count: int = 0, **environment):
    """Workers of `backend` on a queue of their own (`count` started at once, more with `.start()`), the
    test process enqueuing to it; all stopped on the way out, their output printed."""
    if backend == "rq":
        require_redis()
    workers = Workers(backend=backend, environment={key: str(value) for key, value in environment.items()})
    try:
        with override_settings(**workers.settings()):
            if count:
                workers.start(count)
            yield workers
    finally:
        workers.stop()
        if workers.started:
            print(workers.output())
        shutil.rmtree(workers.logs, ignore_errors=True)
        if backend == "rq":
            _empty_rq_queue(workers.queue)


def _empty_rq_queue(queue: str) -> None:
    """Drop what the test left in Redis (its queue and registries) so nothing is taken by a later worker."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    with suppress(redis.exceptions.RedisError):
        keys = list(client.scan_iter(match=f"rq:*{queue}*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def db_workers(transactional_db):
    """Database workers (django-tasks-db, `manage.py db_worker`) on the test database; start them with `.start(n)`."""
    with running_workers("database") as workers:
        yield workers


@pytest.fixture
def rq_workers(transactional_db):
    """rq workers (django-tasks-rq on Redis db 15, `manage.py rqworker`); start them with `.start(n)`."""
    with running_workers("rq") as workers:
        yield workers
