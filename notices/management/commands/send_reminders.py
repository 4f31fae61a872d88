"""`manage.py send_reminders [--dry-run] [--date YYYY-MM-DD]`: the day's scheduled reminders (催报).

For every period of the campaign years around the day, each agency that has not submitted it is
reminded N days before the due date (N: the year's settings), on the due date and after it — at
most once of each kind per agency and period, ever, and never an agency that has submitted. Safe to
run from cron every day (and twice, or from two machines at once: the log keeps one of each):

    15 8 * * *  cd /srv/outreach && .venv/bin/python manage.py send_reminders

It runs here and now, not as a background job; on a terminal it draws a progress bar (on stderr), under
cron it prints only the reminders sent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from notices.services import send_scheduled
from outreach import clock
from outreach.progress import TerminalProgress


class Command(BaseCommand):
    help = "Send the day's scheduled reminders to the agencies that have not submitted a period."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to send for, YYYY-MM-DD (default: the site's today)")
        parser.add_argument("--dry-run", action="store_true", help="list what would be sent, send nothing")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else clock.today()
        except ValueError as error:
            raise CommandError(_("--date must be a date written YYYY-MM-DD, e.g. 2014-07-31.")) from error
        # the bar writes to the command's error stream itself: Django's wrapper would end every redraw with a newline
        progress = TerminalProgress(getattr(self.stderr, "_out", self.stderr))
        try:
            reminders = send_scheduled(day=day, dry_run=dry_run, progress=progress)
        finally:
            progress.finish()
        for reminder in reminders:
            params = {
                "agency": f"{reminder.agency.code} {reminder.agency}",
                "period": reminder.period,
                "kind": reminder.get_kind_display(),
                "recipients": reminder.recipients,
                "emailed": reminder.emailed,
            }
            self.stdout.write(
                _("%(agency)s · %(period)s · %(kind)s · clerks notified: %(recipients)s, by e-mail: %(emailed)s")
                % params
            )
        params = {"count": len(reminders), "day": day.isoformat()}
        if dry_run:
            summary = _("Dry run for %(day)s: %(count)s reminders would be sent, nothing was sent.") % params
        else:
            summary = _("%(day)s: %(count)s reminders sent.") % params
        self.stdout.write(summary)
