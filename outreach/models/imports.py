"""Uploaded workbooks: what was previewed and imported, and what the check found."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models.directory import Agency
from outreach.models.fields import user_field
from outreach.querysets import AgencyScopedQuerySet


class ImportBatchQuerySet(AgencyScopedQuerySet):
    def listing(self):
        """For lists: without the workbook's bytes and the full report (the counts are columns of their own)."""
        return self.select_related("agency", "uploaded_by").defer("content", "report")


class ImportBatch(models.Model):
    """One uploaded workbook: its bytes, as previewed and (once confirmed) as imported, and what the check found.

    An upload on the web is kept at once as CHECKING and checked by a background job (kind
    "import_check"), which leaves it PREVIEWED or REFUSED; the confirm is a job too ("import_confirm").

    The confirmed import reads these very bytes again, so it writes exactly what the preview showed;
    they stay as the record of what was uploaded.
    """

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        PREVIEWED = "previewed", _("Ready to import")
        REFUSED = "refused", _("Has problems")
        IMPORTED = "imported", _("Imported")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_by = user_field(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("workbook"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    #: `ImportReport.to_dict()` of the preview, or of the import once confirmed
    report = models.JSONField(_("report"), default=dict)
    rows_created = models.PositiveIntegerField(_("added"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.PositiveIntegerField(_("problems"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = user_field(_("imported by"))
    #: when the workbook's bytes were dropped by `manage.py cleanup_uploads` (a refused one on its next run,
    #: others past the retention limits); the row, its counts and messages stay
    content_dropped_at = models.DateTimeField(_("workbook removed at"), null=True, blank=True, editable=False)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("Excel import")
        verbose_name_plural = _("Excel imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-uploaded_at"])]

    def __str__(self):
        return _("Import #%(number)s (%(file)s)") % {"number": self.pk, "file": self.file_name}

    @property
    def content_kept(self) -> bool:
        return self.content_dropped_at is None

    def drop_content(self) -> None:
        """Forget the workbook's bytes (not saved here); `size` and `sha256` still describe what was uploaded."""
        self.content = b""
        self.content_dropped_at = timezone.now()

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("imports:detail", args=[self.pk])
