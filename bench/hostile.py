"""Hostile workbooks (issue 14): what the import must refuse before parsing, built here at any size.

    .venv/bin/python bench/hostile.py              # the issue's sizes; each case in its own process
    .venv/bin/python bench/hostile.py --case xfd   # one case

The builders write zip members as streams of chunks, so a file unpacking to a gigabyte is built
without holding it in memory; tests/outreach/test_bad_workbooks.py builds the same files a few
megabytes large and scales the caps down with override_settings. The bench runs each case through
`import_records --dry-run` in a child process and prints its wall time, the child's peak resident
memory (ru_maxrss) and its first line of output; `make bench` calls `bench_hostile()` (bench/run.py).
Never run by the tests; the figures go to docs/benchmarks.md.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
CHUNK_ROWS = 2000
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell(column: int, row: int, value) -> bytes:
    """One cell with its reference: a number, or an inline string."""
    ref = f"{_column(column)}{row}"
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'.encode()
    return f'<c r="{ref}" t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'.encode()


def row_xml(number: int, values, *, extra: bytes = b"") -> bytes:
    cells = b"".join(cell(index, number, value) for index, value in enumerate(values, 1) if value is not None)
    return f'<row r="{number}">'.encode() + cells + extra + b"</row>"


def sheet_chunks(rows):
    """A worksheet part from an iterable of row XML, in chunks of CHUNK_ROWS rows."""
    yield SHEET_HEAD
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK_ROWS:
            yield b"".join(batch)
            batch = []
    yield b"".join(batch) + SHEET_TAIL


def base_workbook(titles: list[str]) -> bytes:
    """A workbook openpyxl writes, one empty sheet per title (its parts are then replaced)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title in titles:
        book.create_sheet(title).append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(target, base: bytes, *, replace: dict | None = None, drop=(), content_types=None) -> None:
    """Write `base`'s members to `target` (a path or a binary file), each replaced member's chunks
    streamed in; `content_types(bytes) -> bytes` may edit [Content_Types].xml."""
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        names = source.namelist()
        for name in names:
            if name in drop:
                continue
            if name in replace:
                continue
            data = source.read(name)
            if name == "[Content_Types].xml" and content_types is not None:
                data = content_types(data)
            out.writestr(name, data)
        for name, chunks in replace.items():
            with out.open(name, "w", force_zip64=True) as stream:
                for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                    stream.write(chunk)


# --- the cases -----------------------------------------------------------------------------------


def shared_strings_bomb(target, header: list[str], title: str, *, unpacked: int, text: bytes = b"a") -> None:
    """A sheet of one header row and a shared-strings part of `unpacked` bytes of the same short text."""
    entry = b"<si><t>" + text + b"</t></si>"

    def strings():
        yield b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        count = unpacked // len(entry)
        block = entry * min(count, 65536)
        for _ in range(count // 65536):
            yield block
        yield entry * (count % 65536)
        yield b"</sst>"

    rezip(
        target,
        base_workbook([title]),
        replace={"xl/worksheets/sheet1.xml": sheet_chunks([row_xml(1, header)]), "xl/sharedStrings.xml": strings()},
        content_types=with_shared_strings,
    )


def with_shared_strings(content_types: bytes) -> bytes:
    """[Content_Types].xml declaring xl/sharedStrings.xml (openpyxl writes none for a workbook without text)."""
    if b"sharedStrings" in content_types:
        return content_types
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/>'.encode()
    return content_types.replace(b"</Types>", override + b"</Types>")


def spaces_bomb(target, header: list[str], title: str, *, unpacked: int) -> None:
    """A sheet whose XML is a header row, then `unpacked` bytes of spaces (deflate packs them ~1000×)."""

    def chunks():
        yield SHEET_HEAD + row_xml(1, header)
        block = b" " * MB
        for _ in range(unpacked // MB):
            yield block
        yield SHEET_TAIL

    rezip(target, base_workbook([title]), replace={"xl/worksheets/sheet1.xml": chunks()})


def far_column(target, header: list[str], title: str, *, rows: int, row_values=None) -> None:
    """Rows of data, each with one more cell at column XFD (the last Excel has)."""
    values = row_values or ["x"] * len(header)
    far = [row_xml(1, header, extra=cell(16384, 1, "x"))]
    far += (row_xml(n, values, extra=cell(16384, n, 1)) for n in range(2, rows + 2))
    rezip(target, base_workbook([title]), replace={"xl/worksheets/sheet1.xml": sheet_chunks(far)})


def many_cells(target, title: str, *, rows: int, columns: int) -> None:
    """A header of `columns` titles and `rows` rows filling every column."""
    header = [f"列{n}" for n in range(1, columns + 1)]
    values = list(range(columns))
    lines = [row_xml(1, header)] + [row_xml(n, values) for n in range(2, rows + 2)]
    rezip(target, base_workbook([title]), replace={"xl/worksheets/sheet1.xml": sheet_chunks(lines)})


def wide_row_without_references(target, header: list[str], title: str, *, cells: int) -> None:
    """A row of `cells` cells with no reference attribute (each takes the next column)."""
    lines = [row_xml(1, header), b'<row r="2">' + b"<c><v>1</v></c>" * cells + b"</row>"]
    rezip(target, base_workbook([title]), replace={"xl/worksheets/sheet1.xml": sheet_chunks(lines)})


def styles_bomb(target, title: str, *, unpacked: int) -> None:
    """A styles part padded with `unpacked` bytes of comments."""

    def chunks():
        yield b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        block = b"<!--" + b"x" * (MB - 7) + b"-->"
        for _ in range(unpacked // MB):
            yield block
        yield b"</styleSheet>"

    rezip(target, base_workbook([title]), replace={"xl/styles.xml": chunks()})


def not_a_zip(target) -> None:
    Path(target).write_bytes(b"reference,official\n" * 1000)


def zip_not_a_workbook(target) -> None:
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("notes.txt", "走访记录")


def sheet_part_missing(target, title: str) -> None:
    """workbook.xml names a sheet whose part is not in the zip."""
    rezip(target, base_workbook([title]), drop={"xl/worksheets/sheet1.xml"})


# --- the bench -------------------------------------------------------------------------------------

# name: (builder's description, the size). Built in a child process at the full size.
FULL_SIZE = {
    "shared-strings-50mb": "shared strings unpacking to 50 MB (the issue's 276 KB file)",
    "shared-strings-200mb": "shared strings unpacking to 200 MB (the issue's 1.08 MB file)",
    "shared-strings-1m": "1,000,000 shared strings (27 MB): at the count cap, parsed",
    "spaces-990mb": "a sheet of ~990 MB of spaces (the issue's 970 KB zip)",
    "xfd": "50,000 rows, each with a cell at column XFD",
    "too-many-cells": "50,000 rows × 60 columns (3,000,000 cells)",
    "wide-row": "one row of 1,000,000 cells without references",
    "styles-100mb": "a styles part of 100 MB",
    "not-a-zip": "a CSV renamed .xlsx",
    "zip-not-workbook": "a zip holding a text file",
    "sheet-missing": "a sheet named in workbook.xml but absent",
}


def build(name: str, path: Path) -> None:
    from outreach.importing.specs import sheet_for
    from visits.models import Visit

    spec = sheet_for(Visit)
    header, title = [str(column.title) for column in spec.columns], str(spec.title)
    if name == "shared-strings-50mb":
        shared_strings_bomb(path, header, title, unpacked=50 * MB - 4096)
    elif name == "shared-strings-200mb":
        shared_strings_bomb(path, header, title, unpacked=200 * MB)
    elif name == "shared-strings-1m":
        shared_strings_bomb(path, header, title, unpacked=1_000_000 * 27, text=b"\xe8\xb5\xb0\xe8\xae\xbf" * 2)
    elif name == "spaces-990mb":
        spaces_bomb(path, header, title, unpacked=990 * MB)
    elif name == "xfd":
        far_column(path, header, title, rows=50_000)
    elif name == "too-many-cells":
        many_cells(path, title, rows=50_000, columns=60)
    elif name == "wide-row":
        wide_row_without_references(path, header, title, cells=1_000_000)
    elif name == "styles-100mb":
        styles_bomb(path, title, unpacked=100 * MB)
    elif name == "not-a-zip":
        not_a_zip(path)
    elif name == "zip-not-workbook":
        zip_not_a_workbook(path)
    elif name == "sheet-missing":
        sheet_part_missing(path, title)
    else:
        raise SystemExit(f"no case {name!r}")


def measure(name: str, directory: Path) -> dict:
    """Build the case (this process), then check it with `import_records --dry-run` in a child: wall
    time, the child's CPU time and peak resident memory."""
    path = directory / f"{name}.xlsx"
    build(name, path)
    started = time.perf_counter()
    child = subprocess.run(
        [sys.executable, str(Path(__file__)), "--check", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - started
    figures, _, answer = child.stdout.partition("\n")
    peak, _, cpu = figures.partition(" ")
    lines = [line for line in (answer + "\n" + child.stderr).splitlines() if line.strip()]
    path.unlink()
    return {
        "case": name,
        "file": FULL_SIZE[name],
        "returncode": child.returncode,
        "seconds": seconds,
        "peak_mb": float(peak or 0),
        "cpu": float(cpu or 0),
        "answer": lines[0] if lines else "",
        "traceback": "Traceback" in child.stderr,
    }


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def check(path: str) -> None:
    """The child: `import_records --dry-run` in English; prints its peak RSS (MB) and CPU seconds first
    (both its own: the start of Django included, about 1 s and 65 MB)."""
    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", path, "--dry-run", "--language", "en", stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"{error}\n")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{_peak_mb()} {usage.ru_utime + usage.ru_stime}")
    print(err.getvalue().strip() or out.getvalue().strip())


def bench_hostile(cases=None) -> list[dict]:
    """Every case at full size (the database is only read for the agencies; nothing is written)."""
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for name in cases or FULL_SIZE:
            result = measure(name, Path(directory))
            results.append(result)
            print(
                f"{name:22} {result['seconds']:6.1f} s (CPU {result['cpu']:5.1f} s) {result['peak_mb']:5.0f} MB"
                f"{'  TRACEBACK' if result['traceback'] else ''}  {result['answer'][:110]}",
                flush=True,
            )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(FULL_SIZE), help="one case (repeatable)")
    parser.add_argument("--check", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from bench.run import fresh_django, setup_django

    if args.check:
        setup_django()
        check(args.check)
        return
    _url, drop = fresh_django()  # the children use the fresh database too
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        print("load average {:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()))
        bench_hostile(args.case)
    finally:
        connection.close()
        drop()


if __name__ == "__main__":
    main()
