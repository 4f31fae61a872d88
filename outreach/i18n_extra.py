"""Strings of third-party packages that ship no zh_Hans catalogue (django-filter ships only zh_CN,
which Django ignores for zh-hans). Listing them here puts them in our catalogue, which comes first."""

from django.utils.translation import gettext_noop

DJANGO_FILTER = [
    gettext_noop("%s (descending)"),
    gettext_noop("All"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("Ordering"),
    gettext_noop("Range query expects two values."),
    gettext_noop("Select a lookup."),
    gettext_noop("Unknown"),
    gettext_noop("Today"),
    gettext_noop("Yesterday"),
    gettext_noop("Past 7 days"),
    gettext_noop("This month"),
    gettext_noop("This year"),
]
