import django_tables2 as tables
from django.db.models import F
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from outreach.tables import ChildTable, MoneyColumn, RecordTable, SpanTable, SumColumn, child_table, date_column, yes_no
from visits.models.channels import ChannelReturn
from visits.models.services import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam
from visits.models.visits import Visit, VisitOutcome


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
    start_date = date_column(_("start date"))
    end_date = date_column(_("end date"))
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


class VisitOutcomeTable(ChildTable, tables.Table):
    """The outcomes on their visit's page (entered on the visit's form, so no links of their own).

    The headers are the fields' own labels (the model's verbose_name), the words of the visit's form."""

    row_totals = True

    businesses_helped = SumColumn()
    business_problems = SumColumn()
    financing = MoneyColumn()
    migrant_cases = SumColumn()
    difficulties = SumColumn()
    note = tables.Column()

    class Meta:
        model = VisitOutcome
        fields = ("businesses_helped", "business_problems", "financing", "migrant_cases", "difficulties", "note")
        attrs = RecordTable.Meta.attrs
        template_name = RecordTable.Meta.template_name
        empty_text = _("No outcomes recorded.")


# --- service activities --------------------------------------------------------------------


class PartsSumColumn(SumColumn):
    """A count derived from other summed columns (a "four into" event's sites = enterprises +
    villages + schools): its footer adds up their totals, so it needs no aggregate of its own."""

    def __init__(self, *parts, **kwargs):
        self.parts = parts
        super().__init__(**kwargs)

    def render_footer(self, bound_column, table):
        totals = getattr(table, "totals", None) or {}
        if any(totals.get(part) is None for part in self.parts):
            return ""
        return f"{sum(totals[part] for part in self.parts):,}"


class FourIntoEventTable(RecordTable):
    date = date_column(_("date"))
    year = tables.Column(verbose_name=_("year"))
    half = tables.Column(verbose_name=_("half-year"))
    title = tables.Column(verbose_name=_("title"))
    officials = SumColumn(verbose_name=_("officials taking part"))
    enterprises = SumColumn(verbose_name=_("enterprises"))
    villages = SumColumn(verbose_name=_("villages"))
    schools = SumColumn(verbose_name=_("schools"))
    sites = PartsSumColumn("enterprises", "villages", "schools", verbose_name=_("sites visited"))
    families_aided = SumColumn(verbose_name=_("families aided"))
    family_aid = MoneyColumn(verbose_name=_("aid to families (yuan)"))
    students_aided = SumColumn(verbose_name=_("students aided"))
    student_aid = MoneyColumn(verbose_name=_("grants to students (yuan)"))

    class Meta(RecordTable.Meta):
        model = FourIntoEvent

    @classmethod
    def sum_fields(cls) -> list[str]:
        # The list view sums stored columns only; `sites` is a property (its footer adds its parts).
        return [name for name in super().sum_fields() if not isinstance(cls.base_columns[name], PartsSumColumn)]

    def order_sites(self, queryset, is_descending):
        sites = F("enterprises") + F("villages") + F("schools")
        return queryset.order_by(sites.desc() if is_descending else sites.asc(), "pk"), True


class VolunteerTeamTable(SpanTable):
    name = tables.Column(verbose_name=_("team name"), linkify=True)
    kind = tables.Column(verbose_name=_("team type"))
    specialty = tables.Column(verbose_name=_("specialty"))
    members = SumColumn(verbose_name=_("members"))

    class Meta(SpanTable.Meta):
        model = VolunteerTeam


class VolunteerServiceTable(RecordTable):
    team = tables.Column(verbose_name=_("team"), accessor="team__name", order_by=("team__name", "team_id"))
    date = date_column(_("date"))
    activity = tables.Column(verbose_name=_("activity"))
    person_times = SumColumn(verbose_name=_("volunteers (person-times)"))
    hours = SumColumn(verbose_name=_("service hours"))
    place = tables.Column(verbose_name=_("place"))

    class Meta(RecordTable.Meta):
        model = VolunteerService


# A team's services on its page, with their totals.
TeamServiceTable = child_table(
    VolunteerServiceTable, parent_columns=("team",), row_totals=True, empty_text=_("No services recorded.")
)


class FiveIntoActionTable(RecordTable):
    date = date_column(_("date"))
    kind = tables.Column(verbose_name=_("kind"))
    title = tables.Column(verbose_name=_("title"))
    books = SumColumn(verbose_name=_("books donated"))
    book_boxes = SumColumn(verbose_name=_("book boxes"))
    culture_trips = SumColumn(verbose_name=_("culture trips"))
    consultations = SumColumn(verbose_name=_("free consultations"))
    legal_points = SumColumn(verbose_name=_("legal-aid points"))
    legal_windows = SumColumn(verbose_name=_("legal-aid windows"))
    villages_planned = SumColumn(verbose_name=_("central villages planned"))
    projects_secured = SumColumn(verbose_name=_("projects secured"))

    class Meta(RecordTable.Meta):
        model = FiveIntoAction
        fields = ("id", "agency", "date", "kind", "title", *FiveIntoAction.yield_fields())  # the model's order


# --- channel returns ------------------------------------------------------------------------


MSG_FILLED = _("%(filled)s of %(total)s")


def filled_of(record) -> str:
    """How many of the figures a complete return needs are filled in: "18 of 22"."""
    total = len(ChannelReturn.REQUIRED)
    return MSG_FILLED % {"filled": total - len(record.missing_fields()), "total": total}


class RateColumn(tables.Column):
    """A rate computed from its parts: "12.34%" on the page, the number in Excel, "—" / empty when undefined."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("attrs", {"td": {"class": "text-end num"}, "th": {"class": "text-end"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return f"{value}%"

    def value(self, value):
        return value


NOWRAP = {"td": {"class": "text-nowrap"}}


class ChannelReturnTable(RecordTable):
    agency = tables.Column(
        verbose_name=_("agency"), accessor="agency__short_name", order_by=("agency__code",), attrs=NOWRAP
    )
    period = tables.Column(
        verbose_name=_("period"), accessor="period_name", order_by=("period_end", "period_kind"), attrs=NOWRAP
    )
    status = tables.Column(verbose_name=_("status"), attrs=NOWRAP)
    completeness = tables.Column(
        verbose_name=_("figures filled in"), empty_values=(), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    satisfaction_rate = RateColumn(verbose_name=_("satisfaction (%)"))
    items_cut_rate = RateColumn(verbose_name=_("approval items cut (%)"))
    time_cut_rate = RateColumn(verbose_name=_("time limits cut (%)"))
    # Flows (what passed through in the period) add up over returns; stocks do not, so only flows have totals.
    opinions = SumColumn(verbose_name=_("opinions"))
    leader_instructions = SumColumn(verbose_name=_("leaders' instructions"))
    npc_motions = SumColumn(verbose_name=_("NPC motions"))
    cppcc_proposals = SumColumn(verbose_name=_("CPPCC proposals"))
    requests = SumColumn(verbose_name=_("requests"))
    survey_responses = SumColumn(verbose_name=_("survey responses"))
    survey_satisfied = SumColumn(verbose_name=_("satisfied"))
    fees_cancelled = SumColumn(verbose_name=_("fees cancelled"))
    fees_cancelled_enterprise = SumColumn(verbose_name=_("of which enterprise-related"))
    burden_reduced = MoneyColumn(verbose_name=_("burden removed (yuan)"))
    licences = SumColumn(verbose_name=_("licensing matters"))
    non_licences = SumColumn(verbose_name=_("non-licensing matters"))

    class Meta(RecordTable.Meta):
        model = ChannelReturn

    def render_status(self, record):
        return render_to_string(
            "includes/return_status.html", {"status": record.status, "label": record.get_status_display()}
        )

    def value_status(self, record):
        return record.get_status_display()

    def render_completeness(self, record):
        return filled_of(record)

    def value_completeness(self, record):
        return filled_of(record)
