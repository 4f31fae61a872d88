"""Benchmark: seed a fresh database at --scale N and time the pages users wait for.

    make bench                      # SQLite, scale 10
    DATABASE_URL=postgres://... make bench   # a fresh PostgreSQL database beside the one named

Prints, per page: wall time (best of --repeat), SQL queries, and peak Python memory; then the
year-end workbook (bench/workbook.py), the import of --import-rows visits (bench/importing.py) and
the hostile workbooks (bench/hostile.py) and the background jobs through a real worker (bench/jobs.py).
Never run by the tests; the figures go to docs/benchmarks.md.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/?year=2014"),
    ("contact points", "/pairings/contact-points/"),
    ("contact-point activities", "/pairings/contact-point-activities/"),
    ("joint activities", "/pairings/joint-activities/"),
    ("visits", "/visits/visits/"),
    ("visits, filtered by date", "/visits/visits/?start_date_after=2014-03-01&start_date_before=2014-06-30"),
    ("visits export (all rows, xlsx)", "/visits/visits/?export=xlsx"),
    ("1+2 compliance", "/pairings/compliance/one-plus-two/?year=2014"),
    ("five ones compliance", "/pairings/compliance/five-ones/?year=2014"),
    ("visit minimums", "/visits/compliance/minimums/?year=2014"),
    ("review", "/review/"),
]
# The reports (issue 5): their query counts must not grow with the data, so they are also counted at scale 1.
YEAR, AS_OF = 2014, "2014-12-31"
REPORT_PAGES = [
    ("year-end JSON (province)", f"/reports/year-end.json?year={YEAR}&as_of={AS_OF}"),
    ("year-end JSON (one agency)", f"/reports/year-end.json?year={YEAR}&as_of={AS_OF}&agency=A001"),
    ("year-end page", f"/reports/year-end/?year={YEAR}&as_of={AS_OF}"),
    ("dashboard (province)", f"/reports/dashboard/?year={YEAR}&as_of={AS_OF}"),
    ("dashboard (one agency)", f"/reports/dashboard/?year={YEAR}&as_of={AS_OF}&agency=A001"),
]
# Completeness and timeliness (issue 13): 128 agencies × 14 periods as at the demo's cut-off; a fixed
# number of queries (also counted at scale 1); target under 200 ms at scale 10 on PostgreSQL (median).
COMPLETENESS_PAGES = [
    ("completeness page", f"/reports/completeness/?year={YEAR}&as_of=2014-07-31"),
    ("completeness JSON", f"/reports/completeness.json?year={YEAR}&as_of=2014-07-31"),
]


def fresh_database_url(base: str | None) -> tuple[str, callable]:
    """A new, empty database: a temp SQLite file, or `<name>_bench` beside a PostgreSQL database."""
    if not base:
        path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    import psycopg2

    parts = urlparse(base)
    name = parts.path.lstrip("/") + "_bench"
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunparse(parts._replace(path=f"/{name}")), drop


def setup_django() -> None:
    """Django on outreach.settings unless the environment names other settings, DEBUG on (the query log)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


def fresh_django() -> tuple[str, callable]:
    """Django set up on a fresh database (`fresh_database_url`), which this process's children use too:
    (its URL, the function that drops it)."""
    url, drop = fresh_database_url(os.environ.get("DATABASE_URL"))
    os.environ["DATABASE_URL"] = url
    setup_django()
    return url, drop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only",
        choices=("all", "completeness", "jobs"),
        default="all",
        help="completeness: time only the completeness page and JSON (issue 13); jobs: only the background "
        "jobs (issue 15, bench/jobs.py); each after the same seeding",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=50_000,
        help="rows of the import benchmark's workbook (bench/importing.py); 0 leaves it out",
    )
    args = parser.parse_args()

    url, drop = fresh_django()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]

    def seed(scale, flush=False):
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, flush=flush, verbosity=0)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh tables have no planner statistics until autovacuum runs
                cursor.execute("ANALYZE")
        print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.1f} s")

    def officer():
        client = Client()
        client.force_login(User.objects.get(username="officer"))
        return client

    def count_queries(client, path):
        reset_queries()  # a full query log (9,000 entries, after seeding) would count nothing
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
            b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (path, response.status_code)
        return len(queries)

    def measure(client, label, path):
        best = None
        for _ in range(args.repeat):  # timed without tracing: tracemalloc slows Python down
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(path)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                elapsed = time.perf_counter() - t0
            assert response.status_code == 200, (path, response.status_code)
            best = min(best or elapsed, elapsed)
        tracemalloc.start()  # one more run for the peak memory
        response = client.get(path)
        b"".join(response.streaming_content) if response.streaming else response.content
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{label:40} {best * 1000:7.0f} ms {len(queries):8d} {peak:8.1f}   ({len(body) / 1024:.0f} KB)")
        return best, len(queries)

    def measure_median(client, path, runs):
        """(median, best, queries) of `runs` timed GETs of `path`."""
        import statistics

        times = []
        for _ in range(runs):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(path)
                assert response.content is not None  # the body rendered
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (path, response.status_code)
        return statistics.median(times), min(times), len(queries)

    def best_of(function):
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            function()
            elapsed = time.perf_counter() - t0
            best = min(best or elapsed, elapsed)
        return best

    try:
        engine = connection.vendor
        print(f"database: {engine}; scale {args.scale}")
        call_command("migrate", verbosity=0)

        # Scale 1 first: the reports' query counts, to compare with scale N below.
        seed(1)
        client = officer()
        small = {label: count_queries(client, path) for label, path in REPORT_PAGES + COMPLETENESS_PAGES}
        seed(args.scale, flush=True)

        client = officer()
        print("completeness (issue 13), officer; median and best of", max(args.repeat, 5), "runs")
        for label, path in COMPLETENESS_PAGES:
            median, best, queries = measure_median(client, path, max(args.repeat, 5))
            same = "same" if small[label] == queries else "DIFFERENT"
            print(
                f"{label:40} median {median * 1000:5.0f} ms, best {best * 1000:5.0f} ms, {queries} queries"
                f" (scale 1: {small[label]}, {same})"
            )
        if args.only == "completeness":
            return
        if args.only == "jobs":
            from bench.jobs import bench_jobs

            bench_jobs(url, rows=args.import_rows or 50_000)
            return
        print()
        print(f"{'page':40} {'time':>9} {'queries':>8} {'peak MB':>8}")
        for label, path in PAGES:
            measure(client, label, path)
        print()
        print("reports (issue 5), officer; queries at scale 1 in brackets")
        results = {}
        for label, path in REPORT_PAGES:
            results[label] = measure(client, label, path)
            same = "same" if small[label] == results[label][1] else "DIFFERENT"
            print(f"{'':40} queries at scale 1: {small[label]} ({same})")

        # Baseline: the same province figures as hand-written SQL (bench/baseline_sql.py).
        import datetime

        from bench.baseline_sql import hand_sql_figures
        from reports.selectors import year_end_figures

        as_of = datetime.date.fromisoformat(AS_OF)
        assert hand_sql_figures(connection, year=YEAR, as_of=as_of) == year_end_figures(year=YEAR, as_of=as_of)
        hand = best_of(lambda: hand_sql_figures(connection, year=YEAR, as_of=as_of))
        orm = best_of(lambda: year_end_figures(year=YEAR, as_of=as_of))
        json_time = results["year-end JSON (province)"][0]
        print(f"{'baseline: hand-written SQL, all codes':40} {hand * 1000:7.0f} ms")
        print(f"{'catalogue (year_end_figures), no HTTP':40} {orm * 1000:7.0f} ms   {orm / hand:.2f}x the hand SQL")
        print(f"{'year-end JSON over HTTP':40} {json_time * 1000:7.0f} ms   {json_time / hand:.2f}x the hand SQL")

        # The full province workbook against plain xlsxwriter writing the same rows from memory.
        from bench.workbook import bench_workbook

        print()
        bench_workbook({"year": YEAR, "as_of": as_of}, repeat=1, analyze=False)

        # Importing a workbook of visits (issue 6) against openpyxl reading the same file.
        if args.import_rows:
            from bench.importing import bench_import

            print()
            bench_import(rows=args.import_rows, small=max(1, args.import_rows // 5))

        # Hostile workbooks (issue 14): each refused by `import_records --dry-run` in a child process.
        from bench.hostile import bench_hostile

        print()
        bench_hostile()

        # Background jobs (issue 15): a no-op's overhead, the import and the workbook through a real worker.
        from bench.jobs import bench_jobs

        print()
        bench_jobs(url, rows=args.import_rows or 50_000)
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
