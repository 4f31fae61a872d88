"""Completeness and timeliness (reporting rates): /reports/completeness/, its JSON and its Excel download.

The rules are `reports.completeness`'s; these views read the year and as-of date (kept across pages,
`outreach.window.kept_query`), hold staff to their own agency (`for_user`) and present the grid.
"""

import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from outreach.excel import AMOUNT, COUNT_FORMAT, NUMBER, TEXT, cell_writer, download, workbook, write_strings
from outreach.exports import export_filename
from outreach.models import Agency
from outreach.roles import Role, role_of
from outreach.window import kept_query
from reports.completeness import (
    MONTH,
    OVERDUE,
    YEAR_KEY,
    Cell,
    Completeness,
    Period,
    Status,
    completeness,
)
from reports.forms import ReportFilterForm
from reports.views.year_end import held_agency

SORT_CODE, SORT_RATE, SORT_MISSING = "code", "rate", "missing"


class CompletenessForm(ReportFilterForm):
    """Year, as-of date (within the year: else `reports.forms.MSG_BAD_AS_OF`), agency (officers) and sort."""

    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (SORT_CODE, _("Agency code")),
            (SORT_RATE, _("Submitted rate, lowest first")),
            (SORT_MISSING, _("Missing and sent back, most first")),
        ],
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for name in ("city", "basis"):  # a return has no city; statuses are not on a basis
            self.fields.pop(name, None)


def remind_url() -> str | None:
    """The reminders' POST URL (the notices app's), or None where it is not installed."""
    try:
        return reverse("notices:remind")
    except NoReverseMatch:
        return None


class CompletenessMixin:
    """Reads the filters from GET (with the kept year and as-of date); `self.result` is None on bad input."""

    def dispatch(self, request, *args, **kwargs):
        self.form = CompletenessForm(kept_query(request), own_agency=held_agency(request))
        self.result: Completeness | None = None
        if self.form.is_valid():
            scope = self.form.scope()
            agencies = Agency.objects.for_user(request.user)
            if scope.agency is not None:
                agencies = agencies.filter(pk=scope.agency.pk)
            self.result = completeness(year=scope.year, as_of=scope.as_of, agencies=agencies)
        return super().dispatch(request, *args, **kwargs)

    def query(self, **extra) -> str:
        """The page's filters as a query string (for the downloads and the sort links)."""
        data = self.form.cleaned_data
        params = {"year": self.result.year, "as_of": self.result.as_of.isoformat()}
        if data.get("agency") is not None:
            params["agency"] = data["agency"].code
        params.update(extra)
        return urlencode(params)


@dataclass
class GridCell:
    period: Period
    cell: Cell
    url: str
    #: an officer may remind the agency of this period (missing or sent back)
    remindable: bool


def period_link(period: Period, *, officer: bool) -> tuple[str, bool]:
    """Where a period's cells open, as (the URL, whether the agency's pk follows it): that agency's month
    (officers: the review queue of the agency and month; clerks: their months of the year), or the
    channel-return list of the agency, year and half-year. Once per period: a grid has 1,800 cells."""
    if period.kind == MONTH:
        if officer:
            query = urlencode({"status": "", "year": period.year, "month": period.number})
            return f"{reverse('review')}?{query}&agency=", True
        return f"{reverse('returns')}?{urlencode({'year': period.year})}#month-{period.number}", False
    query = urlencode({"year": period.year, "half": period.number})
    return f"{reverse('visits:channelreturn_list')}?{query}&agency=", True


class CompletenessView(CompletenessMixin, TemplateView):
    """The grid agency × period with each cell's status, the rates per period and for the year, and 催报."""

    template_name = "reports/completeness.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if self.result is not None else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        result = context["result"] = self.result
        if result is None:
            return context
        officer = role_of(self.request.user) == Role.OFFICER
        sees_all = role_of(self.request.user) in (Role.OFFICER, Role.ADMIN)
        reminding = remind_url() if officer else None
        sort = self.form.cleaned_data.get("sort") or SORT_CODE
        links = [(period, *period_link(period, officer=sees_all)) for period in result.periods]
        rows = [
            (
                row,
                [
                    GridCell(
                        period,
                        row.cells[period.key],
                        f"{url}{row.agency.pk}" if with_agency else url,
                        reminding is not None and row.cells[period.key].status in OVERDUE,
                    )
                    for period, url, with_agency in links
                ],
            )
            for row in result.sorted_by(sort)
        ]
        overdue = {
            period.key: sum(1 for row in result.rows if row.cells[period.key].status in OVERDUE)
            for period in result.periods
        }
        context.update(
            rows=rows,
            sort=sort,
            sorts=self.form.fields["sort"].choices,
            rates=[result.rates[p.key] for p in result.periods],
            year_rate=result.rates[YEAR_KEY],
            overdue_periods=[(p, overdue[p.key]) for p in result.periods if overdue[p.key]],
            remind_url=reminding,
            next_url=self.request.get_full_path(),
            query=self.query(sort=sort),
            download_query=self.query(),
            statuses=Status,
        )
        return context


def payload(result: Completeness) -> dict:
    """The JSON of /reports/completeness.json: periods, each agency's cells, the rates."""

    def cell_json(cell: Cell) -> dict:
        return {
            "status": str(cell.status),
            "submitted_at": timezone.localtime(cell.submitted_at).isoformat() if cell.submitted_at else None,
            "due": cell.due.isoformat(),
            "on_time": cell.on_time,
        }

    return {
        "year": result.year,
        "as_of": result.as_of.isoformat(),
        "periods": [
            {"key": p.key, "kind": p.kind, "due": p.due.isoformat(), "label": str(p.label)} for p in result.periods
        ],
        "agencies": [
            {
                "code": row.agency.code,
                "name": row.agency.name,
                "periods": {key: cell_json(cell) for key, cell in row.cells.items()},
            }
            for row in result.rows
        ],
        "rates": {key: rate.as_dict() for key, rate in result.rates.items()},
    }


class CompletenessJsonView(CompletenessMixin, View):
    """GET /reports/completeness.json?year=&as_of=&agency=: the grid and the rates; bad input: 400 with the errors."""

    http_method_names = ["get"]

    def get(self, request):
        if self.result is None:
            errors = {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}
            return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
        return JsonResponse(payload(self.result), json_dumps_params={"ensure_ascii": False})


def write_completeness(target, result: Completeness) -> None:
    """The grid as a workbook: a title, the header, one row per agency of status words, the rates rows."""
    book = workbook(target)
    sheet = book.add_worksheet(gettext("Completeness"))
    bold = book.add_format({"bold": True})
    percent_format = book.add_format({"num_format": "0.00"})
    text, count = cell_writer(sheet, TEXT), cell_writer(sheet, NUMBER, book.add_format({"num_format": COUNT_FORMAT}))
    rate = cell_writer(sheet, AMOUNT, percent_format)
    sheet.write_string(0, 0, gettext("Completeness and timeliness of returns, %(year)s") % {"year": result.year}, bold)
    sheet.write_string(1, 0, gettext("As of %(date)s") % {"date": result.as_of.isoformat()})
    header = [
        gettext("Agency code"),
        gettext("Agency"),
        *(str(p.label) for p in result.periods),
        gettext("Submitted rate (%)"),
        gettext("On-time rate (%)"),
        gettext("Missing"),
        gettext("Sent back"),
    ]
    write_strings(sheet, 3, header, bold)
    first = 2 + len(result.periods)
    r = 4
    for row in result.rows:
        text(r, 0, row.agency.code)
        text(r, 1, row.agency.name)
        for c, period in enumerate(result.periods, start=2):
            text(r, c, row.cells[period.key].status_label)
        rate(r, first, row.rate.submitted_rate)
        rate(r, first + 1, row.rate.on_time_rate)
        count(r, first + 2, row.missing)
        count(r, first + 3, row.returned)
        r += 1
    year_rate = result.rates[YEAR_KEY]
    for label, attribute in (
        (gettext("Returns expected"), "expected"),
        (gettext("Returns submitted"), "submitted"),
        (gettext("Returns on time"), "on_time"),
        (gettext("Submitted rate (%)"), "submitted_rate"),
        (gettext("On-time rate (%)"), "on_time_rate"),
    ):
        writer = rate if attribute.endswith("_rate") else count
        sheet.write_string(r, 1, label, bold)
        for c, period in enumerate(result.periods, start=2):
            writer(r, c, getattr(result.rates[period.key], attribute))
        if attribute == "submitted_rate":
            writer(r, first, year_rate.submitted_rate)
        elif attribute == "on_time_rate":
            writer(r, first + 1, year_rate.on_time_rate)
        r += 1
    sheet.write_string(r + 1, 0, gettext("The rates' last columns are the year's, over every period due."))
    sheet.freeze_panes(4, 2)
    sheet.set_column(1, 1, 28)
    book.close()


class CompletenessWorkbookView(CompletenessMixin, View):
    """GET /reports/completeness.xlsx?year=&as_of=&agency=: the grid as Excel; bad input: 400 with the messages."""

    http_method_names = ["get"]

    def get(self, request):
        if self.result is None:
            messages = " ".join(str(m) for errors in self.form.errors.values() for m in errors)
            return HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
        buffer = io.BytesIO()
        write_completeness(buffer, self.result)
        # 报送情况-2014-2014-07-31.xlsx: named as the other downloads (the page's title, the year, the as-of day)
        title = f"{gettext('Completeness and timeliness')}-{self.result.year}"
        return download(buffer.getvalue(), export_filename(title, self.result.as_of))
