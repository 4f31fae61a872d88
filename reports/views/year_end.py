from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from outreach.models import Agency
from outreach.roles import Role, agency_id_of, role_of, sees_everything
from outreach.views import AreaIndexView
from outreach.window import kept_query
from reports.exports import year_end_payload
from reports.forms import MSG_NO_SCOPE, ReportFilterForm, default_basis
from reports.selectors import year_end_page
from reports.services import PUBLISHERS


class ReportsIndexView(AreaIndexView):
    """The reports' landing page: the outputs of the one indicator catalogue."""

    title = _("Reports")
    intro = _(
        "Every figure below is computed from the records by one catalogue of year-end indicators: the "
        "dashboard, the year-end statistics page, its JSON and its Excel workbook always agree."
    )
    links = (
        (_("Work dashboard"), "reports:dashboard", "speedometer2"),
        (_("Year-end statistics"), "reports:year_end", "table"),
        (_("Year-end statistics workbook (Excel)"), "reports:year_end_xlsx", "file-earmark-excel"),
        (_("Year-end statistics (JSON)"), "reports:year_end_json", "filetype-json"),
        (_("Completeness and timeliness of returns"), "reports:completeness", "calendar-check"),
        (_("Values far above the usual"), "reports:outliers", "exclamation-triangle"),
        (_("Published statistics"), "reports:snapshot_list", "megaphone"),
    )


def held_agency(request) -> Agency | None:
    """The agency a staff user's statistics are held to; None for officers and administrators.

    Users without an agency or a statistics role get a 403; staff naming another agency's code in
    `?agency=` get a 404.
    """
    return agency_held(request.user, request.GET.get("agency"))


def agency_held(user, asked: str | None) -> Agency | None:
    """`held_agency` for a user and the agency code asked for (a background job has no request)."""
    if not user.is_authenticated or sees_everything(user):
        return None
    if role_of(user) != Role.STAFF or agency_id_of(user) is None:
        raise PermissionDenied(MSG_NO_SCOPE)
    own = user.profile.agency
    if asked not in (None, "", own.code):
        raise Http404
    return own


def report_form(user, query) -> ReportFilterForm:
    """The report filters of `query` as `user` may ask for them (the pages, the workbook job)."""
    return ReportFilterForm(query, own_agency=agency_held(user, query.get("agency")), basis=default_basis(user))


class ReportScopeMixin:
    """Reads the report filters from GET: `self.form` and `self.report_scope` are set in dispatch().

    Staff are held to their own agency: asking for another agency's code is a 404. Users without
    an agency or a statistics role get a 403. Invalid filters leave `report_scope` None and the
    view answers with the form's messages (a 400 for machine outputs). Without `basis=`, the
    figures are on the user's default basis (`reports.forms.default_basis`).
    """

    def dispatch(self, request, *args, **kwargs):
        self.form = report_form(request.user, self.report_query(request))
        self.report_scope = self.form.scope() if self.form.is_valid() else None
        if self.report_scope is not None:  # the filter bar shows the basis the figures are on, chosen or not
            self.form.data = self.form.data.copy()
            self.form.data["basis"] = self.report_scope.basis
        return super().dispatch(request, *args, **kwargs)

    def report_query(self, request):
        """The filters asked for: the query string, with the kept year and as-of date."""
        return kept_query(request)

    def form_errors(self) -> str:
        return " ".join(str(message) for messages in self.form.errors.values() for message in messages)


class YearEndView(ReportScopeMixin, TemplateView):
    """The year-end statistics in the article's order, with breakdowns and the consistency panel."""

    template_name = "reports/year_end.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=200 if self.report_scope is not None else 400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        scope = context["scope"] = self.report_scope
        if scope is not None:
            context.update(year_end_page(scope), scope_query=urlencode(scope.query()))
        context["can_publish"] = role_of(self.request.user) in PUBLISHERS
        return context


class YearEndJsonView(ReportScopeMixin, View):
    """GET /reports/year-end.json?year=&as_of=&agency=&city=&basis=: every year-end figure (docs/domain.md §4).

    Staff always get their own agency's figures (another agency's code is a 404); officers and
    administrators get the province, or one agency with `agency=CODE`; `city=CODE` narrows the
    figures that have a city; `basis=approved|submitted|all` the records counted (统计口径; default:
    `all` for staff, `submitted` for officers and administrators), named in the payload with its
    description. A bad year, date, agency, city or basis is a 400 with the message;
    `as_of` defaults to the year's end, or today if that is earlier.
    """

    http_method_names = ["get"]

    def get(self, request):
        scope = self.report_scope
        if scope is None:
            return JsonResponse({"error": self.form_errors(), "fields": self.form.errors}, status=400)
        return JsonResponse(year_end_payload(scope), json_dumps_params={"ensure_ascii": False})
