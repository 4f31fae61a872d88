"""One rule for the numbers on a page (reports.numbers): 元 below 1万, 万元 from 1万, 亿元 from 1亿, two decimals,
the exact amount on hover; counts with thousands separators; derived percentages with one decimal."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reports import numbers
from reports.numbers import WAN, YI, YUAN, money, money_scale

pytestmark = pytest.mark.django_db


def zh(scale) -> str:
    with translation.override("zh-hans"):
        return str(scale.unit)


@pytest.mark.parametrize(
    ("value", "text", "scale", "exact"),
    [
        (Decimal("0.00"), "0.00", YUAN, "0.00"),
        (Decimal("9999.99"), "9,999.99", YUAN, "9,999.99"),
        (Decimal("9999.995"), "1.00", WAN, "10,000.00"),  # rounds to 1万: shown in 万元, never "10,000.00 元"
        (Decimal("10000.00"), "1.00", WAN, "10,000.00"),
        (Decimal("82632016.00"), "8,263.20", WAN, "82,632,016.00"),
        (Decimal("99999999.99"), "1.00", YI, "99,999,999.99"),  # not "10,000.00 万元"
        (Decimal("30770436596.71"), "307.70", YI, "30,770,436,596.71"),
        (Decimal("-2000000.00"), "-200.00", WAN, "-2,000,000.00"),
        (1642700, "164.27", WAN, "1,642,700.00"),
    ],
)
def test_amounts_in_yuan_wan_and_yi_with_two_decimals_and_the_exact_yuan(value, text, scale, exact):
    with translation.override("zh-hans"):
        shown = money(value)
        assert (shown.text, shown.unit, shown.exact) == (text, str(scale.unit), f"{exact} 元")
    assert money_scale(value) == scale


def test_amounts_side_by_side_share_the_unit_of_the_largest():
    assert money_scale(Decimal("1642700.00"), Decimal("131582.69")) == WAN
    assert money(Decimal("131582.69"), WAN).text == "13.16"
    assert money(Decimal("5000.00"), YI).text == "0.00" and money_scale(None, Decimal("5")) == YUAN
    assert money(None).text == "—"


def test_the_units_in_chinese():
    assert (zh(YUAN), zh(WAN)) == ("元", "万元")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(11013, "11,013"), (2837, "2,837"), (0, "0"), (None, "—"), (Decimal("1234.56"), "1,234.6")],
)
def test_counts_with_thousands_separators(value, shown):
    assert numbers.count(value) == shown


def test_percentages_one_decimal_and_the_catalogues_rates_as_computed():
    assert numbers.percent(Decimal("12.345")) == "12.3%" and numbers.percent(None) == "—"
    assert numbers.figure("zero.satisfaction", Decimal("99.98")).text == "99.98%"  # not 100.0%
    assert numbers.display("pair.funds", Decimal("80123456.00")) == "80,123,456.00"  # exact, for comparisons


def test_the_home_count_cards_have_separators_whatever_the_language():
    """Chinese formats have no thousands separator (intcomma gave "11013"); the cards follow the page's rule."""
    counts = [{"label": "走访记录", "count": 11013, "dated": False}, {"label": "联系点", "count": 2837, "dated": False}]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = render_to_string("includes/count_cards.html", {"counts": counts})
        assert ">11,013<" in html and ">2,837<" in html, language
