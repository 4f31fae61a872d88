"""Benchmark: background jobs (issue 15) on the database backend with a real worker process.

Called by `make bench` (bench/run.py) on its seeded database, or on its own:

    .venv/bin/python bench/jobs.py [--rows 50000] [--imports 10]     # a fresh SQLite database, demo directory

It starts one `manage.py db_worker` (as `make run` and deploy/ do: each job in a child process
under the limits, polling every 0.25 s) and measures:

* a job's overhead: enqueue → picked up → done for a no-op job (`probe`), ten times: median and
  worst (target: under 1 s);
* the import check of a workbook of `--rows` visits, run directly (`preview_upload`: the check and
  its preview kept, in this process) and through a job (enqueue → done seen here); and the province's year-end workbook,
  directly (`write_workbook`) and through a job: the job within 1.1× of the direct run;
* the worker's memory across `--imports` consecutive import checks of `--rows` rows: its resident
  size after each (flat: the work runs in a child process that ends with the job).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OVERHEAD_TARGET = 1.0  # seconds
RATIO_TARGET = 1.1


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Worker:
    """One `db_worker` process on the database this process uses."""

    def __init__(self, database_url: str, *, interval: float = 0.25):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "outreach.settings",
            "TASKS_BACKEND": "database",
            "JOBS_ISOLATION": "process",
            "DEBUG": os.environ.get("DEBUG", "1"),
        }
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", f"--interval={interval}"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def wait_for(job, *, worker=None, timeout: float = 3600, poll: float = 0.02):
    """Wait until the job has finished; (seconds since it was asked for, the job)."""
    from jobs.models import Job

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        job.refresh_from_db(fields=["status", "error", "finished_at", "result_size", "done", "total"])
        if job.status in Job.FINISHED:
            if job.status != Job.Status.DONE:
                raise RuntimeError(f"job {job.pk} ({job.kind}) {job.status}: {job.error}")
            return time.perf_counter() - started, job
        if worker is not None and worker.process.poll() is not None:
            worker.log.seek(0)
            raise RuntimeError(f"the worker stopped: {worker.log.read().decode()[-2000:]}")
        time.sleep(poll)
    raise TimeoutError(f"job {job.pk} did not finish")


def bench_jobs(database_url: str, *, rows: int = 50_000, imports: int = 10, log=print) -> dict:
    import datetime

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench.importing import pick_agency, write_visits
    from bench.workbook import _write_workbook
    from jobs.services import enqueue
    from outreach.importing.services import preview_upload, start_check
    from outreach.models import ImportBatch
    from reports.forms import ReportScope

    settings.JOBS_MAX_PER_AGENCY = 1000
    officer = User.objects.get(username="officer")
    agency = pick_agency(None)
    clerk = User.objects.filter(profile__agency=agency).first() or officer
    results = {}
    directory = Path(tempfile.mkdtemp())
    path = directory / "visits.xlsx"
    write_visits(path, agency, rows, prefix="JOB")
    content = path.read_bytes()
    worker = None

    def timed_job(kind, *, user, agency=None, arguments):
        started = time.perf_counter()
        job = enqueue(kind, user=user, agency=agency, arguments=arguments)
        _, job = wait_for(job, worker=worker)
        return time.perf_counter() - started, job

    def check_job():
        """Upload as the page does (start_check); seconds until the preview is there."""
        started = time.perf_counter()
        batch, job = start_check(file=SimpleUploadedFile(path.name, content), agency=agency, user=clerk)
        wait_for(job, worker=worker)
        seconds = time.perf_counter() - started
        batch.refresh_from_db(fields=["status", "rows_created"])
        assert batch.status == ImportBatch.Status.PREVIEWED and batch.rows_created == rows, batch.status
        return seconds

    try:
        # The same work directly in this process first, with no worker polling the database meanwhile:
        # the check with its preview kept (what the job does, without the queue), and the workbook.
        started = time.perf_counter()
        batch = preview_upload(file=SimpleUploadedFile(path.name, content), agency=agency, user=clerk)
        import_direct = time.perf_counter() - started
        assert batch.status == ImportBatch.Status.PREVIEWED and batch.rows_created == rows, batch.status
        scope = ReportScope(year=2014, as_of=datetime.date(2014, 12, 31))
        started = time.perf_counter()
        _write_workbook(scope)
        workbook_direct = time.perf_counter() - started

        worker = Worker(database_url)
        # 1. overhead of a no-op job
        timed_job("probe", user=officer, arguments={})  # the worker's first job imports the project
        overheads = [timed_job("probe", user=officer, arguments={})[0] for _ in range(10)]
        results["overhead_median"], results["overhead_max"] = statistics.median(overheads), max(overheads)
        log(
            f"{'no-op job: enqueue → done':44} median {results['overhead_median'] * 1000:5.0f} ms,"
            f" worst {results['overhead_max'] * 1000:5.0f} ms (target < {OVERHEAD_TARGET:.0f} s)"
        )

        # 2. the import check as a job
        through_job = check_job()
        results["import_direct"], results["import_job"] = import_direct, through_job
        log(
            f"{f'import check, {rows:,} rows':44} direct {import_direct:6.1f} s, as a job {through_job:6.1f} s"
            f"  ({through_job / import_direct:.2f}×, target ≤ {RATIO_TARGET}×)"
        )

        # 3. the year-end workbook as a job
        seconds, job = timed_job(
            "yearend_workbook", user=officer, arguments={"query": "year=2014&as_of=2014-12-31&basis=all"}
        )
        results["workbook_direct"], results["workbook_job"] = workbook_direct, seconds
        log(
            f"{'year-end workbook (province)':44} direct {workbook_direct:6.1f} s, as a job {seconds:6.1f} s"
            f"  ({seconds / workbook_direct:.2f}×, {job.result_size / 2**20:.1f} MB)"
        )

        # 4. the worker's memory across consecutive imports
        sizes = [rss_mb(worker.process.pid)]
        for _ in range(imports):
            check_job()
            sizes.append(rss_mb(worker.process.pid))
        results["worker_rss"] = sizes
        log(
            f"{f'worker memory over {imports} imports of {rows:,}':44} "
            + " → ".join(f"{size:.0f}" for size in sizes)
            + " MB"
        )
    finally:
        if worker is not None:
            worker.stop()
        for item in directory.iterdir():
            item.unlink()
        directory.rmdir()
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--imports", type=int, default=10)
    args = parser.parse_args()
    from bench.run import fresh_django

    url, drop = fresh_django()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        bench_jobs(url, rows=args.rows, imports=args.imports)
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
