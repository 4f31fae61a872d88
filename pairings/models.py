"""Pairing and co-construction, the "three extensions" (结对共建"三大延伸").

Contact points of department-level officials in poor villages, needy people
paired with officials, contact-point activities, "1+2" pairings of agency
committees with community and village organisations, their joint activities
(the "five ones") and the support they give.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from outreach.models import AgencyRecord, DatedRecord, Official, PartyOrganisation, Region, SpanRecord
from outreach.models.fields import note_field, past_date_field
from outreach.validation import Problems, check_same_agency, count_field, money_field

MSG_NOT_DEPARTMENT_LEVEL = _("A contact point must be set up by a department-level leader.")
MSG_NOT_POOR_TARGET_VILLAGE = _("A contact point must be in a poor village of a target city of the year it begins in.")
MSG_NOT_A_VILLAGE = _("Please choose a village.")
MSG_NOT_COMMITTEE = _("Please choose your agency's Party committee.")
MSG_NOT_PARTNER = _("The partner must be an urban community or disadvantaged village Party organisation.")


class ContactPoint(SpanRecord):
    """A department-level official's contact point (帮扶联系点) in a poor village of a target city."""

    dependent_relations = ("activities",)

    official = models.ForeignKey(
        Official, verbose_name=_("department-level leader"), on_delete=models.PROTECT, related_name="contact_points"
    )
    village = models.ForeignKey(
        Region, verbose_name=_("contact village"), on_delete=models.PROTECT, related_name="contact_points"
    )
    note = note_field(_("notes"))

    class Meta(SpanRecord.Meta):
        verbose_name = _("assistance contact point")
        verbose_name_plural = _("assistance contact points")
        indexes = [models.Index(fields=["agency", "start_date"])]

    def __str__(self):
        return f"{self.official.name} · {self.village.name}"

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(check_same_agency, self, "official", _("official"))
        if self.official_id and self.official.rank != Official.Rank.DEPARTMENT:
            problems.add("official", MSG_NOT_DEPARTMENT_LEVEL)
        if self.village_id:
            # A poor village of a target city of the campaign year the contact point begins in
            # (docs/domain.md §1, §3); without a start date (an error of its own), of any year's.
            year = self.start_date.year if self.start_date else None
            village = self.village
            target = Region.objects.target_cities(year).filter(pk=village.city_id).exists()
            if village.level != Region.Level.VILLAGE or not village.is_poor or not target:
                problems.add("village", MSG_NOT_POOR_TARGET_VILLAGE)
        problems.raise_any()


class NeedyPerson(AgencyRecord):
    """A needy person (困难群众). Personal data: name, village and category only, never an ID number."""

    period_date_field = None  # a person, not an event: no month of their own
    dependent_relations = ("pairings",)

    class Category(models.TextChoices):
        SUBSISTENCE = "subsistence", _("Minimum-subsistence household")
        FIVE_GUARANTEES = "five_guarantees", _("Five-guarantees household")
        DISABLED = "disabled", _("Person with a disability")
        SERIOUS_ILLNESS = "illness", _("Seriously ill patient")
        ELDERLY_ALONE = "elderly", _("Elderly person living alone")
        LEFT_BEHIND_CHILD = "child", _("Left-behind child")
        POOR_STUDENT = "student", _("Student from a poor family")
        OTHER = "other", _("Other needy person")

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    village = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="needy_people"
    )
    category = models.CharField(_("hardship category"), max_length=20, choices=Category.choices)
    note = note_field(_("notes"))

    class Meta(AgencyRecord.Meta):
        verbose_name = _("needy person")
        verbose_name_plural = _("needy people")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        if self.village_id and self.village.level not in (Region.Level.VILLAGE, Region.Level.COMMUNITY):
            problems.add("village", MSG_NOT_A_VILLAGE)
        problems.raise_any()


class NeedyPairing(SpanRecord):
    """A needy person paired with an official (定点结对困难群众)."""

    needy_person = models.ForeignKey(
        NeedyPerson, verbose_name=_("needy person"), on_delete=models.PROTECT, related_name="pairings"
    )
    official = models.ForeignKey(
        Official, verbose_name=_("paired official"), on_delete=models.PROTECT, related_name="needy_pairings"
    )
    note = note_field(_("notes"))

    class Meta(SpanRecord.Meta):
        verbose_name = _("needy person pairing")
        verbose_name_plural = _("needy person pairings")

    def __str__(self):
        return f"{self.official.name} ↔ {self.needy_person.name}"

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(check_same_agency, self, "official", _("official"))
        problems.check(check_same_agency, self, "needy_person", _("needy person"))
        problems.raise_any()


class ContactPointActivity(DatedRecord):
    """Field work at a contact point: research, a village stay, a condolence visit or relief."""

    part_of = ("contact_point", _("contact point"))

    class Kind(models.TextChoices):
        RESEARCH = "research", _("Research")
        VILLAGE_STAY = "village_stay", _("Village residency")
        CONDOLENCE = "condolence", _("Condolence visit")
        RELIEF = "relief", _("Poverty relief")

    contact_point = models.ForeignKey(
        ContactPoint, verbose_name=_("contact point"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("activity type"), max_length=20, choices=Kind.choices)
    date = past_date_field(_("date"))
    people_consoled = count_field(_("needy people consoled"))
    problems_solved = count_field(_("difficulties and problems solved"))
    money = money_field(_("relief funds (yuan)"))
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("contact point activity")
        verbose_name_plural = _("contact point activities")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date}"


class Pairing(SpanRecord):
    """A "1+2" pairing (城乡党组织结对共建): the agency committee with a community or village organisation."""

    dependent_relations = ("activities", "supports")

    committee = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("agency Party committee"),
        on_delete=models.PROTECT,
        related_name="pairings_as_committee",
    )
    partner = models.ForeignKey(
        PartyOrganisation,
        verbose_name=_("partner Party organisation"),
        on_delete=models.PROTECT,
        related_name="pairings_as_partner",
    )
    note = note_field(_("notes"))

    class Meta(SpanRecord.Meta):
        verbose_name = _("“1+2” pairing")
        verbose_name_plural = _("“1+2” pairings")

    def __str__(self):
        return f"{self.committee.name} ↔ {self.partner.name}"

    @property
    def partner_kind(self):
        return self.partner.kind

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        if self.committee_id and (
            self.committee.kind != PartyOrganisation.Kind.AGENCY_COMMITTEE
            or (self.agency_id and self.committee.agency_id != self.agency_id)
        ):
            problems.add("committee", MSG_NOT_COMMITTEE)
        if self.partner_id and self.partner.kind not in (
            PartyOrganisation.Kind.COMMUNITY,
            PartyOrganisation.Kind.VILLAGE,
        ):
            problems.add("partner", MSG_NOT_PARTNER)
        problems.raise_any()


class JointActivity(DatedRecord):
    """An activity of a pairing: one of the "five ones" (五个一) or another joint activity."""

    class Kind(models.TextChoices):
        JOINT_MEETING = "joint_meeting", _("Joint meeting")
        MUTUAL_VISIT = "mutual_visit", _("Mutual visit")
        ORG_LIFE = "org_life", _("Joint organisational life")
        CONDOLENCE = "condolence", _("Condolence and assistance")
        LIVELIHOOD = "livelihood", _("Practical project for people's livelihoods")
        OTHER = "other", _("Other joint activity")

    FIVE_ONES = (Kind.JOINT_MEETING, Kind.MUTUAL_VISIT, Kind.ORG_LIFE, Kind.CONDOLENCE, Kind.LIVELIHOOD)
    part_of = ("pairing", _("pairing"))

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("activity type"), max_length=20, choices=Kind.choices)
    date = past_date_field(_("date"))
    title = models.CharField(_("activity title"), max_length=200)
    participants = count_field(_("participants"))
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")

    def __str__(self):
        return self.title


class Support(DatedRecord):
    """What a pairing gives: development projects planned and supported, industries assisted, funds."""

    part_of = ("pairing", _("pairing"))

    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="supports")
    date = past_date_field(_("date"))
    projects_planned = count_field(_("development projects planned"))
    projects_supported = count_field(_("projects supported"))
    industries_assisted = count_field(_("local industries assisted"))
    funds = money_field(_("relief funds (yuan)"))
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("pairing support")
        verbose_name_plural = _("pairing support")

    def __str__(self):
        return f"{self.pairing} · {self.date}"
