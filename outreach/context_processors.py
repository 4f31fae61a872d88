from outreach import clock
from outreach.roles import Role, role_of


def role(request):
    """The user's role and agency, for the navigation and the home page."""
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user is not None and user.is_authenticated else None
    match = getattr(request, "resolver_match", None)
    return {
        "nav_section": (match.app_name or match.url_name) if match is not None else "",
        "user_role": role_of(user) if user is not None else None,
        "user_agency": profile.agency if profile is not None else None,
        "Role": Role,
    }


def site_day(request):
    """A demo or training site's fixed day (settings.SITE_TODAY), for the banner on every page; else None."""
    return {"site_fixed_today": clock.fixed_today()}
