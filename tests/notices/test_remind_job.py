"""Reminding several agencies, or every late one, through a background job (notices.jobs); one stays immediate.

31 July 2014: agencies A (A001) and C (A003) have not submitted June (C's was sent back), B has (awaiting
review). The tests' backend is `immediate` (outreach/settings_test.py): the job has run when the POST returns.
"""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from jobs.models import Job
from jobs.runner import MSG_UNEXPECTED, execute
from jobs.services import MSG_TOO_MANY
from notices import services
from notices.jobs import KIND
from notices.models import Notification, Reminder
from notices.services import MSG_NOBODY_TO_REMIND, remind, reminded_message
from outreach.models import PeriodReturn
from outreach.progress import step_text
from tests.factories import AgencyFactory
from tests.jobs.conftest import make_job
from tests.notices.conftest import Status, approved_up_to, month_return

pytestmark = pytest.mark.django_db

REMIND = reverse("notices:remind")


@pytest.fixture
def agency_c(campaign):
    return AgencyFactory(code="A003")


@pytest.fixture
def late(campaign, on_day, agency_a, agency_b, agency_c, staff_a, clerk_a, staff_b):
    for agency in (agency_a, agency_b, agency_c):
        approved_up_to(agency, 5)
    month_return(agency_b, 6, Status.SUBMITTED)
    month_return(agency_c, 6, Status.RETURNED)  # sent back and not submitted again: still owes it


def reminded() -> list[tuple[str, str]]:
    return sorted(Reminder.objects.values_list("agency__code", "period"))


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_late_agency_is_reminded_once_through_a_job_that_says_how_many(
    cast, late, officer, staff_a, clerk_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = cast["officer"].post(REMIND, {"period": "2014-06", "message": "请尽快报送"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.requested_by, job.agency, job.status) == (KIND, officer, None, Job.Status.DONE)
    assert job.arguments == {"period": "2014-06", "agencies": None, "message": "请尽快报送"}
    assert reminded() == [("A001", "2014-06"), ("A003", "2014-06")]  # each late agency once, never B
    assert set(Reminder.objects.values_list("sent_by", "message")) == {(officer.pk, "请尽快报送")}
    # A's two clerks are notified (C has none), and the one with an address is e-mailed
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted([staff_a.pk, clerk_a.pk])
    assert [m.to for m in mail.outbox] == [[clerk_a.email]]
    with translation.override(job.language):
        assert job.message == reminded_message(2)
    assert job.result_link == reverse("notices:reminders") + "?period=2014-06"
    page = cast["officer"].get(job.get_absolute_url())
    assert page.context["status"]["message"] == job.message
    assert page.context["redirect_when_done"] is False  # the officer reads the count, then may open the log


def test_several_agencies_go_through_a_job_and_only_they_are_reminded(cast, late, agency_a, agency_c):
    AgencyFactory(code="A004")  # late too, but not chosen
    response = cast["officer"].post(REMIND, {"period": "2014-06", "agency": ["A003", "A001"]})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.arguments["agencies"] == ["A001", "A003"]
    assert reminded() == [("A001", "2014-06"), ("A003", "2014-06")]
    with translation.override(job.language):
        assert job.message == reminded_message(2)


def test_one_agency_is_reminded_at_once_without_a_job(cast, late, agency_a):
    back = reverse("notices:reminders") + "?period=2014-06"
    response = cast["officer"].post(REMIND, {"period": "2014-06", "agency": ["A001"], "next": back})
    assert response["Location"] == back
    assert not Job.objects.exists()
    assert reminded() == [("A001", "2014-06")]
    with translation.override("zh-hans"):
        assert flash(response) == [reminded_message(1)]


def test_a_refusal_is_a_message_before_any_job_and_nothing_is_sent(cast, campaign, on_day, agency_a, agency_b):
    for agency in (agency_a, agency_b):
        approved_up_to(agency, 6)  # nobody owes June
    response = cast["officer"].post(REMIND, {"period": "2014-06"})
    assert response["Location"] == reverse("notices:reminders")
    with translation.override("zh-hans"):
        assert flash(response) == [str(MSG_NOBODY_TO_REMIND) % {"period": "2014年6月"}]
    assert not Job.objects.exists() and not Reminder.objects.exists() and not Notification.objects.exists()


def test_over_the_cap_of_jobs_at_once_it_says_so_and_nothing_is_queued_or_sent(cast, late, officer):
    limit = settings.JOBS_MAX_PER_AGENCY
    for _i in range(limit):
        make_job(officer, status=Job.Status.QUEUED)
    response = cast["officer"].post(REMIND, {"period": "2014-06"})
    assert response["Location"] == reverse("notices:reminders")
    with translation.override("zh-hans"):
        assert flash(response) == [str(MSG_TOO_MANY) % {"count": limit, "limit": limit}]
    assert Job.objects.count() == limit  # only the ones already there
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_progress_goes_agency_by_agency_before_anything_is_written(late, officer):
    """Reported before the writes: on SQLite a report made while the transaction holds the write lock waits."""
    calls = []

    def progress(done, total, step="", **params):
        calls.append((done, total, step, Reminder.objects.count(), Notification.objects.count()))

    sent = remind(user=officer, period="2014-06", progress=progress)
    assert len(sent) == 2
    assert calls == [(1, 2, "agencies", 0, 0), (2, 2, "agencies", 0, 0)]


def job_for(officer, **arguments) -> Job:
    """Reminders taken by a worker (running), in the language the test compares messages in."""
    arguments = {"period": "2014-06", "agencies": None, "message": "", **arguments}
    return make_job(officer, kind=KIND, status=Job.Status.RUNNING, arguments=arguments, language=get_language())


def test_a_failure_while_notifying_fails_the_job_and_no_reminder_is_kept(late, officer, monkeypatch):
    """All or nothing: the reminders are saved, then delivering them fails: they go with it."""

    def deliver_fails(notices):
        assert Reminder.objects.count() == 2
        raise RuntimeError("the notifications table is gone")

    monkeypatch.setattr(services, "deliver", deliver_fails)
    ending = execute(job_for(officer))
    assert (ending.status, ending.error) == (Job.Status.FAILED, str(MSG_UNEXPECTED) % {"error": "RuntimeError"})
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_a_job_cancelled_while_it_runs_reminds_nobody(late, officer):
    job = job_for(officer)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # its owner cancelled: the next report stops it
    assert execute(job).status == Job.Status.CANCELLED
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_every_late_one_is_who_is_late_when_the_job_runs(late, officer, agency_c):
    """A queued "every late agency" is worked out when the job runs: one that submitted meanwhile is left out."""
    job = job_for(officer)  # queued while A and C were late
    PeriodReturn.objects.filter(agency=agency_c, year=2014, month=6).update(status=Status.SUBMITTED)
    assert execute(job).status == Job.Status.DONE
    assert reminded() == [("A001", "2014-06")]


# --- the command: synchronous, a bar on a terminal ---------------------------------------------------------


class Terminal(StringIO):
    def isatty(self):
        return True


def test_send_reminders_draws_a_progress_bar_on_a_terminal(late, on_day):
    on_day(datetime.date(2014, 7, 6))  # after June's due date: the late agencies get an "after" reminder
    out, err = StringIO(), Terminal()
    with translation.override("en"):
        call_command("send_reminders", stdout=out, stderr=err)
    assert reminded() == [("A001", "2014-06"), ("A003", "2014-06")]
    bar = err.getvalue()
    with translation.override(settings.LANGUAGE_CODE):  # the command writes in the site's language
        last_step = step_text("agencies", 2, 2)
    assert bar.startswith("\r[") and "100.0%" in bar and last_step in bar
    assert bar.endswith("\n")  # the line is ended before the summary
    assert "2014-07-06: 2 reminders sent." in out.getvalue()
    assert not Job.objects.exists()  # cron's command runs here and now


def test_send_reminders_under_cron_prints_no_bar(late, on_day):
    on_day(datetime.date(2014, 7, 6))
    out, err = StringIO(), StringIO()
    call_command("send_reminders", stdout=out, stderr=err)
    assert len(reminded()) == 2
    assert err.getvalue() == ""
