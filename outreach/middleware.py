"""Chinese first: the interface is Simplified Chinese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language header; a
clerk's English-language browser must still get the Chinese interface, so the
header is ignored and only the language cookie (set by the switcher) counts.

`ParameterCheckMiddleware` refuses, before any view, what no form takes (a NUL, an over-long GET value);
`bad_request` is the site's 400 page (handler400). `SessionMiddleware` saves the session only when it
changed or its expiry is due to move (`refresh_due`), and never renews it for a request the page makes by
itself (`passive`).
"""

import copy
import time

from django.conf import settings
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


#: where the session keeps the time (seconds since the epoch) its row was last saved with a new expiry
REFRESHED_KEY = "_refreshed_at"


def stamp(session, now: float | None = None) -> None:
    """Note in `session` that it is saved now with a new expiry (the caller, or the response, saves it)."""
    session[REFRESHED_KEY] = time.time() if now is None else now


def refresh_due(session, now: float) -> bool:
    """Whether `session` should be saved now to push its expiry forward (`SESSION_REFRESH_SECONDS`).

    A session nobody read this request, or one without data (anonymous, logged out, expired), is left alone;
    one without a stamp, with a stamp from the future (a clock set back) or older than the interval is due.
    """
    if not session.accessed or session.is_empty():
        return False
    saved_at = session.get(REFRESHED_KEY)
    if not isinstance(saved_at, (int, float)):
        return True
    return not 0 <= now - saved_at < settings.SESSION_REFRESH_SECONDS


def remembering(store_class):
    """`store_class` (the SESSION_ENGINE's store) keeping the key and a copy of the data it loaded, for `changed`."""

    class RememberingStore(store_class):
        # signed as the engine's own store, so sessions written by either read back (tests' client.session)
        key_salt = store_class().key_salt

        def load(self):
            data = super().load()
            self.loaded_as = (self.session_key, copy.deepcopy(data))
            return data

    return RememberingStore


def changed(session) -> bool:
    """Whether `session` holds other data, or another key, than it was loaded with (a page writing back the
    same year it read is no change; logging in or out is)."""
    return getattr(session, "loaded_as", None) != (session.session_key, getattr(session, "_session_cache", None))


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, saving the session row only when it changed or its expiry is due to move, not on every request.

    A session ends SESSION_COOKIE_AGE (30 minutes) after its row was last saved. Saving it on every request
    (Django's SESSION_SAVE_EVERY_REQUEST) wrote a row per page view; here a request saves it only when its data
    changed or SESSION_REFRESH_SECONDS (60) have passed since the last save, so an active user stays logged in
    and one who walked away is logged out between 29 and 30 minutes after their last request, never later.
    A value written back unchanged (the kept year and as-of date of every report page) is no change.

    A request the page makes by itself (`passive`: a job's page polling its status) never moves the expiry:
    a page polling once a second would keep a clerk who walked away logged in for ever, and on SQLite each poll
    would wait for a job's write lock.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.SessionStore = remembering(self.SessionStore)

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is None:
            return super().process_response(request, response)
        if session.modified and not changed(session):
            session.modified = False
        if getattr(request, "passive", False):
            if not session.modified:
                return response
        else:
            now = time.time()
            if (session.modified or refresh_due(session, now)) and not session.is_empty():
                stamp(session, now)
        return super().process_response(request, response)
