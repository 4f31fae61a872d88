"""Officials' grassroots visits (机关党员干部走访基层) and what they solved."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from outreach.models import AgencyRecord, Official, Region, note_field, past_date_field
from outreach.validation import (
    MAX_VISIT_DAYS,
    Problems,
    check_date_range,
    check_same_agency,
    count_field,
    money_field,
)

MSG_VISIT_TOO_LONG = _("A visit can last at most %(days)s days; enter a longer one in parts.")
MSG_PLACE_LEVEL = _("The place visited must be a county, township, village or community.")

# The yearly visit minimums per position are campaign-year settings
# (`CampaignYear.objects.settings_for(year).minimums()`, docs/domain.md §1), not constants.


class Visit(AgencyRecord):
    """One official's visit to the grassroots, with what they saw and heard."""

    period_date_field = "start_date"

    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="visits")
    start_date = past_date_field(_("start date"))
    end_date = past_date_field(_("end date"))
    is_village_stay = models.BooleanField(
        _("village stay"),
        default=False,
        help_text=_("Overnight stay in the village: each day from start to end counts as a village-stay day"),
    )
    place = models.ForeignKey(
        Region, verbose_name=_("place visited"), on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    # Derived from the dates (docs/domain.md §4): never typed in.
    village_days = models.PositiveSmallIntegerField(_("village-stay days"), default=0, editable=False)
    households = count_field(_("households visited"))
    enterprises = count_field(_("enterprises visited"))
    communities = count_field(_("communities visited"))
    villager_groups = count_field(_("villager groups visited"))
    forums = count_field(_("forums held"))
    opinions = count_field(_("opinions and suggestions collected"))
    note = note_field(_("findings"))

    class Meta(AgencyRecord.Meta):
        verbose_name = _("grassroots visit")
        verbose_name_plural = _("grassroots visits")
        ordering = ["-start_date", "pk"]
        indexes = [
            models.Index(fields=["agency", "start_date"]),
            models.Index(fields=["official", "start_date"]),
            # The province-wide list's order (newest first, then pk) over live rows: its first page reads
            # 50 index entries instead of sorting the year (scale 10 on PostgreSQL: 30 ms → 1.5 ms).
            models.Index(
                fields=["-start_date", "id"], name="visits_visit_list", condition=models.Q(deleted_at__isnull=True)
            ),
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
        problems = Problems()
        problems.check(super().clean)
        problems.check(check_same_agency, self, "official", _("official"))
        problems.check(check_date_range, self.start_date, self.end_date)
        if self.days > MAX_VISIT_DAYS:
            problems.add(
                "end_date", ValidationError(MSG_VISIT_TOO_LONG, code="too_long", params={"days": MAX_VISIT_DAYS})
            )
        if self.place_id and self.place.level in (Region.Level.PROVINCE, Region.Level.CITY):
            problems.add("place", MSG_PLACE_LEVEL)
        problems.raise_any()
        self.village_days = self.days if self.is_village_stay else 0

    def delete(self, *args, user=None, **kwargs):
        """Deleting a visit deletes its outcomes with it (they are entered on its form)."""
        with transaction.atomic():
            result = super().delete(user=user)
            for outcome in self.outcomes.all():
                outcome.delete(user=user)
        return result

    def restore(self, *, user=None):
        deleted_at = self.deleted_at
        with transaction.atomic():
            super().restore(user=user)
            for outcome in VisitOutcome.all_objects.filter(visit=self, deleted_at=deleted_at):
                outcome.restore(user=user)


class VisitOutcome(AgencyRecord):
    """What a visit solved. Counted by its visit's start date."""

    period_date_field = "visit__start_date"

    visit = models.ForeignKey(Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="outcomes")
    businesses_helped = count_field(_("businesses helped"))
    business_problems = count_field(_("business problems solved"))
    financing = money_field(_("business financing arranged (yuan)"))
    migrant_cases = count_field(_("migrant workers' rights cases handled"))
    difficulties = count_field(_("people's difficulties solved"))
    note = note_field(_("remarks"))

    class Meta(AgencyRecord.Meta):
        verbose_name = _("visit outcome")
        verbose_name_plural = _("visit outcomes")
        ordering = ["visit", "pk"]

    def __str__(self):
        outcome = _("outcome")
        return f"{self.visit} · {outcome}"

    def save(self, *args, **kwargs):
        # An outcome belongs to its visit's agency unless told otherwise (then clean() checks).
        if self.visit_id and not self.agency_id:
            self.agency_id = self.visit.agency_id
        super().save(*args, **kwargs)

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(check_same_agency, self, "visit", _("visit"))
        problems.raise_any()
