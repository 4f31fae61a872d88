"""Pinned SQL query counts of the service-activity lists and detail pages: the same for 5 rows as for 50.

Every page a clerk opens starts with the same 9 queries (as in tests/pairings/test_query_counts.py):
    session, user, the user's permissions (2: direct and through groups), profile      5
    the clerk's agency in the navigation bar (context processor)                        1
    the session saved again (SESSION_SAVE_EVERY_REQUEST): savepoint, update, release    3
An officer's page has no agency in the bar but an agency filter with its choices instead.
"""

import pytest

from tests.factories import AgencyFactory, VolunteerServiceFactory, VolunteerTeamFactory
from tests.visits.service_specs import SPECS, VOLUNTEER_TEAM

pytestmark = pytest.mark.django_db

BASE = 9

# list pages: BASE + totals (1 aggregate) + row count (paginator) + the page of rows + the filters' choice lists
LIST_QUERIES = {
    "fourintoevent": BASE + 1 + 2,  # no choice list from the database
    "volunteerteam": BASE + 1 + 2,  # no choice list from the database
    "volunteerservice": BASE + 1 + 2 + 1,  # choices: the agency's teams
    "fiveintoaction": BASE + 1 + 2,  # no choice list from the database
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_list_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, spec, rows):
    parent = spec.make_parent(agency_a)
    for _ in range(rows):
        spec.make(agency_a, parent)
    with django_assert_num_queries(LIST_QUERIES[spec.name]):
        response = cast["staff_a"].get(spec.url("list"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_officer_list_query_count_matches_the_clerks(cast, django_assert_num_queries, spec, rows):
    # No agency in the bar (-1), an agency filter's choices instead (+1), and no choice of one
    # agency's teams (-1 for services: the province's teams are too many to offer); rows of many agencies.
    for _ in range(rows):
        agency = AgencyFactory()
        spec.make(agency, spec.make_parent(agency))
    no_team_choices = 1 if spec.name == "volunteerservice" else 0
    with django_assert_num_queries(LIST_QUERIES[spec.name] - no_team_choices):
        response = cast["officer"].get(spec.url("list"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_export_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, spec, rows):
    parent = spec.make_parent(agency_a)
    for _ in range(rows):
        spec.make(agency_a, parent)
    # export: the rows only (no totals, no count, no filter choices, no page to draw, no agency in a bar)
    with django_assert_num_queries(BASE - 1 + 1):
        response = cast["staff_a"].get(spec.url("list"), {"export": "xlsx"})
    assert len(list(b"".join(response.streaming_content))) > 0


def with_history(record, user, versions):
    """Give `record` a creator and `versions` saved changes: the history the page lists."""
    record.created_by = user
    for version in range(versions):
        record.note = f"第{version}次修改"
        record.save(user=user)
    return record


# detail pages: BASE + the record (with its agency and team joined) + its history
#   + whether its month is open for the staff user (an active lock; the agency's return for the month)
#   + one query per child table (the creator and last editor come joined with the record)
DETAIL_QUERIES = BASE + 2 + 2


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_detail_query_count_does_not_grow_with_history(cast, staff_a, agency_a, django_assert_num_queries, spec, rows):
    record = with_history(spec.make(agency_a), staff_a, rows)
    with django_assert_num_queries(DETAIL_QUERIES + (1 if spec is VOLUNTEER_TEAM else 0)):
        response = cast["staff_a"].get(record.get_absolute_url())
    assert len(response.context["history"]) == rows + 1


@pytest.mark.parametrize("rows", [5, 50])
def test_team_detail_query_count_does_not_grow_with_its_services(
    cast, staff_a, agency_a, django_assert_num_queries, rows
):
    team = with_history(VolunteerTeamFactory(agency=agency_a), staff_a, rows)
    for _ in range(rows):
        VolunteerServiceFactory(team=team)
    # + one query for all the team's services (their totals are summed from those rows)
    with django_assert_num_queries(DETAIL_QUERIES + 1):
        response = cast["staff_a"].get(team.get_absolute_url())
    ((_title, services),) = response.context["children"]
    assert len(services.rows) == rows and services.totals["person_times"] == 12 * rows
