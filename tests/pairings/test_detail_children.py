"""A record's page lists the records that belong to it: live ones, its own, without repeating the parent."""

import pytest

from tests.factories import (
    ContactPointActivityFactory,
    ContactPointFactory,
    JointActivityFactory,
    NeedyPairingFactory,
    NeedyPersonFactory,
    SupportFactory,
)
from tests.pairings.specs import pairing_of

pytestmark = pytest.mark.django_db


def children(response) -> dict:
    """verbose name → (records listed, column names) of each child table on a detail page."""
    return {
        str(title): ([row.record for row in table.rows], [column.name for column in table.columns])
        for title, table in response.context["children"]
    }


def test_contact_point_page_lists_its_live_activities(cast, staff_a, agency_a):
    point = ContactPointFactory(agency=agency_a)
    mine = ContactPointActivityFactory(contact_point=point, agency=agency_a)
    deleted = ContactPointActivityFactory(contact_point=point, agency=agency_a)
    deleted.delete(user=staff_a)
    ContactPointActivityFactory(contact_point=ContactPointFactory(agency=agency_a), agency=agency_a)

    listed = children(cast["staff_a"].get(point.get_absolute_url()))
    ((records, columns),) = listed.values()
    assert records == [mine]
    # The parent's official, village and agency are on the page already.
    assert "official" not in columns and "agency" not in columns and "people_consoled" in columns


def test_pairing_page_lists_its_joint_activities_and_support(cast, agency_a):
    pairing = pairing_of(agency_a)
    activity = JointActivityFactory(pairing=pairing, agency=agency_a)
    support = SupportFactory(pairing=pairing, agency=agency_a)
    other = pairing_of(agency_a)
    JointActivityFactory(pairing=other, agency=agency_a)
    SupportFactory(pairing=other, agency=agency_a)

    page = cast["staff_a"].get(pairing.get_absolute_url())
    assert [records for records, _columns in children(page).values()] == [[activity], [support]]
    assert activity.title in page.content.decode()


def test_needy_person_page_lists_their_pairings_with_the_official(cast, agency_a):
    person = NeedyPersonFactory(agency=agency_a)
    pairing = NeedyPairingFactory(agency=agency_a, needy_person=person)
    NeedyPairingFactory(agency=agency_a)

    page = cast["staff_a"].get(person.get_absolute_url())
    ((records, columns),) = children(page).values()
    assert records == [pairing] and "needy_person" not in columns
    assert pairing.official.name in page.content.decode()


def test_officer_sees_the_children_on_another_agencys_page(cast, agency_b):
    pairing = pairing_of(agency_b)
    activity = JointActivityFactory(pairing=pairing, agency=agency_b)
    page = cast["officer"].get(pairing.get_absolute_url())
    assert next(iter(children(page).values()))[0] == [activity]
