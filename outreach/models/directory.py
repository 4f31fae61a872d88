"""The directory: regions, agencies, Party organisations, officials and users' roles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from outreach.querysets import AgencyQuerySet, AgencyScopedQuerySet, RegionQuerySet
from outreach.roles import GROUP_NAMES, Role


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


def affiliation(related_name: str, *, optional: bool = False) -> models.ForeignKey:
    """The agency a Party organisation, an official or a user belongs to; it cannot be deleted while they do."""
    return models.ForeignKey(
        Agency,
        verbose_name=pgettext_lazy("affiliation", "agency"),
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
    )


class PartyOrganisation(models.Model):
    """A Party organisation: an agency's committee (机关党委), a community's or a village's."""

    class Kind(models.TextChoices):
        AGENCY_COMMITTEE = "agency_committee", _("Agency Party committee")
        COMMUNITY = "community", _("Urban community Party organisation")
        VILLAGE = "village", _("Disadvantaged village Party organisation")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    agency = affiliation("party_organisations", optional=True)
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

    agency = affiliation("officials")
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
    agency = affiliation("profiles", optional=True)

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
