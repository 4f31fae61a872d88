"""Benchmark: seed a fresh database at --scale N and time the pages users wait for.

    make bench                      # SQLite, scale 10
    DATABASE_URL=postgres://... make bench   # a fresh PostgreSQL database beside the one named

Prints, per page: wall time (best of --repeat), SQL queries, and peak Python memory.
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    url, drop = fresh_database_url(os.environ.get("DATABASE_URL"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "outreach.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    try:
        engine = connection.vendor
        print(f"database: {engine}; scale {args.scale}")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale, verbosity=0)
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.1f} s")

        client = Client()
        client.force_login(User.objects.get(username="officer"))
        print(f"{'page':40} {'time':>9} {'queries':>8} {'peak MB':>8}")
        for label, path in PAGES:
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
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
