"""Read logic as named queryset methods.

`for_user()` is the ONE place where records are scoped to what a user may see
(docs/domain.md §2): every view, form choice list and export goes through it.
`standing(window)` and `dated_in(window)` are the ONE way records are counted
for a window (docs/domain.md §4, `outreach.window.Window`).
"""

from django.apps import apps
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import ExtractMonth, ExtractYear

from outreach.roles import agency_id_of, role_of, sees_everything


class AgencyScopedQuerySet(models.QuerySet):
    #: the lookup from this model to its owning agency's primary key
    agency_lookup = "agency"

    def for_user(self, user):
        """Everything for officers and administrators; own agency for agency staff; else nothing."""
        if sees_everything(user):
            return self
        agency_id = agency_id_of(user)
        if role_of(user) is None or agency_id is None:
            return self.none()
        return self.filter(**{self.agency_lookup: agency_id})

    def standing(self, window):
        """Standing records (start_date, end_date) that count for `window`."""
        return self.filter(window.standing_q())

    def dated_in(self, window, field: str | None = None):
        """Records whose date lies in `window`: `field`, by default the record's own date (`period_date_field`)."""
        return self.filter(window.dated_q(field or self.model.period_date_field))

    def on_basis(self, basis):
        """Records that count on `basis` (`outreach.models.Basis`): by their month's return, or their own review.

        A record reviewed through the monthly return counts when its agency's return of the month of
        its `period_date_field` has one of the basis's statuses; a record reviewed itself (a channel
        return) by its own status. `all` adds no condition.
        """
        from outreach.models import Basis

        statuses = Basis(basis).statuses
        if statuses is None:
            return self
        if not self.model.monthly_review:
            return self.filter(status__in=statuses)
        day = self.model.period_date_field
        period_return = apps.get_model("outreach", "PeriodReturn")
        return self.filter(
            Exists(
                period_return.objects.filter(
                    agency=OuterRef("agency"),
                    year=ExtractYear(OuterRef(day)),
                    month=ExtractMonth(OuterRef(day)),
                    status__in=statuses,
                )
            )
        )


class AgencyQuerySet(AgencyScopedQuerySet):
    agency_lookup = "pk"


class RegionQuerySet(models.QuerySet):
    def villages(self):
        return self.filter(level="village")

    def poor_villages_of_target_cities(self, year: int | None = None):
        """Where a contact point of campaign year `year` may lie: a poor village of one of the year's target
        cities (docs/domain.md §1, §3); `year` None: of any year's (the choices before the year is known)."""
        return self.filter(level="village", is_poor=True, city__in=self.model.objects.target_cities(year).values("pk"))

    def target_cities(self, year: int | None = None):
        """The target cities of campaign year `year`; `year` None: the target cities of any year. See `target_city_q`."""
        return self.filter(target_city_q(year))

    def with_target(self, year: int):
        """Each region annotated `is_target`: whether it is a target city of campaign year `year` (same query)."""
        return self.annotate(is_target=ExpressionWrapper(target_city_q(year), output_field=models.BooleanField()))


def target_city_q(year: int | None) -> Q:
    """The target cities of campaign year `year` as a condition on regions (docs/domain.md §1), in SQL.

    The year's settings (`CampaignYear.objects.settings_for(year)`: its own row, else the latest
    configured year before it) list them; a year whose list is empty, or with no configured year at or
    before it, has the directory's marked cities (`Region.is_target_city`). `year` None: a city listed
    by any campaign year or marked in the directory.
    """
    from outreach.models.campaign import CampaignYear

    listed = CampaignYear.target_cities.through.objects
    if year is None:
        return Q(level="city") & (Q(is_target_city=True) | Q(pk__in=listed.values("region_id")))
    settings_row = CampaignYear.objects.filter(year__lte=year).order_by("-year").values("pk")[:1]
    of_year = listed.filter(campaignyear_id=Subquery(settings_row)).values("region_id")
    return Q(level="city") & (Q(pk__in=of_year) | (Q(is_target_city=True) & ~Exists(of_year)))
