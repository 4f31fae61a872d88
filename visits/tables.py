import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from outreach.tables import MoneyColumn, RecordTable, SumColumn, yes_no
from visits.models import Visit, VisitOutcome


class YesNoColumn(tables.Column):
    """A tick on the page, a true/false cell in Excel."""

    def render(self, value):
        return yes_no(value)

    def value(self, value):
        return bool(value)


class VisitTable(RecordTable):
    official = tables.Column(verbose_name=_("official"), accessor="official__name", order_by=("official__name",))
    position = tables.Column(
        verbose_name=_("position"), accessor="official__get_position_display", order_by=("official__position",)
    )
    place = tables.Column(verbose_name=_("place visited"), accessor="place__full_name", order_by=("place__full_name",))
    start_date = tables.DateColumn(verbose_name=_("start date"), format="Y-m-d")
    end_date = tables.DateColumn(verbose_name=_("end date"), format="Y-m-d")
    is_village_stay = YesNoColumn(verbose_name=_("village stay"), attrs={"td": {"class": "text-center"}})
    village_days = SumColumn(verbose_name=_("village-stay days"))
    households = SumColumn(verbose_name=_("households"))
    enterprises = SumColumn(verbose_name=_("enterprises"))
    communities = SumColumn(verbose_name=_("communities"))
    villager_groups = SumColumn(verbose_name=_("villager groups"))
    forums = SumColumn(verbose_name=_("forums"))
    opinions = SumColumn(verbose_name=_("opinions"))

    class Meta(RecordTable.Meta):
        model = Visit
        fields = (
            "id", "agency", "official", "position", "place", "start_date", "end_date", "is_village_stay",
            "village_days", "households", "enterprises", "communities", "villager_groups", "forums", "opinions",
        )


class VisitOutcomeTable(tables.Table):
    """The outcomes on their visit's page (entered on the visit's form, so no links of their own)."""

    businesses_helped = SumColumn(verbose_name=_("businesses helped"))
    business_problems = SumColumn(verbose_name=_("business problems solved"))
    financing = MoneyColumn(verbose_name=_("financing (yuan)"))
    migrant_cases = SumColumn(verbose_name=_("migrant workers' cases"))
    difficulties = SumColumn(verbose_name=_("difficulties solved"))
    note = tables.Column(verbose_name=_("remarks"))

    class Meta:
        model = VisitOutcome
        fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")
        attrs = RecordTable.Meta.attrs
        template_name = RecordTable.Meta.template_name
        empty_text = _("No outcomes recorded.")

    @property
    def totals(self):
        # The footer is drawn after the rows, so this reads the rows already fetched: no extra query.
        rows = list(self.data)
        return {name: sum(getattr(row, name) for row in rows) for name in self.sum_fields} if rows else {}

    sum_fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties")
