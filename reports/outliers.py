"""Officers' list of unusual values: records holding a count or amount above its usual maximum
(`outreach.plausibility`), most unusual first. Reads only.

One query per record type (ten), whatever the number of records: each selects the type's records dated in
the window whose values pass any of the type's maxima, with their agency. A record with several such values
gives one row for each.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse

from outreach import plausibility
from outreach.generic import url_name
from outreach.models import AgencyRecord
from outreach.window import Window

#: at most this many rows are listed (all are counted)
MAX_LISTED = 1000


@dataclass(frozen=True)
class Outlier:
    record: object
    day: datetime.date
    key: str
    label: str
    value: int | Decimal
    limit: int | Decimal

    @property
    def ratio(self) -> Decimal:
        """How many times the usual maximum the value is (one decimal)."""
        return (Decimal(self.value) / Decimal(self.limit)).quantize(Decimal("0.1"))

    @property
    def url(self) -> str:
        """The record's page, or for a record shown only on another's (a visit's outcome) that one's page."""
        try:
            return self.record.get_absolute_url()
        except NoReverseMatch:
            parent = next(
                field
                for field in type(self.record)._meta.concrete_fields
                if field.is_relation and field.name != "agency" and issubclass(field.related_model, AgencyRecord)
            )
            return reverse(url_name(parent.related_model, "detail"), args=[getattr(self.record, parent.attname)])

    @property
    def kind(self) -> str:
        return str(type(self.record)._meta.verbose_name)

    @property
    def value_shown(self) -> str:
        return plausibility.shown(plausibility.field_of(self.key)[1], self.value)

    @property
    def limit_shown(self) -> str:
        return plausibility.shown(plausibility.field_of(self.key)[1], self.limit)


@dataclass(frozen=True)
class Outliers:
    rows: list[Outlier]
    count: int
    window: Window

    @property
    def unlisted(self) -> int:
        return self.count - len(self.rows)


def by_model(keys) -> dict:
    """{model: [field name, …]} of the given plausibility keys, in the catalogue's order."""
    grouped: dict = {}
    for key in keys:
        model, field = plausibility.field_of(key)
        grouped.setdefault(model, []).append(field.name)
    return grouped


def outliers(*, user, window: Window, agency=None, key: str | None = None) -> Outliers:
    """The records `user` may see, dated in `window` (of `agency`; only field `key`), with a value above
    the usual maximum of the window's year."""
    limits = plausibility.limits_for(window.end.year)
    keys = [key] if key else list(limits)
    found = []
    for model, names in by_model(keys).items():
        prefix = f"{model._meta.label_lower}."
        above = Q()
        for name in names:
            above |= Q(**{f"{name}__gt": limits[prefix + name]})
        records = (
            model.objects.for_user(user)
            .filter(above, window.dated_q(model.period_date_field))
            .annotate(day=F(model.period_date_field))
            .select_related("agency")
        )
        if agency is not None:
            records = records.filter(agency=agency)
        for record in records:
            for name in names:
                value, limit = getattr(record, name), limits[prefix + name]
                if value is not None and value > limit:
                    label = str(model._meta.get_field(name).verbose_name)
                    found.append(Outlier(record, record.day, prefix + name, label, value, limit))
    found.sort(key=lambda o: (-Decimal(o.value) / Decimal(o.limit), o.record.agency.code, o.day, o.record.pk))
    return Outliers(found[:MAX_LISTED], len(found), window)
