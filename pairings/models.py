"""Pairing and co-construction, the "three extensions" (结对共建"三大延伸").

Contact points of department-level officials in poor villages, needy people
paired with officials, contact-point activities, "1+2" pairings of agency
committees with community and village organisations, their joint activities
(the "five ones") and the support they give.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models import AgencyRecord, Official, PartyOrganisation, Region
from outreach.validation import (
    check_date_range,
    check_same_agency,
    count_field,
    money_field,
    not_in_future,
)

MSG_NOT_DEPARTMENT_LEVEL = _("联系点须由厅局级领导干部建立。")
MSG_NOT_POOR_TARGET_VILLAGE = _("联系点须设在亳州、宿州、阜阳、六安、安庆五市的贫困村。")
MSG_NOT_A_VILLAGE = _("请选择一个村。")
MSG_OUTSIDE_SPAN = _("日期须在%(what)s的起止日期之内（%(start)s 至 %(end)s）。")
MSG_NOT_COMMITTEE = _("请选择本单位的机关党委。")
MSG_NOT_PARTNER = _("结对对象须为城市社区党组织或困难乡村党组织。")


def check_within(record, date_field: str, parent, what) -> None:
    """An event's date lies inside the span of the standing thing it belongs to."""
    value = getattr(record, date_field)
    if value is None or parent is None or parent.start_date is None:
        return
    if value < parent.start_date or (parent.end_date and value > parent.end_date):
        raise ValidationError(
            {
                date_field: ValidationError(
                    MSG_OUTSIDE_SPAN,
                    code="outside_span",
                    params={"what": what, "start": parent.start_date, "end": parent.end_date or _("今")},
                )
            }
        )


class Span(models.Model):
    """A standing thing: it began on a date and may have ended."""

    start_date = models.DateField(_("开始日期"), validators=[not_in_future])
    end_date = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("仍在进行的留空"))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        check_date_range(self.start_date, self.end_date)


class ContactPoint(Span, AgencyRecord):
    """A department-level official's contact point (帮扶联系点) in a poor village of a target city."""

    official = models.ForeignKey(Official, verbose_name=_("厅局级领导"), on_delete=models.PROTECT, related_name="contact_points")
    village = models.ForeignKey(Region, verbose_name=_("联系村"), on_delete=models.PROTECT, related_name="contact_points")
    note = models.TextField(_("备注"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("帮扶联系点")
        verbose_name_plural = _("帮扶联系点")
        ordering = ["-start_date", "pk"]
        indexes = [models.Index(fields=["agency", "start_date"])]

    def __str__(self):
        return f"{self.official.name} · {self.village.name}"

    def clean(self):
        super().clean()
        check_same_agency(self, "official", _("干部"))
        errors = {}
        if self.official_id and self.official.rank != Official.Rank.DEPARTMENT:
            errors["official"] = MSG_NOT_DEPARTMENT_LEVEL
        if self.village_id:
            village = self.village
            target = village.city is not None and village.city.is_target_city
            if village.level != Region.Level.VILLAGE or not village.is_poor or not target:
                errors["village"] = MSG_NOT_POOR_TARGET_VILLAGE
        if errors:
            raise ValidationError(errors)


class NeedyPerson(AgencyRecord):
    """A needy person (困难群众). Personal data: name, village and category only, never an ID number."""

    class Category(models.TextChoices):
        SUBSISTENCE = "subsistence", _("低保户")
        FIVE_GUARANTEES = "five_guarantees", _("五保户")
        DISABLED = "disabled", _("残疾人")
        SERIOUS_ILLNESS = "illness", _("大病患者")
        ELDERLY_ALONE = "elderly", _("孤寡老人")
        LEFT_BEHIND_CHILD = "child", _("留守儿童")
        POOR_STUDENT = "student", _("贫困学生")
        OTHER = "other", _("其他困难群众")

    name = models.CharField(_("姓名"), max_length=50)
    village = models.ForeignKey(Region, verbose_name=_("所在村（社区）"), on_delete=models.PROTECT, related_name="needy_people")
    category = models.CharField(_("困难类别"), max_length=20, choices=Category.choices)
    note = models.TextField(_("备注"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("困难群众")
        verbose_name_plural = _("困难群众")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.village_id and self.village.level not in (Region.Level.VILLAGE, Region.Level.COMMUNITY):
            raise ValidationError({"village": MSG_NOT_A_VILLAGE})


class NeedyPairing(Span, AgencyRecord):
    """A needy person paired with an official (定点结对困难群众)."""

    needy_person = models.ForeignKey(NeedyPerson, verbose_name=_("困难群众"), on_delete=models.PROTECT, related_name="pairings")
    official = models.ForeignKey(Official, verbose_name=_("结对干部"), on_delete=models.PROTECT, related_name="needy_pairings")
    note = models.TextField(_("备注"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("结对困难群众")
        verbose_name_plural = _("结对困难群众")
        ordering = ["-start_date", "pk"]

    def __str__(self):
        return f"{self.official.name} ↔ {self.needy_person.name}"

    def clean(self):
        super().clean()
        check_same_agency(self, "official", _("干部"))
        check_same_agency(self, "needy_person", _("困难群众"))


class ContactPointActivity(AgencyRecord):
    """Field work at a contact point: research, a village stay, a condolence visit or relief."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("调查研究")
        VILLAGE_STAY = "village_stay", _("驻村蹲点")
        CONDOLENCE = "condolence", _("走访慰问")
        RELIEF = "relief", _("扶贫解困")

    contact_point = models.ForeignKey(ContactPoint, verbose_name=_("联系点"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("活动类别"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"), validators=[not_in_future])
    people_consoled = count_field(_("慰问困难群众（人）"))
    problems_solved = count_field(_("解决困难和问题（件）"))
    money = money_field(_("帮扶资金（元）"))
    note = models.TextField(_("内容摘要"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("联系点活动")
        verbose_name_plural = _("联系点活动")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.date}"

    def clean(self):
        super().clean()
        check_same_agency(self, "contact_point", _("联系点"))
        if self.contact_point_id:
            check_within(self, "date", self.contact_point, _("联系点"))


class Pairing(Span, AgencyRecord):
    """A "1+2" pairing (城乡党组织结对共建): the agency committee with a community or village organisation."""

    committee = models.ForeignKey(
        PartyOrganisation, verbose_name=_("机关党委"), on_delete=models.PROTECT, related_name="pairings_as_committee"
    )
    partner = models.ForeignKey(
        PartyOrganisation, verbose_name=_("结对党组织"), on_delete=models.PROTECT, related_name="pairings_as_partner"
    )
    note = models.TextField(_("备注"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("“1+2”结对共建")
        verbose_name_plural = _("“1+2”结对共建")
        ordering = ["-start_date", "pk"]

    def __str__(self):
        return f"{self.committee.name} ↔ {self.partner.name}"

    @property
    def partner_kind(self):
        return self.partner.kind

    def clean(self):
        super().clean()
        errors = {}
        if self.committee_id and (
            self.committee.kind != PartyOrganisation.Kind.AGENCY_COMMITTEE
            or (self.agency_id and self.committee.agency_id != self.agency_id)
        ):
            errors["committee"] = MSG_NOT_COMMITTEE
        if self.partner_id and self.partner.kind not in (
            PartyOrganisation.Kind.COMMUNITY,
            PartyOrganisation.Kind.VILLAGE,
        ):
            errors["partner"] = MSG_NOT_PARTNER
        if errors:
            raise ValidationError(errors)


class JointActivity(AgencyRecord):
    """An activity of a pairing: one of the "five ones" (五个一) or another joint activity."""

    class Kind(models.TextChoices):
        JOINT_MEETING = "joint_meeting", _("联席会议")
        MUTUAL_VISIT = "mutual_visit", _("互访活动")
        ORG_LIFE = "org_life", _("共同过组织生活")
        CONDOLENCE = "condolence", _("慰问帮扶")
        LIVELIHOOD = "livelihood", _("民生实事")
        OTHER = "other", _("其他共建活动")

    FIVE_ONES = (Kind.JOINT_MEETING, Kind.MUTUAL_VISIT, Kind.ORG_LIFE, Kind.CONDOLENCE, Kind.LIVELIHOOD)

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对共建"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("活动类别"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"), validators=[not_in_future])
    title = models.CharField(_("活动名称"), max_length=200)
    participants = count_field(_("参加人数"))
    note = models.TextField(_("内容摘要"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("共建活动")
        verbose_name_plural = _("共建活动")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        check_same_agency(self, "pairing", _("结对共建"))
        if self.pairing_id:
            check_within(self, "date", self.pairing, _("结对共建"))


class Support(AgencyRecord):
    """What a pairing gives: development projects planned and supported, industries assisted, funds."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对共建"), on_delete=models.PROTECT, related_name="supports")
    date = models.DateField(_("日期"), validators=[not_in_future])
    projects_planned = count_field(_("规划发展项目（个）"))
    projects_supported = count_field(_("扶持项目（个）"))
    industries_assisted = count_field(_("帮扶特色产业（项）"))
    funds = money_field(_("帮扶资金（元）"))
    note = models.TextField(_("内容摘要"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("共建帮扶")
        verbose_name_plural = _("共建帮扶")
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["agency", "date"])]

    def __str__(self):
        return f"{self.pairing} · {self.date}"

    def clean(self):
        super().clean()
        check_same_agency(self, "pairing", _("结对共建"))
        if self.pairing_id:
            check_within(self, "date", self.pairing, _("结对共建"))
