import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from outreach.models import ImportBatch

STATUS_BADGES = {
    ImportBatch.Status.CHECKING: "text-bg-secondary",
    ImportBatch.Status.PREVIEWED: "text-bg-primary",
    ImportBatch.Status.REFUSED: "text-bg-danger",
    ImportBatch.Status.IMPORTED: "text-bg-success",
}


def status_badge(batch) -> str:
    return format_html(
        '<span class="badge {}" data-testid="status" data-status="{}">{}</span>',
        STATUS_BADGES[batch.status],
        batch.status,
        batch.get_status_display(),
    )


class CountColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "text-end num"}, "th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)


class ImportBatchTable(tables.Table):
    """Past uploads, newest first; the agency column for those who see every agency."""

    id = tables.Column(linkify=True, verbose_name=_("No."), attrs={"td": {"class": "text-muted"}})
    uploaded_at = tables.DateTimeColumn(format="Y-m-d H:i")
    agency = tables.Column(verbose_name=_("agency"), order_by=("agency__code",))
    file_name = tables.Column(linkify=lambda record: record.get_absolute_url())
    uploaded_by = tables.Column()
    status = tables.Column()
    rows_created = CountColumn()
    rows_updated = CountColumn()
    rows_unchanged = CountColumn()
    problems = CountColumn()

    class Meta:
        model = ImportBatch
        fields = ()  # the columns declared above, in their order (none generated from the model)
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "batches"}
        row_attrs = {"data-testid": lambda record: f"batch-{record.pk}"}
        template_name = "django_tables2/bootstrap5.html"
        per_page = 50
        empty_text = _("Nothing has been uploaded yet.")

    def __init__(self, *args, show_agency=True, **kwargs):
        if not show_agency:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "agency")
        super().__init__(*args, **kwargs)

    def render_agency(self, value):
        return value.short_name or value.name

    def render_uploaded_by(self, value):
        return value.get_full_name() or value.username

    def render_status(self, record):
        return status_badge(record)
