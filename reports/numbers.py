"""One rule for the numbers on a page (cards, tables, charts, the year-end page, published statistics):

- amounts in yuan: 元 below 1万, X.XX万元 from 1万, X.XX亿元 from 1亿, always two decimals; the exact
  amount ("82,632,016.00 元") goes in the element's `title` (the workbooks and JSON keep raw numbers);
- counts with thousands separators ("11,013"); hours with one decimal;
- derived percentages (changes, shares) with one decimal; the catalogue's rates keep the two decimals
  they are computed and published with (99.98 % satisfied is not 100.0 %).

`reports.templatetags.figures` puts these on templates; static/js/dashboard.js follows the same rule.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from reports.catalogue import BY_CODE, MONEY, PERCENT

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
DASH = "—"


@dataclass(frozen=True)
class Scale:
    """A unit amounts are shown in: `divisor` yuan make one."""

    divisor: int
    unit: str


YUAN = Scale(1, _("yuan"))
WAN = Scale(10_000, _("10,000 yuan"))
YI = Scale(100_000_000, _("100 million yuan"))
#: each scale and the next: an amount moves up once it rounds to 10,000 of the smaller unit
_STEPS = ((YUAN, WAN), (WAN, YI))


@dataclass(frozen=True)
class Shown:
    """A number as a page shows it: its text, its unit, and the exact value with its unit (a `title`)."""

    text: str
    unit: str
    exact: str

    def __str__(self) -> str:
        return f"{self.text} {self.unit}".strip()


def money_scale(*values) -> Scale:
    """The scale of the largest of `values` (None ignored): 元 below 1万, 万元 from 1万, 亿元 from 1亿.

    Amounts shown side by side (this year and last, as published and now, a column and its total)
    share the scale of the largest, so they read in one unit."""
    largest = max((abs(Decimal(value)) for value in values if value is not None), default=Decimal(0))
    for scale, following in _STEPS:
        if (largest / scale.divisor).quantize(CENT, ROUND_HALF_UP) < following.divisor // scale.divisor:
            return scale
    return YI


def exact_money(value) -> str:
    """ "82,632,016.00 元": the amount to the fen."""
    return f"{Decimal(value):,.2f} {YUAN.unit}"


def money(value, scale: Scale | None = None) -> Shown:
    """An amount in yuan in `scale` (default: its own), two decimals; "—" for None."""
    if value is None:
        return Shown(DASH, str(YUAN.unit), DASH)
    scale = scale or money_scale(value)
    shown = (Decimal(value) / scale.divisor).quantize(CENT, ROUND_HALF_UP)
    return Shown(f"{shown:,.2f}", str(scale.unit), exact_money(value))


def count(value) -> str:
    """ "11,013"; a decimal count (volunteer hours) with one decimal; "—" for None."""
    if value is None:
        return DASH
    if isinstance(value, (Decimal, float)):
        return f"{Decimal(value).quantize(TENTH, ROUND_HALF_UP):,.1f}"
    return f"{int(value):,}"


def percent(value, places: Decimal = TENTH) -> str:
    """ "12.5%" (one decimal unless `places` says otherwise); "—" for None (nothing to divide by)."""
    if value is None:
        return DASH
    return f"{Decimal(value).quantize(places, ROUND_HALF_UP)}%"


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
