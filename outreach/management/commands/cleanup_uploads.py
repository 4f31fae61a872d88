"""Remove uploaded workbooks past the retention limits (run daily from cron, like send_reminders).

- a refused upload's bytes, whatever its age (it is never imported: the clerk corrects the workbook and
  uploads it again); its row stays with the check's messages;
- every upload older than IMPORT_KEEP_DAYS: deleted, except an imported one, whose row stays without
  its bytes as the record of the import (who, when, counts, the check's messages);
- then, while the workbooks still kept exceed IMPORT_KEEP_BYTES in all, the oldest: a previewed one is
  deleted, an imported one loses its bytes.

`--dry-run` counts what would go and changes nothing.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from outreach.models import ImportBatch


@transaction.atomic
def cleanup_uploads(*, now: datetime.datetime, keep_days: int, keep_bytes: int, dry_run: bool = False) -> dict:
    """Apply the retention limits; returns the counts {"deleted", "emptied", "bytes"} (bytes freed)."""
    done = {"deleted": 0, "emptied": 0, "bytes": 0}

    def delete(batch):
        done["deleted"] += 1
        done["bytes"] += 0 if batch.content_dropped_at else batch.size
        if not dry_run:
            batch.delete()

    def empty(batch):
        done["emptied"] += 1
        done["bytes"] += batch.size
        if not dry_run:
            batch.drop_content()
            batch.save(update_fields=["content", "content_dropped_at"])

    batches = ImportBatch.objects.only("pk", "status", "size", "uploaded_at", "content_dropped_at")
    imported = ImportBatch.Status.IMPORTED
    cutoff = now - datetime.timedelta(days=keep_days)
    for batch in batches.filter(uploaded_at__lt=cutoff).exclude(status=imported, content_dropped_at__isnull=False):
        (empty if batch.status == imported else delete)(batch)
    young = batches.filter(uploaded_at__gte=cutoff, content_dropped_at__isnull=True)
    for batch in young.filter(status=ImportBatch.Status.REFUSED):
        empty(batch)
    kept = young.exclude(status=ImportBatch.Status.REFUSED)
    total = kept.aggregate(total=Sum("size"))["total"] or 0
    for batch in kept.order_by("uploaded_at", "pk"):
        if total <= keep_bytes:
            break
        total -= batch.size
        (empty if batch.status == imported else delete)(batch)
    return done


class Command(BaseCommand):
    help = (
        "Delete uploaded workbooks past IMPORT_KEEP_DAYS and beyond IMPORT_KEEP_BYTES (imported ones keep their row)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be removed, change nothing")

    def handle(self, *args, dry_run=False, **options):
        done = cleanup_uploads(
            now=timezone.now(),  # the real time, as uploaded_at is (not the demo site's fixed day)
            keep_days=settings.IMPORT_KEEP_DAYS,
            keep_bytes=settings.IMPORT_KEEP_BYTES,
            dry_run=dry_run,
        )
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(
            f"{verb}: {done['deleted']} upload(s) deleted, {done['emptied']} emptied (row kept), "
            f"{done['bytes']} bytes freed"
        )
