"""The abstract records every field-work record of `pairings` and `visits` builds on.

`AgencyRecord`: its agency, who created and last changed it, its version, period and history;
`DatedRecord`: an agency record of something done on one day;
`Span`: a standing thing with a start and an optional end;
`SpanRecord`: an agency record of a standing thing, listed newest start first.
"""

import secrets

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.models.directory import Agency
from outreach.models.fields import past_date_field, user_field
from outreach.models.review import check_period_open
from outreach.querysets import AgencyScopedQuerySet
from outreach.validation import Problems, check_date_range, check_same_agency, implied_validators


def current_user():
    """The user of the request being served (set by simple_history's middleware), if any."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


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
    # One read of the system's randomness for all ten characters (not one a character: the demo makes a
    # million of these); the alphabet has 32 letters, so the low five bits of a byte pick one without bias.
    return "".join(REFERENCE_ALPHABET[byte & 31] for byte in secrets.token_bytes(10))


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
    #: (relation, what it is called) of the standing record this one is part of (an activity of a pairing…):
    #: it belongs to the same agency, and this record's date lies within its span
    part_of: tuple[str, str] | None = None

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = user_field(_("created by"), editable=False)
    updated_at = models.DateTimeField(_("modified at"), auto_now=True)
    updated_by = user_field(_("modified by"), editable=False)
    # Bumped on every save: the basis for refusing a stale concurrent edit.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = user_field(_("deleted by"), editable=False)

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
        if not self.period_date_field:
            return
        for day in {self.period_date, self.stored_period_date()} - {None}:
            check_period_open(self.agency_id, day, monthly_review=self.monthly_review)

    def check_part_of(self) -> None:
        if self.part_of is None:
            return
        relation, what = self.part_of
        problems = Problems()
        problems.check(check_same_agency, self, relation, what)
        if getattr(self, f"{relation}_id"):
            problems.check(check_within, self, self.period_date_field, getattr(self, relation), what)
        problems.raise_any()

    def clean_fields(self, exclude=None):
        """Django's field checks, and those a field's definition implies but Django leaves to forms
        (`validation.implied_validators`: a text's maximum length, the site's years on a date)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not field.editable or field.name in errors or (exclude and field.name in exclude):
                continue
            value = getattr(self, field.attname)
            if value in (None, ""):
                continue
            for validator in implied_validators(field):
                try:
                    validator(value)
                except ValidationError as error:
                    errors.setdefault(field.name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        """As Django's, except that `clean()` never sees a value its own field refused (as a form's `clean()`
        sees only cleaned fields): a year 10000 is an error on the year, not a crash computing its half-year."""
        errors = {}
        try:
            self.clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        refused = {
            name: getattr(self, self._meta.get_field(name).attname) for name in errors if name != NON_FIELD_ERRORS
        }
        for name in refused:
            setattr(self, self._meta.get_field(name).attname, None)
        try:
            self.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        finally:
            for name, value in refused.items():
                setattr(self, self._meta.get_field(name).attname, value)
        checks = ((self.validate_unique, validate_unique), (self.validate_constraints, validate_constraints))
        for check, wanted in checks:
            if wanted:  # only the fields that passed, as Django's
                try:
                    check(exclude=set(exclude or ()) | {name for name in errors if name != NON_FIELD_ERRORS})
                except ValidationError as error:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(self.check_periods_open)
        problems.check(self.check_part_of)
        problems.raise_any()

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
        user = user or current_user()
        self.deleted_at, self.deleted_by = timezone.now(), user
        self.save_fields(["deleted_at", "deleted_by"], user=user)
        return 1, {self._meta.label: 1}

    def restore(self, *, user=None):
        self.check_periods_open()
        user = user or current_user()
        self.deleted_at = self.deleted_by = None
        self.updated_by = user
        self.save_fields(["deleted_at", "deleted_by", "updated_by"], user=user)

    def save_fields(self, fields: list[str], *, user) -> None:
        """Save only `fields`, with a new version, attributed to `user` in the history.

        For what is not an edit of the record's content (deleting, restoring, a step of its review):
        the caller has made its own checks, so save()'s are not run.
        """
        self._history_user = user
        self.version += 1
        models.Model.save(self, update_fields=[*fields, "version", "updated_at"])

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class DatedRecord(AgencyRecord):
    """A record of something done on one day, its `date`: listed newest first, indexed by agency and date.

    Each record type declares its `date` itself (`past_date_field(_("date"))`), where it stands among its
    fields (that order is the order of its detail page and its columns in the year-end workbook).
    """

    class Meta(AgencyRecord.Meta):
        abstract = True
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["agency", "date"])]


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

    start_date = past_date_field(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave blank while still ongoing"))

    class Meta:
        abstract = True

    def clean(self):
        problems = Problems()
        problems.check(super().clean)
        problems.check(check_date_range, self.start_date, self.end_date)
        problems.raise_any()


class SpanRecord(Span, AgencyRecord):
    """An agency record of a standing thing (`Span`): listed newest start first, as `DatedRecord` lists
    newest date first. A record type listed otherwise (by name) sets its own `ordering`."""

    class Meta(AgencyRecord.Meta):
        abstract = True
        ordering = ["-start_date", "pk"]
