"""Pinned SQL query counts of the pairings pages no other record type has: contact points, compliance, index.

The record types' lists, exports and detail pages are pinned once for every type in
tests/test_record_queries.py. Each page is built with 5 and with 50 rows and must take
the same number of queries: a count that grows with the rows is an N+1 bug.

Every page a clerk opens starts with the same 4 queries:
    session; user with profile and agency (one query: outreach.roles.ProfileModelBackend)   2
    the user's permissions (2: direct and through groups)                                  2
The session is saved again only when it changed (outreach.middleware.SessionMiddleware).
"""

import pytest
from django.urls import reverse

from tests.factories import (
    AgencyFactory,
    CommunityOrgFactory,
    ContactPointActivityFactory,
    ContactPointFactory,
    JointActivityFactory,
    VillageOrgFactory,
)
from tests.pairings.specs import pairing_of
from tests.record_checks import with_history

pytestmark = pytest.mark.django_db

BASE = 4 + 1  # + 1: the navigation's unread-notification badge (notices), once per request

# the list: BASE + row count (paginator) + page of rows + the filters' choice lists;
# officials are searched, not listed (outreach/widgets.py SearchSelect): no query while none is chosen
CONTACT_POINT_LIST_QUERIES = BASE + 2 + 1 + 1  # choices: cities; the configured campaign years (the 年度 filter)


@pytest.mark.parametrize("rows", [5, 50])
def test_contact_point_list_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, rows):
    for _ in range(rows):
        ContactPointFactory(agency=agency_a)
    with django_assert_num_queries(CONTACT_POINT_LIST_QUERIES):
        response = cast["staff_a"].get(reverse("pairings:contactpoint_list"))
    assert len(response.context["table"].page.object_list) == rows


# the detail page: BASE + the point (with what it names) + its history
#   + whether its month is open for the staff user (an active lock; the agency's return for the month)
#   + its activities (one query; the creator and last editor come joined with the record)
@pytest.mark.parametrize("rows", [5, 50])
def test_contact_point_detail_query_count_does_not_grow_with_activities_or_history(
    cast, staff_a, agency_a, django_assert_num_queries, rows
):
    point = with_history(ContactPointFactory(agency=agency_a), staff_a, rows)
    for _ in range(rows):
        ContactPointActivityFactory(contact_point=point, agency=agency_a)
    with django_assert_num_queries(BASE + 2 + 2 + 1):
        response = cast["staff_a"].get(point.get_absolute_url())
    assert len(response.context["history"]) == rows + 1
    ((_title, activities),) = response.context["children"]
    assert len(activities.rows) == rows


# compliance pages: the permission check's 2 queries are in BASE; then 2 grouped queries each
#   one_plus_two: partners counted per agency and kind; agencies with their committee's name
#   five_ones:    five-ones activities counted per pairing and kind; the pairings (with agency, committee, partner)
#   and the year asked for kept in the session, saved (savepoint, update, release: 3)
COMPLIANCE_QUERIES = BASE + 2 + 3


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("who", ["staff_a", "officer"])
@pytest.mark.parametrize("page", ["one_plus_two_compliance", "five_ones_compliance"])
def test_compliance_query_count_does_not_grow_with_agencies_or_pairings(
    cast, agency_a, django_assert_num_queries, page, who, rows
):
    village, community = VillageOrgFactory(), CommunityOrgFactory()  # partners may pair with many committees
    for _ in range(rows):
        other = AgencyFactory()
        JointActivityFactory(pairing=pairing_of(other, partner=village), agency=other)
        JointActivityFactory(pairing=pairing_of(agency_a, partner=community), agency=agency_a)
    with django_assert_num_queries(COMPLIANCE_QUERIES + (1 if who == "officer" else 0)):  # officer: agency choices
        # the records are in no monthly return: counted on the basis "all" (officers' default is "submitted")
        response = cast[who].get(reverse(f"pairings:{page}"), {"year": 2014, "basis": "all"})
    expected = {
        ("one_plus_two_compliance", "staff_a"): 1,  # their agency
        ("one_plus_two_compliance", "officer"): rows + 2,  # every active agency (A and B included)
        ("five_ones_compliance", "staff_a"): rows,
        ("five_ones_compliance", "officer"): 2 * rows,
    }[page, who]
    assert len(response.context["result"].rows) == expected


def test_pairings_index_query_count(cast, agency_a, django_assert_num_queries):
    # session, user with profile and agency, the year the cards count (the configured campaign years), one
    # count per record type (7), the navigation's unread notifications; no permission check on the index.
    with django_assert_num_queries(2 + 1 + 7 + 1):
        cast["staff_a"].get(reverse("pairings:index"))
