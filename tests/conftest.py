"""The cast (healthchecks-style): anonymous, staff of agency A, staff of agency B, officer, admin."""

import pytest
from django.test import Client

from outreach.models import Profile
from outreach.roles import Role
from tests.factories import AgencyFactory
from tests.helpers import TODAY

PASSWORD = "Correct-Horse-2014"


def make_user(django_user_model, username, role, agency=None, **extra):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)
    Profile.objects.create(user=user, role=role, agency=agency)
    return user


@pytest.fixture
def agency_a(db):
    return AgencyFactory(code="A001", name="安徽省发展和改革委员会", short_name="省发展改革委")


@pytest.fixture
def agency_b(db):
    return AgencyFactory(code="A002", name="安徽省教育厅", short_name="省教育厅")


@pytest.fixture
def staff_a(django_user_model, agency_a):
    return make_user(django_user_model, "alice", Role.STAFF, agency_a, first_name="发改委机关党委")


@pytest.fixture
def staff_b(django_user_model, agency_b):
    return make_user(django_user_model, "bob", Role.STAFF, agency_b)


@pytest.fixture
def officer(django_user_model):
    return make_user(django_user_model, "olivia", Role.OFFICER)


@pytest.fixture
def admin_user(django_user_model):
    return make_user(django_user_model, "root", Role.ADMIN, is_superuser=True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def cast(staff_a, staff_b, officer, admin_user):
    """A logged-in client per role, and an anonymous one."""
    return {
        "anonymous": client_for(None),
        "staff_a": client_for(staff_a),
        "staff_b": client_for(staff_b),
        "officer": client_for(officer),
        "admin": client_for(admin_user),
    }


@pytest.fixture
def today(settings):
    """The site's day (outreach.clock, settings.SITE_TODAY) fixed at tests.helpers.TODAY, 15 July 2014."""
    settings.SITE_TODAY = TODAY
    return TODAY
