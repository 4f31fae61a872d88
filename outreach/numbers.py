"""One rule for the numbers on a page (cards, tables, charts, the year-end page, published statistics):

- amounts in yuan: 元 below 1万, X.XX万元 from 1万, X.XX亿元 from 1亿, always two decimals; the exact
  amount ("82,632,016.00 元") goes in the element's `title` (the workbooks and JSON keep raw numbers);
- counts with thousands separators ("11,013"); hours with one decimal;
- derived percentages (changes, shares) with one decimal; the catalogue's rates keep the two decimals
  they are computed and published with (99.98 % satisfied is not 100.0 %).

`reports.numbers` shows the catalogue's figures by these rules and `reports.templatetags.figures` puts them
on templates; static/js/dashboard.js follows the same rule.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

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
