"""`manage.py import_records FILE.xlsx [--agency CODE] [--dry-run]`: the web import from the command line.

The same checks and the same all-or-nothing write as an upload (outreach/importing/engine.py).
Every problem is printed with its sheet, row and column; the exit status is non-zero when there
was any, and then nothing is written. On a terminal a progress bar is drawn on stderr
(`--no-progress` leaves it out). Everything it says is in the site's language (`--language` for another).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from outreach.importing.engine import run_import
from outreach.importing.services import MSG_IMPORTED
from outreach.models import Agency
from outreach.progress import TerminalProgress, no_progress

MSG_UNUSUAL_VALUES = gettext_lazy(
    "%(count)s values are far above their usual maximum (a typing slip?); they are imported as they are. Check them:"
)
MSG_NO_SUCH_AGENCY = gettext_lazy("No agency has the code “%(code)s”.")
MSG_CANNOT_READ = gettext_lazy("Cannot read %(file)s: %(error)s")
MSG_SHEET_COUNTS = gettext_lazy(
    "%(sheet)s: %(created)s added, %(updated)s updated, %(unchanged)s unchanged, %(failed)s with problems"
)
MSG_WOULD_IMPORT = gettext_lazy(
    "Checked, nothing written: %(created)s to add, %(updated)s to update, %(unchanged)s unchanged."
)
MSG_NOTHING_IMPORTED = ngettext_lazy(
    "%(count)s problem: nothing was imported.", "%(count)s problems: nothing was imported.", "count"
)


def agency_option(code: str | None) -> Agency | None:
    """The agency a command's --agency names (None without the option)."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(MSG_NO_SUCH_AGENCY % {"code": code})
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
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE, help="language of the messages (default: the site's)"
        )
        parser.add_argument(
            "--no-progress", dest="progress", action="store_false", help="draw no progress bar on a terminal"
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.run(**options)

    def run(self, *, file, agency, dry_run, max_rows, progress=True, **options):
        target = agency_option(agency)
        try:
            handle = open(file, "rb")
        except OSError as error:
            raise CommandError(MSG_CANNOT_READ % {"file": file, "error": error.strerror}) from None
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
            counts = {"created": sheet.created, "updated": sheet.updated, "unchanged": sheet.unchanged}
            self.stdout.write(MSG_SHEET_COUNTS % {"sheet": sheet.title, **counts, "failed": sheet.failed})
        if report.unusual_count:
            self.stderr.write(self.style.WARNING(str(MSG_UNUSUAL_VALUES) % {"count": report.unusual_count}))
            for issue in report.unusual:
                self.stderr.write(f"  {issue}")
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(MSG_NOTHING_IMPORTED % {"count": report.issue_count}, returncode=1)
        totals = report.totals()
        counts = {key: totals[key] for key in ("created", "updated", "unchanged")}
        self.stdout.write(self.style.SUCCESS((MSG_WOULD_IMPORT if dry_run else MSG_IMPORTED) % counts))
