"""The catalogue's figures as a page shows them, by the one rule for numbers in `outreach.numbers`
(re-exported here, so a report module needs one import)."""

from decimal import Decimal

from outreach.numbers import (  # noqa: F401  (re-exported: the rule's home is outreach.numbers)
    CENT,
    DASH,
    TENTH,
    WAN,
    YI,
    YUAN,
    Scale,
    Shown,
    count,
    exact_money,
    money,
    money_scale,
    percent,
)
from reports.catalogue import BY_CODE, MONEY, PERCENT


def display(code: str, value) -> str:
    """The exact text of catalogue figure `code`: "12,345", "80,123,456.00", "99.98%", or "—" for a rate
    whose denominator is zero. What a hover title and a comparison show; a page shows `figure()`."""
    if value is None:
        return DASH
    kind = BY_CODE[code].kind
    if kind == MONEY:
        return f"{Decimal(value):,.2f}"
    if kind == PERCENT:
        return percent(value, CENT)
    return count(value)


def figure(code: str, value, scale: Scale | None = None) -> Shown:
    """Catalogue figure `code` as a page shows it, with its unit: money by the rule above (in `scale` when
    given: a column of amounts shares its total's), counts with separators, rates as computed."""
    indicator = BY_CODE[code]
    if indicator.kind == MONEY:
        return money(value, scale)
    text = display(code, value)
    unit = "" if indicator.kind == PERCENT else str(indicator.unit)
    return Shown(text, unit, f"{text} {unit}".strip())


def scale_of(code: str, *values) -> Scale | None:
    """The shared scale of figure `code`'s `values` when it is an amount (None otherwise)."""
    return money_scale(*values) if BY_CODE[code].kind == MONEY else None
