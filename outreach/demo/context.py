"""What the parts of the demo share: the directory they draw on, the random streams, the calendar,
and each app's part (`DemoPart`, found in the app's `demo.py` like the import sheets in `imports.py`)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from outreach.demo.base import RETURNS_CUTOFF, YearCalendar, aim, demo_usernames
from outreach.models import CampaignYear, Region


@dataclass
class Directory:
    """The directory the field work draws on (model instances with their primary keys)."""

    province: Region = None
    cities: list = field(default_factory=list)
    counties: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    villages_by_city: dict = field(default_factory=dict)  # city id -> [village]
    poor_by_county: dict = field(default_factory=dict)  # county id -> [poor village]
    poor_by_city: dict = field(default_factory=dict)  # city id -> [poor village]
    places_by_city: dict = field(default_factory=dict)  # city id -> level -> [region]
    agencies: list = field(default_factory=list)
    committees: dict = field(default_factory=dict)  # agency id -> committee
    officials: dict = field(default_factory=dict)  # agency id -> group -> [official]
    home_city: dict = field(default_factory=dict)  # agency id -> city id
    home_county: dict = field(default_factory=dict)  # agency id -> county (contact-point agencies only)
    cp_agencies: list = field(default_factory=list)
    # [(agency, partner organisation)]: the "1+2" pairings to make, in order (see `plan_partners`).
    pairing_plan: list = field(default_factory=list)


class DemoContext:
    """One run of the demo: its seed and shape, the directory, and what the parts leave for each other.

    `rng(stream)` gives the named random stream, the same object to every part that asks, so a part
    run after another goes on drawing where that one stopped. `state` holds what one part hands on
    to a later one (the pairings, the round's contact points, ...).
    """

    def __init__(self, *, seed: int, year: int, scale: int, fraction: float, today, previous_year: bool, log):
        self.seed = seed
        self.scale = scale
        self.fraction = fraction
        today = today or timezone.localdate()
        self.cal = YearCalendar(year, today)
        self.previous_cal = YearCalendar(year - 1, today)
        self.previous_year = previous_year
        self.volume = 1.0  # the share of its aim a round's sums take (below 1 for the previous year)
        self.log = log or (lambda message: None)
        self.d = Directory()
        self.state: dict = {}
        self._streams: dict[str, random.Random] = {}
        self._minimums: dict[int, dict] = {}

    def rng(self, stream: str) -> random.Random:
        if stream not in self._streams:
            self._streams[stream] = random.Random(f"outreach-demo:{self.seed}:{stream}")
        return self._streams[stream]

    @property
    def returns_cutoff(self) -> datetime.date:
        """The day the campaign year's returns stand as on (the article's 31 July)."""
        return min(datetime.date(self.cal.year, *RETURNS_CUTOFF), self.cal.last)

    def minimums(self) -> dict[str, dict[str, int]]:
        """The yearly visit minimums of the calendar's campaign year (its settings; one query per year)."""
        year = self.cal.year
        if year not in self._minimums:
            self._minimums[year] = CampaignYear.objects.settings_for(year).minimums()
        return self._minimums[year]

    def aim(self, rng: random.Random, reference: int) -> int:
        """This round's total for a figure (see `base.aim`), times the round's volume."""
        return round(aim(rng, reference) * self.volume)

    def keep(self, rng) -> bool:
        return self.fraction >= 1 or rng.random() < self.fraction

    def thin(self, rng, rows: list) -> list:
        """`fraction` of the rows (rounded), in their order: a steadier count than `keep` one by one."""
        if self.fraction >= 1:
            return rows
        kept = sorted(rng.sample(range(len(rows)), round(len(rows) * self.fraction)))
        return [rows[i] for i in kept]

    @contextmanager
    def level(self, cal: YearCalendar, share: float = 1.0, volume: float = 1.0):
        """Draw in `cal`'s year, keeping `share` of the records (on top of --fraction), sums times `volume`."""
        saved = self.cal, self.fraction, self.volume
        self.cal, self.fraction, self.volume = cal, self.fraction * share, volume
        try:
            yield
        finally:
            self.cal, self.fraction, self.volume = saved

    def agencies_named(self, short_names) -> list:
        known = {a.short_name: a for a in self.d.agencies}
        return [known[name] for name in short_names if name in known]

    def pick_agencies(self, rng, n, preferred=(), pool=None) -> list:
        """n agencies: those named (in order) first, the rest drawn from the pool (default: every agency)."""
        chosen = self.agencies_named(preferred)[:n]
        taken = {a.pk for a in chosen}
        rest = [a for a in (self.d.agencies if pool is None else pool) if a.pk not in taken]
        return chosen + rng.sample(rest, min(n - len(chosen), len(rest)))

    def agencies_by_code(self) -> list:
        return sorted(self.d.agencies, key=lambda a: a.code)

    def user_ids(self) -> dict[str, int]:
        """The demo logins' primary keys by username."""
        names = demo_usernames([a.code for a in self.agencies_by_code()])
        return dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))


Step = Callable[[DemoContext], None]
RoundStep = Callable[[DemoContext, int], None]


@dataclass(frozen=True)
class DemoPart:
    """One app's share of the demo, named `DEMO` in the app's `demo.py`.

    After the directory, the seeder calls every part's `structure`, then for each round every
    part's `round` (and, with the year before, every part's `previous_round`), then every part's
    `returns`: each time in increasing `order`. A part that draws on what another made, or goes on
    with another's random stream, has the higher order (pairings 20, then visits 30: the visits go
    to the pairings' contact points and draw on after them).

    `models`: the models it writes, counted in the printout; `dated`: of those, the ones that fall
    in a year, with the lookup that dates them; `tallies(year)`: {title: {what: count}} for the
    printout (the returns by status, say).
    """

    name: str
    order: int
    models: tuple = ()
    dated: dict = field(default_factory=dict)
    structure: Step | None = None
    round: RoundStep | None = None
    previous_round: RoundStep | None = None
    returns: Step | None = None
    tallies: Callable[[int], dict] | None = None


def demo_parts() -> list[DemoPart]:
    """Every app's demo part, in their order."""
    autodiscover_modules("demo")
    parts = []
    for config in apps.get_app_configs():
        module = getattr(config.module, "demo", None)
        part = getattr(module, "DEMO", None)
        if part is not None:
            parts.append(part)
    return sorted(parts, key=lambda part: part.order)
