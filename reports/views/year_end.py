import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from outreach.models import Agency
from outreach.roles import Role, agency_id_of, role_of
from outreach.views import AreaIndexView
from reports.indicators import BY_CODE, MONEY, PERCENT
from reports.selectors import year_end_figures

MSG_BAD_YEAR = _("The year must be a whole number between 2000 and 2100.")
MSG_BAD_AS_OF = _("The as-of date must be a date (YYYY-MM-DD) within the year.")
MSG_NO_SCOPE = _("Your account is not linked to an agency or a role that may see statistics.")


class ReportsIndexView(AreaIndexView):
    """Placeholder until the indicator catalogue lands: what the statistics will be drawn from."""

    title = _("Reports")
    intro = _("Year-end statistics, the work dashboard and published statistics snapshots will be available here.")
    model_labels = ("pairings.ContactPoint", "pairings.Pairing", "visits.Visit")


def as_json_value(code: str, value):
    """Money as a string with two places, rates as numbers with two decimals, None as null."""
    if value is None:
        return None
    kind = BY_CODE[code].kind
    if kind == MONEY:
        return f"{value:.2f}"
    if kind == PERCENT:
        return float(value)
    if isinstance(value, Decimal):  # volunteer hours: one decimal place
        return float(value)
    return value


class BadRequest(Exception):
    pass


class YearEndJsonView(View):
    """GET /reports/year-end.json?year=&as_of=&agency=: every year-end figure (DESIGN §4).

    Staff always get their own agency's figures (another agency's code is a 404); officers and
    administrators get the province, or one agency with `agency=CODE`. A bad year or as-of date is a
    400 with a message; `as_of` defaults to the year's end, or today if that is earlier.
    """

    http_method_names = ["get"]

    def get(self, request):
        try:
            year, as_of = self.window(request.GET)
        except BadRequest as error:
            return JsonResponse({"error": str(error.args[0])}, status=400)
        agency = self.agency(request)
        figures = year_end_figures(year=year, as_of=as_of, agency=agency)
        return JsonResponse(
            {
                "year": year,
                "as_of": as_of.isoformat(),
                "agency": agency.code if agency is not None else None,
                "figures": {code: as_json_value(code, value) for code, value in figures.items()},
            },
            json_dumps_params={"ensure_ascii": False},
        )

    @staticmethod
    def window(params) -> tuple[int, datetime.date]:
        today = timezone.localdate()
        try:
            year = int(params.get("year") or today.year)
        except ValueError:
            raise BadRequest(MSG_BAD_YEAR) from None
        if not 2000 <= year <= 2100:
            raise BadRequest(MSG_BAD_YEAR)
        if params.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(params["as_of"])
            except ValueError:
                raise BadRequest(MSG_BAD_AS_OF) from None
            if as_of.year != year:
                raise BadRequest(MSG_BAD_AS_OF)
        else:
            as_of = min(datetime.date(year, 12, 31), today)
            if as_of.year != year:  # a future year: nothing has happened yet
                as_of = datetime.date(year, 1, 1)
        return year, as_of

    @staticmethod
    def agency(request) -> Agency | None:
        code = request.GET.get("agency") or None
        role = role_of(request.user)
        if role == Role.STAFF and agency_id_of(request.user) is not None:
            own = get_object_or_404(Agency, pk=agency_id_of(request.user))
            if code is not None and code != own.code:
                raise Http404
            return own
        if role in (Role.OFFICER, Role.ADMIN):
            return get_object_or_404(Agency, code=code) if code is not None else None
        raise PermissionDenied(MSG_NO_SCOPE)
