"""Rates from their parts (docs/domain.md §4 "Ratios from parts"): percentages with two decimals (the dashboard's
changes and shares: one), rounded half up.

None stands for "—": nothing below the line (or a part not filled in yet).
"""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part, whole, places: Decimal = CENT) -> Decimal | None:
    """part ÷ whole as a percentage to `places`; None when whole is zero or missing, or part missing."""
    if not whole or part is None:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(places, rounding=ROUND_HALF_UP)


def cut_rate(after, before) -> Decimal | None:
    """1 − after ÷ before as a percentage with two decimals; None when before is zero or missing, or after missing."""
    if not before or after is None:
        return None
    return (HUNDRED - Decimal(after) * HUNDRED / Decimal(before)).quantize(CENT, rounding=ROUND_HALF_UP)
