"""The workflow's steps reach the agency's clerks: send-back, approval (months, channel returns) and unlock."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from notices.models import Notification
from outreach.models import PeriodLock, PeriodReturn
from outreach.roles import Role
from outreach.services import approve, send_back, submit, submit_month, unlock_period
from outreach.signals import Step, review_step
from tests.conftest import make_user
from tests.factories import AgencyFactory, ChannelReturnFactory
from tests.notices.conftest import Status, month_return
from visits.models import ChannelReturn

pytestmark = pytest.mark.django_db


def notified():
    return sorted(Notification.objects.values_list("recipient__username", "kind", "agency__code"))


def test_a_month_sent_back_notifies_its_agencys_clerks_and_mails_those_with_an_address(
    on_day, officer, agency_a, staff_a, clerk_a, clerk_b, django_capture_on_commit_callbacks
):
    period = month_return(agency_a, 6)
    with django_capture_on_commit_callbacks(execute=True):
        send_back(user=officer, item=period, comment="走访户数偏大，请核实")
    assert notified() == [("alice", "returned", "A001"), ("anna", "returned", "A001")]  # never bob (agency B)
    note = Notification.objects.get(recipient=staff_a)
    assert "走访户数偏大，请核实" in note.body
    assert "2014年6月" in note.title
    assert note.link == reverse("returns") + "?year=2014"
    assert [m.to for m in mail.outbox] == [["anna@a.example.gov.cn"]]
    assert mail.outbox[0].subject == note.title
    assert "走访户数偏大，请核实" in mail.outbox[0].body


def test_a_month_approved_notifies_its_agencys_clerks(on_day, officer, agency_a, staff_a, clerk_b):
    approve(user=officer, item=month_return(agency_a, 6))
    assert notified() == [("alice", "approved", "A001")]


def test_no_mail_leaves_when_the_change_is_rolled_back(
    on_day, officer, agency_a, clerk_a, django_capture_on_commit_callbacks
):
    """E-mails go on commit: a review that fails after the notification is saved mails nobody."""
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        approve(user=officer, item=month_return(agency_a, 6))
        raise RuntimeError
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_channel_return_sent_back_links_to_its_own_page(on_day, officer, agency_a, staff_a):
    item = ChannelReturnFactory(agency=agency_a, year=2014, half=1, status=ChannelReturn.Status.SUBMITTED)
    send_back(user=officer, item=item, comment="满意率有误")
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (staff_a, Notification.Kind.RETURNED)
    assert note.link == reverse("visits:channelreturn_detail", args=[item.pk])
    with translation.override("zh-hans"):
        assert str(item.review_label()) in note.title


def test_submitting_and_resubmitting_notify_nobody(on_day, staff_a, officer, agency_a):
    submit_month(user=staff_a, year=2014, month=6)
    month_return(agency_a, 5, Status.RETURNED)
    submit_month(user=staff_a, year=2014, month=5)
    submit(user=staff_a, item=ChannelReturnFactory(agency=agency_a, year=2014, half=1))
    assert not Notification.objects.exists()


def test_an_unlock_notifies_the_clerks_of_every_active_agency(
    on_day, officer, agency_a, agency_b, staff_a, clerk_a, clerk_b, django_capture_on_commit_callbacks
):
    AgencyFactory(code="A003")  # no clerk: nobody to notify
    retired = AgencyFactory(code="A009", is_active=False)
    make_user(type(staff_a), "old", Role.STAFF, retired, email="old@example.gov.cn")
    lock = PeriodLock.objects.create(year=2014, month=6, locked_by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        unlock_period(user=officer, lock=lock, reason="省发改委6月数据需更正")
    assert notified() == [("alice", "unlocked", "A001"), ("anna", "unlocked", "A001"), ("bob", "unlocked", "A002")]
    assert "省发改委6月数据需更正" in Notification.objects.first().body
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@a.example.gov.cn", "bob@b.example.gov.cn"]


def test_an_inactive_clerk_is_not_notified(on_day, officer, agency_a, staff_a, clerk_a):
    clerk_a.is_active = False
    clerk_a.save(update_fields=["is_active"])
    approve(user=officer, item=month_return(agency_a, 6, Status.SUBMITTED))
    assert notified() == [("alice", "approved", "A001")]


def test_a_withdrawal_notifies_nobody(on_day, staff_a, agency_a, clerk_a):
    review_step.send(
        sender=PeriodReturn, item=month_return(agency_a, 6, Status.OPEN), step=Step.WITHDRAWN, user=staff_a
    )
    assert not Notification.objects.exists()
