"""`manage.py yearend`: the year-end statistics (docs/domain.md §4) as JSON or as the Excel workbook.

    python manage.py yearend --year 2014 --as-of 2014-07-31 --format xlsx --output year-end.xlsx
    python manage.py yearend --year 2014 --agency A001 --format json --output -
    python manage.py yearend --year 2014 --basis approved --format json --output -

The same figures as /reports/year-end.json and /reports/year-end.xlsx (the same filters, checked
by the same form), on the basis `--basis` (统计口径: approved, submitted or all; default submitted,
as an officer sees them). A file is written whole or not at all: the output goes to a temporary file
beside it, renamed into place only when complete. On a terminal, a workbook's progress is drawn on
standard error.
"""

import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from outreach.models import Basis
from outreach.progress import TerminalProgress, no_progress
from reports.exports import write_workbook, year_end_payload
from reports.forms import ReportFilterForm

FORMATS = ("json", "xlsx")


class Command(BaseCommand):
    help = (
        "Write the year-end statistics of a year up to an as-of date, for the province or one agency "
        "(and optionally one city), as JSON or as the Excel workbook."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the campaign year, e.g. 2014")
        parser.add_argument(
            "--as-of", dest="as_of", help="the cut-off date, YYYY-MM-DD (default: the year's end, or today)"
        )
        parser.add_argument("--agency", help="an agency code (default: the whole province)")
        parser.add_argument("--city", help="a city code (narrows the figures that have a city)")
        parser.add_argument(
            "--basis",
            help="the records counted: approved, submitted (default: awaiting review included) or all (drafts too)",
        )
        parser.add_argument("--format", choices=FORMATS, default="json", help="json (default) or xlsx")
        parser.add_argument("--output", required=True, help='a file name, or "-" for standard output (json only)')

    def handle(self, *args, year, as_of, agency, city, basis, format, output, **options):
        if format not in FORMATS:
            raise CommandError(_("The format must be json or xlsx."))
        if output == "-" and format == "xlsx":
            raise CommandError(_("A workbook cannot be written to standard output: name a file with --output."))
        data = {"year": year, "as_of": as_of or "", "agency": agency or "", "city": city or "", "basis": basis or ""}
        form = ReportFilterForm(data, basis=Basis.SUBMITTED)
        if not form.is_valid():
            messages = [f"--{name.replace('_', '-')}: {m}" for name, errors in form.errors.items() for m in errors]
            raise CommandError(" ".join(messages))
        scope = form.scope()

        if output == "-":
            self.stdout.write(json.dumps(year_end_payload(scope), ensure_ascii=False, indent=2))
            return
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(_("There is no folder %(folder)s to write to.") % {"folder": target.parent})
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                if format == "json":
                    text = json.dumps(year_end_payload(scope), ensure_ascii=False, indent=2)
                    handle.write(text.encode("utf-8"))
                else:
                    bar = TerminalProgress(
                        self.stderr._out
                    )  # on a terminal only; the raw stream: the bar redraws its line
                    try:
                        write_workbook(handle, scope, progress=bar if bar.enabled else no_progress)
                    finally:
                        bar.finish()
            os.chmod(partial, 0o644)  # mkstemp's file is private; the output is an ordinary file
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        if options["verbosity"] > 0:
            self.stderr.write(_("Wrote %(file)s.") % {"file": target})
