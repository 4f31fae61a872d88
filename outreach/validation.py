"""Field factories and checks shared by every domain record (docs/domain.md §3).

Messages are module constants so that tests assert the exact text users see.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from outreach import clock

# An entry above these is a typing mistake, not a record (one visit, one activity).
COUNT_MAX = 1_000_000
MONEY_MAX = Decimal("100000000000.00")  # 1,000 亿元
MAX_VISIT_DAYS = 366
# Every year and date the site takes lies in these years: the campaign's, with room (the window's, the import's, the forms').
YEAR_MIN, YEAR_MAX = 2000, 2100

MSG_NEGATIVE_COUNT = _("The number cannot be negative.")
MSG_COUNT_TOO_LARGE = _("The number is too large (at most %(limit_value)s); please check it.")
MSG_NEGATIVE_MONEY = _("The amount cannot be negative.")
MSG_MONEY_TOO_LARGE = _("The amount is too large (at most %(limit_value)s yuan); please check it.")
MSG_FUTURE_DATE = _("The date cannot be later than today.")
MSG_END_BEFORE_START = _("The end date cannot be earlier than the start date.")
MSG_OTHER_AGENCY = _("The %(what)s must belong to your agency.")
MSG_DATE_YEAR_RANGE = _("Enter a date in the years %(min)s to %(max)s.")


def in_year_range(year) -> bool:
    """`year` (a number) lies in YEAR_MIN … YEAR_MAX: the one rule for every year a form, filter or import takes."""
    return isinstance(year, int) and not isinstance(year, bool) and YEAR_MIN <= year <= YEAR_MAX


def year_validators() -> list:
    """A year field's bounds (the model's; `RecordForm` gives its form field the same)."""
    return [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


def validate_date_year(value) -> None:
    """A date (or date-time) in the years YEAR_MIN … YEAR_MAX; checked on every record's date fields."""
    if value is not None and not in_year_range(value.year):
        raise ValidationError(MSG_DATE_YEAR_RANGE, code="date_year", params={"min": YEAR_MIN, "max": YEAR_MAX})


def implied_validators(field) -> list:
    """What a model field's definition implies but Django checks only on forms: a TextField's max_length, and
    the site's years on a DateField. `AgencyRecord.clean_fields()` runs them, so a form, an import, the admin
    and the shell refuse the same values with the same messages."""
    if isinstance(field, models.TextField) and field.max_length:
        return [MaxLengthValidator(field.max_length)]
    if isinstance(field, models.DateField):  # DateTimeField included
        return [validate_date_year]
    return []


def count_field(verbose_name, **kwargs):
    """A non-negative count with a sanity ceiling."""
    kwargs.setdefault("default", 0)
    return models.PositiveIntegerField(
        verbose_name,
        validators=[
            MinValueValidator(0, message=MSG_NEGATIVE_COUNT),
            MaxValueValidator(COUNT_MAX, message=MSG_COUNT_TOO_LARGE),
        ],
        **kwargs,
    )


def money_field(verbose_name, **kwargs):
    """Decimal yuan, never float."""
    kwargs.setdefault("default", Decimal("0.00"))
    kwargs.setdefault("help_text", _("In yuan"))
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0"), message=MSG_NEGATIVE_MONEY),
            MaxValueValidator(MONEY_MAX, message=MSG_MONEY_TOO_LARGE),
        ],
        **kwargs,
    )


_today: ContextVar = ContextVar("today", default=None)


@contextmanager
def same_day():
    """Within the block "today" is read once: an import checks thousands of dates against it."""
    token = _today.set(clock.today())
    try:
        yield
    finally:
        _today.reset(token)


def today():
    return _today.get() or clock.today()


def not_in_future(value):
    if value and value > today():
        raise ValidationError(MSG_FUTURE_DATE, code="future_date")


def check_date_range(start, end, *, end_field="end_date"):
    """An end date, where given, lies on or after the start date."""
    if start and end and end < start:
        raise ValidationError({end_field: ValidationError(MSG_END_BEFORE_START, code="end_before_start")})


def check_same_agency(record, field: str, what) -> None:
    """The related object named by `field` belongs to the record's agency."""
    related_agency_id = getattr(getattr(record, field, None), "agency_id", None)
    if record.agency_id and related_agency_id and related_agency_id != record.agency_id:
        raise ValidationError({field: ValidationError(MSG_OTHER_AGENCY, code="other_agency", params={"what": what})})


class Problems:
    """A `clean()`'s errors, collected so that a form or an import row reports every mistake at once.

    `check(rule, *args)` runs a rule that raises ValidationError (`check_date_range`, `super().clean`, …)
    and keeps what it says; `add(field, error)` keeps one message; `raise_any()` raises them all together,
    each with its own message and code. A rule that needs another to have passed is guarded by `check`'s
    answer (True: it passed) or by `field in problems`.
    """

    def __init__(self):
        self.errors: dict = {}

    def check(self, rule, *args, **kwargs) -> bool:
        try:
            rule(*args, **kwargs)
        except ValidationError as error:
            self.errors = error.update_error_dict(self.errors)
            return False
        return True

    def add(self, field: str, error) -> None:
        self.errors = ValidationError({field: error}).update_error_dict(self.errors)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
