"""Campaign years as data: each year's dates, deadlines, reminder timing, visit minimums and target cities.

An administrator configures a year in the admin (with history); past years keep their settings.
Every rule that depends on the year reads it from here (`CampaignYear.objects.settings_for(year)`),
never from constants: the monthly return's due day, the channel returns' due dates, when
reminders go out, the yearly visit minimums per position, the target cities.
A year nobody configured reads the latest configured year before it (or the built-in defaults,
`CampaignYear.defaults(year)`), so a new year works before its settings are entered.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach import clock
from outreach.models.directory import Official, Region

MSG_DUE_DAY = _("The due day must be a day from 1 to 28 (a day every month has).")
MSG_DATES_ORDER = _("The campaign year must end on or after the day it begins.")
MSG_DATE_IN_YEAR = _("The campaign's dates must lie in %(year)s.")
MSG_HALF_DUE_ORDER = _("The first half-year's return must be due after 30 June, and before the second's.")
MSG_NOT_A_CITY = _("Only cities can be target cities.")

#: the positions that carry a yearly visit minimum, leadership first, each with its two settings (days, households)
MINIMUM_FIELDS = {
    Official.Position.LEADERSHIP: ("leadership_min_days", "leadership_min_households"),
    Official.Position.DEPARTMENT_HEAD: ("head_min_days", "head_min_households"),
}
MINIMUM_POSITIONS = tuple(MINIMUM_FIELDS)


class CampaignYearQuerySet(models.QuerySet):
    def settings_for(self, year: int) -> "CampaignYear":
        """The settings of `year`: its own row, else the latest configured year before it carried over, else defaults.

        A carried-over or default instance is not saved (pk None) and has the year's own dates.
        """
        row = self.filter(year__lte=year).order_by("-year").first()
        if row is None:
            return CampaignYear.defaults(year)
        if row.year == year:
            return row
        return row.carried_to(year)

    def default_year(self, today: datetime.date | None = None) -> int:
        """The latest configured campaign year that has begun by `today` (site today); else today's year."""
        today = today or clock.today()
        year = self.filter(start_date__lte=today).order_by("-year").values_list("year", flat=True).first()
        return year or today.year

    def setting(self, year: int, name: str):
        """One setting of `year` as an SQL expression, by the rule of `settings_for()` (the year's row, else the
        latest configured year before it, else the field's default): a figure reads it inside its own query."""
        row = CampaignYear.objects.filter(year__lte=year).order_by("-year").values(name)[:1]
        return Coalesce(Subquery(row), Value(CampaignYear._meta.get_field(name).default))

    def required(self, year: int, position_path: str = "position") -> dict:
        """{"required_days": …, "required_households": …}: expressions to annotate officials with the yearly
        minimum of their position (`position_path`) in `year`; None for a position without a minimum."""
        return {
            f"required_{what}": Case(
                *(
                    When(**{position_path: position}, then=self.setting(year, fields[i]))
                    for position, fields in MINIMUM_FIELDS.items()
                ),
                default=None,
            )
            for i, what in enumerate(("days", "households"))
        }


class CampaignYear(models.Model):
    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    start_date = models.DateField(_("begins"))
    end_date = models.DateField(_("ends"))
    monthly_due_day = models.PositiveSmallIntegerField(
        _("monthly return due day"),
        default=5,
        validators=[MinValueValidator(1, MSG_DUE_DAY), MaxValueValidator(28, MSG_DUE_DAY)],
        help_text=_("A month's return is due on this day of the next month (1–28)."),
    )
    first_half_due = models.DateField(
        _("first half-year return due"), help_text=_("The channel returns for January–June are due on this day.")
    )
    second_half_due = models.DateField(
        _("second half-year return due"),
        help_text=_("The channel returns for July–December (and yearly returns) are due on this day."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind days before the due date"),
        default=3,
        validators=[MaxValueValidator(28)],
        help_text=_("Scheduled reminders go out this many days before a due date, on it, and after it while missing."),
    )
    leadership_min_days = models.PositiveSmallIntegerField(_("leadership members: days a year"), default=3)
    leadership_min_households = models.PositiveSmallIntegerField(_("leadership members: households a year"), default=20)
    head_min_days = models.PositiveSmallIntegerField(_("department heads: days a year"), default=5)
    head_min_households = models.PositiveSmallIntegerField(_("department heads: households a year"), default=30)
    target_cities = models.ManyToManyField(
        Region,
        verbose_name=_("target cities"),
        blank=True,
        related_name="campaign_years",
        limit_choices_to={"level": Region.Level.CITY},
    )

    objects = CampaignYearQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[target_cities])

    class Meta:
        verbose_name = _("campaign year")
        verbose_name_plural = _("campaign years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @classmethod
    def defaults(cls, year: int) -> "CampaignYear":
        """The built-in settings of a year nobody configured (not saved)."""
        return cls(
            year=year,
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 12, 31),
            first_half_due=datetime.date(year, 7, 15),
            second_half_due=datetime.date(year + 1, 1, 15),
        )

    def carried_to(self, year: int) -> "CampaignYear":
        """These settings moved to another year (same due day, same day of the month for dates; not saved)."""
        shift = year - self.year

        def moved(day: datetime.date) -> datetime.date:
            return day.replace(year=day.year + shift)

        carried = CampaignYear(
            year=year,
            start_date=moved(self.start_date),
            end_date=moved(self.end_date),
            first_half_due=moved(self.first_half_due),
            second_half_due=moved(self.second_half_due),
            **{f: getattr(self, f) for f in self.SETTINGS},
        )
        carried.carried_from = self
        return carried

    #: the settings that carry over to a year nobody configured as they are
    SETTINGS = (
        "monthly_due_day",
        "remind_days_before",
        "leadership_min_days",
        "leadership_min_households",
        "head_min_days",
        "head_min_households",
    )

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = MSG_DATES_ORDER
        for name in ("start_date", "end_date"):
            day = getattr(self, name)
            if day and self.year and day.year != self.year:
                errors[name] = ValidationError(MSG_DATE_IN_YEAR, params={"year": self.year})
        halves = (self.first_half_due, self.second_half_due)
        if all(halves) and self.year and not datetime.date(self.year, 6, 30) < halves[0] < halves[1]:
            errors["first_half_due"] = MSG_HALF_DUE_ORDER
        if errors:
            raise ValidationError(errors)

    # --- what the rules read -------------------------------------------------------------

    def minimums(self) -> dict[str, dict[str, int]]:
        """{position: {"days": n, "households": n}} for the positions that carry a yearly minimum."""
        return {
            position: {"days": getattr(self, days), "households": getattr(self, households)}
            for position, (days, households) in MINIMUM_FIELDS.items()
        }

    def month_due(self, month: int) -> datetime.date:
        """The day a month's return of this year is due: `monthly_due_day` of the next month."""
        if month == 12:
            return datetime.date(self.year + 1, 1, self.monthly_due_day)
        return datetime.date(self.year, month + 1, self.monthly_due_day)

    def half_due(self, half: int | None) -> datetime.date:
        """The day a channel return is due: half 1 → first_half_due; half 2 or a yearly return (None) → second."""
        return self.first_half_due if half == 1 else self.second_half_due

    def target_city_ids(self) -> set[int]:
        """The year's target cities: its own list, else the list carried over from the latest configured year
        before it; an empty list (or no configured year): the directory's marked cities (`Region.is_target_city`).
        The rule itself is `Region.objects.target_cities(year)` (one query), which the rules read in SQL."""
        return set(Region.objects.target_cities(self.year).values_list("pk", flat=True))


MSG_UNKNOWN_FIELD = _("Choose one of the listed counts or amounts.")
MSG_LIMIT_POSITIVE = _("The usual maximum must be more than zero.")


class PlausibleLimit(models.Model):
    """A campaign year's own usual maximum for one count or amount of one record (`outreach.plausibility`):
    a value above it is shown back to the clerk to confirm. Fields without a row keep the built-in maximum."""

    campaign_year = models.ForeignKey(
        CampaignYear, verbose_name=_("campaign year"), on_delete=models.CASCADE, related_name="plausible_limits"
    )
    field = models.CharField(_("count or amount"), max_length=100)
    maximum = models.DecimalField(
        _("usual maximum"),
        max_digits=16,
        decimal_places=2,
        help_text=_("For one record; amounts in yuan. A larger value is shown to the clerk to check and confirm."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("usual maximum")
        verbose_name_plural = _("usual maxima")
        ordering = ["campaign_year", "field"]
        constraints = [
            models.UniqueConstraint(fields=["campaign_year", "field"], name="outreach_plausiblelimit_unique_field")
        ]

    def __str__(self):
        return f"{self.campaign_year} · {self.field}"

    def clean(self):
        from outreach.plausibility import USUAL_MAX

        errors = {}
        if self.field not in USUAL_MAX:
            errors["field"] = ValidationError(MSG_UNKNOWN_FIELD, code="unknown_field")
        if self.maximum is not None and self.maximum <= 0:
            errors["maximum"] = ValidationError(MSG_LIMIT_POSITIVE, code="not_positive")
        if errors:
            raise ValidationError(errors)
