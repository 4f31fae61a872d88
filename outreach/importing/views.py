"""Excel import on the web: download the template, upload a workbook, read the preview, confirm.

Agency staff import for their own agency only (another agency's upload is a 404); officers and
administrators choose the agency.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from outreach.excel import XLSX_CONTENT_TYPE as XLSX
from outreach.generic import url_name
from outreach.importing.cells import match_key
from outreach.importing.engine import CREATE, UNCHANGED, UPDATE, ImportReport, sheet_keys
from outreach.importing.forms import TemplateForm, UploadForm
from outreach.importing.services import confirm_import, may_import_for, preview_upload
from outreach.importing.specs import record_sheets
from outreach.importing.tables import ImportBatchTable, status_badge
from outreach.importing.writer import write_template
from outreach.mixins import RoleRequiredMixin, show_errors
from outreach.models import ImportBatch
from outreach.roles import Role, sees_everything

MSG_TEMPLATE_FILE = _("import-template-%(code)s.xlsx")
ACTIONS = {CREATE: _("New"), UPDATE: _("Update"), UNCHANGED: _("Unchanged")}
MSG_IMPORTED = _("Imported: %(created)s added, %(updated)s updated, %(unchanged)s unchanged.")
MSG_REFUSED_ON_CONFIRM = _(
    "Nothing was imported: the workbook now has problems it did not have at the preview (listed below). "
    "Correct them and upload the workbook again."
)


class ImportRoleMixin(RoleRequiredMixin):
    roles = (Role.STAFF, Role.OFFICER, Role.ADMIN)


class ImportIndexView(ImportRoleMixin, SingleTableMixin, TemplateView):
    """GET: the upload form, the template download form and past uploads; POST: upload, then the preview."""

    template_name = "outreach/imports/index.html"
    table_class = ImportBatchTable

    def get_table_data(self):
        return ImportBatch.objects.for_user(self.request.user).listing()

    def get_table_kwargs(self):
        return {"show_agency": sees_everything(self.request.user)}

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("form", UploadForm(user=user))
        kwargs.setdefault("template_form", TemplateForm(user=user))
        kwargs.update(max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        batch = preview_upload(file=form.cleaned_data["file"], agency=form.chosen_agency(), user=request.user)
        return HttpResponseRedirect(batch.get_absolute_url())


class ImportTemplateView(ImportIndexView):
    """GET ?agency=&types=: the template workbook (staff: always their own agency's); a bad choice re-shows the page."""

    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        form = TemplateForm(request.GET, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(template_form=form))
        agency = form.chosen_agency()
        output = io.BytesIO()
        write_template(output, agency=agency, user=request.user, models=form.models())
        filename = MSG_TEMPLATE_FILE % {"code": agency.code}
        return HttpResponse(
            output.getvalue(),
            content_type=XLSX,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


def spec_for(title: str):
    """The record type of a workbook sheet, as the importer matched it."""
    key = match_key(title)
    return next((spec for spec in record_sheets() if key in sheet_keys(spec)), None)


def list_url(spec) -> str | None:
    """The list of a record type, or of its parent when it has none of its own (a visit's outcomes)."""
    for model in (spec.model, *spec.parents.values()):
        try:
            return reverse(url_name(model, "list"))
        except NoReverseMatch:
            continue
    return None


class ImportBatchDetailView(ImportRoleMixin, DetailView):
    """The preview (or the import's result): counts per sheet, every problem by sheet, row and column, the rows."""

    template_name = "outreach/imports/batch_detail.html"
    context_object_name = "batch"

    def get_queryset(self):
        return (
            ImportBatch.objects.for_user(self.request.user)
            .select_related("agency", "uploaded_by", "imported_by")
            .defer("content")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        report = ImportReport.from_dict(batch.report)
        sheets = []
        for summary in report.sheets:
            if not summary.total:
                continue  # the template's sheets left empty
            spec = spec_for(summary.title)
            sheets.append(
                {
                    "summary": summary,
                    "rows": [
                        (number, reference, action, ACTIONS[action]) for number, reference, action in summary.rows
                    ],
                    "unlisted": summary.total - summary.failed - len(summary.rows),
                    "list_url": list_url(spec) if spec is not None else None,
                }
            )
        context.update(
            report=report,
            sheets=sheets,
            empty_sheets=[summary.title for summary in report.sheets if not summary.total],
            status_badge=status_badge(batch),
            can_confirm=batch.status == ImportBatch.Status.PREVIEWED
            and report.ok
            and may_import_for(self.request.user, batch.agency_id),
        )
        return context


class ImportBatchFileView(ImportRoleMixin, View):
    """GET: the workbook exactly as it was uploaded (kept with the batch)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        batch = get_object_or_404(
            ImportBatch.objects.for_user(request.user).only("pk", "agency_id", "file_name", "content"),
            pk=pk,
            content_dropped_at__isnull=True,  # refused or past the retention limits: the bytes are gone
        )
        response = HttpResponse(bytes(batch.content), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, batch.file_name)
        return response


class ImportConfirmView(ImportRoleMixin, View):
    """POST: import the previewed batch; back to its page with what happened."""

    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.for_user(request.user).only("pk", "agency_id"), pk=pk)
        try:
            batch = confirm_import(batch=batch, user=request.user)
        except ValidationError as error:
            show_errors(request, error)
        else:
            if batch.status == ImportBatch.Status.IMPORTED:
                messages.success(
                    request,
                    MSG_IMPORTED
                    % {
                        "created": batch.rows_created,
                        "updated": batch.rows_updated,
                        "unchanged": batch.rows_unchanged,
                    },
                )
            else:
                messages.error(request, MSG_REFUSED_ON_CONFIRM)
        return HttpResponseRedirect(reverse("imports:detail", args=[pk]))
