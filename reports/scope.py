"""What a report covers, and which records of each type a figure of it counts.

`Scope`: the counting window of a year up to its as-of date, an agency, a city, a grouping.
`COUNTED`: per record type, whether its records count by standing in the window or by being dated
in it, and the path from a record to its target city (docs/domain.md §4 "How figures add up").
`counted(model, scope)` is the one queryset of those records: the catalogue's sources, the
workbook's detail sheets, the dashboard and the drill-down links (`reports.drilldown`) read it.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F

from outreach.models import Agency, Basis, Region
from outreach.window import Window
from pairings import models as pairings
from visits import models as visits

BY_AGENCY, BY_CITY = "agency", "city"
STANDING, EVENTS = "standing", "events"


@dataclass(frozen=True)
class Scope:
    """The window (1 January … as_of), an optional agency and city, and an optional grouping.

    `by` None: one group (key None) for the whole scope; `by` "agency": one group per agency id;
    `by` "city": one group per target-city id, for the sources that have a city (the others are
    skipped). Groups without records are absent: `compute_grouped()` fills them with zeros.
    """

    year: int
    as_of: datetime.date
    agency: Agency | None = None
    city: Region | None = None
    by: str | None = None
    #: which records count by the review state of their month or return (统计口径; `outreach.models.Basis`)
    basis: str = Basis.ALL

    @property
    def window(self) -> Window:
        return Window.of_year(self.year, self.as_of)

    @property
    def start(self) -> datetime.date:
        return self.window.start

    def query(self, **extra) -> dict:
        """The scope as GET parameters (for links to other outputs of the same scope)."""
        params = {"year": self.year, "as_of": self.as_of.isoformat(), "basis": self.basis}
        if self.agency is not None:
            params["agency"] = self.agency.code
        if self.city is not None:
            params["city"] = self.city.code
        params.update(extra)
        return params

    def narrow(self, rows, city_path):
        if self.agency is not None:
            rows = rows.filter(agency=self.agency)
        if self.city is not None and city_path is not None:
            rows = rows.filter(**{city_path: self.city})
        return rows

    def key_path(self, city_path):
        if self.by == BY_AGENCY:
            return "agency_id"
        if self.by == BY_CITY:
            return f"{city_path}_id"
        return None

    def applies(self, city_path) -> bool:
        """False when grouping by city a source that has no city."""
        return not (self.by == BY_CITY and city_path is None)

    def aggregate(self, rows, city_path=None, **aggregates) -> dict:
        """{group key: {name: value}}: one `aggregate()` or one grouped query."""
        if not self.applies(city_path):
            return {}
        key = self.key_path(city_path)
        if key is None:
            return {None: rows.aggregate(**aggregates)}
        grouped = rows.values(_group=F(key)).annotate(**aggregates).order_by()
        return {row.pop("_group"): row for row in grouped}

    def values(self, rows, city_path, *fields):
        """(group key, *fields) tuples, for sources finished in Python."""
        if not self.applies(city_path):
            return []
        key = self.key_path(city_path)
        if key is None:
            return [(None, *row) for row in rows.values_list(*fields)]
        return list(rows.values_list(key, *fields))


@dataclass(frozen=True)
class Counted:
    """Which records of `model` a figure counts.

    `window`: STANDING (in force at some time in the window: `standing(window)`) or EVENTS (dated
    in the window by the record's own date, `period_date_field`: `dated_in(window)`). `city_path`:
    from a record to its target city; None: the records have no city and the city filter does not
    apply to them. `live_parent`: a relation whose record must be live too (an outcome counts only
    with its visit).
    """

    model: type
    window: str
    city_path: str | None = None
    live_parent: str | None = None

    @property
    def date_field(self) -> str:
        return self.model.period_date_field


COUNTED: dict[type, Counted] = {
    c.model: c
    for c in (
        Counted(pairings.ContactPoint, STANDING, "village__city"),
        Counted(pairings.NeedyPairing, STANDING, "needy_person__village__city"),
        Counted(pairings.ContactPointActivity, EVENTS, "contact_point__village__city"),
        Counted(pairings.Pairing, STANDING, "partner__region__city"),
        Counted(pairings.JointActivity, EVENTS, "pairing__partner__region__city"),
        Counted(pairings.Support, EVENTS, "pairing__partner__region__city"),
        Counted(visits.Visit, EVENTS, "place__city"),
        Counted(visits.VisitOutcome, EVENTS, "visit__place__city", live_parent="visit"),
        Counted(visits.ChannelReturn, EVENTS),
        Counted(visits.FourIntoEvent, EVENTS),
        Counted(visits.VolunteerTeam, STANDING),
        Counted(visits.VolunteerService, EVENTS),
        Counted(visits.FiveIntoAction, EVENTS),
    )
}


def city_path(model) -> str | None:
    """The path from a record of `model` to its target city (None: no city)."""
    return COUNTED[model].city_path


def counted(model, scope: Scope):
    """The live records of `model` that the figures of `scope` count: in its window, agency and city, on its basis."""
    rule = COUNTED[model]
    if rule.window == STANDING:
        rows = model.objects.standing(scope.window)
    else:
        rows = model.objects.dated_in(scope.window)
    rows = scope.narrow(rows, rule.city_path).on_basis(scope.basis)
    if rule.live_parent is not None:
        rows = rows.filter(**{f"{rule.live_parent}__deleted_at__isnull": True})
    return rows
