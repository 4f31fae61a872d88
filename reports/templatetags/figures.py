"""How a catalogue figure is shown on a page: thousands separators, yuan with two places, rates with "%"."""

from decimal import Decimal

from django import template

from reports.indicators import BY_CODE, MONEY, PERCENT

register = template.Library()


def display(code: str, value) -> str:
    """ "12,345", "80,123,456.00", "99.98%", or "—" when a rate's denominator is zero."""
    if value is None:
        return "—"
    kind = BY_CODE[code].kind
    if kind == MONEY:
        return f"{Decimal(value):,.2f}"
    if kind == PERCENT:
        return f"{Decimal(value):.2f}%"
    if isinstance(value, (Decimal, float)):
        return f"{Decimal(value):,.1f}"  # volunteer hours
    return f"{value:,}"


@register.simple_tag
def figure(code, values):
    """{% figure code row.figures %}: the figure `code` of a {code: value} dict, formatted."""
    return display(code, values.get(code))
