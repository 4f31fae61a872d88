"""The request's user comes with their profile and agency in one query (outreach.roles.ProfileModelBackend),
kept for that request only: a changed role or agency counts from the next request on (issue 17 item 3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outreach.models import Profile
from outreach.roles import Role, agency_id_of, role_of
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def page_queries(client, url) -> tuple:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, [q["sql"] for q in ctx.captured_queries]


def test_a_clerks_page_reads_profile_and_agency_with_the_user(cast, staff_a, agency_a):
    response, sqls = page_queries(cast["staff_a"], reverse("visits:visit_list"))
    assert response.status_code == 200
    users = [sql for sql in sqls if 'FROM "auth_user"' in sql]
    assert len(users) == 1
    assert '"outreach_profile"' in users[0] and '"outreach_agency"' in users[0]  # joined
    assert not [sql for sql in sqls if sql.startswith('SELECT "outreach_profile"')]
    assert not [sql for sql in sqls if sql.startswith('SELECT "outreach_agency"') and '"id" = ' in sql]
    user = response.wsgi_request.user
    assert (role_of(user), agency_id_of(user), response.context["user_agency"]) == (Role.STAFF, agency_a.pk, agency_a)


def test_a_user_without_a_profile_has_no_role_and_no_extra_query(django_user_model, client):
    user = django_user_model.objects.create_user(username="noprofile", password="x-Correct-Horse-2014")
    client.force_login(user)
    response, sqls = page_queries(client, reverse("home"))
    request_user = response.wsgi_request.user
    assert request_user.is_authenticated and role_of(request_user) is None and agency_id_of(request_user) is None
    assert not [sql for sql in sqls if sql.startswith('SELECT "outreach_profile"')]


def test_a_changed_role_or_agency_counts_from_the_next_request(cast, staff_a, agency_a, agency_b):
    """Nothing a permission depends on is kept across requests."""
    VisitFactory(agency=agency_b)
    client = cast["staff_a"]
    assert len(client.get(reverse("visits:visit_list")).context["table"].page.object_list) == 0
    Profile.objects.filter(user=staff_a).update(agency=agency_b)
    response = client.get(reverse("visits:visit_list"))
    assert len(response.context["table"].page.object_list) == 1 and response.context["user_agency"] == agency_b
    assert client.get(reverse("review")).status_code == 403  # an officers' page
    Profile.objects.filter(user=staff_a).update(role=Role.OFFICER, agency=None)
    assert client.get(reverse("review")).status_code == 200
