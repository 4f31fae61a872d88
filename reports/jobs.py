"""The reports' long work as background jobs (jobs.kinds): the year-end workbook."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register
from reports import publish_jobs  # noqa: F401
from reports.exports import workbook_filename, write_workbook
from reports.views.year_end import report_form

MSG_WORKBOOK_WRITTEN = _("The workbook is ready: %(rows)s rows.")


def workbook_arguments(scope) -> dict:
    """A job's arguments for the workbook of `scope`: its filters as a query string (year, as-of date, basis…)."""
    return {"query": urlencode(scope.query())}


@register("yearend_workbook", label=_("Year-end workbook"), retries=1)
def year_end_workbook(context) -> Outcome:
    """The year-end workbook of the filters in `arguments["query"]`, as the person who asked may see them
    (the page's rules: staff held to their own agency); a filter no longer valid fails the job with its messages."""
    query = context.arguments.get("query", "")
    try:
        form = report_form(context.user, QueryDict(query))
    except Http404:  # staff moved to another agency since: no longer theirs to see
        raise PermissionDenied from None
    if not form.is_valid():
        raise ValidationError([message for messages in form.errors.values() for message in messages])
    scope = form.scope()
    with context.output(workbook_filename(scope)) as handle:
        stats = write_workbook(handle, scope, progress=context)
    return Outcome(message=str(MSG_WORKBOOK_WRITTEN) % {"rows": f"{stats.total_rows:,}"})
