"""Period locks in the browser: officers lock and unlock; a lock refuses every write path."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outreach.forms import MSG_CHOOSE_MONTH
from outreach.models import MSG_PERIOD_LOCKED, Official, PeriodLock, PeriodReturn, period_label
from outreach.services import (
    MSG_ALREADY_LOCKED,
    MSG_ALREADY_UNLOCKED,
    MSG_REASON_REQUIRED,
    MSG_UP_TO_OUTSIDE_YEAR,
    lock_period,
    unlock_period,
)
from outreach.views import MSG_LOCK_UNAPPROVED
from pairings.models import ContactPoint
from tests.factories import AgencyFactory, ContactPointFactory, OfficialFactory, poor_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_a(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", rank=Official.Rank.DEPARTMENT)


def locked_message(day) -> str:
    return str(MSG_PERIOD_LOCKED) % {"period": period_label(day)}


def point_form(official, village, start, **extra):
    return {"official": official.pk, "village": village.pk, "start_date": start, "end_date": "", "note": "", **extra}


# --- locking through the page ---------------------------------------------------------------
# Agencies A and B (the cast's) have approved nothing: a lock through the page needs the confirmation of
# the period previewed (tests below, "the state of a period before it is locked").


def test_officer_locks_a_month_and_it_is_listed_with_who_and_when(cast, today, officer):
    response = cast["officer"].post(
        reverse("locks"), {"scope": "month", "year": 2014, "month": 3, "confirm": "2014-03"}
    )
    assert response.status_code == 302
    lock = PeriodLock.objects.get()
    assert (lock.year, lock.month, lock.up_to, lock.locked_by, lock.is_active) == (2014, 3, None, officer, True)
    page = cast["officer"].get(reverse("locks"))
    assert page.context["active"] == [lock] and page.context["past"] == []
    html = page.content.decode()
    assert f'data-testid="unlock-{lock.pk}"' in html and "olivia" in html


def test_officer_locks_a_year_up_to_an_as_of_date(cast, today):
    cast["officer"].post(
        reverse("locks"),
        {"scope": "year", "year": 2014, "month": 5, "up_to": "2014-06-30", "confirm": "2014-up-to-2014-06-30"},
    )
    lock = PeriodLock.objects.get()
    # The month typed in is ignored for a whole-year lock.
    assert (lock.year, lock.month, lock.up_to) == (2014, None, datetime.date(2014, 6, 30))


def test_a_year_lock_without_a_date_runs_to_the_years_end(cast, today):
    cast["officer"].post(reverse("locks"), {"scope": "year", "year": 2013, "confirm": "2013-up-to-2013-12-31"})
    assert PeriodLock.objects.get().up_to == datetime.date(2013, 12, 31)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"scope": "month", "year": 2014}, "month", MSG_CHOOSE_MONTH),
        ({"scope": "year", "year": 2014, "up_to": "2015-01-01"}, "up_to", MSG_UP_TO_OUTSIDE_YEAR),
        ({"scope": "month", "year": 2014, "month": 13}, "month", None),
        ({"scope": "month", "year": "", "month": 3}, "year", None),
        ({"scope": "week", "year": 2014, "month": 3}, "scope", None),
    ],
)
def test_a_bad_lock_is_a_field_error_and_locks_nothing(cast, today, data, field, message):
    response = cast["officer"].post(reverse("locks"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if message is not None:
        assert errors[field] == [str(message)]
    assert PeriodLock.objects.count() == 0


def test_locking_a_locked_period_again_is_refused_on_the_form(cast, today, officer):
    lock_period(user=officer, year=2014, month=3)
    response = cast["officer"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 3})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(MSG_ALREADY_LOCKED)]
    assert PeriodLock.objects.count() == 1


# --- a lock refuses every write path -----------------------------------------------------------


def test_a_locked_month_refuses_add_edit_and_delete_in_the_forms(cast, today, officer, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, start_date=datetime.date(2014, 3, 1))
    cast["officer"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 3, "confirm": "2014-03"})
    message = locked_message(datetime.date(2014, 3, 1))
    clerk = cast["staff_a"]

    add = clerk.post(reverse("pairings:contactpoint_add"), point_form(leader_a, poor_village(), "2014-03-20"))
    assert add.status_code == 200 and add.context["form"].non_field_errors() == [message]
    edit = clerk.post(
        reverse("pairings:contactpoint_edit", args=[point.pk]),
        {**point_form(leader_a, point.village, "2014-03-01", note="改"), "version": point.version},
    )
    assert edit.status_code == 200 and edit.context["form"].non_field_errors() == [message]
    # Moving the record out of the locked month is a change to that month too.
    move = clerk.post(
        reverse("pairings:contactpoint_edit", args=[point.pk]),
        {**point_form(leader_a, point.village, "2014-04-01"), "version": point.version},
    )
    assert move.status_code == 200 and move.context["form"].non_field_errors() == [message]
    delete = clerk.post(reverse("pairings:contactpoint_delete", args=[point.pk]))
    assert delete.status_code == 409 and message in delete.content.decode()

    assert ContactPoint.all_objects.count() == 1
    point.refresh_from_db()
    assert (point.note, point.start_date, point.is_deleted) == ("", datetime.date(2014, 3, 1), False)


def test_a_locked_month_refuses_the_admin_change_form(cast, today, officer, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, start_date=datetime.date(2014, 3, 1))
    lock_period(user=officer, year=2014, month=3)
    response = cast["admin"].post(
        reverse("admin:pairings_contactpoint_change", args=[point.pk]),
        {
            "agency": point.agency_id,
            "official": leader_a.pk,
            "village": point.village_id,
            "start_date": "2014-03-01",
            "end_date": "",
            "note": "管理员修改",
            "_save": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [locked_message(datetime.date(2014, 3, 1))]
    point.refresh_from_db()
    assert point.note == "" and point.version == 1


def test_a_locked_month_refuses_model_save_and_delete(today, officer, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, start_date=datetime.date(2014, 3, 1))
    lock_period(user=officer, year=2014, month=3)
    point.note = "脚本修改"
    with pytest.raises(ValidationError) as excinfo:
        point.save()
    assert excinfo.value.messages == [locked_message(datetime.date(2014, 3, 1))]
    new = ContactPointFactory.build(
        agency=leader_a.agency, official=leader_a, village=poor_village(), start_date=datetime.date(2014, 3, 31)
    )
    with pytest.raises(ValidationError):
        new.save()
    with pytest.raises(ValidationError):
        point.delete()
    assert ContactPoint.all_objects.count() == 1
    point.refresh_from_db()
    assert point.note == "" and not point.is_deleted


def test_a_year_lock_blocks_dates_up_to_its_as_of_date_and_not_after(cast, today, officer, leader_a):
    cast["officer"].post(
        reverse("locks"), {"scope": "year", "year": 2014, "up_to": "2014-06-30", "confirm": "2014-up-to-2014-06-30"}
    )
    clerk = cast["staff_a"]
    for day in ("2014-01-01", "2014-06-30"):
        response = clerk.post(reverse("pairings:contactpoint_add"), point_form(leader_a, poor_village(), day))
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [locked_message(datetime.date.fromisoformat(day))]
    assert ContactPoint.objects.count() == 0
    response = clerk.post(reverse("pairings:contactpoint_add"), point_form(leader_a, poor_village(), "2014-07-01"))
    assert response.status_code == 302
    assert ContactPoint.objects.get().start_date == datetime.date(2014, 7, 1)
    # The clerk's returns page shows June locked in full and July not at all.
    months = {row.month: row for row in clerk.get(reverse("returns")).context["months"]}
    assert months[6].lock is not None and not months[6].lock.is_partial
    assert months[7].lock is None


def test_a_year_lock_ending_mid_month_shows_that_month_partly_locked(cast, today, officer):
    lock_period(user=officer, year=2014, up_to=datetime.date(2014, 5, 15))
    response = cast["staff_a"].get(reverse("returns"))
    months = {row.month: row for row in response.context["months"]}
    assert months[4].lock is not None and not months[4].lock.is_partial
    assert months[5].lock.until == datetime.date(2014, 5, 15)
    assert "2014-05-15" in response.content.decode()


# --- unlocking ----------------------------------------------------------------------------------


def test_unlocking_needs_a_reason_which_is_kept_and_writes_work_again(cast, today, officer, leader_a):
    lock = lock_period(user=officer, year=2014, month=3)
    url = reverse("lock_unlock", args=[lock.pk])

    for reason in ("", "   "):
        response = cast["officer"].post(url, {"reason": reason})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"] == [str(MSG_REASON_REQUIRED)]
    lock.refresh_from_db()
    assert lock.is_active and lock.unlock_reason == ""

    response = cast["officer"].post(url, {"reason": "发改委补录三月数据"})
    assert response.status_code == 302 and response.headers["Location"] == reverse("locks")
    lock.refresh_from_db()
    assert (lock.is_active, lock.unlock_reason, lock.unlocked_by) == (False, "发改委补录三月数据", officer)
    page = cast["officer"].get(reverse("locks"))
    assert page.context["past"] == [lock] and page.context["active"] == []
    assert "发改委补录三月数据" in page.content.decode()

    response = cast["staff_a"].post(
        reverse("pairings:contactpoint_add"), point_form(leader_a, poor_village(), "2014-03-20")
    )
    assert response.status_code == 302
    assert ContactPoint.objects.get().start_date == datetime.date(2014, 3, 20)


def test_unlocking_a_lifted_lock_again_is_refused(cast, today, officer):
    lock = lock_period(user=officer, year=2014, month=3)
    unlock_period(user=officer, lock=lock, reason="第一次")
    response = cast["officer"].post(reverse("lock_unlock", args=[lock.pk]), {"reason": "第二次"})
    assert response.context["form"].non_field_errors() == [str(MSG_ALREADY_UNLOCKED)]
    lock.refresh_from_db()
    assert lock.unlock_reason == "第一次"


# --- who may do what ---------------------------------------------------------------------------


def test_staff_sees_locks_read_only_and_cannot_lock_or_unlock(cast, today, officer):
    lock = lock_period(user=officer, year=2014, month=3)
    page = cast["staff_a"].get(reverse("locks"))
    assert page.status_code == 200 and page.context["active"] == [lock]
    html = page.content.decode()
    assert 'data-testid="lock-form"' not in html and f'data-testid="unlock-{lock.pk}"' not in html

    assert cast["staff_a"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 4}).status_code == 403
    assert cast["staff_a"].get(reverse("lock_unlock", args=[lock.pk])).status_code == 403
    assert cast["staff_a"].post(reverse("lock_unlock", args=[lock.pk]), {"reason": "想改"}).status_code == 403
    assert cast["admin"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 4}).status_code == 403
    assert PeriodLock.objects.count() == 1
    lock.refresh_from_db()
    assert lock.is_active and lock.unlock_reason == ""


def test_unlocking_an_unknown_lock_is_404(cast):
    assert cast["officer"].post(reverse("lock_unlock", args=[999]), {"reason": "x"}).status_code == 404


# --- pinned query count -------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_locks_page_query_count_does_not_grow_with_locks(n, cast, today, officer, django_assert_num_queries):
    for i in range(n):
        lock = lock_period(user=officer, year=1990 + i, month=1)
        if i % 2:
            unlock_period(user=officer, lock=lock, reason="补录")
    # session, user with profile (role), every lock with who locked and unlocked it, the configured campaign
    # years (the form's year), the navbar's unread notifications; the session unchanged is not saved
    with django_assert_num_queries(5):
        response = cast["officer"].get(reverse("locks"))
    assert len(response.context["active"]) + len(response.context["past"]) == n


# --- the state of a period before it is locked --------------------------------------------------


def returns_of(agency, statuses):
    """Agency's 2014 months → status (no entry: never submitted)."""
    for month, status in statuses.items():
        PeriodReturn.objects.create(agency=agency, year=2014, month=month, status=status)


def test_locking_a_month_not_approved_everywhere_shows_each_state_and_locks_nothing(cast, today, agency_a, agency_b):
    Status = PeriodReturn.Status
    agency_c = AgencyFactory(code="A003")
    returns_of(agency_a, {6: Status.RETURNED})
    returns_of(agency_b, {6: Status.SUBMITTED})
    returns_of(agency_c, {6: Status.APPROVED})
    AgencyFactory(code="A009", is_active=False)  # an agency no longer active is not expected

    response = cast["officer"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 6})

    assert response.status_code == 200 and PeriodLock.objects.count() == 0
    preview = response.context["preview"]
    assert preview.key == "2014-06" and preview.agencies == 3
    assert preview.counts == {"returned": 1, "submitted": 1, "approved": 1}
    assert [(row.agency.code, row.months) for row in preview.unapproved] == [
        ("A001", {6: "returned"}),
        ("A002", {6: "submitted"}),
    ]
    period = period_label(datetime.date(2014, 6, 1))
    assert response.context["form"].non_field_errors() == [str(MSG_LOCK_UNAPPROVED) % {"period": period, "count": 2}]
    html = response.content.decode()
    assert 'data-testid="unapproved-A001"' in html and 'data-testid="unapproved-A003"' not in html
    assert 'name="confirm" value="2014-06"' in html
    review = f"{reverse('review')}?status=&amp;year=2014&amp;month=6&amp;agency={agency_a.pk}"
    assert f'href="{review}"' in html

    # Confirmed for another period, still nothing; confirmed for this one, locked.
    response = cast["officer"].post(
        reverse("locks"), {"scope": "month", "year": 2014, "month": 6, "confirm": "2014-05"}
    )
    assert response.status_code == 200 and PeriodLock.objects.count() == 0
    response = cast["officer"].post(
        reverse("locks"), {"scope": "month", "year": 2014, "month": 6, "confirm": "2014-06"}
    )
    assert response.status_code == 302
    assert PeriodLock.objects.get().month == 6


def test_a_month_approved_everywhere_locks_at_once(cast, today, agency_a, agency_b):
    returns_of(agency_a, {6: PeriodReturn.Status.APPROVED})
    returns_of(agency_b, {6: PeriodReturn.Status.APPROVED})
    response = cast["officer"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 6})
    assert response.status_code == 302 and PeriodLock.objects.get().month == 6


def test_a_year_lock_considers_every_month_up_to_its_as_of_date(cast, today, agency_a, agency_b):
    Status = PeriodReturn.Status
    returns_of(agency_a, {1: Status.APPROVED, 2: Status.APPROVED, 3: Status.APPROVED})
    returns_of(agency_b, {1: Status.APPROVED, 2: Status.RETURNED, 4: Status.SUBMITTED})  # 3 missing; April is after
    response = cast["officer"].post(reverse("locks"), {"scope": "year", "year": 2014, "up_to": "2014-03-15"})
    preview = response.context["preview"]
    assert preview.months == [1, 2, 3] and preview.key == "2014-up-to-2014-03-15"
    assert preview.counts == {"approved": 4, "returned": 1, "missing": 1}
    assert [(row.agency.code, row.months) for row in preview.unapproved] == [("A002", {2: "returned", 3: "missing"})]
    assert PeriodLock.objects.count() == 0
    cast["officer"].post(
        reverse("locks"), {"scope": "year", "year": 2014, "up_to": "2014-03-15", "confirm": "2014-up-to-2014-03-15"}
    )
    assert PeriodLock.objects.get().up_to == datetime.date(2014, 3, 15)


def test_a_year_lock_up_to_the_years_end_weighs_only_the_months_begun(cast, today, agency_a, agency_b):
    # 15 July 2014: January to July have begun; August to December hold no records to correct.
    for agency in (agency_a, agency_b):
        returns_of(agency, dict.fromkeys(range(1, 8), PeriodReturn.Status.APPROVED))
    response = cast["officer"].post(reverse("locks"), {"scope": "year", "year": 2014})
    assert response.status_code == 302
    assert PeriodLock.objects.get().up_to == datetime.date(2014, 12, 31)


def test_an_already_locked_period_is_refused_before_any_preview(cast, today, officer, agency_a):
    lock_period(user=officer, year=2014, month=6)
    response = cast["officer"].post(reverse("locks"), {"scope": "month", "year": 2014, "month": 6})
    assert response.context["form"].non_field_errors() == [str(MSG_ALREADY_LOCKED)]
    assert response.context["preview"] is None and PeriodLock.objects.count() == 1


@pytest.mark.parametrize("n", [5, 50])
def test_lock_preview_query_count_does_not_grow_with_agencies(n, cast, today, django_assert_num_queries):
    for i in range(n):
        returns_of(AgencyFactory(), dict.fromkeys(range(1, 1 + i % 6), PeriodReturn.Status.SUBMITTED))
    # session, user with profile (role), active locks of the year (already locked?), the agencies, their
    # returns of the months; every lock with who locked and unlocked it, the configured campaign years,
    # the navbar's unread notifications; the session unchanged is not saved
    with django_assert_num_queries(8):
        response = cast["officer"].post(reverse("locks"), {"scope": "year", "year": 2014, "up_to": "2014-06-30"})
    assert len(response.context["preview"].unapproved) == n + 2  # and the cast's agencies A and B
