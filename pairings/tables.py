import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from outreach.tables import RecordTable
from pairings.models import ContactPoint


class ContactPointTable(RecordTable):
    official = tables.Column(verbose_name=_("department-level leader"), accessor="official__name", order_by=("official__name",))
    village = tables.Column(verbose_name=_("contact village"), accessor="village__full_name")
    start_date = tables.DateColumn(verbose_name=_("start date"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("end date"), format="Y-m-d")

    class Meta(RecordTable.Meta):
        model = ContactPoint
        fields = ("id", "agency", "official", "village", "start_date", "end_date")
