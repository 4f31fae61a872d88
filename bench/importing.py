"""Benchmark: importing a workbook of 50,000 visits (issue 6) against openpyxl reading the same file.

    .venv/bin/python bench/importing.py                  # a fresh SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach .venv/bin/python bench/importing.py
    ... bench/importing.py --rows 50000 --small 10000 [--agency A001] [--profile 5000]

On its own the script makes a fresh database (a temporary SQLite file, or `<name>_bench` beside
the PostgreSQL database named) and builds the demo directory in it (`seed_demo --directory-only`);
`make bench` calls `bench_import()` on its seeded scale-10 database instead. It writes, with
xlsxwriter in constant-memory mode, a "走访基层" sheet of `--rows` visits of one agency as a clerk
would fill the template: Chinese headers, unique references, the agency's officials named as the
template's lists name them, dates in 2015 (a year without locks or monthly returns in the demo),
some village stays, a place on some rows. Then it measures, each once:

* the baseline: openpyxl opening the file read-only and iterating every row's values: rows/s;
* `run_import(commit=False)`, the preview (every row checked, nothing kept): rows/s;
* peak memory of `run_import(commit=True)` under tracemalloc, for `--small` rows and for `--rows`
  rows (each rolled back afterwards): flat if the larger file does not need about
  `--rows / --small` times the memory (the engine works through chunks of 500 rows);
* `run_import(commit=True)`: rows/s, and that every visit was created;
* the same file imported again (every row unchanged): rows/s;
* the import's writer alone, on the records a `--writer`-row import creates (the same objects,
  in the engine's chunks of 500, each run rolled back): the raw path `fastwrite.create_with_history`
  against django-simple-history's `bulk_create_with_history`, best of two runs each (issue 12).

Beside each wall time it prints the process's CPU time: on a machine shared with other work the
wall time alone overstates the cost.

Queries are not logged (DEBUG off) while timing, as in production. The target is at least
2,000 rows/s. `--profile N` prints cProfile's top functions of a preview of N rows. Never run by
the tests; the figures go to docs/benchmarks.md.
"""

import argparse
import copy
import cProfile
import datetime
import io
import pstats
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.workbook import _rss_mb  # noqa: E402 - after the path

YEAR = 2015  # the demo has field work in 2013 and 2014 only: no lock or monthly return covers 2015
TARGET = 2000  # rows/s
NOTES = ["走访农户，了解用水困难", "座谈了解产业发展情况", "收集群众意见建议", "走访企业，协调用工问题", ""]


def _timed(func):
    """(wall seconds, this process's CPU seconds, result): on a shared machine the two differ."""
    started, cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - started, time.process_time() - cpu, result


def _traced(func):
    """(peak MB of Python allocations, result)."""
    tracemalloc.start()
    try:
        result = func()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return peak, result


def choice_labels(agency) -> tuple[list[str], list[str]]:
    """The labels of the agency's officials and of the places a visit may name, as the template lists them."""
    from outreach.importing.engine import system_user
    from outreach.importing.lookups import LookupTable, choices_of
    from outreach.importing.specs import sheet_for
    from visits.models import Visit

    spec = sheet_for(Visit)
    form = spec.form(user=system_user())
    labels = []
    for name in ("official", "place"):
        table = LookupTable(choices_of(form, spec.column(name), agency.pk))
        labels.append(sorted(table.labels.values()))
    return labels[0], labels[1]


def write_visits(path, agency, count: int, *, seed: int = 6, prefix: str = "ZF") -> None:
    """A "走访基层" workbook of `count` new visits of `agency` in YEAR, headers in Chinese."""
    import xlsxwriter
    from django.utils import timezone, translation

    from outreach.importing.specs import sheet_for
    from visits.models import Visit

    rng = random.Random(seed)
    officials, places = choice_labels(agency)
    assert officials, f"{agency.code} has no officials in post"
    spec = sheet_for(Visit)
    with translation.override("zh-hans"):
        title = str(spec.title)
        header = [str(column.title) for column in spec.columns]
    last = min(datetime.date(YEAR, 12, 31), timezone.localdate())
    days = (last - datetime.date(YEAR, 1, 1)).days - 3
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(title)
    sheet.write_row(0, 0, header)
    for n in range(1, count + 1):
        start = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(days))
        stay = rng.random() < 0.2
        end = start + datetime.timedelta(days=rng.randint(1, 3) if stay else 0)
        values = {
            "reference": f"{prefix}-{YEAR}-{n:06d}",
            "agency": agency.code,
            "official": rng.choice(officials),
            "start_date": start,
            "end_date": end,
            "is_village_stay": "是" if stay else "否",
            "place": rng.choice(places) if places and rng.random() < 0.3 else None,
            "households": rng.randint(0, 15),
            "enterprises": rng.choice((0, 0, 0, 1, 2)),
            "communities": rng.choice((0, 0, 1)),
            "villager_groups": rng.choice((0, 0, 1, 2)),
            "forums": rng.choice((0, 0, 1)),
            "opinions": rng.randint(0, 8),
            "note": rng.choice(NOTES) or None,
        }
        sheet.write_row(n, 0, [values[column.name] for column in spec.columns])
    workbook.close()


def bare_read(path) -> int:
    """openpyxl's own read of every row's values, as fast as it goes: the data rows read."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = 0
    for _values in book.worksheets[0].iter_rows(values_only=True):
        rows += 1
    book.close()
    return rows - 1  # the header


def pick_agency(code: str | None):
    """The agency named, or the one with the most officials in post."""
    from django.db.models import Count, Q

    from outreach.models import Agency

    if code:
        return Agency.objects.get(code=code)
    return (
        Agency.objects.annotate(n=Count("officials", filter=Q(officials__is_active=True)))
        .order_by("-n", "code")
        .first()
    )


def created_chunks(path, agency) -> list[list]:
    """The records an import of `path` creates, chunk by chunk, as the engine hands them to its writer
    (nothing kept: the import is rolled back)."""
    from django.db import transaction

    from outreach.importing import engine

    chunks = []
    writer = engine.create_with_history
    engine.create_with_history = lambda model, objs, **kwargs: chunks.append(objs)
    try:
        with transaction.atomic():
            engine.run_import(path, agency=agency, commit=True)
            transaction.set_rollback(True)
    finally:
        engine.create_with_history = writer
    return chunks


def bench_writers(chunks: list[list], *, repeat: int = 2) -> dict:
    """Seconds and this process's CPU seconds (each the best of `repeat`) to write the same new records and
    their history rows: the raw path against `bulk_create_with_history`, on fresh copies, rolled back."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from outreach.importing.fastwrite import create_with_history

    model = type(chunks[0][0])
    writers = {
        "fastwrite": lambda objs: create_with_history(model, objs, reason="import"),
        "bulk_create_with_history": lambda objs: bulk_create_with_history(objs, model, default_change_reason="import"),
    }
    count = sum(map(len, chunks))
    before = model._base_manager.count(), model.history.count()
    best = {}
    for _ in range(repeat):
        for name, write in writers.items():
            fresh = [[copy.copy(obj) for obj in chunk] for chunk in chunks]
            with transaction.atomic():
                seconds, cpu, _r = _timed(lambda write=write, fresh=fresh: [write(objs) for objs in fresh])
                written = model._base_manager.count() - before[0], model.history.count() - before[1]
                transaction.set_rollback(True)
            assert written == (count, count), (name, written)
            best[name] = min(seconds, best.get(name, seconds))
            best[name + "_cpu"] = min(cpu, best.get(name + "_cpu", cpu))
    return best


def bench_import(
    *,
    rows: int = 50_000,
    small: int = 10_000,
    agency: str | None = None,
    profile: int = 0,
    writer_rows: int = 50_000,
    log=print,
) -> dict:
    """Write the workbooks, time the import (see the module's description); the figures as a dict."""
    from django.conf import settings
    from django.db import connection, transaction

    from outreach.importing.engine import run_import
    from visits.models import Visit

    agency = pick_agency(agency)
    debug, settings.DEBUG = settings.DEBUG, False  # no query log, as in production
    directory = Path(tempfile.mkdtemp())
    big_path, small_path = directory / "visits.xlsx", directory / "visits_small.xlsx"
    try:
        write_visits(big_path, agency, rows)
        write_visits(small_path, agency, small)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        before = Visit.all_objects.filter(agency=agency).count()
        result = {
            "database": connection.vendor,
            "agency": agency.code,
            "rows": rows,
            "small": small,
            "bytes": big_path.stat().st_size,
        }

        def check(report, **expected):
            totals = report.totals()
            assert report.ok, report.lines()[:5]
            assert all(totals[key] == value for key, value in expected.items()), (totals, expected)
            return report

        result["bare"], result["bare_cpu"], read = _timed(lambda: bare_read(big_path))
        assert read == rows, read
        result["validate"], result["validate_cpu"], _r = _timed(
            lambda: check(run_import(big_path, agency=agency, commit=False), created=rows)
        )

        def rolled_back(path, count):
            with transaction.atomic():
                check(run_import(path, agency=agency, commit=True), created=count)
                transaction.set_rollback(True)

        rss = _rss_mb()
        result["peak_small_mb"], _r = _traced(lambda: rolled_back(small_path, small))
        result["peak_mb"], _r = _traced(lambda: rolled_back(big_path, rows))
        result["rss_growth_mb"] = _rss_mb() - rss

        result["commit"], result["commit_cpu"], report = _timed(
            lambda: check(run_import(big_path, agency=agency, commit=True), created=rows)
        )
        assert report.committed
        result["created"] = Visit.objects.filter(agency=agency).count() - before
        assert result["created"] == rows, result["created"]
        result["reimport"], result["reimport_cpu"], _r = _timed(
            lambda: check(run_import(big_path, agency=agency, commit=True), unchanged=rows)
        )
        assert Visit.objects.filter(agency=agency).count() - before == rows

        if writer_rows:
            writer_path = directory / "visits_writer.xlsx"
            write_visits(writer_path, agency, writer_rows, prefix="WR")  # new references: rows to create
            result["writers"] = bench_writers(created_chunks(writer_path, agency))

        if profile:
            profile_path = directory / "visits_profile.xlsx"
            write_visits(profile_path, agency, profile, prefix="PF")  # new references: rows to create
            profiler = cProfile.Profile()
            profiler.runcall(lambda: check(run_import(profile_path, agency=agency, commit=False), created=profile))
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
            result["profile"] = out.getvalue()
    finally:
        settings.DEBUG = debug
        for path in directory.iterdir():
            path.unlink()
        directory.rmdir()

    if log:
        bare = rows / result["bare"]
        log(
            f"database: {result['database']}; {rows:,} visits of {agency.code} in {YEAR} "
            f"({result['bytes'] / 2**20:.1f} MB workbook)"
        )
        log(f"{'import step':40} {'time':>8} {'rows/s':>8} {'÷ bare':>7} {'CPU':>7}")
        for key, label in (
            ("bare", "openpyxl bare read (baseline)"),
            ("validate", "check only (commit=False)"),
            ("commit", "import (commit=True)"),
            ("reimport", "import again (all unchanged)"),
        ):
            speed = rows / result[key]
            mark = "" if key == "bare" else ("  ok" if speed >= TARGET else f"  below {TARGET:,}")
            log(f"{label:40} {result[key]:7.1f}s {speed:8,.0f} {speed / bare:6.2f}x {result[key + '_cpu']:6.1f}s{mark}")
        log("  (CPU: this process's CPU time; PostgreSQL's own work is not in it)")
        log(
            f"peak memory of the import (traced): {result['peak_small_mb']:.1f} MB for {small:,} rows, "
            f"{result['peak_mb']:.1f} MB for {rows:,} rows ({result['peak_mb'] / result['peak_small_mb']:.2f}x "
            f"for {rows / small:.0f}x the rows); process peak RSS grew {result['rss_growth_mb']:.0f} MB"
        )
        if writer_rows:
            times = result["writers"]
            log(f"the writer alone, {writer_rows:,} new visits and their history rows (best of 2, rolled back):")
            for key in ("fastwrite", "bulk_create_with_history"):
                log(
                    f"  {key:38} {times[key]:7.2f}s {writer_rows / times[key]:8,.0f} rows/s {times[key + '_cpu']:6.1f}s CPU"
                )
            ratio = times["bulk_create_with_history"] / times["fastwrite"]
            ratio_cpu = times["bulk_create_with_history_cpu"] / times["fastwrite_cpu"]
            log(f"  raw path {ratio:.2f}x as fast ({ratio_cpu:.2f}x in this process's CPU time)")
        if profile:
            log(f"profile of a check-only import of {profile:,} rows:")
            log(result["profile"])
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=10_000, help="rows of the second file, for the memory comparison")
    parser.add_argument("--agency", default=None, help="an agency code (default: the one with the most officials)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also profile a check of N rows")
    parser.add_argument("--writer", type=int, default=50_000, metavar="N", help="records of the writers' comparison")
    args = parser.parse_args()

    from bench.run import fresh_django

    _url, drop = fresh_django()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", directory_only=True, verbosity=0)
        bench_import(
            rows=args.rows, small=args.small, agency=args.agency, profile=args.profile, writer_rows=args.writer
        )
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
