"""The daily schedule (send_scheduled, manage.py send_reminders): before, on and after the due date, once each.

2014 is configured: June's return is due on 5 July, reminders go out 3 days before (from 2 July).
Agency A has not submitted June; agency B has. Every earlier month is approved for both.
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from notices import services
from notices.models import Notification, Reminder
from notices.services import send_scheduled
from tests.notices.conftest import Status, approved_up_to, month_return

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


def day(month, number):
    return datetime.date(2014, month, number)


@pytest.fixture
def june(campaign, on_day, agency_a, agency_b, staff_a, clerk_a):
    approved_up_to(agency_a, 5)
    approved_up_to(agency_b, 5)
    month_return(agency_b, 6, Status.SUBMITTED)


def log():
    return sorted(Reminder.objects.values_list("agency__code", "period", "kind"))


@pytest.mark.parametrize(
    ("when", "kind"),
    [
        (day(7, 2), Kind.BEFORE),  # due − 3
        (day(7, 4), Kind.BEFORE),  # the day before: a missed run is caught up
        (day(7, 5), Kind.DUE),
        (day(7, 6), Kind.AFTER),
        (day(7, 25), Kind.AFTER),
    ],
)
def test_the_schedule_reminds_the_late_agency_before_on_and_after_the_due_date(
    june, agency_a, staff_a, clerk_a, when, kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_scheduled(day=when)
    assert [(r.agency, r.period, r.kind, r.sent_by, r.recipients, r.emailed) for r in sent] == [
        (agency_a, "2014-06", kind, None, 2, 1)
    ]
    assert log() == [("A001", "2014-06", kind)]  # never agency B, which submitted
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted([staff_a.pk, clerk_a.pk])
    assert [m.to for m in mail.outbox] == [[clerk_a.email]]


def test_nothing_is_due_before_the_reminder_window(june):
    assert send_scheduled(day=day(7, 1)) == []
    assert log() == []
    assert not Notification.objects.exists()


def test_twice_on_the_same_day_sends_once(june):
    assert len(send_scheduled(day=day(7, 5))) == 1
    assert send_scheduled(day=day(7, 5)) == []
    assert log() == [("A001", "2014-06", Kind.DUE)]
    assert Notification.objects.count() == 2  # two clerks, once


def test_every_day_of_a_month_sends_each_kind_once(june):
    for number in range(1, 32):
        send_scheduled(day=day(7, number))
    assert log() == [("A001", "2014-06", Kind.AFTER), ("A001", "2014-06", Kind.BEFORE), ("A001", "2014-06", Kind.DUE)]
    assert Notification.objects.count() == 3 * 2


def test_an_agency_that_submits_is_not_reminded_any_more(june, agency_a):
    send_scheduled(day=day(7, 2))
    month_return(agency_a, 6, Status.SUBMITTED)
    assert send_scheduled(day=day(7, 5)) == []
    assert send_scheduled(day=day(7, 6)) == []
    assert log() == [("A001", "2014-06", Kind.BEFORE)]


def test_a_sent_back_month_is_reminded_again(june, agency_a):
    month_return(agency_a, 6, Status.RETURNED)
    assert [r.kind for r in send_scheduled(day=day(7, 6))] == [Kind.AFTER]


def test_a_manual_reminder_does_not_stand_for_a_scheduled_one(june, agency_a, officer):
    services.remind(user=officer, period="2014-06", agencies=[agency_a])
    assert [r.kind for r in send_scheduled(day=day(7, 5))] == [Kind.DUE]


def test_a_dry_run_says_what_would_be_sent_and_writes_nothing(june, agency_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planned = send_scheduled(day=day(7, 5), dry_run=True)
    assert [(r.pk, r.agency, r.period, r.kind, r.recipients, r.emailed) for r in planned] == [
        (None, agency_a, "2014-06", Kind.DUE, 2, 1)
    ]
    assert log() == []
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert len(send_scheduled(day=day(7, 5))) == 1  # the real run still sends it


def test_years_before_the_first_configured_campaign_year_are_left_out(june):
    """On 6 January 2014 December 2013 is overdue, but 2013 was not a campaign year (only 2014 is configured)."""
    assert send_scheduled(day=datetime.date(2014, 1, 6)) == []


def test_december_is_reminded_in_january_of_the_next_year(campaign, on_day, agency_a, staff_a):
    approved_up_to(agency_a, 11)
    sent = send_scheduled(day=datetime.date(2015, 1, 5))  # 2014's December is due on 5 January 2015
    assert [(r.period, r.kind) for r in sent] == [("2014-12", Kind.DUE)]


# --- two runs at once ------------------------------------------------------------------------------


def test_the_database_holds_one_scheduled_reminder_per_agency_period_and_kind(june, agency_a, officer):
    now = datetime.datetime(2014, 7, 5, 8, tzinfo=datetime.UTC)
    Reminder.objects.create(agency=agency_a, period="2014-06", kind=Kind.DUE, sent_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(agency=agency_a, period="2014-06", kind=Kind.DUE, sent_at=now)
    for _ in range(2):  # an officer's reminders are not limited
        Reminder.objects.create(agency=agency_a, period="2014-06", kind=Kind.MANUAL, sent_at=now, sent_by=officer)
    assert Reminder.objects.filter(kind=Kind.MANUAL).count() == 2


def test_a_reminder_inserted_by_a_concurrent_run_meanwhile_is_skipped(june, agency_a, monkeypatch):
    """Another run inserts the same reminder after this one read the log: the insert fails in its savepoint,
    the run goes on, and nobody is notified twice."""
    real = services.unsubmitted

    def unsubmitted_while_another_run_sends(period, **kwargs):
        agencies = real(period, **kwargs)
        if period.key == "2014-06":
            Reminder.objects.create(
                agency=agency_a, period="2014-06", kind=Kind.DUE, sent_at=datetime.datetime.now(datetime.UTC)
            )
        return agencies

    monkeypatch.setattr(services, "unsubmitted", unsubmitted_while_another_run_sends)
    assert send_scheduled(day=day(7, 5)) == []
    assert log() == [("A001", "2014-06", Kind.DUE)]  # the other run's, once
    assert not Notification.objects.exists()  # the other run notifies; this one does not


# --- the command ---------------------------------------------------------------------------------------


def test_send_reminders_prints_what_it_sent_in_chinese(june, on_day):
    on_day(day(7, 5))
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("send_reminders", stdout=out)
        kind = str(Kind.DUE.label)
    text = out.getvalue()
    assert "A001" in text
    assert "2014-06" in text
    assert kind in text
    assert log() == [("A001", "2014-06", Kind.DUE)]


def test_send_reminders_dry_run_with_a_date_sends_nothing(june):
    out = StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2014-07-06", stdout=out)
    assert "A001" in out.getvalue()
    assert log() == []
    assert not Notification.objects.exists()


def test_send_reminders_refuses_a_malformed_date(june):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "2014-7-6x")
    assert log() == []
