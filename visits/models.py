"""Officials' grassroots visits (机关党员干部走访基层) and what they solved."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models import AgencyRecord, Official, Region
from outreach.validation import (
    MAX_VISIT_DAYS,
    check_date_range,
    check_same_agency,
    count_field,
    money_field,
    not_in_future,
)

MSG_VISIT_TOO_LONG = _("一次走访最长 %(days)s 天，请分段录入。")
MSG_PLACE_LEVEL = _("走访地点须为县、乡镇、村或社区。")

# Yearly minimums of the campaign: leadership-team members stay at least 3 days
# in a village and visit 20 households; heads of internal departments 5 and 30.
YEARLY_MINIMUMS = {
    Official.Position.LEADERSHIP: {"days": 3, "households": 20},
    Official.Position.DEPARTMENT_HEAD: {"days": 5, "households": 30},
}


class Visit(AgencyRecord):
    """One official's visit to the grassroots, with what they saw and heard."""

    official = models.ForeignKey(Official, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="visits")
    start_date = models.DateField(_("开始日期"), validators=[not_in_future])
    end_date = models.DateField(_("结束日期"), validators=[not_in_future])
    is_village_stay = models.BooleanField(
        _("住村"), default=False, help_text=_("在村里住宿的走访，起止日期内每一天计为一个住村日")
    )
    place = models.ForeignKey(
        Region, verbose_name=_("走访地点"), on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    # Derived from the dates (DESIGN §4): never typed in.
    village_days = models.PositiveSmallIntegerField(_("住村天数"), default=0, editable=False)
    households = count_field(_("走访农户（户）"))
    enterprises = count_field(_("走访企业（家）"))
    communities = count_field(_("走访社区（个）"))
    villager_groups = count_field(_("走访村民组（个）"))
    forums = count_field(_("召开座谈会（场）"))
    opinions = count_field(_("收集意见建议（条）"))
    note = models.TextField(_("走访情况"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("走访基层")
        verbose_name_plural = _("走访基层")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["agency", "start_date"]),
            models.Index(fields=["official", "start_date"]),
        ]

    def __str__(self):
        return f"{self.official.name} · {self.start_date}"

    @property
    def days(self) -> int:
        if not (self.start_date and self.end_date):
            return 0
        return (self.end_date - self.start_date).days + 1

    def stay_dates(self) -> list[datetime.date]:
        """The calendar days this visit covers as a village stay."""
        if not self.is_village_stay or not self.days:
            return []
        return [self.start_date + datetime.timedelta(days=i) for i in range(self.days)]

    def clean(self):
        super().clean()
        check_same_agency(self, "official", _("干部"))
        check_date_range(self.start_date, self.end_date)
        if self.days > MAX_VISIT_DAYS:
            raise ValidationError(
                {"end_date": ValidationError(MSG_VISIT_TOO_LONG, code="too_long", params={"days": MAX_VISIT_DAYS})}
            )
        if self.place_id and self.place.level in (Region.Level.PROVINCE, Region.Level.CITY):
            raise ValidationError({"place": MSG_PLACE_LEVEL})
        self.village_days = self.days if self.is_village_stay else 0


class VisitOutcome(AgencyRecord):
    """What a visit solved. Counted by its visit's start date."""

    visit = models.ForeignKey(Visit, verbose_name=_("走访"), on_delete=models.CASCADE, related_name="outcomes")
    businesses_helped = count_field(_("帮扶工商户（户）"))
    business_problems = count_field(_("解决工商户问题（个）"))
    financing = money_field(_("协调企业融资（元）"))
    migrant_cases = count_field(_("农民工维权（件）"))
    difficulties = count_field(_("解决群众困难（件）"))
    note = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("走访成效")
        verbose_name_plural = _("走访成效")
        ordering = ["visit", "pk"]

    def __str__(self):
        return f"{self.visit} · {_('成效')}"

    def clean(self):
        if self.visit_id and not self.agency_id:
            self.agency_id = self.visit.agency_id
        super().clean()
        check_same_agency(self, "visit", _("走访"))
