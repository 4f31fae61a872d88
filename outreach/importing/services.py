"""Uploads through the web: preview a workbook (nothing written), then confirm it (all written or nothing).

Both steps run the same `run_import` on the same bytes, kept on the `ImportBatch`, so the
confirmed import writes exactly what the preview listed, or refuses if something changed since
(a month locked, a record deleted).
"""

import hashlib
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.importing.engine import ImportReport, run_import
from outreach.models import Agency, ImportBatch
from outreach.roles import agency_id_of, role_of, sees_everything

MSG_ALREADY_IMPORTED = _("This workbook was already imported on %(at)s; it was not imported again.")
MSG_HAS_PROBLEMS = _("This upload has problems and cannot be imported: correct the workbook and upload it again.")


def may_import_for(user, agency_id) -> bool:
    """Agency staff import for their own agency; officers and administrators for any."""
    if role_of(user) is None:
        return False
    return sees_everything(user) or (agency_id is not None and agency_id == agency_id_of(user))


def _keep(batch: ImportBatch, report: ImportReport) -> None:
    totals = report.totals()
    batch.report = report.to_dict()
    batch.rows_created, batch.rows_updated, batch.rows_unchanged = (
        totals["created"],
        totals["updated"],
        totals["unchanged"],
    )
    batch.problems = report.issue_count


def preview_upload(*, file, agency: Agency, user) -> ImportBatch:
    """Check an uploaded workbook for `agency` and keep it with what the check found; no record is written."""
    if not may_import_for(user, agency.pk):
        raise PermissionDenied
    content = file.read()
    report = run_import(io.BytesIO(content), agency=agency, user=user, commit=False)
    batch = ImportBatch(
        agency=agency,
        uploaded_by=user,
        file_name=file.name[-255:],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        status=ImportBatch.Status.PREVIEWED if report.ok else ImportBatch.Status.REFUSED,
    )
    _keep(batch, report)
    batch.save()
    return batch


@transaction.atomic
def confirm_import(*, batch: ImportBatch, user) -> ImportBatch:
    """Import a previewed batch: every row, or none when a problem has appeared since the preview
    (the batch is then refused, with the new report). A batch is imported once at most."""
    if not may_import_for(user, batch.agency_id):
        raise PermissionDenied
    # The row lock makes a second click wait for the first, then find the batch imported.
    batch = ImportBatch.objects.select_for_update().select_related("agency").get(pk=batch.pk)
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ValidationError(
            MSG_ALREADY_IMPORTED,
            code="already_imported",
            params={"at": timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")},
        )
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(MSG_HAS_PROBLEMS, code="has_problems")
    report = run_import(
        io.BytesIO(batch.content), agency=batch.agency, user=user, commit=True, reason=f"import #{batch.pk}"
    )
    _keep(batch, report)
    if report.committed:
        batch.status, batch.imported_at, batch.imported_by = ImportBatch.Status.IMPORTED, timezone.now(), user
    else:
        batch.status = ImportBatch.Status.REFUSED
    batch.save()
    return batch
