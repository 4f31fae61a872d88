"""What a report covers: the counting window of a year up to its as-of date, an agency, a city, a grouping."""

import datetime
from dataclasses import dataclass

from django.db.models import F

from outreach.models import Agency, Region
from outreach.window import Window
from visits.models import VisitOutcome

BY_AGENCY, BY_CITY = "agency", "city"


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

    @property
    def window(self) -> Window:
        return Window.of_year(self.year, self.as_of)

    @property
    def start(self) -> datetime.date:
        return self.window.start

    def query(self, **extra) -> dict:
        """The scope as GET parameters (for links to other outputs of the same scope)."""
        params = {"year": self.year, "as_of": self.as_of.isoformat()}
        if self.agency is not None:
            params["agency"] = self.agency.code
        if self.city is not None:
            params["city"] = self.city.code
        params.update(extra)
        return params

    def events(self, model, date_field=None, city_path=None):
        """Live records dated in the window (by `date_field`, else the record's own date), in the agency and city."""
        return self.narrow(model.objects.dated_in(self.window, date_field), city_path)

    def standing(self, model, city_path=None):
        """Live standing things that count for the window, in the agency and city."""
        return self.narrow(model.objects.standing(self.window), city_path)

    def outcomes(self):
        """Visit outcomes, counted by their live visit's start date in the window, in the agency and city."""
        return self.events(VisitOutcome, city_path="visit__place__city").filter(visit__deleted_at__isnull=True)

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
