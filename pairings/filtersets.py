import django_filters
from django.utils.translation import gettext_lazy as _

from outreach.filtersets import RecordFilterSet, date_range
from outreach.models import Official
from pairings.models import ContactPoint


class SpanStatusFilter(django_filters.ChoiceFilter):
    """Active (not yet ended on today's date) or ended."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=(("active", _("Active")), ("ended", _("Ended"))), label=_("status"), method=self.apply, **kwargs
        )

    @staticmethod
    def apply(queryset, name, value):
        from django.db.models import Q
        from django.utils import timezone

        today = timezone.localdate()
        if value == "active":
            return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        return queryset


class ContactPointFilterSet(RecordFilterSet):
    start_date = date_range("start_date", _("start date"))
    official = django_filters.ModelChoiceFilter(
        queryset=Official.objects.filter(rank=Official.Rank.DEPARTMENT), label=_("official")
    )
    status = SpanStatusFilter()

    search_fields = ("official__name", "village__full_name", "note")
    city_lookup = "village__city"

    class Meta:
        model = ContactPoint
        fields = ("q", "agency", "city", "official", "start_date", "status")
