"""The directory: regions, agencies, Party organisations, officials and users' roles.

Also the abstract `AgencyRecord` that every field-work record of `pairings` and
`visits` builds on: its agency, who created and last changed it, and its history.
"""

import datetime
import secrets
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.querysets import AgencyQuerySet, AgencyScopedQuerySet, RegionQuerySet
from outreach.roles import GROUP_NAMES, Role
from outreach.validation import check_date_range, not_in_future, same_day


class Region(models.Model):
    """A node of the administrative tree: province → city → county → township → village/community."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / subdistrict")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    # Which level a region's parent must have.
    PARENT_LEVELS = {
        Level.PROVINCE: (),
        Level.CITY: (Level.PROVINCE,),
        Level.COUNTY: (Level.CITY,),
        Level.TOWNSHIP: (Level.COUNTY,),
        Level.VILLAGE: (Level.TOWNSHIP,),
        Level.COMMUNITY: (Level.TOWNSHIP, Level.COUNTY),
    }

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=400, editable=False, db_index=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The city a region lies in (a city is its own city): reports group by it.
    city = models.ForeignKey(
        "self",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_target_city = models.BooleanField(_("target city"), default=False)
    is_poor = models.BooleanField(_("poor village"), default=False)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "is_poor"])]

    def __str__(self):
        return self.full_name or self.name

    def clean(self):
        errors = {}
        allowed = self.PARENT_LEVELS.get(self.level, ())
        if self.parent is None and allowed:
            errors["parent"] = _("A division at this level must have a parent division.")
        elif self.parent is not None and self.parent.level not in allowed:
            errors["parent"] = _("The parent division is at the wrong level.")
        if self.is_target_city and self.level != self.Level.CITY:
            errors["is_target_city"] = _("Only a city can be a target city.")
        if self.is_poor and self.level != self.Level.VILLAGE:
            errors["is_poor"] = _("Only a village can be marked as a poor village.")
        if errors:
            raise ValidationError(errors)

    def derive(self):
        """Fill the denormalised city and full name from the parent."""
        if self.level == self.Level.CITY:
            self.city_id = self.pk  # None until first saved: save() fills it in
        elif self.parent is not None:
            self.city_id = self.parent.city_id
        if self.parent is not None and self.parent.level != self.Level.PROVINCE:
            self.full_name = f"{self.parent.full_name}{self.name}"
        else:
            self.full_name = self.name

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)
        if self.level == self.Level.CITY and self.city_id != self.pk:
            Region.objects.filter(pk=self.pk).update(city=self)
            self.city_id = self.pk


class Agency(models.Model):
    """A provincial government agency (省直单位) whose Party committee takes part."""

    code = models.CharField(_("agency code"), max_length=16, unique=True)
    name = models.CharField(_("agency name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("provincial agency")
        verbose_name_plural = _("provincial agencies")
        ordering = ["code"]

    def __str__(self):
        return self.short_name or self.name


class PartyOrganisation(models.Model):
    """A Party organisation: an agency's committee (机关党委), a community's or a village's."""

    class Kind(models.TextChoices):
        AGENCY_COMMITTEE = "agency_committee", _("Agency Party committee")
        COMMUNITY = "community", _("Urban community Party organisation")
        VILLAGE = "village", _("Disadvantaged village Party organisation")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=pgettext_lazy("affiliation", "agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organisations",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_organisations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(kind="agency_committee"), name="one_committee_per_agency"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.AGENCY_COMMITTEE:
            if self.agency_id is None:
                errors["agency"] = _("An agency Party committee must belong to a provincial agency.")
        elif self.region_id is None:
            errors["region"] = _("A community or village Party organisation must have a location.")
        elif self.kind == self.Kind.COMMUNITY and self.region.level != Region.Level.COMMUNITY:
            errors["region"] = _("An urban community Party organisation must be located in a community.")
        elif self.kind == self.Kind.VILLAGE and self.region.level != Region.Level.VILLAGE:
            errors["region"] = _("A village Party organisation must be located in a village.")
        if errors:
            raise ValidationError(errors)


class Official(models.Model):
    """A cadre of an agency: the people who hold contact points and make visits."""

    class Rank(models.TextChoices):
        DEPARTMENT = "department", _("Department level")
        DIVISION = "division", _("Division level")
        OTHER = "other", _("Other")

    class Position(models.TextChoices):
        LEADERSHIP = "leadership", _("Leadership team member")
        DEPARTMENT_HEAD = "department_head", _("Head of an internal department")
        STAFF = "staff", _("Staff member")

    agency = models.ForeignKey(
        Agency, verbose_name=pgettext_lazy("affiliation", "agency"), on_delete=models.PROTECT, related_name="officials"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    is_active = models.BooleanField(_("in post"), default=True)

    objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["agency__code", "name"]
        indexes = [models.Index(fields=["agency", "rank"])]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


class Profile(models.Model):
    """A user's role and, for agency staff, their agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    agency = models.ForeignKey(
        Agency,
        verbose_name=pgettext_lazy("affiliation", "agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        if self.role == Role.STAFF and self.agency_id is None:
            raise ValidationError({"agency": _("Agency Party committee staff must belong to a provincial agency.")})
        if self.role != Role.STAFF and self.agency_id is not None:
            raise ValidationError({"agency": _("Only agency Party committee staff belong to an agency.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.sync_user()

    def sync_user(self):
        """Keep the user's group (and admin-site access) in step with the role."""
        from django.contrib.auth.models import Group

        user = self.user
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES.values()}
        user.groups.remove(*[g for name, g in groups.items() if name != GROUP_NAMES[self.role]])
        user.groups.add(groups[GROUP_NAMES[self.role]])
        # Officers read the admin's history pages; administrators manage the directory there.
        is_staff = self.role in (Role.OFFICER, Role.ADMIN) or user.is_superuser
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])


def current_user():
    """The user of the request being served (set by simple_history's middleware), if any."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Not submitted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Reviewable(models.Model):
    """Something an agency submits and an officer approves or returns with a comment.

    The review services (`outreach.services.submit`, `approve`, `send_back`) work on any
    subclass; a subclass names itself for messages in `review_label()`.
    """

    Status = ReviewStatus
    # Statuses in which the agency may not change what was submitted.
    CLOSED = (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)

    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("review comment"), max_length=2000, blank=True)

    class Meta:
        abstract = True

    def review_label(self) -> str:
        return str(self)


class PeriodReturn(Reviewable):
    """An agency's monthly return of its records: submitted by a clerk, approved or returned by an officer.

    No row means the month is still open; a row is created on first submission.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))

    objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monthly return")
        verbose_name_plural = _("monthly returns")
        ordering = ["-year", "-month", "agency__code"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "month"], name="one_return_per_agency_month")]

    def __str__(self):
        return f"{self.agency} · {self.year}-{self.month:02d}"

    def review_label(self) -> str:
        return period_label(datetime.date(self.year, self.month, 1))


class PeriodLockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(unlocked_at__isnull=True)

    def covering(self, day):
        """Active locks under which `day` falls: its month, or its year up to the lock's as-of date."""
        return self.active().filter(
            models.Q(year=day.year) & (models.Q(month=day.month) | models.Q(month__isnull=True, up_to__gte=day))
        )


class PeriodLock(models.Model):
    """An officer's lock on a month, or on a whole year up to an as-of date, for every agency."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True, help_text=_("Empty for the whole year"))
    up_to = models.DateField(_("up to"), null=True, blank=True, help_text=_("For a whole-year lock: the as-of date"))
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unlocked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unlock_reason = models.TextField(_("reason for unlocking"), max_length=2000, blank=True)

    objects = PeriodLockQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        ordering = ["-year", "-month", "-locked_at"]

    def __str__(self):
        if self.month:
            return _("%(year)s-%(month)02d") % {"year": self.year, "month": self.month}
        return _("%(year)s up to %(date)s") % {"year": self.year, "date": self.up_to}

    @property
    def is_active(self):
        return self.unlocked_at is None

    def covers(self, day) -> bool:
        if not self.is_active or day.year != self.year:
            return False
        return day.month == self.month if self.month else day <= self.up_to


def period_label(day) -> str:
    return _("%(year)s-%(month)02d") % {"year": day.year, "month": day.month}


MSG_PERIOD_LOCKED = _(
    "The period %(period)s is locked: records in it cannot be added, changed or deleted. "
    "Ask the working committee to unlock it."
)
MSG_PERIOD_SUBMITTED = _(
    "The records of %(period)s have been submitted for review and cannot be changed "
    "unless the working committee returns them."
)
MSG_PERIOD_APPROVED = _("The records of %(period)s have been approved and can no longer be changed.")


_remembered_periods: ContextVar[dict | None] = ContextVar("remembered_periods", default=None)


@contextmanager
def remembered_periods():
    """Within the block the locks of a year, and an agency's monthly returns of a year, are read once:
    an import checks thousands of rows against the same few months (and changes no lock or return meanwhile)."""
    token = _remembered_periods.set({})
    try:
        with same_day():
            yield
    finally:
        _remembered_periods.reset(token)


def check_period_open(agency_id, day, *, monthly_review=True) -> None:
    """Refuse a change to an agency's records dated `day` when its month is locked, submitted or approved.

    `monthly_review=False` checks only the locks (for records reviewed on their own).
    """
    if day is None or agency_id is None:
        return
    remembered = _remembered_periods.get()
    if remembered is None:
        remembered = {}  # one record: nothing to remember, the same reading
    if day.year not in remembered:
        remembered[day.year] = list(PeriodLock.objects.active().filter(year=day.year).values_list("month", "up_to"))
    # What PeriodLock.objects.covering(day) selects: the day's month, or its year up to the as-of date.
    if any(month == day.month or (month is None and up_to and up_to >= day) for month, up_to in remembered[day.year]):
        raise ValidationError(MSG_PERIOD_LOCKED, code="period_locked", params={"period": period_label(day)})
    if not monthly_review:
        return
    key = (agency_id, day.year)
    if key not in remembered:
        remembered[key] = dict(
            PeriodReturn.objects.filter(agency_id=agency_id, year=day.year).values_list("month", "status")
        )
    status = remembered[key].get(day.month)
    if status == PeriodReturn.Status.SUBMITTED:
        raise ValidationError(MSG_PERIOD_SUBMITTED, code="period_submitted", params={"period": period_label(day)})
    if status == PeriodReturn.Status.APPROVED:
        raise ValidationError(MSG_PERIOD_APPROVED, code="period_approved", params={"period": period_label(day)})


MSG_HAS_CHILDREN = _("This record still has %(count)s %(what)s; delete those first.")


class RecordQuerySet(AgencyScopedQuerySet):
    def delete(self):
        """Deleting through a queryset deletes record by record: checked, attributed, restorable."""
        count = 0
        for record in self:
            record.delete()
            count += 1
        return count, {self.model._meta.label: count}

    delete.queryset_only = True


class LiveManager(models.Manager.from_queryset(RecordQuerySet)):
    """Records that have not been deleted: what every list and total shows."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


REFERENCE_LENGTH = 40
# Generated references avoid the look-alikes 0/O and 1/I.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MSG_REFERENCE_TAKEN = _("Another record of this agency already has this reference.")
MSG_REFERENCE_CHARACTERS = _("A reference is letters, digits, “-”, “_”, “/” and “.”, without spaces.")


def new_reference() -> str:
    """A fresh reference for a record entered on a form (an imported row brings its own)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


validate_reference = RegexValidator(r"^[\w\-/.]+$", MSG_REFERENCE_CHARACTERS, code="reference_characters")


class AgencyRecord(models.Model):
    """Base of every field-work record: its agency, authorship, version, period and history.

    `full_clean()` (and so `save()`, which runs it) refuses a bad value with a
    translated ValidationError and writes nothing, whatever path the write came
    by (form, admin, import, shell), including any change in a month that is
    locked, submitted or approved. Deleting only marks the record deleted, so an
    officer can restore it.
    """

    #: the date (a field, or a dotted path through a relation) that places a record in its month
    period_date_field: str | None = "date"
    #: whether the record is reviewed through its agency's monthly return (False: it is reviewed itself)
    monthly_review = True
    #: related records that must be deleted before this one can be
    dependent_relations: tuple[str, ...] = ()

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("modified at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Bumped on every save: the basis for refusing a stale concurrent edit.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # Identifies the record to a re-imported workbook row (unique among the agency's live records of a kind).
    reference = models.CharField(
        _("reference"),
        max_length=REFERENCE_LENGTH,
        default=new_reference,
        validators=[validate_reference],
        help_text=_("Identifies the record in an imported workbook; given automatically when left out"),
    )

    objects = LiveManager()
    all_objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(app_label)s_%(class)s_unique_reference",
                violation_error_message=MSG_REFERENCE_TAKEN,
            )
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse(f"{self._meta.app_label}:{self._meta.model_name}_detail", args=[self.pk])

    @property
    def period_date(self):
        value = self
        for part in (self.period_date_field or "").split("__"):
            value = getattr(value, part, None) if part else None
        return value

    def stored_period_date(self):
        """The period date as it is in the database (None for a new record)."""
        if self._state.adding or not self.period_date_field:
            return None
        if hasattr(self, "_stored_period_date"):
            return self._stored_period_date
        return type(self).all_objects.filter(pk=self.pk).values_list(self.period_date_field, flat=True).first()

    def keep_stored_period_date(self) -> None:
        """Take the period date as it is now for the stored one, sparing `stored_period_date()` its query:
        for a record just read in the same transaction and about to be changed (an import's thousands of rows).
        A date reached through a related record is still read when needed."""
        if self.period_date_field and "__" not in self.period_date_field:
            self._stored_period_date = self.period_date

    def check_periods_open(self) -> None:
        """Both the month a record is moving into and the one it is leaving must be open."""
        if not self.period_date_field or getattr(self, "_reviewing", False):
            return
        for day in {self.period_date, self.stored_period_date()} - {None}:
            check_period_open(self.agency_id, day, monthly_review=self.monthly_review)

    def clean(self):
        super().clean()
        self.check_periods_open()

    def save(self, *args, user=None, **kwargs):
        self.full_clean()
        user = user or current_user()
        if user is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
            self._history_user = user  # simple_history's attribution outside a request
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)

    def check_no_dependents(self) -> None:
        for relation in self.dependent_relations:
            count = getattr(self, relation).count()
            if count:
                what = getattr(self, relation).model._meta.verbose_name_plural
                raise ValidationError(MSG_HAS_CHILDREN, code="has_children", params={"count": count, "what": what})

    def delete(self, *args, user=None, **kwargs):
        """Mark deleted (recorded in history); the record leaves every list and total."""
        self.check_periods_open()
        self.check_no_dependents()
        self.deleted_at = timezone.now()
        self.deleted_by = self._history_user = user or current_user()
        self.version += 1
        models.Model.save(self, update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
        return 1, {self._meta.label: 1}

    def restore(self, *, user=None):
        self.check_periods_open()
        self.deleted_at = None
        self.deleted_by = None
        self.updated_by = self._history_user = user or current_user()
        self.version += 1
        models.Model.save(self, update_fields=["deleted_at", "deleted_by", "version", "updated_at", "updated_by"])

    @property
    def is_deleted(self):
        return self.deleted_at is not None


MSG_OUTSIDE_SPAN = _("The date must lie within the dates of the %(what)s (%(start)s to %(end)s).")


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
                    params={"what": what, "start": parent.start_date, "end": parent.end_date or _("present")},
                )
            }
        )


class Span(models.Model):
    """A standing thing: it began on a date and may have ended."""

    period_date_field = "start_date"

    start_date = models.DateField(_("start date"), validators=[not_in_future])
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave blank while still ongoing"))

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        check_date_range(self.start_date, self.end_date)


class ImportBatchQuerySet(AgencyScopedQuerySet):
    def listing(self):
        """For lists: without the workbook's bytes and the full report (the counts are columns of their own)."""
        return self.select_related("agency", "uploaded_by").defer("content", "report")


class ImportBatch(models.Model):
    """One uploaded workbook: its bytes, as previewed and (once confirmed) as imported, and what the check found.

    The confirmed import reads these very bytes again, so it writes exactly what the preview showed;
    they stay as the record of what was uploaded.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Ready to import")
        REFUSED = "refused", _("Has problems")
        IMPORTED = "imported", _("Imported")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("workbook"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    #: `ImportReport.to_dict()` of the preview, or of the import once confirmed
    report = models.JSONField(_("report"), default=dict)
    rows_created = models.PositiveIntegerField(_("added"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.PositiveIntegerField(_("problems"), default=0)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("Excel import")
        verbose_name_plural = _("Excel imports")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-uploaded_at"])]

    def __str__(self):
        return _("Import #%(number)s (%(file)s)") % {"number": self.pk, "file": self.file_name}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("imports:detail", args=[self.pk])
