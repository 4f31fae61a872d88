"""The site's today and now: the one place pages, rules and services read the date from.

A demo or training site runs at a fixed day (`SITE_TODAY=2014-07-31` in the environment): its
pages, submissions, deadlines and reminders then behave as on that day, and every page says so
in a banner. Unset (production), the day is the local date in `TIME_ZONE`.
"""

import datetime

from django.conf import settings
from django.utils import timezone


def fixed_today() -> datetime.date | None:
    """The fixed day of a demo or training site (settings.SITE_TODAY), or None."""
    value = getattr(settings, "SITE_TODAY", None)
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def today() -> datetime.date:
    """Today for the site: SITE_TODAY when set, else the local date."""
    return fixed_today() or timezone.localdate()


def now() -> datetime.datetime:
    """Now for the site: on a fixed day, that day at the current local time of day."""
    fixed = fixed_today()
    if fixed is None:
        return timezone.now()
    local = timezone.localtime()
    return timezone.make_aware(datetime.datetime.combine(fixed, local.time().replace(tzinfo=None)))
