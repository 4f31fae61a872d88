"""An officer's reminder (催报): one agency, every late one; refusals change nothing; notification and e-mail."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from jobs.models import Job
from notices.forms import MSG_CHOOSE_PERIOD, MSG_UNKNOWN_AGENCY
from notices.models import Notification, Reminder
from notices.services import (
    MSG_ALREADY_SUBMITTED,
    MSG_BAD_PERIOD,
    MSG_MESSAGE_TOO_LONG,
    MSG_NOBODY_TO_REMIND,
    MSG_PERIOD_NOT_BEGUN,
    remind,
)
from tests.factories import AgencyFactory
from tests.notices.conftest import Status, approved_up_to, month_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def june_late(campaign, on_day, agency_a, agency_b):
    """31 July 2014: agency A has not submitted June, agency B has (awaiting review)."""
    approved_up_to(agency_a, 5)
    approved_up_to(agency_b, 5)
    month_return(agency_b, 6, Status.SUBMITTED)


def nothing_sent():
    return (
        not Reminder.objects.exists()
        and not Notification.objects.exists()
        and mail.outbox == []
        and not Job.objects.exists()  # nor queued
    )


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_officer_reminds_one_agency_its_clerks_are_notified_and_those_with_an_address_emailed(
    june_late, officer, agency_a, staff_a, clerk_a, clerk_b, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = remind(user=officer, period="2014-06", agencies=[agency_a], message="请于8月3日前报送")
    assert [(r.agency, r.period, r.kind, r.sent_by, r.recipients, r.emailed) for r in sent] == [
        (agency_a, "2014-06", Reminder.Kind.MANUAL, officer, 2, 1)
    ]
    assert Reminder.objects.get().message == "请于8月3日前报送"
    notes = Notification.objects.order_by("recipient__username")
    assert [(n.recipient, n.agency, n.kind) for n in notes] == [
        (staff_a, agency_a, Notification.Kind.REMINDER),  # alice, no address: in the app only
        (clerk_a, agency_a, Notification.Kind.REMINDER),  # anna
    ]
    note = notes[0]
    assert note.link == reverse("returns") + "?year=2014"
    assert note.read_at is None
    assert "请于8月3日前报送" in note.body
    assert [message.to for message in mail.outbox] == [["anna@a.example.gov.cn"]]  # never bob (agency B)
    with translation.override("zh-hans"):
        assert mail.outbox[0].subject == note.title
    assert "请于8月3日前报送" in mail.outbox[0].body


def test_the_notification_and_email_are_in_the_sites_language_even_when_the_officer_uses_english(
    june_late, officer, agency_a, clerk_a, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        remind(user=officer, period="2014-06", agencies=[agency_a])
    note = Notification.objects.get(recipient=clerk_a)
    assert "2014年6月" in note.title  # the period as the Chinese catalogue writes it, not "2014-06"
    assert "2014年6月" in note.body
    assert mail.outbox[0].subject == note.title


def test_officer_reminds_every_agency_that_has_not_submitted(
    campaign, on_day, officer, agency_a, agency_b, staff_a, staff_b
):
    third = AgencyFactory(code="A003")
    AgencyFactory(code="A004", is_active=False)  # not expected: never reminded
    month_return(agency_b, 6, Status.APPROVED)
    month_return(third, 6, Status.RETURNED)  # sent back and not resubmitted: still owes it
    sent = remind(user=officer, period="2014-06")
    assert sorted(r.agency.code for r in sent) == ["A001", "A003"]
    assert sorted(Reminder.objects.values_list("agency__code", flat=True)) == ["A001", "A003"]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [staff_a.pk]  # A003 has no clerk


def test_a_half_year_reminder_links_to_the_channel_returns_of_that_half(campaign, on_day, officer, agency_a, staff_a):
    from tests.factories import ChannelReturnFactory

    ChannelReturnFactory(agency=AgencyFactory(), year=2013, half=2)  # the collection has begun
    remind(user=officer, period="2014-H1", agencies=[agency_a])
    assert Notification.objects.get().link == reverse("visits:channelreturn_list") + "?year=2014&half=1"


@pytest.mark.parametrize(
    ("period", "message", "code"),
    [
        ("2014-13", MSG_BAD_PERIOD, "bad_period"),
        ("June", MSG_BAD_PERIOD, "bad_period"),
        ("", MSG_BAD_PERIOD, "bad_period"),
        ("2014-08", MSG_PERIOD_NOT_BEGUN, "period_not_begun"),  # on 31 July
        ("2015-H1", MSG_PERIOD_NOT_BEGUN, "period_not_begun"),
    ],
)
def test_a_bad_or_future_period_is_refused_and_nothing_is_sent(june_late, officer, agency_a, period, message, code):
    with pytest.raises(ValidationError) as refused:
        remind(user=officer, period=period, agencies=[agency_a])
    assert refused.value.error_list[0].message == message
    assert refused.value.error_list[0].code == code
    assert nothing_sent()


def test_an_agency_that_has_submitted_is_refused_and_nobody_is_reminded(
    june_late, officer, agency_a, agency_b, staff_a
):
    with pytest.raises(ValidationError) as refused:
        remind(user=officer, period="2014-06", agencies=[agency_a, agency_b])
    error = refused.value.error_list[0]
    assert error.message == MSG_ALREADY_SUBMITTED
    assert str(agency_b) in error.params["agencies"]
    assert str(agency_a) not in error.params["agencies"]
    assert nothing_sent()  # not even agency A, which is late


def test_reminding_every_late_agency_when_none_is_late_is_refused(campaign, on_day, officer, agency_a, agency_b):
    month_return(agency_a, 6, Status.APPROVED)
    month_return(agency_b, 6, Status.SUBMITTED)
    with pytest.raises(ValidationError) as refused:
        remind(user=officer, period="2014-06")
    assert refused.value.error_list[0].message == MSG_NOBODY_TO_REMIND
    assert nothing_sent()


def test_a_message_over_500_characters_is_refused(june_late, officer, agency_a):
    with pytest.raises(ValidationError) as refused:
        remind(user=officer, period="2014-06", agencies=[agency_a], message="催" * 501)
    assert refused.value.error_list[0].message == MSG_MESSAGE_TOO_LONG
    assert nothing_sent()


@pytest.mark.parametrize("who", ["staff_a", "staff_b", "admin_user"])
def test_only_officers_remind(june_late, request, who, agency_a):
    """A clerk cannot remind anyone, not even their own agency (nothing is in a clerk's reach to remind)."""
    with pytest.raises(PermissionDenied):
        remind(user=request.getfixturevalue(who), period="2014-06", agencies=[agency_a])
    assert nothing_sent()


# --- the view --------------------------------------------------------------------------------------


def test_remind_view_reminds_the_posted_agencies_and_goes_back(june_late, cast, agency_a, staff_a):
    back = reverse("home") + "?year=2014"
    response = cast["officer"].post(
        reverse("notices:remind"), {"period": "2014-06", "agency": ["A001"], "message": "请尽快报送", "next": back}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == back
    with translation.override("zh-hans"):
        assert flash(response) == [
            translation.ngettext("Reminded %(count)s agency.", "Reminded %(count)s agencies.", 1) % {"count": 1}
        ]
    assert Reminder.objects.get().agency == agency_a
    assert Notification.objects.get().recipient == staff_a
    assert not Job.objects.exists()  # one agency: reminded at once, in the request


def test_remind_view_without_agencies_reminds_every_late_one(june_late, cast, agency_a):
    """Through a background job (tests/notices/test_remind_job.py), whose page the officer is taken to."""
    response = cast["officer"].post(reverse("notices:remind"), {"period": "2014-06"})
    job = Job.objects.get()
    assert response.headers["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.DONE
    assert list(Reminder.objects.values_list("agency", flat=True)) == [agency_a.pk]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2014-06", "agency": ["A001", "A002"]}, MSG_ALREADY_SUBMITTED),
        ({"period": "2014-06", "agency": ["ZZZ"]}, MSG_UNKNOWN_AGENCY),
        ({"period": ""}, MSG_CHOOSE_PERIOD),
        ({"period": "2014-6"}, MSG_BAD_PERIOD),
        ({"period": "2014-06", "message": "催" * 501}, MSG_MESSAGE_TOO_LONG),
    ],
)
def test_remind_view_refusals_are_messages_and_nothing_is_sent(june_late, cast, data, message):
    response = cast["officer"].post(reverse("notices:remind"), {**data, "next": "https://evil.example.com/"})
    assert response.headers["Location"] == reverse("notices:reminders")  # another site's next is ignored
    shown = flash(response)
    assert len(shown) == 1
    prefix = str(message).split("%")[0]
    assert shown[0].startswith(prefix), shown
    assert nothing_sent()


def test_remind_view_refuses_a_clerk(june_late, cast, agency_a):
    response = cast["staff_a"].post(reverse("notices:remind"), {"period": "2014-06", "agency": ["A001"]})
    assert response.status_code == 403
    assert nothing_sent()
