"""Read logic as named queryset methods.

`for_user()` is the ONE place where records are scoped to what a user may see
(DESIGN §2): every view, form choice list and export goes through it.
"""

from django.db import models

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

    def for_agency(self, agency):
        return self.filter(**{self.agency_lookup: agency})


class AgencyQuerySet(AgencyScopedQuerySet):
    agency_lookup = "pk"


class RegionQuerySet(models.QuerySet):
    def villages(self):
        return self.filter(level="village")

    def poor_villages_of_target_cities(self):
        return self.filter(level="village", is_poor=True, city__is_target_city=True)

    def target_cities(self):
        return self.filter(level="city", is_target_city=True)
