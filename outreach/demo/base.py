"""What every part of the demo draws with: shares of totals, names, office hours, and the calendar."""

from __future__ import annotations

import bisect
import calendar
import datetime
import math
import random
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from outreach import demo_data as D

BATCH = 1000
DEMO_PASSWORD = "Demo@2014"
ADMIN_USERNAME = "admin"
OFFICER_USERNAME = "officer"
DEFAULT_SEED = 2014
DEFAULT_YEAR = 2014
# The article reports the province as of 31 July: the monthly and channel returns stand as on that day.
RETURNS_CUTOFF = (7, 31)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Share a whole-number total out in proportion to weights (largest remainder): the sum is exact."""
    wsum = math.fsum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    if rest > 0:
        order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
        for i in order[:rest]:
            out[i] += 1
    return out


def share_out(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Like `allocate`, but every record with a weight gets at least `minimum` (those without get 0)."""
    holders = sum(1 for w in weights if w > 0)
    base = allocate(max(0, total - minimum * holders), weights)
    return [b + minimum if w > 0 else 0 for b, w in zip(base, weights)]


def sparse_weights(rng: random.Random, n: int, share: float, sigma: float = 0.8) -> list[float]:
    """`share` of n records get a log-normal weight, the rest none."""
    return [rng.lognormvariate(0, sigma) if rng.random() < share else 0.0 for _ in range(n)]


def yuan(fen: int) -> Decimal:
    """Whole fen as Decimal yuan with two places."""
    return Decimal(fen).scaleb(-2)


def aim(rng: random.Random, reference: int) -> int:
    """This round's total for a figure of docs/domain.md §4: a little over the reference ("N多")."""
    return round(reference * rng.uniform(1.0, 1.06))


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def person_name(rng: random.Random) -> str:
    given = 1 if rng.random() < 0.3 else 2
    return rng.choice(D.SURNAMES) + "".join(rng.choice(D.GIVEN_NAME_CHARS) for _ in range(given))


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def office_hours(rng: random.Random, day: datetime.date, cutoff: datetime.date) -> datetime.datetime:
    """Office hours on `day`, or on the next working day when that is not after the cut-off."""
    while day.weekday() >= 5 and day < cutoff:
        day += datetime.timedelta(days=1)
    day = min(day, cutoff)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randint(0, 59)))


def reviewed_after(
    rng: random.Random, submitted_at: datetime.datetime, days: int, cutoff: datetime.date
) -> datetime.datetime:
    """When an officer reviewed a return: office hours one to `days` days after it came in, an hour later at least."""
    day = submitted_at.date() + datetime.timedelta(days=rng.randint(1, days))
    return max(office_hours(rng, day, cutoff), submitted_at + datetime.timedelta(hours=1))


def demo_usernames(agency_codes=None) -> list[str]:
    codes = agency_codes if agency_codes is not None else [code for code, _n, _s in D.AGENCIES]
    return [ADMIN_USERNAME, OFFICER_USERNAME] + [f"staff-{code.lower()}" for code in codes]


class Season(NamedTuple):
    """When something happens: a weight per month (January to December) and the weight of a
    Saturday or Sunday relative to a weekday."""

    months: tuple
    weekend: float


FIELDWORK = Season((5, 3, 9, 10, 10, 9, 8, 6, 10, 10, 9, 6), 0.4)
FLAT = Season((10, 6, 10, 10, 10, 10, 9, 7, 10, 10, 10, 8), 0.4)
START = Season((45, 25, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0), 0.3)  # contact points, pairings and teams begin early


class YearCalendar:
    """Dates of the campaign year up to today, and weighted picks among them."""

    def __init__(self, year: int, today: datetime.date):
        self.year = year
        self.first = datetime.date(year, 1, 1)
        self.last = min(datetime.date(year, 12, 31), today)
        if self.last < self.first:
            raise ValueError(f"{year} has not begun yet")
        self.ndays = (self.last - self.first).days + 1
        self.dates = [self.first + datetime.timedelta(days=i) for i in range(self.ndays)]
        self._cum: dict[Season, list[float]] = {}

    def _cumulative(self, season: Season) -> list[float]:
        if season not in self._cum:
            total, cum = 0.0, []
            for day in self.dates:
                total += season.months[day.month - 1] * (season.weekend if day.weekday() >= 5 else 1.0)
                cum.append(total)
            self._cum[season] = cum
        return self._cum[season]

    def pick(self, rng: random.Random, season: Season, lo=None, hi=None) -> datetime.date:
        """A date in [lo, hi] ∩ the year, drawn with the season's weights (uniform where they are all zero)."""
        lo_i = max(0, (lo - self.first).days) if lo else 0
        hi_i = min(self.ndays - 1, (hi - self.first).days) if hi else self.ndays - 1
        if hi_i < lo_i:
            lo_i = hi_i = min(max(lo_i, 0), self.ndays - 1)
        cum = self._cumulative(season)
        base = cum[lo_i - 1] if lo_i > 0 else 0.0
        span = cum[hi_i] - base
        if span <= 0:
            return self.dates[rng.randint(lo_i, hi_i)]
        r = base + rng.random() * span
        return self.dates[min(bisect.bisect_right(cum, r, lo_i, hi_i), hi_i)]

    def previous_year(self, rng: random.Random) -> datetime.date:
        """A start date between March and December of the year before."""
        lo = datetime.date(self.year - 1, 3, 1)
        hi = datetime.date(self.year - 1, 12, 31)
        return lo + datetime.timedelta(days=rng.randint(0, (hi - lo).days))

    def start_date(self, rng: random.Random, share_previous: float) -> datetime.date:
        """When a standing thing began: the year before, or the first months of this year."""
        if rng.random() < share_previous:
            return self.previous_year(rng)
        return self.pick(rng, START)

    def end_date(self, rng: random.Random, start: datetime.date, share_ended: float) -> datetime.date | None:
        """When a standing thing begun on `start` ended: for `share_ended` of them, in the autumn
        after at least two months (if that falls in the year), for the others never."""
        if rng.random() < share_ended:
            lo = max(start + datetime.timedelta(days=60), datetime.date(self.year, 9, 1))
            if lo <= self.last:
                return self.pick(rng, FLAT, lo, self.last)
        return None
