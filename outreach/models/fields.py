"""Field helpers shared by the models of the base app and the records of `pairings` and `visits`."""

from django.conf import settings
from django.db import models

from outreach.validation import not_in_future

#: the longest free text a record keeps (its notes, summary, a review comment…)
NOTE_MAX_LENGTH = 2000


def user_field(verbose_name, **kwargs) -> models.ForeignKey:
    """Who did something (submitted, reviewed, locked, uploaded…): kept when the user is deleted, no reverse relation."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


def note_field(verbose_name) -> models.TextField:
    """Optional free text of at most `NOTE_MAX_LENGTH` characters: a record's notes, summary or findings."""
    return models.TextField(verbose_name, max_length=NOTE_MAX_LENGTH, blank=True)


def past_date_field(verbose_name) -> models.DateField:
    """A day something was done or began: never in the future (`validation.not_in_future`)."""
    return models.DateField(verbose_name, validators=[not_in_future])
