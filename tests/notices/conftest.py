"""The notices tests' world: 2014 configured (monthly returns due on the 5th, reminders 3 days before),
two agencies with clerks (one of A's without an e-mail address), the site's day fixed by `on_day`."""

import datetime

import pytest
from django.utils import timezone

from outreach.models import CampaignYear, PeriodReturn
from outreach.roles import Role
from tests.conftest import make_user

# The browser tests' Chromium, locale and screenshots (tests/e2e/conftest.py), for test_reminder_flow.py
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, shot  # noqa: F401

Status = PeriodReturn.Status


@pytest.fixture
def campaign(db):
    return CampaignYear.objects.create(
        year=2014,
        start_date=datetime.date(2014, 1, 1),
        end_date=datetime.date(2014, 12, 31),
        monthly_due_day=5,
        first_half_due=datetime.date(2014, 7, 15),
        second_half_due=datetime.date(2015, 1, 15),
        remind_days_before=3,
    )


@pytest.fixture
def on_day(settings):
    """Set the site's today (SITE_TODAY): on_day(datetime.date(2014, 7, 6))."""

    def set_day(day: datetime.date) -> datetime.date:
        settings.SITE_TODAY = day.isoformat()
        return day

    set_day(datetime.date(2014, 7, 31))
    return set_day


@pytest.fixture
def clerk_a(django_user_model, agency_a, staff_a):
    """A second clerk of agency A, with an e-mail address (staff_a has none)."""
    return make_user(django_user_model, "anna", Role.STAFF, agency_a, email="anna@a.example.gov.cn")


@pytest.fixture
def clerk_b(django_user_model, agency_b, staff_b):
    staff_b.email = "bob@b.example.gov.cn"
    staff_b.save(update_fields=["email"])
    return staff_b


def month_return(agency, month, status=Status.SUBMITTED, year=2014):
    submitted_at = None if status == Status.OPEN else timezone.make_aware(datetime.datetime(year, month, 28, 10))
    return PeriodReturn.objects.create(agency=agency, year=year, month=month, status=status, submitted_at=submitted_at)


def approved_up_to(agency, last_month):
    """The agency's months of 2014 up to `last_month` approved: only later months can be late."""
    for month in range(1, last_month + 1):
        month_return(agency, month, Status.APPROVED)
