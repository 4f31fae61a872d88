"""The year-end workbook download: /reports/year-end.xlsx?year=&as_of=&agency=&city=&basis=."""

import tempfile

from django.http import FileResponse, HttpResponse
from django.views import View

from reports.exports import XLSX_CONTENT_TYPE, workbook_filename, write_workbook
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
