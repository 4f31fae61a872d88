"""Excel import on the web: download the template, upload a workbook, read the preview, confirm.

The upload's check and the confirm run as background jobs: each POST queues its job and sends the
user to the job's page, which moves on to the batch's page when the job is done.

Agency staff import for their own agency only (another agency's upload is a 404); officers and
administrators choose the agency.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_tables2 import SingleTableMixin

from jobs.models import Job
from jobs.views import to_job
from outreach import plausibility
from outreach.excel import download
from outreach.generic import url_name
from outreach.importing.cells import match_key
from outreach.importing.engine import CREATE, UNCHANGED, UPDATE, ImportReport, sheet_keys
from outreach.importing.forms import TemplateForm, UploadForm
from outreach.importing.services import (
    CONFIRM,
    batch_job,
    may_import_for,
    start_check,
    start_confirm,
)
from outreach.importing.specs import record_sheets
from outreach.importing.tables import ImportBatchTable, status_badge
from outreach.importing.writer import write_template
from outreach.mixins import RoleRequiredMixin, show_errors
from outreach.models import ImportBatch
from outreach.roles import Role, sees_everything

MSG_TEMPLATE_FILE = _("import-template-%(code)s.xlsx")
ACTIONS = {CREATE: _("New"), UPDATE: _("Update"), UNCHANGED: _("Unchanged")}


class ImportRoleMixin(RoleRequiredMixin):
    roles = (Role.STAFF, Role.OFFICER, Role.ADMIN)


class ImportIndexView(ImportRoleMixin, SingleTableMixin, TemplateView):
    """GET: the upload form, the template download form and past uploads; POST: upload, then its check's job."""

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
        try:
            _batch, job = start_check(file=form.cleaned_data["file"], agency=form.chosen_agency(), user=request.user)
        except ValidationError as error:  # too many jobs at once: nothing kept
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        return to_job(request, job)


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
        return download(output.getvalue(), filename)


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
        check_job = batch_job(batch) if batch.status == ImportBatch.Status.CHECKING else None
        writing = batch_job(batch, CONFIRM) if batch.status == ImportBatch.Status.PREVIEWED else None
        writing = writing if writing is not None and writing.is_active else None
        context.update(
            check_job=check_job,
            # the check's job ended without a preview (stopped over a limit, cancelled, its worker lost)
            check_stopped=batch.status == ImportBatch.Status.CHECKING
            and (check_job is None or check_job.status in (Job.Status.FAILED, Job.Status.CANCELLED)),
            confirm_job=writing,
            report=report,
            sheets=sheets,
            empty_sheets=[summary.title for summary in report.sheets if not summary.total],
            status_badge=status_badge(batch),
            can_confirm=batch.status == ImportBatch.Status.PREVIEWED
            and writing is None
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
        return download(batch.content, batch.file_name)


class ImportConfirmView(ImportRoleMixin, View):
    """POST: queue the import of the previewed batch and go to its job; refused: back to the batch with why."""

    http_method_names = ["post"]

    def post(self, request, pk):
        batch = get_object_or_404(
            ImportBatch.objects.for_user(request.user).select_related("agency").defer("content"), pk=pk
        )
        try:
            job = start_confirm(
                batch=batch, user=request.user, confirmed_unusual=request.POST.get(plausibility.CONFIRM_FIELD, "")
            )
        except ValidationError as error:
            show_errors(request, error)
            return HttpResponseRedirect(batch.get_absolute_url())
        return to_job(request, job)
