"""The counting window of every figure (DESIGN §4 "How figures add up").

The window is the year from 1 January up to and including the as-of date. An event counts when
its own date lies in the window; a standing thing (start_date, end_date) counts when it began on
or before the window's last day and had not ended before its first. `Window` states the rule
once; the record querysets apply it (`standing(window)`, `dated_in(window)`), and so do the list
filters, the compliance pages, the visit minimums, the catalogue and the drill-down links.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Window:
    """The days from `start` to `end`, both included; None leaves that side open (a half-filled list filter)."""

    start: datetime.date | None
    end: datetime.date | None

    @classmethod
    def of_year(cls, year: int, as_of: datetime.date | None = None) -> "Window":
        """1 January of `year` up to and including `as_of` (default: 31 December)."""
        return cls(datetime.date(year, 1, 1), as_of or datetime.date(year, 12, 31))

    @classmethod
    def up_to(cls, as_of: datetime.date) -> "Window":
        """1 January of the as-of date's year up to and including it."""
        return cls.of_year(as_of.year, as_of)

    def __contains__(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def clip(self, first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The part of the days `first` … `last` inside the window (empty when first > last)."""
        return max(first, self.start), min(last, self.end)

    def dated_q(self, field: str) -> Q:
        """Events: the date `field` (a field or a path through relations) lies in the window."""
        condition = Q()
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition

    def standing_q(self, prefix: str = "") -> Q:
        """Standing things (`prefix` + start_date, end_date): began by the window's end, not ended before its start."""
        condition = Q()
        if self.end is not None:
            condition &= Q(**{f"{prefix}start_date__lte": self.end})
        if self.start is not None:
            condition &= Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": self.start})
        return condition
