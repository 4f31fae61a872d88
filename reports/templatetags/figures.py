"""How numbers are shown on a page (`reports.numbers`: 元/万元/亿元 with two decimals, counts with separators,
the exact value in a title)."""

from django import template

from reports import drilldown, numbers
from reports.numbers import display  # noqa: F401  the exact text of a figure (reports.snapshots, tests)

register = template.Library()


@register.simple_tag
def shown(code, value, scale=None) -> numbers.Shown:
    """{% shown code value scale as x %}: figure `code` as shown (x.text, x.unit, x.exact)."""
    return numbers.figure(code, value, scale)


@register.simple_tag
def figure(code, values, scale=None) -> numbers.Shown:
    """{% figure code row.figures %}: the figure `code` of a {code: value} dict, as shown (in `scale`)."""
    return numbers.figure(code, values.get(code), scale)


@register.simple_tag
def cell(code, values, totals) -> numbers.Shown:
    """{% cell code row.figures figures as x %}: a breakdown's cell, in the unit of its column's total."""
    return numbers.figure(code, values.get(code), numbers.scale_of(code, totals.get(code)))


@register.simple_tag
def scale_of(code, *values):
    """{% scale_of code a b as scale %}: the unit amounts `a`, `b`… share (None for a figure that is no amount)."""
    return numbers.scale_of(code, *values)


@register.filter
def number(value) -> str:
    """{{ n|number }}: a count with thousands separators ("11,013")."""
    return numbers.count(value)


@register.simple_tag(takes_context=True)
def drilldown_note(context):
    """{% drilldown_note as note %}: on a list opened from a figure (`?figure=code`), what the figure counts of
    the listed rows and its value over them in the figure's unit (`reports.drilldown.note`; on a compliance
    page, `reports.drilldown.page_note`); else None."""
    request, view, table = context.get("request"), context.get("view"), context.get("table")
    if request is None or "figure" not in request.GET:
        return None
    model = getattr(view, "model", None)
    if model is None:  # a compliance page: its rows are in the context
        match = request.resolver_match
        return drilldown.page_note(request.GET["figure"], match.view_name if match else "", context)
    paginator = getattr(table, "paginator", None)
    return drilldown.note(
        request.GET["figure"],
        model,
        view.object_list,
        count=paginator.count if paginator is not None else None,
        totals=getattr(table, "totals", None),
    )
