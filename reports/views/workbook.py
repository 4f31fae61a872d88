"""The year-end workbook: GET /reports/year-end.xlsx?year=&as_of=&agency=&city=&basis= writes it in the
request; POST /reports/year-end/workbook-job/ (the page's button) writes it as a background job."""

import tempfile

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views import View

from jobs import services
from jobs.views import to_job
from outreach.mixins import show_errors
from reports.exports import XLSX_CONTENT_TYPE, workbook_filename, write_workbook
from reports.jobs import workbook_arguments
from reports.views.year_end import ReportScopeMixin


class YearEndWorkbookView(ReportScopeMixin, View):
    """The year-end statistics as an Excel workbook (see `reports.exports.write_workbook`).

    The same scope rules as the page and the JSON: staff get their own agency (another agency's
    code is a 404), officers the province or `agency=CODE`, on the basis chosen or the user's
    default (named in the summary's title and the file name); a bad filter is a 400 with the
    messages. The workbook is written to a temporary file and streamed from it, never held in
    memory whole.
    """

    http_method_names = ["get"]

    def get(self, request):
        scope = self.report_scope
        if scope is None:
            return HttpResponse(self.form_errors(), status=400, content_type="text/plain; charset=utf-8")
        handle = tempfile.TemporaryFile()
        try:
            write_workbook(handle, scope)
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        return FileResponse(
            handle, as_attachment=True, filename=workbook_filename(scope), content_type=XLSX_CONTENT_TYPE
        )


class YearEndWorkbookJobView(ReportScopeMixin, View):
    """POST (the year-end page's download button): the same workbook as a background job, then its page.

    The filters come in the query string or the POST body, checked by the same rules as the GET
    (another agency's code: 404 for staff; a bad filter: 400 with the messages, no job). A job
    refused at enqueue (too many at once) is a message back on the year-end page, nothing queued.
    """

    http_method_names = ["post"]

    def report_query(self, request):
        query = super().report_query(request)
        for name in ("year", "as_of", "agency", "city", "basis"):
            if name in request.POST:
                query[name] = request.POST[name]
        return query

    def post(self, request):
        scope = self.report_scope
        if scope is None:
            return HttpResponse(self.form_errors(), status=400, content_type="text/plain; charset=utf-8")
        arguments = workbook_arguments(scope)
        try:
            job = services.enqueue("yearend_workbook", user=request.user, agency=scope.agency, arguments=arguments)
        except ValidationError as error:
            show_errors(request, error)
            return HttpResponseRedirect(f"{reverse('reports:year_end')}?{urlencode(scope.query())}")
        return to_job(request, job)
