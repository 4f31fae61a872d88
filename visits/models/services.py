"""Service to the people, the "three activities" (为民服务"三大活动").

"Four into" events held every half year, volunteer teams and their service, and
the "five into the countryside" actions.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach.models import DatedRecord, SpanRecord, note_field, past_date_field
from outreach.validation import Problems, count_field, money_field, year_validators

MSG_OUTSIDE_HALF = _("The date must lie in the half-year chosen (%(start)s to %(end)s).")
MSG_SPECIALTY_NEEDED = _("A professional team needs its specialty.")
MSG_SPECIALTY_GENERAL = _("A general team has no specialty; choose “professional” or leave the specialty empty.")
MSG_NEGATIVE_HOURS = _("The hours cannot be negative.")
MSG_HOURS_TOO_MANY = _("More hours than the person-times can serve in a day (%(limit)s); please check.")
MSG_NOT_THIS_KIND = _("A “%(kind)s” action does not record this; enter it under its own kind.")
MSG_AID_WITHOUT_PEOPLE = _("Aid was entered but nobody was aided.")


class HalfYear(models.IntegerChoices):
    """The half of a year: of a "four into" event, and of a half-yearly channel return (`ChannelReturn.Half`)."""

    FIRST = 1, _("First half")
    SECOND = 2, _("Second half")


def half_year_span(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    if half == HalfYear.FIRST:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


class FourIntoEvent(DatedRecord):
    """A "four into" service event (四走进), held every half year: officials go into enterprises,
    villages, schools and needy families, with aid to families and grants to poor students."""

    date = past_date_field(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    half = models.PositiveSmallIntegerField(_("half-year"), choices=HalfYear.choices)
    title = models.CharField(_("title"), max_length=200)
    officials = count_field(_("officials taking part (person-times)"))
    enterprises = count_field(_("enterprises visited"))
    villages = count_field(_("villages visited"))
    schools = count_field(_("schools visited"))
    families_aided = count_field(_("needy families aided"))
    family_aid = money_field(_("aid to families (yuan)"))
    students_aided = count_field(_("poor students given grants"))
    student_aid = money_field(_("grants to students (yuan)"))
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("“four into” event")
        verbose_name_plural = _("“four into” events")

    def __str__(self):
        return self.title

    @property
    def sites(self) -> int:
        return self.enterprises + self.villages + self.schools

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        if self.date and self.year and self.half:
            start, end = half_year_span(self.year, self.half)
            if not start <= self.date <= end:
                problems.add(
                    "date", ValidationError(MSG_OUTSIDE_HALF, code="outside_half", params={"start": start, "end": end})
                )
        if self.family_aid and not self.families_aided:
            problems.add("families_aided", ValidationError(MSG_AID_WITHOUT_PEOPLE, code="aid_without_people"))
        if self.student_aid and not self.students_aided:
            problems.add("students_aided", ValidationError(MSG_AID_WITHOUT_PEOPLE, code="aid_without_people"))
        problems.raise_any()


class VolunteerTeam(SpanRecord):
    """An agency's volunteer service team: general, or professional with a specialty."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        PROFESSIONAL = "professional", _("Professional")

    class Specialty(models.TextChoices):
        MEDICAL = "medical", _("Medical")
        AGRITECH = "agritech", _("Agricultural technology")
        LEGAL = "legal", _("Legal")
        OTHER = "other", _("Other")

    dependent_relations = ("services",)

    name = models.CharField(_("team name"), max_length=100)
    kind = models.CharField(_("team type"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    specialty = models.CharField(_("specialty"), max_length=16, choices=Specialty.choices, blank=True)
    members = count_field(_("members"))
    note = note_field(_("note"))

    class Meta(SpanRecord.Meta):
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        if self.kind == self.Kind.PROFESSIONAL and not self.specialty:
            problems.add("specialty", ValidationError(MSG_SPECIALTY_NEEDED, code="specialty_needed"))
        if self.kind == self.Kind.GENERAL and self.specialty:
            problems.add("specialty", ValidationError(MSG_SPECIALTY_GENERAL, code="specialty_general"))
        problems.raise_any()


class VolunteerService(DatedRecord):
    """One service activity of a volunteer team: person-times and hours."""

    class Activity(models.TextChoices):
        ELDER_DISABLED = "elder_disabled", _("Help for the elderly and disabled")
        TEACHING = "teaching", _("Teaching and tutoring")
        ENVIRONMENT = "environment", _("Environment")
        PUBLIC_LABOUR = "public_labour", _("Public-interest labour")
        OTHER = "other", _("Other")

    part_of = ("team", _("volunteer team"))

    team = models.ForeignKey(VolunteerTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="services")
    date = past_date_field(_("date"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    person_times = count_field(_("volunteers (person-times)"))
    hours = models.DecimalField(
        _("service hours"),
        max_digits=10,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0, message=MSG_NEGATIVE_HOURS)],
        help_text=_("Total hours of all volunteers"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("volunteer service")
        verbose_name_plural = _("volunteer services")

    def __str__(self):
        return f"{self.team} · {self.date}"

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        # Nobody serves more than 24 hours a day.
        if self.hours is not None and self.person_times is not None and self.hours > 24 * self.person_times:
            problems.add(
                "hours",
                ValidationError(MSG_HOURS_TOO_MANY, code="too_many_hours", params={"limit": 24 * self.person_times}),
            )
        problems.raise_any()


class FiveIntoAction(DatedRecord):
    """A "five into the countryside" action (五进: publicity, planning, services, culture, health).

    Each kind records what it yields; the other yields stay zero (`YIELDS`).
    """

    class Kind(models.TextChoices):
        PUBLICITY = "publicity", _("Publicity into the countryside")
        PLANNING = "planning", _("Planning into the countryside")
        SERVICES = "services", _("Services into the countryside")
        CULTURE = "culture", _("Culture into the countryside")
        HEALTH = "health", _("Health into the countryside")

    # What each kind yields (docs/domain.md §4, five_into.*).
    YIELDS = {
        Kind.PUBLICITY: ("books", "book_boxes"),
        Kind.PLANNING: ("villages_planned", "projects_secured"),
        Kind.SERVICES: ("legal_points", "legal_windows"),
        Kind.CULTURE: ("culture_trips",),
        Kind.HEALTH: ("consultations",),
    }

    date = past_date_field(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    books = count_field(_("books donated"))
    book_recipients = models.CharField(_("books donated to"), max_length=300, blank=True)
    book_boxes = count_field(_("mobile book boxes set up"))
    culture_trips = count_field(_("culture, science and technology trips"))
    consultations = count_field(_("free consultations (people)"))
    legal_points = count_field(_("legal-aid contact points set up"))
    legal_windows = count_field(_("legal-aid service windows built"))
    villages_planned = count_field(_("central villages planned"))
    projects_secured = count_field(_("policies and infrastructure projects secured"))
    note = note_field(_("summary"))

    class Meta(DatedRecord.Meta):
        verbose_name = _("“five into” action")
        verbose_name_plural = _("“five into” actions")

    def __str__(self):
        return self.title

    @classmethod
    def yield_fields(cls) -> tuple[str, ...]:
        return tuple(name for names in cls.YIELDS.values() for name in names)

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        if self.kind:  # without one (an error of its own), no yield is out of place
            own = set(self.YIELDS.get(self.kind, ()))
            params = {"kind": self.get_kind_display()}
            for name in self.yield_fields():
                if name not in own and getattr(self, name):
                    problems.add(name, ValidationError(MSG_NOT_THIS_KIND, code="not_this_kind", params=params))
            if self.book_recipients and "books" not in own:
                problems.add("book_recipients", ValidationError(MSG_NOT_THIS_KIND, code="not_this_kind", params=params))
        problems.raise_any()
