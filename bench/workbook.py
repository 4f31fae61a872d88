"""Benchmark: the year-end workbook and a list export against plain xlsxwriter writing the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/outreach_wb DEBUG=1 .venv/bin/python bench/workbook.py
    ... bench/workbook.py --year 2014 --as-of 2014-07-31 [--agency A001] [--repeat 3]
    ... bench/workbook.py --no-year-end --list-rows 50000    # the list export only

Runs on the current database (seed it first, e.g. `manage.py seed_demo --scale 10`). Measures

* the workbook: `reports.exports.write_workbook()` of the scope to a temporary file, as the
  download and `manage.py yearend` write it (every query, the summary, the breakdowns and the
  detail sheets): wall time (best of --repeat, untraced), rows written, rows/s; then one more run
  for peak memory (tracemalloc's peak of Python allocations, and the growth of the process's
  peak RSS);
* the baseline: the same detail rows, loaded into lists beforehand (not timed), written with
  xlsxwriter's constant-memory mode, no formats, `write_row()` per row, closed: its rows/s.

and prints the ratio of the two throughputs (the target is at least 0.8). Before that, the list export
(`bench_list_export()`, part of `bench_workbook()` unless `list_rows=0`): the visits list's
`?export=xlsx` (`outreach.exports.table_rows` and `xlsx_response`, as the view calls them) of the
first --list-rows visits, from the query to the closed file, against plain xlsxwriter writing
the same rows (the values the export writes, loaded into lists beforehand) with `write_row()`:
the same values and cell types, no formats. `bench_workbook()` returns the figures as a dict for
`bench/run.py`. Never run by the tests.
"""

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _timed(func, repeat: int) -> tuple[float, object]:
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def _write_workbook(scope):
    from reports.exports import write_workbook

    with tempfile.TemporaryFile() as handle:
        stats = write_workbook(handle, scope)
        handle.seek(0, os.SEEK_END)
        return stats, handle.tell()


def _baseline(scope):
    """The detail rows loaded into lists, and a function writing them through plain xlsxwriter: (rows, write)."""
    import xlsxwriter

    from reports.exports import DETAILS, detail_query, detail_title
    from reports.indicators import Scope

    window = Scope(year=scope.year, as_of=scope.as_of, agency=scope.agency, city=scope.city)
    sheets = []
    for detail in DETAILS:
        columns, rows = detail_query(detail, window)
        sheets.append((detail_title(detail), [c.header for c in columns], list(rows)))
    count = sum(len(rows) for _t, _h, rows in sheets)

    def write():
        with tempfile.TemporaryFile() as handle:
            workbook = xlsxwriter.Workbook(handle, {"constant_memory": True})
            for title, header, rows in sheets:
                sheet = workbook.add_worksheet(title[:31])
                sheet.write_row(0, 0, header)
                for r, row in enumerate(rows, start=1):
                    sheet.write_row(r, 0, row)
            workbook.close()

    return count, write


def _plain_xlsxwriter(header, rows) -> None:
    """The baseline: rows from memory through xlsxwriter's constant-memory mode, `write_row()`, no formats."""
    import xlsxwriter

    with tempfile.TemporaryFile() as handle:
        workbook = xlsxwriter.Workbook(handle, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, row)
        workbook.close()


def _visits_table(rows: int):
    """The visits list's table over the first `rows` visits, as the officer's export sees it."""
    from visits.models import Visit
    from visits.tables import VisitTable

    return VisitTable(Visit.objects.select_related("agency", "official", "place").order_by("pk")[:rows])


def bench_list_export(rows: int = 50_000, *, repeat: int = 1, log=print) -> dict:
    """Time the visits list export of `rows` rows against plain xlsxwriter writing the same rows."""
    from outreach.exports import table_rows, xlsx_response

    def export():
        response = xlsx_response("visits.xlsx", [("visits", table_rows(_visits_table(rows)))])
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
        return size

    table = table_rows(_visits_table(rows))
    header, values = table.header, list(table.rows())
    export()  # warm-up: imports, translations, the database's caches
    # Taken in turns, so that a change in the machine's load between them (another process on the
    # other core) weighs on both alike; best of `repeat` each.
    seconds, baseline_seconds = None, None
    for _turn in range(repeat):
        export_time, size = _timed(export, 1)
        plain_time, _none = _timed(lambda: _plain_xlsxwriter(header, values), 1)
        seconds = export_time if seconds is None else min(seconds, export_time)
        baseline_seconds = plain_time if baseline_seconds is None else min(baseline_seconds, plain_time)
    result = {
        "list_rows": len(values),
        "list_columns": len(header),
        "list_seconds": seconds,
        "list_rows_per_second": len(values) / seconds,
        "list_bytes": size,
        "list_baseline_seconds": baseline_seconds,
        "list_baseline_rows_per_second": len(values) / baseline_seconds,
    }
    result["list_ratio"] = result["list_rows_per_second"] / result["list_baseline_rows_per_second"]
    if log:
        log(
            f"list export (visits, {len(values):,} rows x {len(header)} columns, query to closed file): "
            f"{seconds:.1f} s, {result['list_rows_per_second']:,.0f} rows/s, {size / 2**20:.1f} MB file"
        )
        log(
            f"baseline (plain xlsxwriter, the same rows from memory): {baseline_seconds:.1f} s, "
            f"{result['list_baseline_rows_per_second']:,.0f} rows/s"
        )
        log(f"list export ratio: {result['list_ratio']:.2f} x the baseline (target >= 0.8)")
    return result


def bench_workbook(
    scope_kwargs: dict | None = None,
    *,
    repeat: int = 1,
    analyze: bool = True,
    log=print,
    year_end: bool = True,
    list_rows: int = 50_000,
) -> dict:
    """Time the list export of `list_rows` rows (`bench_list_export`; 0 leaves it out), then the workbook
    of a scope ({"year", "as_of", "agency" (an Agency or code), "city"}) and the baseline.

    `analyze`: refresh PostgreSQL's planner statistics first (a freshly seeded database has none
    until autovacuum runs, and plans badly without them).
    """
    # The list export first: measured after the year-end workbook in the same process (60 MB more
    # of it, and its objects to collect) it came out about a fifth slower, the baseline not.
    result = bench_list_export(list_rows, repeat=repeat, log=log) if list_rows else {}
    if year_end:
        if log and list_rows:
            log()
        result.update(_bench_year_end(scope_kwargs, repeat=repeat, analyze=analyze, log=log))
    return result


def _bench_year_end(scope_kwargs: dict | None, *, repeat: int, analyze: bool, log) -> dict:
    from django.db import connection

    from outreach.models import Agency, Region
    from reports.forms import ReportScope, default_as_of

    kwargs = dict(scope_kwargs or {})
    kwargs.setdefault("year", 2014)
    kwargs.setdefault("as_of", default_as_of(kwargs["year"]))
    if isinstance(kwargs.get("agency"), str):
        kwargs["agency"] = Agency.objects.get(code=kwargs["agency"])
    if isinstance(kwargs.get("city"), str):
        kwargs["city"] = Region.objects.get(code=kwargs["city"])
    scope = ReportScope(**kwargs)
    if analyze and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    rss_before = _rss_mb()
    _write_workbook(scope)  # warm-up: imports, translations, the database's caches
    seconds, (stats, size) = _timed(lambda: _write_workbook(scope), repeat)
    tracemalloc.start()
    _write_workbook(scope)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss_after = _rss_mb()

    baseline_rows, write = _baseline(scope)  # loaded after the workbook's memory was measured
    baseline_seconds, _none = _timed(write, repeat)

    detail_rows = sum(stats.detail_rows.values())
    result = {
        "database": connection.vendor,
        "scope": {
            "year": scope.year,
            "as_of": scope.as_of.isoformat(),
            "agency": getattr(scope.agency, "code", None),
            "city": getattr(scope.city, "code", None),
        },
        "workbook_seconds": seconds,
        "workbook_rows": stats.total_rows,
        "detail_rows": detail_rows,
        "workbook_rows_per_second": detail_rows / seconds,
        "workbook_bytes": size,
        "peak_traced_mb": traced_peak,
        "peak_rss_mb": rss_after,
        "peak_rss_growth_mb": rss_after - rss_before,
        "baseline_rows": baseline_rows,
        "baseline_seconds": baseline_seconds,
        "baseline_rows_per_second": baseline_rows / baseline_seconds,
    }
    result["ratio"] = result["workbook_rows_per_second"] / result["baseline_rows_per_second"]
    if log:
        log(f"database: {result['database']}; scope {result['scope']}")
        log(
            f"workbook: {seconds:.1f} s, {stats.total_rows:,} rows ({detail_rows:,} detail rows), "
            f"{result['workbook_rows_per_second']:,.0f} detail rows/s, {size / 2**20:.1f} MB file"
        )
        log(
            f"  peak memory: {traced_peak:.1f} MB traced (Python allocations); process peak RSS {rss_after:.0f} MB, "
            f"{rss_after - rss_before:.1f} MB above the process before the first workbook"
        )
        log(
            f"baseline (plain xlsxwriter, rows from memory): {baseline_seconds:.1f} s, "
            f"{result['baseline_rows_per_second']:,.0f} rows/s"
        )
        log(f"ratio: {result['ratio']:.2f} x the baseline (target >= 0.8)")
        if baseline_rows != detail_rows:
            log(f"  warning: the baseline wrote {baseline_rows:,} rows, the workbook {detail_rows:,}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2014)
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("--agency", default=None, help="an agency code (default: the province)")
    parser.add_argument("--city", default=None, help="a city code")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--year-end", action=argparse.BooleanOptionalAction, default=True, help="the year-end workbook")
    parser.add_argument("--list-rows", type=int, default=50_000, help="rows of the list export; 0 leaves it out")
    args = parser.parse_args()
    from bench.run import setup_django

    setup_django()
    kwargs = {"year": args.year, "agency": args.agency, "city": args.city}
    if args.as_of is not None:
        kwargs["as_of"] = args.as_of
    bench_workbook(kwargs, repeat=args.repeat, year_end=args.year_end, list_rows=args.list_rows)


if __name__ == "__main__":
    main()
