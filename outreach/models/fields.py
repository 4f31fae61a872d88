"""Field helpers shared by the models of the base app."""

from django.conf import settings
from django.db import models


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
