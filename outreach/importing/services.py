"""Uploads through the web: check a workbook (nothing written), then confirm it (all written or nothing).

Both steps run the same `run_import` on the same bytes, kept on the `ImportBatch`, so the
confirmed import writes exactly what the check listed, or refuses if something changed since
(a month locked, a record deleted).

On the web both steps are background jobs (outreach/jobs.py): `start_check` keeps the upload as a
CHECKING batch and queues its check ("import_check", which runs `check_batch`); `start_confirm`
queues the confirm ("import_confirm", which runs `confirm_import`). `preview_upload` is the same
check run here and now.
"""

import hashlib
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.models import Job
from jobs.services import enqueue
from outreach.importing.engine import ImportReport, run_import
from outreach.models import Agency, ImportBatch
from outreach.progress import Progress, no_progress
from outreach.roles import agency_id_of, role_of, sees_everything

MSG_ALREADY_IMPORTED = _("This workbook was already imported on %(at)s; it was not imported again.")
MSG_HAS_PROBLEMS = _("This upload has problems and cannot be imported: correct the workbook and upload it again.")
MSG_STILL_CHECKING = _("This workbook is still being checked; it can be imported once the check is done.")
MSG_IMPORTED = _("Imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
MSG_REFUSED_ON_CONFIRM = _(
    "Nothing was imported: the workbook now has problems it did not have at the preview (listed below). "
    "Correct them and upload the workbook again."
)

MSG_CONFIRM_UNUSUAL = _(
    "Some values are far above their usual maximum (listed on this page). Check them in the workbook; if they are "
    "right, tick the box that confirms them and import again."
)

CHECK, CONFIRM = "import_check", "import_confirm"  # the kinds of job (outreach/jobs.py)


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


def _new_batch(*, file, agency: Agency, user) -> ImportBatch:
    """An upload kept as it came, to be checked."""
    if not may_import_for(user, agency.pk):
        raise PermissionDenied
    content = file.read()
    return ImportBatch.objects.create(
        agency=agency,
        uploaded_by=user,
        file_name=file.name[-255:],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        status=ImportBatch.Status.CHECKING,
    )


def check_batch(batch: ImportBatch, *, user, progress: Progress = no_progress) -> ImportBatch:
    """Check a CHECKING batch's workbook and keep what the check found: PREVIEWED or REFUSED; no record
    is written. A batch checked already is left as it is (a check run again after its worker was lost
    must not undo a confirm made in between)."""
    if batch.status != ImportBatch.Status.CHECKING:
        return batch
    if not may_import_for(user, batch.agency_id):
        raise PermissionDenied
    report = run_import(io.BytesIO(batch.content), agency=batch.agency, user=user, commit=False, progress=progress)
    batch.status = ImportBatch.Status.PREVIEWED if report.ok else ImportBatch.Status.REFUSED
    _keep(batch, report)
    fields = ("status", "report", "rows_created", "rows_updated", "rows_unchanged", "problems")
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.CHECKING).update(
        **{name: getattr(batch, name) for name in fields}
    )
    return batch


@transaction.atomic
def preview_upload(*, file, agency: Agency, user, progress: Progress = no_progress) -> ImportBatch:
    """Check an uploaded workbook for `agency` here and now and keep it with what the check found."""
    return check_batch(_new_batch(file=file, agency=agency, user=user), user=user, progress=progress)


def start_check(*, file, agency: Agency, user) -> tuple[ImportBatch, Job]:
    """Keep an upload (CHECKING) and queue its check. Refused with a ValidationError, nothing kept,
    when the agency has too many jobs running."""
    batch = _new_batch(file=file, agency=agency, user=user)
    # Kept (committed) before the job is queued, so a worker on another connection finds it; a
    # refused job takes the batch with it.
    try:
        job = enqueue(CHECK, user=user, agency=agency, arguments={"batch": batch.pk})
    except Exception:
        batch.delete()
        raise
    return batch, job


def batch_job(batch: ImportBatch, kind: str = CHECK) -> Job | None:
    """The latest job of `kind` for the batch (its check, its confirm), if any."""
    return Job.objects.filter(kind=kind, arguments__batch=batch.pk).order_by("-pk").first()


def _refuse_unless_importable(batch: ImportBatch) -> None:
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ValidationError(
            MSG_ALREADY_IMPORTED,
            code="already_imported",
            params={"at": timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")},
        )
    if batch.status == ImportBatch.Status.CHECKING:
        raise ValidationError(MSG_STILL_CHECKING, code="checking")
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(MSG_HAS_PROBLEMS, code="has_problems")


def start_confirm(*, batch: ImportBatch, user, confirmed_unusual: str = "") -> Job:
    """Queue the import of a previewed batch (the job runs `confirm_import`); the confirm already
    queued or running when there is one. Refused with a ValidationError, no job, when the batch
    cannot be imported, its values far above the usual are not confirmed (`confirmed_unusual`: the
    preview's `unusual_signature`, which the box on it carries) or the agency has too many jobs running."""
    if not may_import_for(user, batch.agency_id):
        raise PermissionDenied
    _refuse_unless_importable(batch)
    report = ImportReport.from_dict(batch.report)
    if report.unusual_count and confirmed_unusual != report.unusual_signature:
        raise ValidationError(MSG_CONFIRM_UNUSUAL, code="unusual_not_confirmed")
    running = batch_job(batch, CONFIRM)
    if running is not None and running.is_active:
        return running
    return enqueue(CONFIRM, user=user, agency=batch.agency, arguments={"batch": batch.pk})


@transaction.atomic
def confirm_import(*, batch: ImportBatch, user, progress: Progress = no_progress) -> ImportBatch:
    """Import a previewed batch: every row, or none when a problem has appeared since the preview
    (the batch is then refused, with the new report). A batch is imported once at most."""
    if not may_import_for(user, batch.agency_id):
        raise PermissionDenied
    # The row lock makes a second click wait for the first, then find the batch imported.
    batch = ImportBatch.objects.select_for_update().select_related("agency").get(pk=batch.pk)
    _refuse_unless_importable(batch)
    report = run_import(
        io.BytesIO(batch.content),
        agency=batch.agency,
        user=user,
        commit=True,
        reason=f"import #{batch.pk}",
        progress=progress,
    )
    _keep(batch, report)
    if report.committed:
        batch.status, batch.imported_at, batch.imported_by = ImportBatch.Status.IMPORTED, timezone.now(), user
    else:
        batch.status = ImportBatch.Status.REFUSED
    batch.save()
    return batch


def outcome_message(batch: ImportBatch) -> str:
    """What a confirm did, in a sentence."""
    if batch.status == ImportBatch.Status.IMPORTED:
        return MSG_IMPORTED % {
            "created": batch.rows_created,
            "updated": batch.rows_updated,
            "unchanged": batch.rows_unchanged,
        }
    return str(MSG_REFUSED_ON_CONFIRM)
