"""Chinese first: the interface is Simplified Chinese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a
clerk's English-language browser must still get the Chinese interface, so the
header is ignored and only the language cookie (set by the switcher) counts.

`ParameterCheckMiddleware` refuses, before any view, what no form takes (a NUL, an over-long GET value);
`bad_request` is the site's 400 page (handler400). `SessionMiddleware` does not renew the session for a
request the page makes by itself (`passive`).
"""

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class ChineseFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# --- parameters no form reads: refused before any view (issue 14) ------------------------------------------

#: a GET value longer than this is no filter, page or year anyone typed (a text field is posted, not queried)
MAX_QUERY_VALUE = 1000

MSG_NUL = _("The request contains a NUL character, which no field takes.")
MSG_QUERY_TOO_LONG = _("A value in the address is longer than %(limit)s characters.")
MSG_TOO_BIG = _("The data submitted is too large.")
MSG_BAD_REQUEST = _("The request could not be understood.")


class BadParameter(SuspiciousOperation):
    """A GET or POST parameter no view should see; Django answers 400 (`bad_request`)."""


def _has_nul(*texts) -> bool:
    return any("\x00" in text for text in texts)


def check_parameters(request) -> None:
    """Refuse a NUL anywhere in the path, a GET or a (non-file) POST parameter, and an over-long GET value.

    PostgreSQL cannot store or compare a NUL ("A string literal cannot contain NUL characters"), so a NUL
    reaching a query is a server error; a form would refuse it field by field, but a page reading GET itself
    would not. Reading POST here also turns a body over DATA_UPLOAD_MAX_MEMORY_SIZE into Django's
    RequestDataTooBig, answered with the 413-style page below.
    """
    if _has_nul(request.path_info):
        raise BadParameter(MSG_NUL)
    for key, values in request.GET.lists():
        if _has_nul(key, *values):
            raise BadParameter(MSG_NUL)
        if any(len(value) > MAX_QUERY_VALUE for value in values):
            raise BadParameter(MSG_QUERY_TOO_LONG % {"limit": MAX_QUERY_VALUE})
    if request.method == "POST":
        for key, values in request.POST.lists():
            if _has_nul(key, *values):
                raise BadParameter(MSG_NUL)


class ParameterCheckMiddleware:
    """`check_parameters` on every request, after the user is known (the 400 page shows the navigation)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        check_parameters(request)
        return self.get_response(request)


TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    """handler400: the site's own page in the user's language, not Django's English "Bad Request (400)".

    A body over Django's limits (RequestDataTooBig and friends) is answered 413 with "too large"; anything else
    Django refuses (SuspiciousOperation, an unreadable upload, a BadParameter above) 400 with its reason.
    """
    too_big = isinstance(exception, TOO_BIG)
    reason = MSG_TOO_BIG if too_big else (exception.args[0] if isinstance(exception, BadParameter) else MSG_BAD_REQUEST)
    context = {"too_big": too_big, "reason": reason}
    return render(request, "400.html", context, status=413 if too_big else 400)


def passive(request) -> None:
    """Mark a request that a page makes by itself (a job's page polling its status), not the user."""
    request.passive = True


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a passive request leaves an unchanged session as it is.

    SESSION_SAVE_EVERY_REQUEST renews the session (its 30 minutes of inactivity) on every request;
    a page polling once a second would keep a clerk who walked away logged in for ever, and on
    SQLite each poll would wait for a job's write lock.
    """

    def process_response(self, request, response):
        if getattr(request, "passive", False) and not request.session.modified:
            return response
        return super().process_response(request, response)
