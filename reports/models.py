"""The reports app reads domain records and never writes them.

It owns only the published snapshots of the year-end statistics: what the working committee
published for a year and an as-of date, frozen. A snapshot is never changed or deleted; a later
one for the same year supersedes it, and the older one stays readable.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.models import Basis

MSG_SNAPSHOT_FROZEN = _("A published snapshot is never changed or deleted; publish a new one to supersede it.")


class FrozenSnapshotError(Exception):
    """Raised on any attempt to change or delete a published snapshot, whatever the path."""

    def __init__(self, message=MSG_SNAPSHOT_FROZEN):
        super().__init__(str(message))


class PublishedSnapshotQuerySet(models.QuerySet):
    def for_year(self, year: int):
        """The year's snapshots, the current one (latest published) first."""
        return self.filter(year=year).order_by("-published_at", "-pk")

    def superseding(self, snapshot: "PublishedSnapshot"):
        """The snapshots of the same year published after `snapshot`, the first successor first."""
        later = models.Q(published_at__gt=snapshot.published_at) | models.Q(
            published_at=snapshot.published_at, pk__gt=snapshot.pk
        )
        return self.filter(later, year=snapshot.year).order_by("published_at", "pk")

    # Bulk writes would bypass the model's refusal: they are refused too.
    def update(self, **kwargs):
        raise FrozenSnapshotError

    def bulk_update(self, objs, fields, batch_size=None):
        raise FrozenSnapshotError

    def delete(self):
        raise FrozenSnapshotError

    delete.queryset_only = True


class PublishedSnapshot(models.Model):
    """The year-end figures as an officer published them for a year and an as-of date.

    `figures` holds the province's figures and `agency_figures` each agency's ({agency code:
    {indicator code: value}}), both in the JSON form of /reports/year-end.json: counts as
    numbers, money as strings with two places, rates as numbers with two decimals, None as null.
    `catalogue_version` is `reports.indicators.CATALOGUE_VERSION` at publication; `basis` the
    records counted (统计口径, `outreach.models.Basis`; snapshots from before there was a choice
    counted everything entered: `all`). Rows are
    insert-only: `save()` of an existing row, `delete()` and bulk updates or deletes raise
    `FrozenSnapshotError`.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    catalogue_version = models.CharField(_("catalogue version"), max_length=32)
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices, default=Basis.ALL)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    figures = models.JSONField(_("province figures"))
    agency_figures = models.JSONField(_("figures per agency"), default=dict)

    objects = PublishedSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("published snapshot")
        verbose_name_plural = _("published snapshots")
        ordering = ["-year", "-published_at", "-pk"]
        indexes = [models.Index(fields=["year", "published_at"])]

    def __str__(self):
        return _("%(year)s year-end statistics as of %(as_of)s, published %(published)s") % {
            "year": self.year,
            "as_of": self.as_of,
            "published": timezone.localtime(self.published_at).strftime("%Y-%m-%d %H:%M"),
        }

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:snapshot_detail", args=[self.pk])

    @property
    def basis_choice(self) -> Basis:
        """The stored basis as a `Basis` (its label and description)."""
        return Basis(self.basis)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenSnapshotError
        kwargs["force_insert"] = True  # never an UPDATE, even with a primary key set by hand
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenSnapshotError
