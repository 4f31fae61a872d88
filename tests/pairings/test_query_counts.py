"""Pinned SQL query counts of every pairings list, detail and compliance page (healthchecks-style).

Each page is built with 5 and with 50 rows and must take the same number of
queries: a count that grows with the rows is an N+1 bug. The numbers name their
queries; `django_assert_num_queries` prints the SQL when a count is off.

Every page a clerk opens starts with the same 9 queries:
    session, user, the user's permissions (2: direct and through groups), profile      5
    the clerk's agency in the navigation bar (context processor)                        1
    the session saved again (SESSION_SAVE_EVERY_REQUEST): savepoint, update, release    3
An officer's page has no agency in the bar but an agency filter with its choices instead.
"""

import pytest
from django.urls import reverse

from tests.factories import (
    AgencyFactory,
    CommunityOrgFactory,
    ContactPointActivityFactory,
    ContactPointFactory,
    JointActivityFactory,
    NeedyPairingFactory,
    NeedyPersonFactory,
    SupportFactory,
    VillageOrgFactory,
)
from tests.pairings.specs import SPECS, pairing_of

pytestmark = pytest.mark.django_db

BASE = 9

# list pages: BASE + row count (paginator) + page of rows + the filters' choice lists (+ totals aggregate)
LIST_QUERIES = {
    "contactpoint": BASE + 2 + 2,  # choices: cities, department-level officials
    "needyperson": BASE + 2 + 2,  # choices: cities, officials
    "needypairing": BASE + 2 + 2,  # choices: cities, officials
    "contactpointactivity": BASE + 2 + 3 + 1,  # choices: cities, officials, contact points; totals
    "pairing": BASE + 2 + 1,  # choices: cities
    "jointactivity": BASE + 2 + 2 + 1,  # choices: cities, pairings; totals
    "support": BASE + 2 + 2 + 1,  # choices: cities, pairings; totals
}


def list_url(name):
    return reverse(f"pairings:{name}_list")


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
def test_contact_point_list_query_count_does_not_grow_with_rows(cast, agency_a, django_assert_num_queries, rows):
    for _ in range(rows):
        ContactPointFactory(agency=agency_a)
    with django_assert_num_queries(LIST_QUERIES["contactpoint"]):
        response = cast["staff_a"].get(list_url("contactpoint"))
    assert len(response.context["table"].page.object_list) == rows


@pytest.mark.parametrize("rows", [5, 50])
def test_officer_list_query_count_matches_the_clerks(cast, agency_a, django_assert_num_queries, rows):
    # No agency in the bar (-1), an agency filter's choices instead (+1), and no pairing choices (-1):
    # a province's pairings are too many to offer; rows of several agencies.
    village = VillageOrgFactory()
    for _ in range(rows):
        agency = AgencyFactory()
        JointActivityFactory(pairing=pairing_of(agency, partner=village), agency=agency)
    with django_assert_num_queries(LIST_QUERIES["jointactivity"] - 1):
        response = cast["officer"].get(list_url("jointactivity"))
    assert len(response.context["table"].page.object_list) == rows


# detail pages: BASE + the record (with what it names) + its history
#   + whether its month is open for the staff user (an active lock; the agency's return for the month)
#   + one query per child table (the creator and last editor come joined with the record)
def with_history(record, user, versions):
    """Give `record` a creator and `versions` saved changes: the history the page lists."""
    record.created_by = user
    for version in range(versions):
        record.note = f"第{version}次修改"
        record.save(user=user)
    return record


def contact_point_page(agency, user, rows):
    point = with_history(ContactPointFactory(agency=agency), user, rows)
    for _ in range(rows):
        ContactPointActivityFactory(contact_point=point, agency=agency)
    return point, 1


def pairing_page(agency, user, rows):
    pairing = with_history(pairing_of(agency), user, rows)
    for _ in range(rows):
        JointActivityFactory(pairing=pairing, agency=agency)
        SupportFactory(pairing=pairing, agency=agency)
    return pairing, 2


def needy_person_page(agency, user, rows):
    person = with_history(NeedyPersonFactory(agency=agency), user, rows)
    for _ in range(rows):
        NeedyPairingFactory(agency=agency, needy_person=person)
    return person, 1


def leaf_page(spec):
    def build(agency, user, rows):
        return with_history(spec.make(agency), user, rows), 0

    return build


DETAIL_PAGES = {
    "contactpoint": contact_point_page,  # + its activities
    "pairing": pairing_page,  # + its joint activities, its support
    "needyperson": needy_person_page,  # + their pairings
    **{spec.name: leaf_page(spec) for spec in SPECS if spec.name not in ("pairing", "needyperson")},
}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("name", sorted(DETAIL_PAGES))
def test_detail_query_count_does_not_grow_with_children_or_history(
    cast, staff_a, agency_a, django_assert_num_queries, name, rows
):
    record, child_tables = DETAIL_PAGES[name](agency_a, staff_a, rows)
    month_check = 2 if record.period_date_field else 0  # a needy person has no month of their own
    with django_assert_num_queries(BASE + 2 + month_check + child_tables):
        response = cast["staff_a"].get(record.get_absolute_url())
    assert len(response.context["history"]) == rows + 1
    assert all(len(table.rows) == rows for _title, table in response.context["children"])


# compliance pages: the permission check's 2 queries are in BASE; then 2 grouped queries each
#   one_plus_two: partners counted per agency and kind; agencies with their committee's name
#   five_ones:    five-ones activities counted per pairing and kind; the pairings (with agency, committee, partner)
COMPLIANCE_QUERIES = BASE + 2


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
    with django_assert_num_queries(COMPLIANCE_QUERIES):
        response = cast[who].get(reverse(f"pairings:{page}"), {"year": 2014})
    expected = {
        ("one_plus_two_compliance", "staff_a"): 1,  # their agency
        ("one_plus_two_compliance", "officer"): rows + 2,  # every active agency (A and B included)
        ("five_ones_compliance", "staff_a"): rows,
        ("five_ones_compliance", "officer"): 2 * rows,
    }[page, who]
    assert len(response.context["result"].rows) == expected


def test_pairings_index_query_count(cast, agency_a, django_assert_num_queries):
    # session, user, profile, one count per record type (7), the clerk's agency, session saved (3);
    # no permission check on the index.
    with django_assert_num_queries(3 + 7 + 1 + 3):
        cast["staff_a"].get(reverse("pairings:index"))
