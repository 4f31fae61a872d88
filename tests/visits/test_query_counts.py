"""Pinned SQL query counts of the visits pages: the same for 5 rows as for 50 (no query per row).

Every page of a logged-in user starts with the same four queries:
  1 session, 2 user with their profile (role) and agency (outreach.roles.ProfileModelBackend),
  3 the user's permissions, 4 their groups' permissions;
  5 the navigation's unread notifications (notices; once per request, however often the page renders);
  ... page queries ...
The session is saved again only when it changed (a page keeping a new year: savepoint, save, release).
"""

import datetime

import pytest
from django.urls import reverse

from outreach.models import Official
from tests.factories import OfficialFactory, VisitFactory, VisitOutcomeFactory, region_chain

pytestmark = pytest.mark.django_db

FRAME = 4 + 1  # see the module docstring
SESSION_SAVED = 3  # savepoint, session save, release savepoint


def build_visits(n, agencies):
    """n visits, each by its own official, with a place and an outcome, spread over the agencies."""
    place = region_chain()
    for i in range(n):
        agency = agencies[i % len(agencies)]
        official = OfficialFactory(
            agency=agency, position=(Official.Position.LEADERSHIP, Official.Position.DEPARTMENT_HEAD)[i % 2]
        )
        visit = VisitFactory(
            agency=agency,
            official=official,
            place=place,
            start_date=datetime.date(2014, 3, 1 + i % 20),
            end_date=datetime.date(2014, 3, 3 + i % 20),
            households=i,
        )
        VisitOutcomeFactory(visit=visit)


# list: totals (1 aggregate), paginator count, the page's rows (with official, place and agency joined),
# and the filter choices: cities (and, for officers, the agency filter's choices); the officials are searched,
# not listed (outreach/widgets.py SearchSelect); the configured campaign years (the 年度 filter: the year a list
# opened without filters shows, its choices).
LIST_QUERIES = {"staff_a": FRAME + 4 + 1, "officer": FRAME + 5 + 1}


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who", ["staff_a", "officer"])
def test_visit_list_query_count(cast, agency_a, agency_b, django_assert_num_queries, n, who):
    build_visits(n, [agency_a, agency_b])
    with django_assert_num_queries(LIST_QUERIES[who]):
        response = cast[who].get(reverse("visits:visit_list"))
    table = response.context["table"]
    expected = n if who == "officer" else (n + 1) // 2
    assert len(table.page.object_list) == expected and table.totals["households"] > 0


@pytest.mark.parametrize("n", [5, 50])
def test_visit_list_export_query_count(cast, agency_a, django_assert_num_queries, n):
    build_visits(n, [agency_a])
    # export: the rows, their count (over JOBS_LIST_THRESHOLD the download is a background job) and their totals (the
    # totals row: one aggregate, as the page's footer) — no filter choices, no page to draw — after the year a list
    # opened without filters shows (the configured campaign years)
    with django_assert_num_queries(FRAME - 1 + 1 + 1 + 1 + 1):  # - 1: no navigation, so no unread-notification badge
        response = cast["staff_a"].get(reverse("visits:visit_list"), {"export": "xlsx"})
    assert response.status_code == 200
    b"".join(response.streaming_content)


# detail: the visit (with official, place, agency and its authors), its history, its outcomes (one query
# for all), and (staff only) whether the visit's month is open (an active lock; the agency's return for the
# month).
@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who, page_queries", [("staff_a", 5), ("officer", 3)])
def test_visit_detail_query_count(cast, agency_a, django_assert_num_queries, n, who, page_queries):
    visit = VisitFactory(agency=agency_a, official=OfficialFactory(agency=agency_a), place=region_chain())
    for _ in range(n):
        VisitOutcomeFactory(visit=visit)
    with django_assert_num_queries(FRAME + page_queries):
        response = cast[who].get(visit.get_absolute_url())
    ((_title, outcomes),) = response.context["children"]
    assert len(outcomes.rows) == n


# minimums: officials under a minimum (with their agency and the year's minimum of their position),
# their visits touching the window, the year's settings for the rule shown above the table, (officers) the
# agency filter's choices; the year asked for kept in the session (saved).
@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who", ["staff_a", "officer"])
def test_minimums_query_count(cast, agency_a, agency_b, django_assert_num_queries, n, who):
    build_visits(n, [agency_a, agency_b])
    with django_assert_num_queries(FRAME + 3 + (1 if who == "officer" else 0) + SESSION_SAVED):
        # the visits are in no monthly return: counted on the basis "all" (officers' default is "submitted")
        response = cast[who].get(reverse("visits:minimums"), {"year": 2014, "basis": "all"})
    report = response.context["report"]
    assert report.due == (n if who == "officer" else (n + 1) // 2)
    assert sum(row.households for row in report.officials) > 0
