"""Withdrawing a submission before review (撤回): a month and a channel return, allowed and refused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from outreach.models import PeriodReturn, period_label
from outreach.services import (
    MSG_NOT_WITHDRAWABLE,
    MSG_WITHDRAW_LOCKED,
    lock_period,
    send_back,
    submit,
    submit_month,
    withdraw,
    withdraw_month,
)
from outreach.signals import Step, review_step
from outreach.views import ReturnWithdrawView
from tests.factories import ChannelReturnFactory
from visits.models import ChannelReturn

pytestmark = pytest.mark.django_db

Status = PeriodReturn.Status


@pytest.fixture
def steps():
    """The review steps announced while the test runs: (model, item pk, step, user)."""
    seen = []

    def receiver(sender, item, step, user, **kwargs):
        seen.append((sender, item.pk, step, user))

    review_step.connect(receiver, weak=False)
    yield seen
    review_step.disconnect(receiver)


def label(month: int) -> str:
    return str(period_label(datetime.date(2014, month, 1)))


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state(period):
    period.refresh_from_db()
    return (period.status, period.submitted_at, period.submitted_by_id, period.reviewed_at, period.comment)


# --- a month ----------------------------------------------------------------------------------


def test_clerk_withdraws_a_submitted_month_from_the_returns_page(cast, today, staff_a, agency_a, steps):
    period = submit_month(user=staff_a, year=2014, month=5)
    steps.clear()
    page = cast["staff_a"].get(reverse("returns"))
    assert 'data-testid="withdraw-5"' in page.content.decode()

    response = cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 5, "next": "/returns/"})

    assert response.status_code == 302 and response.headers["Location"] == "/returns/"
    assert flash(response) == [ReturnWithdrawView.success_message % {"period": label(5)}]
    period.refresh_from_db()
    assert (period.status, period.submitted_at, period.submitted_by) == (Status.OPEN, None, None)
    assert steps == [(PeriodReturn, period.pk, Step.WITHDRAWN, staff_a)]
    # The history keeps the submission and the withdrawal (after the row's creation on first submission).
    assert [(h.status, h.submitted_by_id) for h in period.history.order_by("history_date")] == [
        (Status.OPEN, None),
        (Status.SUBMITTED, staff_a.pk),
        (Status.OPEN, None),
    ]
    assert period.history.first().history_user == staff_a
    # The month can be submitted again, and leaves the officer's queue meanwhile.
    assert list(cast["officer"].get(reverse("review")).context["returns"]) == []
    submit_month(user=staff_a, year=2014, month=5)
    period.refresh_from_db()
    assert period.status == Status.SUBMITTED


def test_a_month_returned_before_goes_back_to_returned_with_its_comment(cast, today, staff_a, officer, agency_a):
    period = submit_month(user=staff_a, year=2014, month=3)
    send_back(user=officer, item=period, comment="村名填错了")
    submit_month(user=staff_a, year=2014, month=3)

    cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 3})

    period.refresh_from_db()
    assert (period.status, period.submitted_at, period.comment, period.reviewed_by) == (
        Status.RETURNED,
        None,
        "村名填错了",
        officer,
    )
    # The send-back shows again on the clerk's pages, with its resubmit button.
    html = cast["staff_a"].get(reverse("returns")).content.decode()
    assert "村名填错了" in html and 'data-testid="submit-3"' in html


@pytest.mark.parametrize("status", [Status.APPROVED, Status.RETURNED, Status.OPEN])
def test_withdrawing_a_month_not_awaiting_review_is_refused(cast, today, agency_a, steps, status):
    period = PeriodReturn.objects.create(agency=agency_a, year=2014, month=4, status=status, comment="意见")
    before = state(period)
    response = cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 4})
    assert flash(response) == [str(MSG_NOT_WITHDRAWABLE) % {"period": label(4), "status": status.label}]
    assert state(period) == before and steps == []
    html = cast["staff_a"].get(reverse("returns")).content.decode()
    assert 'data-testid="withdraw-4"' not in html


def test_withdrawing_a_month_never_submitted_is_refused(cast, today, steps):
    response = cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 6})
    assert flash(response) == [str(MSG_NOT_WITHDRAWABLE) % {"period": label(6), "status": Status.OPEN.label}]
    assert PeriodReturn.objects.count() == 0 and steps == []


@pytest.mark.parametrize("lock", [{"month": 5}, {"up_to": datetime.date(2014, 5, 10)}])
def test_a_submitted_month_under_a_lock_cannot_be_withdrawn(cast, today, staff_a, officer, steps, lock):
    period = submit_month(user=staff_a, year=2014, month=5)
    lock_period(user=officer, year=2014, **lock)
    steps.clear()
    before = state(period)
    assert 'data-testid="withdraw-5"' not in cast["staff_a"].get(reverse("returns")).content.decode()
    response = cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 5})
    assert flash(response) == [str(MSG_WITHDRAW_LOCKED) % {"period": label(5), "status": Status.SUBMITTED.label}]
    assert state(period) == before and steps == []


def test_a_clerk_withdraws_only_their_own_agencys_month(today, staff_a, staff_b, agency_a):
    period = submit_month(user=staff_a, year=2014, month=5)
    before = state(period)
    # B's clerk asking for May withdraws B's May (never submitted), not A's.
    with pytest.raises(ValidationError):
        withdraw_month(user=staff_b, year=2014, month=5)
    with pytest.raises(PermissionDenied):
        withdraw(user=staff_b, item=period)
    assert state(period) == before


@pytest.mark.parametrize("who", ["officer", "admin", "anonymous"])
def test_only_clerks_withdraw_a_month(cast, today, staff_a, who):
    period = submit_month(user=staff_a, year=2014, month=5)
    before = state(period)
    response = cast[who].post(reverse("return_withdraw"), {"year": 2014, "month": 5})
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert state(period) == before


@pytest.mark.parametrize("data", [{"year": 2014, "month": 13}, {"year": "x"}, {}])
def test_a_malformed_withdraw_is_a_message_and_changes_nothing(cast, today, staff_a, data):
    period = submit_month(user=staff_a, year=2014, month=5)
    before = state(period)
    response = cast["staff_a"].post(reverse("return_withdraw"), data)
    assert response.status_code == 302 and len(flash(response)) == 1
    assert state(period) == before


def test_the_home_grid_offers_withdraw_and_opens_each_month(cast, today, staff_a):
    submit_month(user=staff_a, year=2014, month=5)
    html = cast["staff_a"].get(reverse("home"), {"year": 2014}).content.decode()
    assert 'data-testid="withdraw-5"' in html and 'data-testid="withdraw-4"' not in html
    assert f'href="{reverse("returns")}?year=2014#month-5"' in html
    response = cast["staff_a"].post(reverse("return_withdraw"), {"year": 2014, "month": 5, "next": reverse("home")})
    assert response.headers["Location"] == reverse("home")
    assert PeriodReturn.objects.get().status == Status.OPEN


def test_a_foreign_next_url_is_ignored(cast, today, staff_a):
    submit_month(user=staff_a, year=2014, month=5)
    response = cast["staff_a"].post(
        reverse("return_withdraw"), {"year": 2014, "month": 5, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == reverse("returns") + "?year=2014"


# --- a channel return -------------------------------------------------------------------------


def withdraw_url(record):
    return reverse("visits:channelreturn_withdraw", args=[record.pk])


def test_clerk_withdraws_a_submitted_channel_return(cast, agency_a, staff_a, steps):
    record = ChannelReturnFactory(agency=agency_a)
    submit(user=staff_a, item=record)
    steps.clear()
    page = cast["staff_a"].get(record.get_absolute_url())
    assert page.context["can_withdraw"] and 'data-testid="withdraw"' in page.content.decode()
    assert f'action="{withdraw_url(record)}"' in page.content.decode()

    response = cast["staff_a"].post(withdraw_url(record))

    assert response.status_code == 302 and response.headers["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert (record.status, record.submitted_at, record.submitted_by, record.updated_by) == (
        ChannelReturn.Status.OPEN,
        None,
        None,
        staff_a,
    )
    assert steps == [(ChannelReturn, record.pk, Step.WITHDRAWN, staff_a)]
    # Editable and submittable again.
    page = cast["staff_a"].get(record.get_absolute_url())
    assert page.context["can_edit"] and page.context["can_submit"] and not page.context["can_withdraw"]


@pytest.mark.parametrize("status", [ChannelReturn.Status.APPROVED, ChannelReturn.Status.RETURNED, "open"])
def test_withdrawing_a_channel_return_not_awaiting_review_is_refused(cast, agency_a, steps, status):
    record = ChannelReturnFactory(agency=agency_a, status=status)
    response = cast["staff_a"].post(withdraw_url(record))
    shown = [str(m) for m in cast["staff_a"].get(response.headers["Location"]).context["messages"]]
    expected = str(MSG_NOT_WITHDRAWABLE) % {
        "period": record.review_label(),
        "status": ChannelReturn.Status(status).label,
    }
    assert shown == [expected]
    version = record.version
    record.refresh_from_db()
    assert (record.status, record.version) == (status, version) and steps == []
    assert not cast["staff_a"].get(record.get_absolute_url()).context["can_withdraw"]


def test_a_submitted_channel_return_under_a_lock_cannot_be_withdrawn(cast, agency_a, staff_a, officer, steps):
    record = ChannelReturnFactory(agency=agency_a)  # 2014's first half: its period ends 30 June
    submit(user=staff_a, item=record)
    lock_period(user=officer, year=2014, month=6)
    steps.clear()
    assert not cast["staff_a"].get(record.get_absolute_url()).context["can_withdraw"]
    response = cast["staff_a"].post(withdraw_url(record))
    shown = [str(m) for m in cast["staff_a"].get(response.headers["Location"]).context["messages"]]
    assert shown == [
        str(MSG_WITHDRAW_LOCKED) % {"period": record.review_label(), "status": ChannelReturn.Status.SUBMITTED.label}
    ]
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.SUBMITTED and steps == []


def test_another_agencys_channel_return_is_404_and_officers_are_403(cast, agency_b, staff_b):
    record = ChannelReturnFactory(agency=agency_b)
    submit(user=staff_b, item=record)
    assert cast["staff_a"].post(withdraw_url(record)).status_code == 404
    assert cast["officer"].post(withdraw_url(record)).status_code == 403
    assert cast["staff_b"].get(withdraw_url(record)).status_code == 405
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.SUBMITTED
