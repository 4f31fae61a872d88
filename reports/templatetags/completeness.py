"""Completeness on other pages: the officer's home panel of non-reporters, and the status badges' colours."""

import datetime
from dataclasses import dataclass
from html import escape as html_escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


@dataclass
class GridWording:
    """What every row's cells share, worked out once per page: the status words, the titles' wording,
    the reminder form's action and hidden fields (escaped)."""

    #: status → (its value, its badge's classes, its word)
    statuses: dict
    due: str
    submitted: str
    remind_action: str
    hidden: str
    button_title: str
    titles: dict  # due day → its title

    @classmethod
    def of(cls, context) -> "GridWording":
        csrf = html_escape(str(context.get("csrf_token") or ""))
        return cls(
            statuses={status: (status.value, BADGES[status], html_escape(str(status.label))) for status in Status},
            due=gettext("Due %(due)s"),
            submitted=gettext("submitted %(at)s"),
            remind_action=html_escape(context.get("remind_url") or ""),
            hidden=f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            f'<input type="hidden" name="next" value="{html_escape(context.get("next_url") or "")}">',
            button_title=html_escape(gettext("Remind this agency")),
            titles={},
        )

    def title(self, cell) -> str:
        title = self.titles.get(cell.due)
        if title is None:
            title = self.titles[cell.due] = self.due % {"due": cell.due.isoformat()}
        if cell.submitted_at is None:
            return title
        at = timezone.localtime(cell.submitted_at).strftime("%Y-%m-%d %H:%M")
        return f"{title} · {self.submitted % {'at': at}}"


@register.simple_tag(takes_context=True)
def grid_cells(context, row, cells) -> str:
    """{% grid_cells row cells %}: the <td>s of an agency's row of the completeness grid: per period the
    status badge (colour and word, the due day and the submission time in its title) linking to the
    agency's period, and a 催报 button (a POST to `remind_url`) where the cell may be reminded.

    Written here in one pass rather than by template nodes, with what every row shares worked out once
    per page (`GridWording`): the province's grid has 1,800 cells."""
    wording = context.render_context.get(GridWording)
    if wording is None:
        wording = context.render_context[GridWording] = GridWording.of(context)
    code = html_escape(row.agency.code)
    parts = []
    for item in cells:
        period, cell = item.period, item.cell
        key = period.key  # digits, "-" and "H"
        value, badge, word = wording.statuses[cell.status]
        parts.append(
            f'<td class="text-center text-nowrap" data-testid="cell-{code}-{key}" data-status="{value}">'
            f'<a href="{html_escape(item.url)}" class="badge text-decoration-none {badge}" '
            f'title="{html_escape(wording.title(cell))}">{word}</a>'
        )
        if item.remindable:
            label = gettext("Remind %(agency)s of %(period)s") % {"agency": row.agency, "period": period.label}
            parts.append(
                f' <form method="post" action="{wording.remind_action}" class="d-inline" '
                f'data-testid="remind-{code}-{key}">{wording.hidden}'
                f'<input type="hidden" name="agency" value="{code}"><input type="hidden" name="period" value="{key}">'
                f'<button type="submit" class="btn btn-link btn-sm p-0 align-baseline" title="{wording.button_title}" '
                f'aria-label="{html_escape(label)}"><i class="bi bi-bell"></i></button></form>'
            )
        parts.append("</td>")
    return mark_safe("".join(parts))  # every value above is escaped
