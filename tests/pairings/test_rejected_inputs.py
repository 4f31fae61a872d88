"""Bad input only the pairings forms refuse: the user reads why, and nothing is saved.

Also: the choices a clerk is offered are their own agency's, and only the kinds the rules allow.
The rules every record type shares are tested once in tests/test_record_rejected.py.
"""

import pytest
from django import forms

from outreach.models import Official, PartyOrganisation
from tests.factories import (
    CommunityOrgFactory,
    ContactPointFactory,
    NeedyPersonFactory,
    OfficialFactory,
    VillageOrgFactory,
    poor_village,
)
from tests.pairings.specs import (
    CONTACT_POINT_ACTIVITY,
    JOINT_ACTIVITY,
    NEEDY_PAIRING,
    NEEDY_PERSON,
    PAIRING,
    SUPPORT,
    committee_of,
    pairing_of,
)
from tests.record_checks import post_rejected

pytestmark = pytest.mark.django_db

INVALID_CHOICE = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])


def test_needy_person_cannot_live_in_a_township(cast, agency_a):
    township = poor_village().parent
    errors = post_rejected(cast["staff_a"], NEEDY_PERSON, {**NEEDY_PERSON.form_data(agency_a), "village": township.pk})
    assert errors["village"] == [INVALID_CHOICE]


def test_needy_person_needs_a_name(cast, agency_a):
    errors = post_rejected(cast["staff_a"], NEEDY_PERSON, {**NEEDY_PERSON.form_data(agency_a), "name": ""})
    assert errors["name"] == [str(forms.Field.default_error_messages["required"])]


def test_a_committee_cannot_be_a_pairing_partner(cast, agency_a, agency_b):
    errors = post_rejected(
        cast["staff_a"], PAIRING, {**PAIRING.form_data(agency_a), "partner": committee_of(agency_b).pk}
    )
    assert errors["partner"] == [INVALID_CHOICE]


def test_needy_pairing_with_another_agencys_official_is_refused(cast, agency_a, agency_b):
    data = {**NEEDY_PAIRING.form_data(agency_a), "official": OfficialFactory(agency=agency_b).pk}
    errors = post_rejected(cast["staff_a"], NEEDY_PAIRING, data)
    assert errors["official"] == [INVALID_CHOICE]


# --- what a clerk is offered -------------------------------------------------------------


def choices(client, spec, field) -> set:
    form = client.get(spec.url("add")).context["form"]
    return set(form.fields[field].queryset)


def test_clerk_is_offered_only_their_agencys_parents(cast, agency_a, agency_b):
    mine_point, mine_pairing, mine_person = (
        ContactPointFactory(agency=agency_a),
        pairing_of(agency_a),
        NeedyPersonFactory(agency=agency_a),
    )
    ContactPointFactory(agency=agency_b), pairing_of(agency_b), NeedyPersonFactory(agency=agency_b)
    client = cast["staff_a"]
    assert choices(client, CONTACT_POINT_ACTIVITY, "contact_point") == {mine_point}
    assert choices(client, JOINT_ACTIVITY, "pairing") == {mine_pairing}
    assert choices(client, SUPPORT, "pairing") == {mine_pairing}
    assert choices(client, NEEDY_PAIRING, "needy_person") == {mine_person}
    assert choices(client, PAIRING, "committee") == {committee_of(agency_a)}


def test_clerk_pairs_needy_people_with_their_own_officials_in_post(cast, agency_a, agency_b):
    mine = OfficialFactory(agency=agency_a, rank=Official.Rank.DIVISION)
    OfficialFactory(agency=agency_a, is_active=False)
    OfficialFactory(agency=agency_b)
    assert choices(cast["staff_a"], NEEDY_PAIRING, "official") == {mine}


def test_a_pairing_whose_official_left_post_stays_editable(cast, agency_a):
    pairing = NEEDY_PAIRING.make(agency_a)
    Official.objects.filter(pk=pairing.official_id).update(is_active=False)
    form = cast["staff_a"].get(NEEDY_PAIRING.url("edit", pairing.pk)).context["form"]
    assert pairing.official in form.fields["official"].queryset
    assert pairing.official not in choices(cast["staff_a"], NEEDY_PAIRING, "official")  # not for new ones


def test_pairing_partners_are_community_and_village_organisations_only(cast, agency_a):
    village, community = VillageOrgFactory(), CommunityOrgFactory()
    committee_of(agency_a)
    offered = choices(cast["staff_a"], PAIRING, "partner")
    assert offered == {village, community}
    assert {org.kind for org in offered} == {PartyOrganisation.Kind.VILLAGE, PartyOrganisation.Kind.COMMUNITY}


def test_the_clerks_committee_is_preselected_on_a_new_pairing(cast, agency_a):
    committee = committee_of(agency_a)
    form = cast["staff_a"].get(PAIRING.url("add")).context["form"]
    assert form["committee"].value() == committee.pk


def test_needy_people_are_placed_in_villages_or_communities_only(cast, agency_a):
    village = poor_village()
    offered = choices(cast["staff_a"], NEEDY_PERSON, "village")
    assert village in offered and village.parent not in offered
    assert {region.level for region in offered} <= {"village", "community"}
