"""Base filters of field-work lists (django-filter): free text, date range, agency for officers, scoped choices."""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, Region
from outreach.roles import sees_everything
from outreach.widgets import use_search_selects
from outreach.window import Window


class DateRangeWidget(django_filters.widgets.RangeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})


class WindowFilter(django_filters.DateFromToRangeFilter):
    """Records in the window between two dates (either may be left open), by the one window rule."""

    def __init__(self, **kwargs):
        super().__init__(widget=DateRangeWidget(), **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # the range field gives the first day's first and the last day's last moment: back to days
        start, end = (None if moment is None else moment.date() for moment in (value.start, value.stop))
        return self.in_window(qs, Window(start, end))

    def in_window(self, qs, window):
        return qs.dated_in(window, self.field_name)


def date_range(field_name, label):
    """Events whose date `field_name` lies between two dates."""
    return WindowFilter(field_name=field_name, label=label)


class StandingFilter(WindowFilter):
    """Standing things (start_date, end_date) in force at some time between two dates: began on or before
    the second and had not ended before the first (docs/domain.md §4: what counts for a window)."""

    def __init__(self, label=_("in force between"), **kwargs):
        super().__init__(label=label, **kwargs)

    def in_window(self, qs, window):
        return qs.standing(window)


class RecordFilterSet(django_filters.FilterSet):
    """Every list's filters. `search_fields` drive the free-text box; `city_lookup` the city filter."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("agency"))
    # Every city, the five target cities first: visits and pairings also reach other cities.
    city = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.CITY).order_by("-is_target_city", "code"),
        method="filter_city",
        label=_("city"),
    )
    #: records created or changed after a moment (ISO 8601), e.g. since a statistics snapshot was published
    changed_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        label=_("changed since"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    search_fields: tuple[str, ...] = ()
    city_lookup: str | None = None
    #: choices among one agency's own things (its contact points, pairings, teams): offered to
    #: agency staff; for officers they would list the whole province (thousands of options)
    own_agency_filters: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["changed_since"] = self.filters.pop("changed_since")  # last in the form: rarely used
        user = getattr(request, "user", None)
        if not sees_everything(user):
            self.filters.pop("agency", None)
        else:
            for name in self.own_agency_filters:
                self.filters.pop(name, None)
        if self.city_lookup is None:
            self.filters.pop("city", None)
        # Choice lists show only what the user may see (the one scoping method).
        for flt in self.filters.values():
            if isinstance(flt, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                flt.extra["empty_label"] = _("All")
            queryset = getattr(flt, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                flt.queryset = queryset.for_user(user)

    @property
    def form(self):
        form = super().form
        use_search_selects(form, type(self))
        return form

    def search(self, queryset, name, value):
        words = value.split()
        fields = (*self.search_fields, "reference")  # a record's reference finds it too (an imported row's number)
        for word in words[:5]:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in fields)))
        return queryset

    def filter_city(self, queryset, name, value):
        return queryset.filter(**{self.city_lookup: value}) if value else queryset


class DatedFilterSet(RecordFilterSet):
    """Filters of records of something done on one day (`DatedRecord`): their date between two dates."""

    date = date_range("date", _("date"))


class SpanFilterSet(RecordFilterSet):
    """Filters of standing things (`Span`): when they began, and whether they were in force between two dates."""

    start_date = date_range("start_date", _("start date"))
    standing = StandingFilter()
