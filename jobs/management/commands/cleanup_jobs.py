"""Keep the job queue honest (run every few minutes from cron, or daily at least):

- running jobs whose worker has not been heard of for JOBS_STALE_SECONDS: run again when their kind
  is safe to retry, else marked failed with a message (the work was all-or-nothing: nothing stayed);
- result files past JOBS_KEEP_DAYS: removed (the job's row and its account stay);
- finished jobs older than JOBS_PRUNE_DAYS: deleted.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import drop_expired_results, prune_finished, reap_stale


class Command(BaseCommand):
    help = "Mark jobs of lost workers failed (or queue them again), remove old result files and old jobs."

    def add_arguments(self, parser):
        parser.add_argument("--stale-seconds", type=float, default=None, help="default: JOBS_STALE_SECONDS")
        parser.add_argument("--prune-days", type=int, default=None, help="default: JOBS_PRUNE_DAYS (0: keep)")

    def handle(self, *args, stale_seconds=None, prune_days=None, **options):
        reaped = reap_stale(seconds=stale_seconds)
        dropped = drop_expired_results()
        pruned = prune_finished(settings.JOBS_PRUNE_DAYS if prune_days is None else prune_days)
        self.stdout.write(
            f"lost jobs dealt with: {reaped}; result files removed: {dropped}; old jobs deleted: {pruned}"
        )
