"""Bad input on the pairings forms: the user reads why, and nothing is saved.

Also: the choices a clerk is offered are their own agency's, and only the kinds the rules allow.
"""

import datetime

import pytest
from django import forms

from outreach.models import MSG_OUTSIDE_SPAN, Official, PartyOrganisation
from outreach.validation import MSG_END_BEFORE_START, MSG_FUTURE_DATE, MSG_NEGATIVE_COUNT, MSG_NEGATIVE_MONEY
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
    form_errors,
    pairing_of,
)

pytestmark = pytest.mark.django_db

INVALID_CHOICE = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])


def prefix(message) -> str:
    """The fixed text of a message with parameters (what precedes the first %(...)s)."""
    return str(message).split("%(")[0]


def post_rejected(client, spec, data) -> dict:
    """Post a new record; it must come back with errors and leave nothing saved."""
    errors = form_errors(client.post(spec.url("add"), data))
    assert errors, "the form was accepted"
    assert spec.model.all_objects.count() == 0, "a rejected record was saved"
    return errors


@pytest.mark.parametrize(
    ("spec", "field", "value", "message"),
    [
        (CONTACT_POINT_ACTIVITY, "people_consoled", "-1", MSG_NEGATIVE_COUNT),
        (CONTACT_POINT_ACTIVITY, "problems_solved", "-3", MSG_NEGATIVE_COUNT),
        (CONTACT_POINT_ACTIVITY, "money", "-0.01", MSG_NEGATIVE_MONEY),
        (JOINT_ACTIVITY, "participants", "-5", MSG_NEGATIVE_COUNT),
        (SUPPORT, "projects_planned", "-1", MSG_NEGATIVE_COUNT),
        (SUPPORT, "industries_assisted", "-1", MSG_NEGATIVE_COUNT),
        (SUPPORT, "funds", "-100.00", MSG_NEGATIVE_MONEY),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("-") else None,
)
def test_negative_numbers_are_refused_with_the_programme_message(cast, agency_a, spec, field, value, message):
    errors = post_rejected(cast["staff_a"], spec, {**spec.form_data(agency_a), field: value})
    assert errors[field] == [str(message)]


@pytest.mark.parametrize("spec", [NEEDY_PAIRING, PAIRING], ids=str)
def test_end_before_start_is_refused(cast, agency_a, spec):
    errors = post_rejected(
        cast["staff_a"], spec, {**spec.form_data(agency_a), "start_date": "2014-03-01", "end_date": "2014-02-28"}
    )
    assert errors["end_date"] == [str(MSG_END_BEFORE_START)]


@pytest.mark.parametrize("spec", [CONTACT_POINT_ACTIVITY, JOINT_ACTIVITY, SUPPORT], ids=str)
def test_a_date_in_the_future_is_refused(cast, agency_a, spec):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    errors = post_rejected(cast["staff_a"], spec, {**spec.form_data(agency_a), "date": tomorrow.isoformat()})
    assert errors["date"] == [str(MSG_FUTURE_DATE)]


def test_activity_before_its_contact_point_began_is_refused(cast, agency_a):
    point = ContactPointFactory(agency=agency_a, start_date=datetime.date(2014, 3, 1))
    data = {**CONTACT_POINT_ACTIVITY.form_data(agency_a), "contact_point": point.pk, "date": "2014-02-28"}
    errors = post_rejected(cast["staff_a"], CONTACT_POINT_ACTIVITY, data)
    assert errors["date"][0].startswith(prefix(MSG_OUTSIDE_SPAN)) and "2014-03-01" in errors["date"][0]


@pytest.mark.parametrize("spec", [JOINT_ACTIVITY, SUPPORT], ids=str)
def test_activity_after_its_pairing_ended_is_refused(cast, agency_a, spec):
    pairing = pairing_of(agency_a, start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2014, 6, 30))
    data = {**spec.form_data(agency_a), "pairing": pairing.pk, "date": "2014-07-01"}
    errors = post_rejected(cast["staff_a"], spec, data)
    assert errors["date"][0].startswith(prefix(MSG_OUTSIDE_SPAN)) and "2014-06-30" in errors["date"][0]


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
