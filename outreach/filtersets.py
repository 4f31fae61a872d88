"""Base filters of field-work lists (django-filter): free text, date range, agency for officers, scoped choices."""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from outreach.models import Agency, Region
from outreach.roles import sees_everything
from outreach.widgets import use_fast_selects


class DateRangeWidget(django_filters.widgets.RangeWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})


def date_range(field_name, label):
    return django_filters.DateFromToRangeFilter(field_name=field_name, label=label, widget=DateRangeWidget())


class RecordFilterSet(django_filters.FilterSet):
    """Every list's filters. `search_fields` drive the free-text box; `city_lookup` the city filter."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("agency"))
    city = django_filters.ModelChoiceFilter(
        queryset=Region.objects.target_cities(), method="filter_city", label=_("city")
    )

    search_fields: tuple[str, ...] = ()
    city_lookup: str | None = None
    #: choices among one agency's own things (its contact points, pairings, teams): offered to
    #: agency staff; for officers they would list the whole province (thousands of options)
    own_agency_filters: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
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
        use_fast_selects(form)
        return form

    def search(self, queryset, name, value):
        words = value.split()
        for word in words[:5]:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{f}__icontains": word}) for f in self.search_fields)))
        return queryset

    def filter_city(self, queryset, name, value):
        return queryset.filter(**{self.city_lookup: value}) if value else queryset
