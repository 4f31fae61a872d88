"""The notification list, read / read all (own notifications only), the navigation's badge, the reminder log."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notices.context_processors import unread_notices
from notices.models import Notification, Reminder
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def note(user, title="催报：2014年6月", minutes=0, read=False, **extra):
    created = timezone.make_aware(datetime.datetime(2014, 7, 20, 9)) + datetime.timedelta(minutes=minutes)
    return Notification.objects.create(
        recipient=user,
        kind=Kind.REMINDER,
        title=title,
        body="请尽快报送",
        link=reverse("returns") + "?year=2014",
        created_at=created,
        read_at=created if read else None,
        **extra,
    )


def read_states():
    return sorted(Notification.objects.values_list("pk", "read_at"))


# --- the list ------------------------------------------------------------------------------------------


def test_the_list_shows_the_users_own_notifications_newest_first_the_unread_marked(cast, staff_a, staff_b):
    old = note(staff_a, "旧通知", minutes=0, read=True)
    new = note(staff_a, "新通知", minutes=5)
    note(staff_b, "别人的通知")
    response = cast["staff_a"].get(reverse("notices:list"))
    assert [n.pk for n in response.context["notifications"]] == [new.pk, old.pk]
    html = response.content.decode()
    assert "别人的通知" not in html
    assert html.index("新通知") < html.index("旧通知")
    assert f'data-testid="read-{new.pk}"' in html  # unread: a button to mark it
    assert f'data-testid="read-{old.pk}"' not in html
    assert html.count('data-testid="unread"') == 1


def test_the_list_is_paginated(cast, staff_a):
    for minutes in range(25):
        note(staff_a, f"通知{minutes:02d}", minutes=minutes)
    first = cast["staff_a"].get(reverse("notices:list"))
    second = cast["staff_a"].get(reverse("notices:list") + "?page=2")
    assert len(first.context["notifications"]) == 20
    assert [n.title for n in second.context["notifications"]] == [f"通知{m:02d}" for m in range(4, -1, -1)]


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_does_not_grow_with_notifications(cast, staff_a, django_assert_num_queries, n):
    for minutes in range(n):
        note(staff_a, minutes=minutes, agency=staff_a.profile.agency)
    # session, user with profile and the clerk's agency (2; no permission is checked here), the badge's
    # unread count (1), the page's count and rows with their agency (2); the session unchanged, not saved
    with django_assert_num_queries(2 + 1 + 2):
        response = cast["staff_a"].get(reverse("notices:list"))
    assert len(response.context["notifications"]) == min(n, 20)


# --- read, read all ------------------------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(cast, staff_a):
    mine = note(staff_a)
    response = cast["staff_a"].post(reverse("notices:read", args=[mine.pk]), {"next": mine.link})
    assert response.status_code == 302
    assert response.headers["Location"] == mine.link
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_reading_it_again_keeps_the_first_read_time(cast, staff_a):
    mine = note(staff_a, read=True)
    first = mine.read_at
    cast["staff_a"].post(reverse("notices:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at == first


@pytest.mark.parametrize("who", ["staff_b", "officer", "admin"])
def test_another_users_notification_is_a_404_and_stays_unread(cast, staff_a, who):
    theirs = note(staff_a)
    response = cast[who].post(reverse("notices:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_unsafe_next_is_ignored(cast, staff_a):
    mine = note(staff_a)
    response = cast["staff_a"].post(reverse("notices:read", args=[mine.pk]), {"next": "https://evil.example.com/"})
    assert response.headers["Location"] == reverse("notices:list")


def test_read_all_marks_only_the_users_own(cast, staff_a, staff_b):
    mine = [note(staff_a, minutes=m) for m in range(3)]
    theirs = note(staff_b)
    response = cast["staff_a"].post(reverse("notices:read_all"))
    assert response.headers["Location"] == reverse("notices:list")
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- the badge -------------------------------------------------------------------------------------------


def test_the_badge_counts_the_users_unread_notifications(cast, staff_a, staff_b):
    note(staff_a)
    note(staff_a, minutes=1)
    note(staff_a, minutes=2, read=True)
    note(staff_b)
    html = cast["staff_a"].get(reverse("home")).content.decode()
    assert re.search(r'data-testid="unread-badge"><span class="visually-hidden">[^<]*</span>2</span>', html)
    assert 'data-testid="unread-badge"' not in cast["officer"].get(reverse("home")).content.decode()


def test_the_badge_takes_one_query_and_none_for_anonymous(staff_a, django_assert_num_queries):
    note(staff_a)
    request = RequestFactory().get("/")
    request.user = staff_a
    with django_assert_num_queries(1):
        assert unread_notices(request) == {"unread_notices": 1}
    with django_assert_num_queries(0):  # the page's parts rendered again with the request (django-tables2)
        assert unread_notices(request) == {"unread_notices": 1}
    anonymous = RequestFactory().get("/")
    anonymous.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notices(anonymous) == {"unread_notices": 0}


# --- the reminder log ---------------------------------------------------------------------------------------


def reminder(agency, period="2014-06", kind=Reminder.Kind.MANUAL, sent_by=None, minutes=0, message=""):
    return Reminder.objects.create(
        agency=agency,
        period=period,
        kind=kind,
        sent_by=sent_by,
        message=message,
        recipients=2,
        emailed=1,
        sent_at=timezone.make_aware(datetime.datetime(2014, 7, 20, 9)) + datetime.timedelta(minutes=minutes),
    )


def test_the_log_lists_every_reminder_newest_first_with_who_sent_it(cast, officer, agency_a, agency_b):
    first = reminder(agency_a, sent_by=officer, message="请尽快报送")
    second = reminder(agency_b, kind=Reminder.Kind.AFTER, minutes=5)
    response = cast["officer"].get(reverse("notices:reminders"))
    assert [r.pk for r in response.context["reminders"]] == [second.pk, first.pk]
    html = response.content.decode()
    assert "请尽快报送" in html
    assert "olivia" in html
    assert 'data-testid="remind-form"' in html  # an officer may remind from here


def test_the_log_filters_by_period_and_agency(cast, agency_a, agency_b):
    wanted = reminder(agency_a, "2014-06")
    reminder(agency_a, "2014-05")
    reminder(agency_b, "2014-06")
    response = cast["admin"].get(reverse("notices:reminders") + "?period=2014-06&agency=A001")
    assert [r.pk for r in response.context["reminders"]] == [wanted.pk]
    assert 'data-testid="remind-form"' not in response.content.decode()  # administrators do not remind


@pytest.mark.parametrize("n", [5, 50])
def test_log_query_count_does_not_grow_with_reminders(cast, officer, django_assert_num_queries, n):
    for minutes in range(n):
        reminder(AgencyFactory(), sent_by=officer, minutes=minutes)
    # session, user with profile, the badge, the page's count and rows (with agency and sender), the filter's
    # and the reminder form's agency choices; the session unchanged, not saved
    with django_assert_num_queries(2 + 1 + 2 + 2):
        response = cast["officer"].get(reverse("notices:reminders"))
    assert len(response.context["reminders"]) == n


# --- the admin: read only ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["reminder", "notification"])
def test_the_admin_reads_reminders_and_notifications_and_changes_nothing(cast, staff_a, officer, agency_a, model):
    item = reminder(agency_a, sent_by=officer) if model == "reminder" else note(staff_a)
    admin = cast["admin"]
    assert admin.get(reverse(f"admin:notices_{model}_changelist")).status_code == 200
    assert admin.get(reverse(f"admin:notices_{model}_change", args=[item.pk])).status_code == 200  # the view page
    assert admin.get(reverse(f"admin:notices_{model}_add")).status_code == 403
    assert admin.post(reverse(f"admin:notices_{model}_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    assert type(item).objects.filter(pk=item.pk).exists()
