"""`manage.py import_records FILE.xlsx [--agency CODE] [--dry-run]`: the web import from the command line.

The same checks and the same all-or-nothing write as an upload (outreach/importing/engine.py).
Every problem is printed with its sheet, row and column; the exit status is non-zero when there
was any, and then nothing is written. On a terminal a progress bar is drawn on stderr
(`--no-progress` leaves it out).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from outreach.importing.engine import run_import
from outreach.models import Agency
from outreach.progress import TerminalProgress, no_progress


def agency_option(code: str | None) -> Agency | None:
    """The agency a command's --agency names (None without the option)."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(f"No agency has the code {code!r}.")
    return agency


class Command(BaseCommand):
    help = (
        "Import the records of an Excel workbook in the template's format. Without --agency each row's agency "
        "code decides. Writes every row or, on any problem, none (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--agency", help="agency code: every row is of this agency")
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--max-rows", type=int, default=None, help="rows allowed per sheet (default: IMPORT_MAX_ROWS)"
        )
        parser.add_argument("--language", default="zh-hans", help="language of the messages (zh-hans or en)")
        parser.add_argument(
            "--no-progress", dest="progress", action="store_false", help="draw no progress bar on a terminal"
        )

    def handle(self, *args, file, agency, dry_run, max_rows, language, progress=True, **options):
        translation.activate(language)
        target = agency_option(agency)
        try:
            handle = open(file, "rb")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        # drawn on the command's own stderr when it is a terminal (nothing under cron or in a pipe)
        bar = TerminalProgress(self.stderr._out) if progress else None
        with handle:
            try:
                report = run_import(
                    handle,
                    agency=target,
                    user=None,
                    commit=not dry_run,
                    max_rows=max_rows,
                    max_bytes=10**12,
                    reason="import_records",
                    progress=bar or no_progress,
                )
            finally:
                if bar is not None:
                    bar.finish()
        for notice in report.notices:
            self.stdout.write(notice)
        for sheet in report.sheets:
            self.stdout.write(
                f"{sheet.title}: {sheet.created} new, {sheet.updated} updated, {sheet.unchanged} unchanged, "
                f"{sheet.failed} with problems"
            )
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(f"{report.issue_count} problem(s): nothing was imported.", returncode=1)
        totals = report.totals()
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {totals['created']} new, {totals['updated']} updated, {totals['unchanged']} unchanged"
            )
        )
