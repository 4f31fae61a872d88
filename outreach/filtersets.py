"""Base filters of field-work lists (django-filter): free text, date range, agency for officers, scoped choices."""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outreach.models import Agency, Basis, Region
from outreach.roles import sees_everything
from outreach.widgets import use_search_selects
from outreach.window import Window, chosen_year, configured_years, parse_year


class DateRangeWidget(django_filters.widgets.RangeWidget):
    """Two dates, each named for a screen reader (起, 止); the field's label names the pair (a fieldset's legend)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], RANGE_ENDS, strict=True):
            subwidget["attrs"]["aria-label"] = str(label)
        return context


RANGE_ENDS = (pgettext_lazy("date range", "from"), pgettext_lazy("date range", "to"))


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


def in_year(queryset, year: int):
    """The records of `year` (年度): standing things in force at some time in it, other records dated in it."""
    from outreach.models.records import Span

    window = Window.of_year(year)
    return queryset.standing(window) if issubclass(queryset.model, Span) else queryset.dated_in(window)


def year_options(configured, *shown) -> list[tuple[str, str]]:
    """The 年度 filter's years, newest first: the configured campaign years and those `shown`."""
    years = {*configured, *(year for year in shown if year)}
    return [(str(year), str(year)) for year in sorted(years, reverse=True)]


class YearChoiceField(django_filters.fields.ChoiceField):
    """A year chosen from a list, which takes any year of the site's range too (a link may name one)."""

    def valid_value(self, value):
        return parse_year(value) is not None


class YearFilter(django_filters.ChoiceFilter):
    """Records of a year (年度, `in_year`); empty: every year."""

    field_class = YearChoiceField

    def __init__(self, **kwargs):
        super().__init__(label=_("year"), **kwargs)

    def filter(self, qs, value):
        year = parse_year(value)
        return qs if year is None else in_year(qs, year)


#: GET parameters that are not filters: a list with only these was opened without filters
NOT_FILTERS = ("page", "sort", "export")


class RecordFilterSet(django_filters.FilterSet):
    """Every list's filters. `search_fields` drive the free-text box; `city_lookup` the city filter."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    #: the records of a year (年度); a list opened without filters shows the year the user keeps (`chosen_year`)
    year = YearFilter()
    agency = django_filters.ModelChoiceFilter(queryset=Agency.objects.all(), label=_("agency"))
    # Every city, the five target cities first: visits and pairings also reach other cities.
    city = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.CITY).order_by("-is_target_city", "code"),
        method="filter_city",
        label=_("city"),
    )
    #: the records a figure on this basis counts (统计口径): by the review state of their month, or their own
    basis = django_filters.ChoiceFilter(choices=Basis.choices, method="filter_basis", label=_("basis"))
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
        self._campaign_years = None
        data = self.with_kept_year(data, request)
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
        model = self._meta.model
        if model is not None and model.monthly_review and not model.period_date_field:
            self.filters.pop("basis", None)  # no month of its own (a needy person): no basis
        # Choice lists show only what the user may see (the one scoping method).
        for flt in self.filters.values():
            if isinstance(flt, (django_filters.ChoiceFilter, django_filters.ModelChoiceFilter)):
                flt.extra["empty_label"] = _("All")
            queryset = getattr(flt, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user"):
                flt.queryset = queryset.for_user(user)
        self.offer_years(data)

    @classmethod
    def has_year(cls) -> bool:
        """Whether the list's records belong to years: they have a date of their own (a needy person has none)."""
        model = cls._meta.model
        return "year" in cls.base_filters and model is not None and bool(model.period_date_field)

    def campaign_years(self) -> dict:
        """The configured campaign years and their first days (one query, on first use)."""
        if self._campaign_years is None:
            self._campaign_years = configured_years()
        return self._campaign_years

    def with_kept_year(self, data, request):
        """A list opened without filters shows the year the user keeps (`chosen_year`), set in its year filter;
        any filter in the URL (a drill-down link's dates, "all years" chosen) leaves the year to the URL."""
        if request is None or not self.has_year() or any(key not in NOT_FILTERS for key in data or {}):
            return data
        year = chosen_year(request, self.campaign_years())
        if year is None:
            return data
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data["year"] = str(year)
        return data

    def offer_years(self, data) -> None:
        """The year filter offers the configured campaign years and the one chosen, and "all years"."""
        if not self.has_year():
            self.filters.pop("year", None)
            return
        shown = parse_year((data or {}).get("year"))
        self.filters["year"].extra.update(
            choices=lambda: year_options(self.campaign_years(), shown), empty_label=_("All years")
        )

    @property
    def form(self):
        form = super().form
        use_search_selects(form, type(self))
        return form

    def search(self, queryset, name, value):
        words = value.split()
        fields = (*self.search_fields, "reference")  # a record's reference finds it too (an imported row's number)
        for word in words[:5]:
            queryset = queryset.filter(reduce(or_, (contains(queryset.model, f, word) for f in fields)))
        return queryset

    def filter_basis(self, queryset, name, value):
        return queryset.on_basis(value) if value else queryset

    def filter_city(self, queryset, name, value):
        return queryset.filter(**{self.city_lookup: value}) if value else queryset


def contains(model, path: str, word: str) -> Q:
    """The text at `path` contains `word`, in any case. A path through a foreign key asks the related
    table first (`official_id IN (SELECT id FROM official WHERE …)`) instead of joining every record to
    it: the same rows (the join did not skip deleted related rows either), and the visits search at
    scale 10 on PostgreSQL reads 45 % faster."""
    first, _, rest = path.partition("__")
    field = model._meta.get_field(first)
    if rest and field.many_to_one:
        related = field.related_model._base_manager.filter(**{f"{rest}__icontains": word})
        return Q(**{f"{first}__in": related.values("pk")})
    return Q(**{f"{path}__icontains": word})


class DatedFilterSet(RecordFilterSet):
    """Filters of records of something done on one day (`DatedRecord`): their date between two dates."""

    date = date_range("date", _("date"))


class SpanFilterSet(RecordFilterSet):
    """Filters of standing things (`Span`): when they began, and whether they were in force between two dates."""

    start_date = date_range("start_date", _("start date"))
    standing = StandingFilter()
