"""`manage.py export_records --year Y --output F.xlsx [--agency CODE]`: a year's records in the import format.

The workbook `import_records` reads back: importing it into a database with the same directory and
no records (`seed_demo --directory-only`) gives the same records and the same year-end figures.
Which records belong to a year: see `outreach.importing.writer.records_of_year`. On a terminal, the
progress is drawn on standard error. On the web: the imports page's "export records" card (a background job,
`outreach.exports_jobs`).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from outreach.importing.writer import write_records
from outreach.management.commands.import_records import agency_option
from outreach.progress import TerminalProgress, no_progress


class Command(BaseCommand):
    help = (
        "Write every live record of a year (events dated in it, standing records overlapping it, the records "
        "they name, all needy people) to an Excel workbook in the import template's format."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the year")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--agency", help="agency code: only this agency's records")
        parser.add_argument(
            "--language", default="zh-hans", help="language of the sheet names and headers (zh-hans or en)"
        )

    def handle(self, *args, year, output, agency, language, **options):
        translation.activate(language)
        target = agency_option(agency)
        bar = TerminalProgress(self.stderr._out)  # on a terminal only; the raw stream: the bar redraws its line
        try:
            written = write_records(output, year=year, agency=target, progress=bar if bar.enabled else no_progress)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        finally:
            bar.finish()
        for title, count in written.counts.items():
            self.stdout.write(f"{title}: {count}")
        for (sheet, column), count in written.outside.items():
            self.stderr.write(
                f"{sheet} · {column}: {count} cell(s) name an object that is no longer among the column's choices "
                f"(e.g. an official no longer in post); importing them will be refused."
            )
        total = sum(written.counts.values())
        self.stdout.write(self.style.SUCCESS(f"wrote {total} records of {year} to {output}"))
