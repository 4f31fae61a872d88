"""Pinned SQL query counts of every pairings and visits record list, export and detail page (healthchecks-style).

Each page is built with 5 and with 50 rows and must take the same number of
queries: a count that grows with the rows is an N+1 bug. The numbers name their
queries; `django_assert_num_queries` prints the SQL when a count is off.

Every page a clerk opens starts with the same 4 queries:
    session; user with profile and agency (one query: outreach.roles.ProfileModelBackend)   2
    the user's permissions (2: direct and through groups)                                  2
The session is not saved again while it is unchanged (outreach.middleware.SessionMiddleware).
An officer's page has an agency filter with its choices.
"""

import pytest

from tests.factories import (
    AgencyFactory,
    JointActivityFactory,
    NeedyPairingFactory,
    SupportFactory,
    VolunteerServiceFactory,
)
from tests.record_checks import with_history
from tests.record_specs import SPECS

pytestmark = pytest.mark.django_db

BADGE = 1  # the navigation's unread-notification badge (notices): once per HTML page, none in an export
BASE = 4 + BADGE

# list pages: BASE + row count (paginator) + page of rows + the filters' choice lists (+ totals aggregate);
# officials are searched, not listed (outreach/widgets.py SearchSelect): no query while none is chosen.
# A list of records with dates has a 年度 filter: the configured campaign years, read once for its choices
# and for the year a list opened without filters shows (YEAR); a needy person has no date, so no year.
YEAR = 1
LIST_QUERIES = {
    "needyperson": BASE + 2 + 1,  # choices: cities
    "needypairing": BASE + 2 + 1 + YEAR,  # choices: cities
    "contactpointactivity": BASE + 2 + 2 + 1 + YEAR,  # choices: cities, contact points; totals
    "pairing": BASE + 2 + 1 + YEAR,  # choices: cities
    "jointactivity": BASE + 2 + 2 + 1 + YEAR,  # choices: cities, pairings; totals
    "support": BASE + 2 + 2 + 1 + YEAR,  # choices: cities, pairings; totals
    "fourintoevent": BASE + 2 + 1 + YEAR,  # no choice list from the database; totals
    "volunteerteam": BASE + 2 + 1 + YEAR,  # no choice list from the database; totals
    "volunteerservice": BASE + 2 + 1 + 1 + YEAR,  # choices: the agency's teams; totals
    "fiveintoaction": BASE + 2 + 1 + YEAR,  # no choice list from the database; totals
}

# An officer's list: the agency filter's choices (+1), and no choice list of one agency's parents (-1):
# a province's pairings or teams are too many to offer.
OFFICER_CHANGE = {
    spec.name: 0 if spec.name in ("jointactivity", "support", "contactpointactivity", "volunteerservice") else 1
    for spec in SPECS
}


def make_rows(spec, agency, rows) -> None:
    """`rows` records of `agency`, under one parent where they have one."""
    parent = spec.make_parent(agency)
    for _ in range(rows):
        spec.make(agency, parent)


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_list_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, spec, rows):
    make_rows(spec, agency_a, rows)
    with django_assert_num_queries(LIST_QUERIES[spec.name]):
        response = cast["staff_a"].get(spec.url("list"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_officer_list_query_count_matches_the_clerks(cast, django_assert_num_queries, spec, rows):
    for _ in range(rows):  # rows of many agencies
        agency = AgencyFactory()
        spec.make(agency, spec.make_parent(agency))
    with django_assert_num_queries(LIST_QUERIES[spec.name] + OFFICER_CHANGE.get(spec.name, 0)):
        response = cast["officer"].get(spec.url("list"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_export_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, spec, rows):
    make_rows(spec, agency_a, rows)
    # export: the rows and their count (over JOBS_LIST_THRESHOLD the download is a background job) and, for a
    # list with summed columns, their totals (the totals row: one aggregate, as the page's footer) — no filter
    # choices, no page to draw — after the year it shows when opened without filters (the configured campaign
    # years) if it has one
    totals = 1 if spec.sums else 0
    with django_assert_num_queries(BASE - BADGE + 1 + 1 + totals + (YEAR if spec.date_field else 0)):
        response = cast["staff_a"].get(spec.url("list"), {"export": "xlsx"})
    assert len(b"".join(response.streaming_content)) > 0


# A record's child tables on its page: (record, rows) → make `rows` children in each.
CHILDREN = {
    "pairing": lambda pairing, rows: [
        (
            JointActivityFactory(pairing=pairing, agency=pairing.agency),
            SupportFactory(pairing=pairing, agency=pairing.agency),
        )
        for _ in range(rows)
    ],
    "needyperson": lambda person, rows: [
        NeedyPairingFactory(agency=person.agency, needy_person=person) for _ in range(rows)
    ],
    "volunteerteam": lambda team, rows: [VolunteerServiceFactory(team=team) for _ in range(rows)],
}
CHILD_TABLES = {"pairing": 2, "needyperson": 1, "volunteerteam": 1}
DETAIL_CASES = [
    (spec, with_children) for spec in SPECS for with_children in ((False, True) if spec.name in CHILDREN else (False,))
]


# detail pages: BASE + the record (with what it names) + its history
#   + whether its month is open for the staff user (an active lock; the agency's return for the month)
#   + one query per child table, however many rows it has (the creator and last editor come joined with the record)
@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize(
    ("spec", "with_children"),
    DETAIL_CASES,
    ids=[f"{spec}-with-children" if with_children else str(spec) for spec, with_children in DETAIL_CASES],
)
def test_detail_query_count_does_not_grow_with_children_or_history(
    cast, staff_a, agency_a, django_assert_num_queries, spec, with_children, rows
):
    record = with_history(spec.make(agency_a), staff_a, rows)
    if with_children:
        CHILDREN[spec.name](record, rows)
    month_check = 2 if spec.date_field else 0  # a needy person has no month of their own
    with django_assert_num_queries(BASE + 2 + month_check + CHILD_TABLES.get(spec.name, 0)):
        response = cast["staff_a"].get(record.get_absolute_url())
    assert len(response.context["history"]) == rows + 1
    assert all(len(table.rows) == (rows if with_children else 0) for _title, table in response.context["children"])
