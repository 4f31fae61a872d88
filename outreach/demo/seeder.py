"""`DemoSeeder` runs the demo: the directory, then every app's part (see `DemoPart`); and what
`seed_demo` needs around it: the records it wrote, whether the database holds data, and a flush."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.test.utils import override_settings

from outreach import demo_data as D
from outreach.demo.base import DEFAULT_SEED, DEFAULT_YEAR, demo_usernames
from outreach.demo.campaign import build_campaign_years
from outreach.demo.context import DemoContext, demo_parts
from outreach.demo.directory import build_directory
from outreach.models import (
    Agency,
    CampaignYear,
    Official,
    PartyOrganisation,
    PeriodLock,
    PeriodReturn,
    Profile,
    Region,
)
from outreach.selectors import record_models

DIRECTORY_MODELS = (Region, Agency, PartyOrganisation, Official)


class DemoSeeder:
    def __init__(
        self,
        *,
        seed=DEFAULT_SEED,
        year=DEFAULT_YEAR,
        scale=1,
        fraction=1.0,
        today=None,
        log=None,
        previous_year=True,
        directory_only=False,
    ):
        if scale < 1:
            raise ValueError("scale must be at least 1")
        if not 0 < fraction <= 1:
            raise ValueError("fraction must be in (0, 1]")
        if directory_only and (scale != 1 or fraction != 1):
            raise ValueError("scale and fraction shape the field work: a directory alone has none")
        self.directory_only = directory_only
        self.ctx = DemoContext(
            seed=seed, year=year, scale=scale, fraction=fraction, today=today, previous_year=previous_year, log=log
        )
        self.cal = self.ctx.cal
        self.timings: list[tuple[str, float]] = []

    def _phase(self, name, func, *args):
        started = time.perf_counter()
        result = func(*args)
        self.timings.append((name, time.perf_counter() - started))
        return result

    def run(self) -> dict:
        started = time.perf_counter()
        with transaction.atomic():
            build_directory(self.ctx, self._phase)
            if not self.directory_only:
                self._phase("campaign years", build_campaign_years, self.ctx)
                self.build_field_work()
        self.timings.append(("total", time.perf_counter() - started))
        return summarise_directory() if self.directory_only else summarise(self.cal.year)

    def build_field_work(self):
        """Everything after the directory, part by part in their order: the structures (pairings,
        volunteer teams), each round of field work (and its round of the year before), the returns."""
        ctx, parts = self.ctx, demo_parts()
        for part in parts:
            if part.structure:
                self._phase(f"{part.name} structure", part.structure, ctx)
        for round_no in range(ctx.scale):
            self._phase(f"activity round {round_no + 1}", self.each, parts, "round", round_no)
            if ctx.previous_year:
                self._phase(f"previous year round {round_no + 1}", self.each, parts, "previous_round", round_no)
        for part in parts:
            if part.returns:
                self._phase(f"{part.name} returns", part.returns, ctx)

    def each(self, parts, step: str, round_no: int):
        for part in parts:
            if getattr(part, step):
                getattr(part, step)(self.ctx, round_no)


def demo_models() -> list:
    """Every model the demo writes: the directory, the logins with their profiles, and each part's models."""
    return [*DIRECTORY_MODELS, Profile, get_user_model(), *(model for part in demo_parts() for model in part.models)]


def in_year(model, lookup: str | None, year: int | None):
    """The model's records of `year` by `lookup` (every record when `year` or `lookup` is None)."""
    if year is None or lookup is None:
        return model.objects.all()
    return model.objects.filter(**{lookup: year})


def summarise(year: int | None = None) -> dict:
    """The records the demo wrote, for the printout: counts per model (of `year`, for the models
    that fall in a year), each part's tallies, and the counts of the year before under "previous"."""
    parts = demo_parts()
    counts = {model._meta.label: model.objects.count() for model in DIRECTORY_MODELS}
    tallies, previous = {}, {}
    for part in parts:
        for model in part.models:
            counts[model._meta.label] = in_year(model, part.dated.get(model), year).count()
        if part.tallies and year is not None:
            tallies.update(part.tallies(year))
        if year is not None:
            previous.update({m._meta.label: in_year(m, lookup, year - 1).count() for m, lookup in part.dated.items()})
    counts["auth.User"] = get_user_model().objects.count()
    return {"counts": counts, "tallies": tallies, "previous": previous}


def summarise_directory() -> dict:
    """What a directory-only seed built, for the printout: the directory's counts, and the records
    a directory alone has none of (field work of every kind, monthly returns, period locks)."""
    regions = dict(Region.objects.order_by().values_list("level").annotate(n=Count("pk")))
    organisations = dict(PartyOrganisation.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "regions": {level: regions.get(level, 0) for level in Region.Level.values},
        "agencies": Agency.objects.count(),
        "party_organisations": {kind: organisations.get(kind, 0) for kind in PartyOrganisation.Kind.values},
        "officials": Official.objects.count(),
        "users": get_user_model().objects.count(),
        "records": {
            "field work": sum(model._base_manager.count() for model in record_models()),
            "monthly returns": PeriodReturn.objects.count(),
            "period locks": PeriodLock.objects.count(),
        },
    }


def holds_data() -> bool:
    return Agency.objects.exists() or Region.objects.exists()


def children_first(models: list) -> tuple:
    """The models ordered so that each comes before those it refers to: deletable in that order."""
    remaining, ordered = list(models), []
    while remaining:
        leaf = next(
            model
            for model in remaining
            if not any(
                field.related_model is model
                for other in remaining
                if other is not model
                for field in other._meta.concrete_fields
                if field.is_relation
            )
        )
        ordered.append(leaf)
        remaining.remove(leaf)
    return tuple(ordered)


def flush() -> dict:
    """Delete the domain data: field work, monthly returns and period locks, the campaign years, the
    directory, and the non-superuser and demo users.

    History is not written for the deletions (a reseed is not a change anybody made),
    and the domain's history tables are emptied too.
    """
    User = get_user_model()
    deleted = {}
    # Every field-work model, also those the demo does not fill (somebody may have entered them).
    field_work = children_first(record_models())
    periods = (PeriodReturn, PeriodLock, CampaignYear)
    with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        # The base manager: a hard delete of every row, live or marked deleted.
        for model in field_work + periods:
            deleted[model._meta.label] = model._base_manager.all().delete()[0]
        codes = list(Agency.objects.values_list("code", flat=True))
        demo_users = demo_usernames(codes + [code for code, _name, _short in D.AGENCIES])
        users = User.objects.filter(Q(is_superuser=False) | Q(username__in=demo_users))
        deleted["auth.User"] = users.count()
        Profile.objects.filter(user__in=users).delete()
        users.delete()
        Profile.objects.filter(agency__isnull=False).delete()
        for model in (Official, PartyOrganisation, Agency):
            deleted[model._meta.label] = model._base_manager.all().delete()[0]
        Region._base_manager.update(parent=None, city=None)  # the tree protects itself: cut it first
        deleted[Region._meta.label] = Region._base_manager.all().delete()[0]
        for model in field_work + periods + (Official, PartyOrganisation, Agency, Region, Profile):
            model.history.model._base_manager.all().delete()
    return deleted
