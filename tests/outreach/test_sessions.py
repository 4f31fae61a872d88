"""Sessions: the row is written when it changes or its expiry is due to move, not on every request (issue 17 item 3).

The 30-minute inactivity rule holds: a session ends SESSION_COOKIE_AGE after its row was last saved, and an
active user's row is saved again once SESSION_REFRESH_SECONDS have passed, so they are never logged out.
The clock is moved with freezegun (time.time() and timezone.now() both follow it).
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from outreach.middleware import REFRESHED_KEY
from outreach.window import KEPT_AS_OF
from tests.conftest import PASSWORD
from tests.jobs.conftest import make_job

pytestmark = pytest.mark.django_db

START = datetime.datetime(2014, 7, 31, 9, 0, tzinfo=datetime.UTC)
AGE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
INTERVAL = datetime.timedelta(seconds=settings.SESSION_REFRESH_SECONDS)
HOME = reverse("home")


def session_writes(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def get(client, url=HOME):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, session_writes(ctx)


def logged_in_client(staff_a) -> Client:
    """A clerk who logged in through the form at START."""
    client = Client()
    response = client.post(reverse("login"), {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_settings_no_longer_save_every_request():
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert 0 < settings.SESSION_REFRESH_SECONDS <= 60


def test_logging_in_stamps_the_session_so_the_next_page_writes_nothing(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        assert expiry(client) == START + AGE
        assert client.session[REFRESHED_KEY] == START.timestamp()
        clock.tick(10)
        response, writes = get(client)
    assert response.status_code == 200
    assert writes == []
    assert expiry(client) == START + AGE


def test_pages_within_the_interval_write_no_session_row(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        for _ in range(5):
            clock.tick(INTERVAL / 6)
            response, writes = get(client)
            assert response.status_code == 200 and response.context["user"] == staff_a
            assert writes == []
    assert expiry(client) == START + AGE


def test_a_page_after_the_interval_extends_the_session(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        clock.tick(INTERVAL + datetime.timedelta(seconds=1))
        response, writes = get(client)
        assert response.status_code == 200
        assert len(writes) == 1 and writes[0].lstrip().upper().startswith("UPDATE")
        assert expiry(client) == START + INTERVAL + datetime.timedelta(seconds=1) + AGE
        clock.tick(1)  # just after the refresh: nothing to write again
        assert get(client)[1] == []


def test_an_active_user_is_never_logged_out(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        for _ in range(12):  # two hours, a page every ten minutes
            clock.tick(datetime.timedelta(minutes=10))
            response, _writes = get(client)
            assert response.status_code == 200 and response.context["user"] == staff_a
        assert expiry(client) == START + datetime.timedelta(hours=2) + AGE


def test_thirty_minutes_without_a_request_log_the_user_out(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        clock.tick(datetime.timedelta(minutes=20))
        assert get(client)[0].status_code == 200  # refreshed: the session now ends at 09:50
        clock.tick(AGE + datetime.timedelta(seconds=1))
        response, writes = get(client)
        assert SESSION_KEY not in client.session
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert writes == []  # an expired session is not brought back
    assert not Session.objects.filter(expire_date__gt=START + datetime.timedelta(hours=1)).exists()


def test_a_page_within_the_interval_does_not_move_the_end(staff_a):
    """The rule's bound: 30 minutes after the last save, so at most SESSION_REFRESH_SECONDS early, never late."""
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        clock.tick(INTERVAL / 2)
        assert get(client)[0].status_code == 200  # not saved
        clock.tick(AGE - INTERVAL / 2 + datetime.timedelta(seconds=1))  # 30 min + 1 s after the login
        response, _writes = get(client)
        assert SESSION_KEY not in client.session
    assert response.status_code == 302


def test_a_passive_request_never_extends_the_session(staff_a):
    """A job's page polling its status is the page, not the user (outreach.middleware.passive)."""
    with freeze_time(START) as clock:
        job = make_job(staff_a, agency=staff_a.profile.agency)
        client = logged_in_client(staff_a)
        clock.tick(INTERVAL * 3)
        response, writes = get(client, reverse("jobs:status", args=[job.pk]))
    assert (response.status_code, writes, expiry(client)) == (200, [], START + AGE)


def test_logging_out_leaves_no_session_behind(staff_a):
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        clock.tick(INTERVAL * 2)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
        assert Session.objects.count() == 0
        response, writes = get(client)
    assert response.status_code == 302
    assert writes == []
    assert Session.objects.count() == 0


def test_a_value_written_back_unchanged_is_no_change_and_a_new_one_is_saved(staff_a):
    """Report pages keep the year and as-of date in the session (outreach.window): the same again writes nothing."""
    dashboard = reverse("reports:dashboard")
    with freeze_time(START) as clock:
        client = logged_in_client(staff_a)
        clock.tick(1)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard, {"year": 2014, "as_of": "2014-07-31"}).status_code == 200
        assert len(session_writes(ctx)) == 1  # the kept year and date are new
        clock.tick(1)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard, {"year": 2014, "as_of": "2014-07-31"}).status_code == 200
        assert session_writes(ctx) == []
        clock.tick(1)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(dashboard, {"year": 2014, "as_of": "2014-06-30"}).status_code == 200
        assert len(session_writes(ctx)) == 1
        assert client.session[KEPT_AS_OF] == "2014-06-30"
    assert expiry(client) == START + datetime.timedelta(seconds=3) + AGE


def test_a_stamp_from_the_future_or_missing_is_due_and_an_unread_session_is_not():
    """A clock set back (or a session saved before this rule) would otherwise never be extended."""
    from django.contrib.sessions.backends.db import SessionStore

    from outreach.middleware import refresh_due

    now = START.timestamp()
    session = SessionStore()
    assert not refresh_due(session, now)  # nobody read it, nothing in it
    session["kept_year"] = 2014
    assert refresh_due(session, now)  # no stamp
    session[REFRESHED_KEY] = now - 10
    assert not refresh_due(session, now)
    session[REFRESHED_KEY] = now + 3600
    assert refresh_due(session, now)
    session[REFRESHED_KEY] = now - settings.SESSION_REFRESH_SECONDS
    assert refresh_due(session, now)
