"""The counting window of every figure (docs/domain.md §4 "How figures add up").

The window is the year from 1 January up to and including the as-of date. An event counts when
its own date lies in the window; a standing thing (start_date, end_date) counts when it began on
or before the window's last day and had not ended before its first. `Window` states the rule
once; the record querysets apply it (`standing(window)`, `dated_in(window)`), and so do the list
filters, the compliance pages, the visit minimums, the catalogue and the drill-down links.
`WindowForm` reads a page's year and as-of date from GET with one default rule.

The year (and as-of date) a user chooses stays put: `KeptWindowMiddleware` keeps the last valid
`year`/`as_of` of a GET in the session, and `kept_query(request)` gives a page its GET with them
filled in where the URL has none. With nothing chosen, the year is the latest configured campaign
year that has begun (`default_year()`).
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from outreach import clock
from outreach.validation import YEAR_MAX, YEAR_MIN


@dataclass(frozen=True)
class Window:
    """The days from `start` to `end`, both included; None leaves that side open (a half-filled list filter)."""

    start: datetime.date | None
    end: datetime.date | None

    @classmethod
    def of_year(cls, year: int, as_of: datetime.date | None = None) -> "Window":
        """1 January of `year` up to and including `as_of` (default: 31 December)."""
        return cls(datetime.date(year, 1, 1), as_of or datetime.date(year, 12, 31))

    @classmethod
    def up_to(cls, as_of: datetime.date) -> "Window":
        """1 January of the as-of date's year up to and including it."""
        return cls.of_year(as_of.year, as_of)

    def __contains__(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def clip(self, first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The part of the days `first` … `last` inside the window (empty when first > last)."""
        return max(first, self.start), min(last, self.end)

    def dated_q(self, field: str) -> Q:
        """Events: the date `field` (a field or a path through relations) lies in the window."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition

    def standing_q(self, prefix: str = "") -> Q:
        """Standing things (`prefix` + start_date, end_date): began by the window's end, not ended before its start."""
        condition = Q()
        if self.end is not None:
            condition &= Q(**{f"{prefix}start_date__lte": self.end})
        if self.start is not None:
            condition &= Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": self.start})
        return condition


#: the session keys of the kept year and as-of date
KEPT_YEAR, KEPT_AS_OF = "kept_year", "kept_as_of"
YEAR_RANGE = (YEAR_MIN, YEAR_MAX)


def default_year() -> int:
    """The latest configured campaign year that has begun by the site's today (else today's year)."""
    from outreach.models import CampaignYear

    return CampaignYear.objects.default_year(clock.today())


def parse_year(value) -> int | None:
    """A year of the site's range (`YEAR_RANGE`) from a GET value, else None."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def _parse_day(value) -> datetime.date | None:
    """A date of the site's years from a GET or session value, else None (0001-01-01 is no as-of date)."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day if parse_year(day.year) is not None else None


def keep_window(request) -> None:
    """Keep a GET's valid year and as-of date in the session (an as-of date only within the kept year)."""
    session = getattr(request, "session", None)
    if session is None or request.method != "GET":
        return
    year = parse_year(request.GET.get("year"))
    if year is not None:
        session[KEPT_YEAR] = year
    if "as_of" in request.GET:
        day = _parse_day(request.GET["as_of"])
        if day is not None and day.year == session.get(KEPT_YEAR, day.year):
            session[KEPT_YEAR], session[KEPT_AS_OF] = day.year, day.isoformat()
        elif request.GET["as_of"] == "":
            session.pop(KEPT_AS_OF, None)
    kept_day = _parse_day(session.get(KEPT_AS_OF, ""))
    if kept_day is not None and kept_day.year != session.get(KEPT_YEAR):
        session.pop(KEPT_AS_OF, None)


def kept_year(request) -> int:
    """The year the user chose last (this request's GET first), else `default_year()`."""
    session = getattr(request, "session", {})
    return parse_year(request.GET.get("year")) or session.get(KEPT_YEAR) or default_year()


def configured_years() -> dict[int, datetime.date]:
    """Every configured campaign year and the day it begins (one query)."""
    from outreach.models import CampaignYear

    return dict(CampaignYear.objects.values_list("year", "start_date"))


def chosen_year(request, configured: dict[int, datetime.date] | None = None) -> int | None:
    """The year a page follows when its URL names none: the year kept in the session, else the latest
    configured campaign year that has begun by the site's today (`default_year()`'s rule, read from
    `configured`, default `configured_years()`); None when neither (a list then shows every year)."""
    session = getattr(request, "session", {})
    kept = parse_year(session.get(KEPT_YEAR))
    if kept is not None:
        return kept
    today = clock.today()
    configured = configured_years() if configured is None else configured
    return max((year for year, start in configured.items() if start <= today), default=None)


def kept_query(request) -> QueryDict:
    """The request's GET with the kept `year` and `as_of` filled in where the URL names none."""
    query = request.GET.copy()
    session = getattr(request, "session", {})
    if "year" not in query and session.get(KEPT_YEAR):
        query["year"] = str(session[KEPT_YEAR])
    kept_day = _parse_day(session.get(KEPT_AS_OF, ""))
    if "as_of" not in query and kept_day is not None and str(kept_day.year) == query.get("year"):
        query["as_of"] = kept_day.isoformat()
    return query


class KeptWindowMiddleware:
    """Keeps the year and as-of date chosen on any page for the rest of the session (`keep_window`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        keep_window(request)
        return self.get_response(request)


def default_as_of(year: int) -> datetime.date:
    """The year's end, or today if the year has not ended; 1 January for a future year."""
    today = clock.today()
    if year > today.year:
        return datetime.date(year, 1, 1)
    return min(datetime.date(year, 12, 31), today)


MSG_BAD_BASIS = _("The basis must be one of: approved, submitted, all.")


class BasisForm(forms.Form):
    """A page's basis (统计口径, GET `basis=`): the one chosen, else the default given (`roles.default_basis(user)`).

    Combined with a page's filter form (`class Filters(WindowForm, BasisForm)`); an unknown basis
    is refused with MSG_BAD_BASIS.
    """

    basis = forms.ChoiceField(
        label=_("Basis"), required=False, choices=(), error_messages={"invalid_choice": MSG_BAD_BASIS}
    )

    def __init__(self, *args, basis: str | None = None, **kwargs):
        from outreach.models import Basis

        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = Basis.choices
        self.default_basis = Basis(basis or Basis.SUBMITTED)

    def chosen_basis(self):
        """The basis chosen, else the default one (call after is_valid())."""
        from outreach.models import Basis

        return Basis(getattr(self, "cleaned_data", {}).get("basis") or self.default_basis)


class WindowForm(forms.Form):
    """A page's year and as-of date (GET filters) read into its counting window, by one default rule.

    Subclasses declare the `year` and `as_of` fields (their labels, bounds and messages are the
    page's). An empty year is `default_year()`; an empty as-of date is `default_as_of(year)`, or 31
    December on a page that counts the whole year unless told otherwise (`whole_year`). An as-of
    date outside the year is refused with `as_of_outside_year`; without that message the as-of
    date's own year is the window's.
    """

    #: the window ends on 31 December when no as-of date is given (not today)
    whole_year = False
    #: the message refusing an as-of date outside the year (None: the as-of date's year wins)
    as_of_outside_year = None

    def clean(self):
        data = super().clean()
        data["year"] = data.get("year") or default_year()
        as_of = data.get("as_of")
        if self.as_of_outside_year is not None and as_of is not None and as_of.year != data["year"]:
            self.add_error("as_of", self.as_of_outside_year)
        elif not self.data.get("year"):
            self.show_year(data["year"])
        return data

    def show_year(self, year: int) -> None:
        """A page opened without a year shows the one it counts in its filter (the data, not the initial)."""
        self.data = self.data.copy()
        self.data["year"] = str(year)

    def window(self) -> Window:
        """The window chosen (an unbound form: the default one); call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        as_of = data.get("as_of")
        if as_of is None:
            year = data.get("year") or default_year()
            as_of = datetime.date(year, 12, 31) if self.whole_year else default_as_of(year)
        return Window.up_to(as_of)
