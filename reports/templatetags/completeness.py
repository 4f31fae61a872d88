"""Completeness on other pages: the officer's home panel of non-reporters, and the status badges' colours."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from outreach.models import Agency
from outreach.window import default_as_of, kept_query
from reports.completeness import Period, Row, Status, completeness

register = template.Library()

#: a status's badge: a colour beside the word (never the colour alone)
BADGES = {
    Status.ON_TIME: "text-bg-success",
    Status.LATE: "text-bg-warning",
    Status.AWAITING: "text-bg-primary",
    Status.RETURNED: "bg-danger-subtle text-danger-emphasis border border-danger",
    Status.MISSING: "text-bg-danger",
    Status.NOT_DUE: "text-bg-light border",
}


@register.filter
def status_badge(status: str) -> str:
    """The badge classes of a completeness status: {{ cell.status|status_badge }}."""
    return BADGES.get(status, "text-bg-light border")


@dataclass
class NonReporters:
    year: int
    as_of: datetime.date
    #: agencies with a period missing, worst first, and those periods
    rows: list[tuple[Row, list[Period]]]
    url: str


def as_of_for(request, year: int) -> datetime.date:
    """The as-of date chosen for `year` (the URL's or the one kept in the session), else the year's end or today."""
    try:
        day = datetime.date.fromisoformat(kept_query(request).get("as_of", ""))
    except ValueError:
        return default_as_of(year)
    return day if day.year == year else default_as_of(year)


@register.simple_tag(takes_context=True)
def non_reporters(context, year: int, as_of: datetime.date | None = None) -> NonReporters:
    """{% non_reporters year=overview.year as panel %}: the agencies the user sees that have missed a return
    of `year` as of the chosen date (or today), worst first (`reports.completeness`; four queries)."""
    request = context["request"]
    as_of = as_of or as_of_for(request, year)
    result = completeness(year=year, as_of=as_of, agencies=Agency.objects.for_user(request.user))
    rows = [
        (row, [p for p in result.periods if row.cells[p.key].status == Status.MISSING])
        for row in result.worst()
        if row.missing
    ]
    query = urlencode({"year": year, "as_of": as_of.isoformat(), "sort": "missing"})
    return NonReporters(year=year, as_of=as_of, rows=rows, url=f"{reverse('reports:completeness')}?{query}")
