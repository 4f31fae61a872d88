"""The counting window of every figure (docs/domain.md §4 "How figures add up").

The window is the year from 1 January up to and including the as-of date. An event counts when
its own date lies in the window; a standing thing (start_date, end_date) counts when it began on
or before the window's last day and had not ended before its first. `Window` states the rule
once; the record querysets apply it (`standing(window)`, `dated_in(window)`), and so do the list
filters, the compliance pages, the visit minimums, the catalogue and the drill-down links.
`WindowForm` reads a page's year and as-of date from GET with one default rule.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.db.models import Q

from outreach import clock


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


def default_as_of(year: int) -> datetime.date:
    """The year's end, or today if the year has not ended; 1 January for a future year."""
    today = clock.today()
    if year > today.year:
        return datetime.date(year, 1, 1)
    return min(datetime.date(year, 12, 31), today)


class WindowForm(forms.Form):
    """A page's year and as-of date (GET filters) read into its counting window, by one default rule.

    Subclasses declare the `year` and `as_of` fields (their labels, bounds and messages are the
    page's). An empty year is this year; an empty as-of date is `default_as_of(year)`, or 31
    December on a page that counts the whole year unless told otherwise (`whole_year`). An as-of
    date outside the year is refused with `as_of_outside_year`; without that message the as-of
    date's own year is the window's.
    """

    #: the window ends on 31 December when no as-of date is given (not today)
    whole_year = False
    #: the message refusing an as-of date outside the year (None: the as-of date's year wins)
    as_of_outside_year = None

    def clean(self):
        data = super().clean()
        data["year"] = data.get("year") or clock.today().year
        as_of = data.get("as_of")
        if self.as_of_outside_year is not None and as_of is not None and as_of.year != data["year"]:
            self.add_error("as_of", self.as_of_outside_year)
        return data

    def window(self) -> Window:
        """The window chosen (an unbound form: the default one); call after is_valid()."""
        data = getattr(self, "cleaned_data", {})
        as_of = data.get("as_of")
        if as_of is None:
            year = data.get("year") or clock.today().year
            as_of = datetime.date(year, 12, 31) if self.whole_year else default_as_of(year)
        return Window.up_to(as_of)
