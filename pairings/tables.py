import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from outreach.tables import MoneyColumn, RecordTable, SpanTable, SumColumn, child_table, date_column
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)


class ContactPointTable(SpanTable):
    official = tables.Column(
        verbose_name=_("department-level leader"), accessor="official__name", order_by=("official__name",)
    )
    village = tables.Column(verbose_name=_("contact village"), accessor="village__full_name")

    class Meta(SpanTable.Meta):
        model = ContactPoint


class NeedyPersonTable(RecordTable):
    name = tables.Column()  # the field's own label (姓名), as on the person's form
    village = tables.Column(verbose_name=_("village or community"), accessor="village__full_name")
    category = tables.Column(verbose_name=_("hardship category"))

    class Meta(RecordTable.Meta):
        model = NeedyPerson


class NeedyPairingTable(SpanTable):
    official = tables.Column(verbose_name=_("paired official"), accessor="official__name")
    needy_person = tables.Column(verbose_name=_("needy person"), accessor="needy_person__name")
    category = tables.Column(
        verbose_name=_("hardship category"),
        accessor="needy_person__get_category_display",
        order_by=("needy_person__category",),
    )
    village = tables.Column(verbose_name=_("village or community"), accessor="needy_person__village__full_name")

    class Meta(SpanTable.Meta):
        model = NeedyPairing


# A needy person's pairings, on their page.
NeedyPersonPairingTable = child_table(
    NeedyPairingTable, parent_columns=("needy_person", "category", "village"), select_related=("official",)
)


class ContactPointActivityTable(RecordTable):
    official = tables.Column(
        verbose_name=_("department-level leader"),
        accessor="contact_point__official__name",
        order_by=("contact_point__official__name",),
    )
    village = tables.Column(verbose_name=_("contact village"), accessor="contact_point__village__full_name")
    kind = tables.Column(verbose_name=_("activity type"))
    date = date_column(_("date"))
    people_consoled = SumColumn(verbose_name=_("needy people consoled"))
    problems_solved = SumColumn(verbose_name=_("difficulties and problems solved"))
    money = MoneyColumn(verbose_name=_("relief funds (yuan)"))

    class Meta(RecordTable.Meta):
        model = ContactPointActivity


# A contact point's activities, on its page.
ContactPointActivityChildTable = child_table(ContactPointActivityTable, parent_columns=("official", "village"))


class PairingTable(SpanTable):
    committee = tables.Column(verbose_name=_("agency Party committee"), accessor="committee__name")
    partner = tables.Column(verbose_name=_("partner Party organisation"), accessor="partner__name")
    partner_kind = tables.Column(
        verbose_name=_("partner type"), accessor="partner__get_kind_display", order_by=("partner__kind",)
    )
    location = tables.Column(verbose_name=_("location"), accessor="partner__region__full_name")

    class Meta(SpanTable.Meta):
        model = Pairing


class JointActivityTable(RecordTable):
    partner = tables.Column(verbose_name=_("partner Party organisation"), accessor="pairing__partner__name")
    kind = tables.Column(verbose_name=_("activity type"))
    date = date_column(_("date"))
    title = tables.Column(verbose_name=_("activity title"))
    participants = SumColumn(verbose_name=_("participants"))

    class Meta(RecordTable.Meta):
        model = JointActivity


# A pairing's joint activities, on its page.
JointActivityChildTable = child_table(JointActivityTable, parent_columns=("partner",))


class SupportTable(RecordTable):
    partner = tables.Column(verbose_name=_("partner Party organisation"), accessor="pairing__partner__name")
    date = date_column(_("date"))
    projects_planned = SumColumn(verbose_name=_("development projects planned"))
    projects_supported = SumColumn(verbose_name=_("projects supported"))
    industries_assisted = SumColumn(verbose_name=_("local industries assisted"))
    funds = MoneyColumn(verbose_name=_("relief funds (yuan)"))

    class Meta(RecordTable.Meta):
        model = Support


# A pairing's support, on its page.
SupportChildTable = child_table(SupportTable, parent_columns=("partner",))
