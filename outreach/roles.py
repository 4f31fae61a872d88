"""Roles of the programme (docs/domain.md §2) and the Django groups that carry their permissions.

A user's role lives on their profile; the matching group is kept in step by
`Profile.save()`, and the groups' permissions are (re)built after every migrate.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Agency Party committee staff")
    OFFICER = "officer", _("Working committee officer")
    ADMIN = "admin", _("System administrator")


GROUP_NAMES = {
    Role.STAFF: "agency staff",
    Role.OFFICER: "commission officer",
    Role.ADMIN: "administrator",
}

# Apps whose records agencies enter themselves.
FIELD_WORK_APPS = ("pairings", "visits")
DIRECTORY_APP = "outreach"


class ProfileModelBackend(ModelBackend):
    """Django's ModelBackend, loading the request's user with their profile and agency in one query.

    Every page reads the user's role (`role_of`), agency (`agency_id_of`, `for_user`) and, for a clerk, the
    agency's name in the navigation: one query with the user instead of up to three. They are kept on this
    request's user object only (Django's related-object cache) and read again on the next request, so a
    changed role or agency takes effect at once; permissions are Django's own, also per request.
    """

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("profile__agency").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def stamp_session_at_login(sender, request, user, **kwargs) -> None:
    """A session is saved as the user logs in: its refresh interval starts then (outreach.middleware), so the
    first page after the login writes no row again. Also for a test client's force_login, which saves the
    session without the middleware."""
    from outreach.middleware import stamp

    session = getattr(request, "session", None)
    if session is not None:
        stamp(session)


user_logged_in.connect(stamp_session_at_login, dispatch_uid="outreach.roles.stamp_session_at_login")


def role_of(user) -> str | None:
    """The user's role, or None for anonymous users and users without a profile."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def agency_id_of(user) -> int | None:
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    return profile.agency_id if profile is not None else None


def sees_everything(user) -> bool:
    return role_of(user) in (Role.OFFICER, Role.ADMIN)


def sync_role_groups(**kwargs) -> None:
    """Create the three role groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    perms = Permission.objects.select_related("content_type")
    domain = [p for p in perms if p.content_type.app_label in FIELD_WORK_APPS + (DIRECTORY_APP,)]
    view_all = [p for p in domain if p.codename.startswith("view_")]
    field_work = [p for p in domain if p.content_type.app_label in FIELD_WORK_APPS]
    directory = [p for p in domain if p.content_type.app_label == DIRECTORY_APP]

    wanted = {
        Role.STAFF: [p for p in field_work if not p.content_type.model.startswith("historical")],
        Role.OFFICER: view_all,
        Role.ADMIN: list({p.pk: p for p in view_all + directory}.values()),
    }
    for role, group_perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set(group_perms)


def default_basis(user) -> str:
    """The basis (统计口径) a user's figures are on unless they choose another: the one place of this rule.

    Agency staff, who see their own agency's records, see everything they entered (`all`);
    officers and administrators see what agencies have submitted, awaiting review included
    (`submitted`). Without a user (the `yearend` command): `submitted`.
    """
    from outreach.models import Basis

    return Basis.ALL if role_of(user) == Role.STAFF else Basis.SUBMITTED
