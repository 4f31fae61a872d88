"""The directory: regions, agencies, Party organisations, officials and users' roles.

Also the abstract `AgencyRecord` that every field-work record of `pairings` and
`visits` builds on: its agency, who created and last changed it, and its history.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outreach.querysets import AgencyQuerySet, AgencyScopedQuerySet, RegionQuerySet
from outreach.roles import GROUP_NAMES, Role


class Region(models.Model):
    """A node of the administrative tree: province → city → county → township → village/community."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（市、区）")
        TOWNSHIP = "township", _("乡镇（街道）")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    # Which level a region's parent must have.
    PARENT_LEVELS = {
        Level.PROVINCE: (),
        Level.CITY: (Level.PROVINCE,),
        Level.COUNTY: (Level.CITY,),
        Level.TOWNSHIP: (Level.COUNTY,),
        Level.VILLAGE: (Level.TOWNSHIP,),
        Level.COMMUNITY: (Level.TOWNSHIP, Level.COUNTY),
    }

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    full_name = models.CharField(_("全称"), max_length=400, editable=False, db_index=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The city a region lies in (a city is its own city): reports group by it.
    city = models.ForeignKey(
        "self", verbose_name=_("所在市"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    is_target_city = models.BooleanField(_("帮扶重点市"), default=False)
    is_poor = models.BooleanField(_("贫困村"), default=False)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "is_poor"])]

    def __str__(self):
        return self.full_name or self.name

    def clean(self):
        errors = {}
        allowed = self.PARENT_LEVELS.get(self.level, ())
        if self.parent is None and allowed:
            errors["parent"] = _("该层级必须有上级区划。")
        elif self.parent is not None and self.parent.level not in allowed:
            errors["parent"] = _("上级区划的层级不正确。")
        if self.is_target_city and self.level != self.Level.CITY:
            errors["is_target_city"] = _("只有市可以设为帮扶重点市。")
        if self.is_poor and self.level != self.Level.VILLAGE:
            errors["is_poor"] = _("只有村可以标记为贫困村。")
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

    code = models.CharField(_("单位代码"), max_length=16, unique=True)
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("省直单位")
        verbose_name_plural = _("省直单位")
        ordering = ["code"]

    def __str__(self):
        return self.short_name or self.name


class PartyOrganisation(models.Model):
    """A Party organisation: an agency's committee (机关党委), a community's or a village's."""

    class Kind(models.TextChoices):
        AGENCY_COMMITTEE = "agency_committee", _("机关党委")
        COMMUNITY = "community", _("城市社区党组织")
        VILLAGE = "village", _("困难乡村党组织")

    name = models.CharField(_("名称"), max_length=150)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="party_organisations",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="party_organisations",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
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
                errors["agency"] = _("机关党委必须属于一个省直单位。")
        elif self.region_id is None:
            errors["region"] = _("社区或村党组织必须指定所在区划。")
        elif self.kind == self.Kind.COMMUNITY and self.region.level != Region.Level.COMMUNITY:
            errors["region"] = _("城市社区党组织必须位于社区。")
        elif self.kind == self.Kind.VILLAGE and self.region.level != Region.Level.VILLAGE:
            errors["region"] = _("乡村党组织必须位于村。")
        if errors:
            raise ValidationError(errors)


class Official(models.Model):
    """A cadre of an agency: the people who hold contact points and make visits."""

    class Rank(models.TextChoices):
        DEPARTMENT = "department", _("厅局级")
        DIVISION = "division", _("处级")
        OTHER = "other", _("其他")

    class Position(models.TextChoices):
        LEADERSHIP = "leadership", _("领导班子成员")
        DEPARTMENT_HEAD = "department_head", _("内设部门负责人")
        STAFF = "staff", _("一般干部")

    agency = models.ForeignKey(Agency, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="officials")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    rank = models.CharField(_("职级"), max_length=16, choices=Rank.choices)
    position = models.CharField(_("岗位"), max_length=20, choices=Position.choices)
    is_active = models.BooleanField(_("在职"), default=True)

    objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["agency__code", "name"]
        indexes = [models.Index(fields=["agency", "rank"])]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name


class Profile(models.Model):
    """A user's role and, for agency staff, their agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STAFF)
    agency = models.ForeignKey(
        Agency, verbose_name=_("所属单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="profiles"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    def clean(self):
        if self.role == Role.STAFF and self.agency_id is None:
            raise ValidationError({"agency": _("机关党委工作人员必须属于一个省直单位。")})
        if self.role != Role.STAFF and self.agency_id is not None:
            raise ValidationError({"agency": _("只有机关党委工作人员属于某个单位。")})

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


class AgencyRecord(models.Model):
    """Base of every field-work record: its agency, authorship, version and history.

    `save()` runs full validation, so a bad value raises a translated
    ValidationError and nothing is written, whatever path the write came by.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    # Bumped on every save: the basis for refusing a stale concurrent edit.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = AgencyScopedQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, user=None, **kwargs):
        self.full_clean()
        user = user or current_user()
        if user is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
        if not self._state.adding:
            self.version += 1
        super().save(*args, **kwargs)
