"""Downloads that run as background jobs (jobs.kinds): a long list's Excel download and the records of a
year in the import format (`manage.py export_records` on the web). Loaded by `outreach.jobs`.

Both read as the person who asked: a list download re-resolves the list's view for them (the rows
`Model.objects.for_user` gives them, filtered and sorted as they asked), the records export holds staff
to their own agency.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _

from jobs.kinds import Outcome, register
from outreach.exports import write_xlsx
from outreach.generic import ObjectListView
from outreach.importing.records_export import RecordsExportForm, records_filename
from outreach.importing.writer import write_records

MSG_UNKNOWN_LIST = _("There is no such list to download.")
MSG_ROWS_WRITTEN = _("The workbook is ready: %(rows)s rows.")


def list_view(name: str, user, query: str) -> ObjectListView:
    """The list view named `name` (`<app>:<model>_list`) set up as `user` asking `?query`."""
    try:
        path = reverse(name)
    except NoReverseMatch:
        raise ValidationError(MSG_UNKNOWN_LIST, code="unknown_list") from None
    function = resolve(path).func
    view_class = getattr(function, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView):
        raise ValidationError(MSG_UNKNOWN_LIST, code="unknown_list")
    request = HttpRequest()
    request.method, request.path, request.user = "GET", path, user
    request.GET = QueryDict(query)
    view = view_class(**function.view_initkwargs)
    view.setup(request)
    if not view.has_permission():
        raise PermissionDenied
    return view


@register("list_export", label=_("List download"), retries=1)
def list_export(context) -> Outcome:
    """arguments: {"list": "<app>:<model>_list", "query": the list's filters}: the same workbook as the list's
    immediate download, "rows" progress every 1,000 rows."""
    view = list_view(context.arguments.get("list", ""), context.user, context.arguments.get("query", ""))
    filterset, rows = view.export_rows()
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError([message for messages in filterset.errors.values() for message in messages])
    total = rows.count()
    context(0, total, "rows")
    with context.output(view.export_filename()) as handle:
        written = write_xlsx(handle, view.export_sheets(rows, filterset), progress=context, total=total)
    return Outcome(message=str(MSG_ROWS_WRITTEN) % {"rows": f"{written:,}"})


@register("records_export", label=_("Records export (import format)"), retries=1)
def records_export(context) -> Outcome:
    """arguments: {"year": Y, "agency": code or None}: `export_records` for the person who asked (staff: always
    their own agency; officers: the agency named, or every agency)."""
    form = RecordsExportForm(
        {"year": context.arguments.get("year"), "agency": context.arguments.get("agency") or ""}, user=context.user
    )
    if not form.is_valid():
        raise ValidationError([message for messages in form.errors.values() for message in messages])
    year, agency = form.cleaned_data["year"], form.chosen_agency()
    with context.output(records_filename(year, agency)) as handle:
        written = write_records(handle, year=year, agency=agency, progress=context)
    return Outcome(message=str(MSG_ROWS_WRITTEN) % {"rows": f"{sum(written.counts.values()):,}"})
