"""docs/domain.md §3 rules on the pairings schema: each gives its message and saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from outreach.models import MSG_OUTSIDE_SPAN, Official, PartyOrganisation
from outreach.validation import (
    COUNT_MAX,
    MONEY_MAX,
    MSG_COUNT_TOO_LARGE,
    MSG_END_BEFORE_START,
    MSG_FUTURE_DATE,
    MSG_MONEY_TOO_LARGE,
    MSG_NEGATIVE_COUNT,
    MSG_NEGATIVE_MONEY,
    MSG_OTHER_AGENCY,
)
from pairings import models as m
from tests.factories import (
    AgencyFactory,
    CommitteeFactory,
    CommunityOrgFactory,
    ContactPointActivityFactory,
    ContactPointFactory,
    JointActivityFactory,
    NeedyPairingFactory,
    NeedyPersonFactory,
    OfficialFactory,
    PairingFactory,
    SupportFactory,
    region_chain,
)
from tests.helpers import assert_rejected

pytestmark = pytest.mark.django_db


def test_a_valid_contact_point_is_saved_with_its_attribution(staff_a):
    point = ContactPointFactory.build(agency=staff_a.profile.agency)
    point.official.save()
    point.official_id = point.official.pk
    point.save(user=staff_a)
    point.refresh_from_db()
    assert point.created_by == staff_a and point.updated_by == staff_a
    assert point.version == 1
    assert point.history.count() == 1


def test_contact_point_needs_a_department_level_official():
    point = ContactPointFactory()
    point.official = OfficialFactory(agency=point.agency, rank=Official.Rank.DIVISION)
    assert_rejected(
        ContactPointFactory.build(agency=point.agency, official=point.official), "official", m.MSG_NOT_DEPARTMENT_LEVEL
    )
    # The message is Chinese by default.
    assert "厅局级" in str(m.MSG_NOT_DEPARTMENT_LEVEL)


@pytest.mark.parametrize(
    "village_kwargs",
    [
        {"target_city": False, "poor": True, "city_name": "合肥市"},  # not a target city
        {"target_city": True, "poor": False},  # not a poor village
    ],
)
def test_contact_point_lies_in_a_poor_village_of_a_target_city(village_kwargs):
    official = OfficialFactory()
    village = region_chain(**village_kwargs)
    point = ContactPointFactory.build(agency=official.agency, official=official, village=village)
    assert_rejected(point, "village", m.MSG_NOT_POOR_TARGET_VILLAGE)


def test_contact_point_cannot_lie_in_a_township():
    official = OfficialFactory()
    township = region_chain().parent
    point = ContactPointFactory.build(agency=official.agency, official=official, village=township)
    assert_rejected(point, "village", m.MSG_NOT_POOR_TARGET_VILLAGE)


def test_contact_point_official_of_another_agency_is_refused():
    other = OfficialFactory()
    point = ContactPointFactory.build(agency=AgencyFactory(), official=other)
    assert_rejected(point, "official", MSG_OTHER_AGENCY, {"what": _("official")})


def test_contact_point_cannot_end_before_it_starts():
    official = OfficialFactory()
    point = ContactPointFactory.build(
        agency=official.agency,
        official=official,
        start_date=datetime.date(2014, 5, 1),
        end_date=datetime.date(2014, 4, 30),
    )
    assert_rejected(point, "end_date", MSG_END_BEFORE_START)
    assert str(MSG_END_BEFORE_START) == "结束日期不能早于开始日期。"


def test_activity_counts_and_money_must_not_be_negative():
    point = ContactPointFactory()
    for field, value, message, params in [
        ("people_consoled", -1, MSG_NEGATIVE_COUNT, None),
        ("problems_solved", -5, MSG_NEGATIVE_COUNT, None),
        ("money", Decimal("-0.01"), MSG_NEGATIVE_MONEY, None),
        ("people_consoled", 10_000_000, MSG_COUNT_TOO_LARGE, {"limit_value": COUNT_MAX}),
        ("money", Decimal("100000000000.01"), MSG_MONEY_TOO_LARGE, {"limit_value": MONEY_MAX}),
    ]:
        activity = ContactPointActivityFactory.build(contact_point=point, agency=point.agency, **{field: value})
        assert_rejected(activity, field, message, params)


def test_activity_date_lies_inside_its_contact_point():
    point = ContactPointFactory(start_date=datetime.date(2014, 3, 1), end_date=datetime.date(2014, 6, 30))
    for day in (datetime.date(2014, 2, 28), datetime.date(2014, 7, 1)):
        activity = ContactPointActivityFactory.build(contact_point=point, agency=point.agency, date=day)
        assert_rejected(
            activity,
            "date",
            MSG_OUTSIDE_SPAN,
            {"what": _("contact point"), "start": point.start_date, "end": point.end_date},
        )
    ContactPointActivityFactory(contact_point=point, agency=point.agency, date=datetime.date(2014, 6, 30))


def test_activity_cannot_be_dated_in_the_future():
    point = ContactPointFactory()
    activity = ContactPointActivityFactory.build(
        contact_point=point, agency=point.agency, date=datetime.date.today() + datetime.timedelta(days=2)
    )
    assert_rejected(activity, "date", MSG_FUTURE_DATE)


def test_activity_of_another_agencys_contact_point_is_refused():
    point = ContactPointFactory()
    activity = ContactPointActivityFactory.build(contact_point=point, agency=AgencyFactory())
    assert_rejected(activity, "contact_point", MSG_OTHER_AGENCY, {"what": _("contact point")})


def test_money_is_stored_as_decimal_yuan():
    activity = ContactPointActivityFactory(money=Decimal("1234.56"))
    activity.refresh_from_db()
    assert activity.money == Decimal("1234.56") and isinstance(activity.money, Decimal)


def test_needy_person_has_no_identity_number_field():
    names = {f.name for f in m.NeedyPerson._meta.get_fields()}
    assert not {n for n in names if "id_card" in n or "identity" in n or "id_number" in n}


def test_needy_pairing_official_of_another_agency_is_refused():
    agency = AgencyFactory()
    pairing = NeedyPairingFactory.build(
        agency=agency, needy_person=NeedyPersonFactory(agency=agency), official=OfficialFactory()
    )
    assert_rejected(pairing, "official", MSG_OTHER_AGENCY, {"what": _("official")})


def test_one_plus_two_pairing_needs_own_committee_and_a_community_or_village_partner():
    agency = AgencyFactory()
    committee = CommitteeFactory(agency=agency)
    other_committee = CommitteeFactory()

    assert_rejected(
        PairingFactory.build(agency=agency, committee=other_committee, partner=CommunityOrgFactory()),
        "committee",
        m.MSG_NOT_COMMITTEE,
    )
    assert_rejected(
        PairingFactory.build(agency=agency, committee=committee, partner=other_committee),
        "partner",
        m.MSG_NOT_PARTNER,
    )
    saved = PairingFactory(agency=agency, committee=committee, partner=CommunityOrgFactory())
    assert saved.partner_kind == PartyOrganisation.Kind.COMMUNITY


def test_joint_activity_and_support_lie_inside_the_pairing():
    pairing = PairingFactory(start_date=datetime.date(2014, 3, 1))
    early = datetime.date(2014, 2, 1)
    span = {"what": _("pairing"), "start": datetime.date(2014, 3, 1), "end": _("present")}
    assert_rejected(
        JointActivityFactory.build(pairing=pairing, agency=pairing.agency, date=early), "date", MSG_OUTSIDE_SPAN, span
    )
    assert_rejected(
        SupportFactory.build(pairing=pairing, agency=pairing.agency, date=early), "date", MSG_OUTSIDE_SPAN, span
    )
    assert_rejected(
        SupportFactory.build(pairing=pairing, agency=pairing.agency, funds=Decimal("-1")), "funds", MSG_NEGATIVE_MONEY
    )


def test_five_ones_are_the_five_named_activities():
    assert [str(label) for label in m.JointActivity.FIVE_ONES] == [
        "joint_meeting",
        "mutual_visit",
        "org_life",
        "condolence",
        "livelihood",
    ]
    assert len(m.JointActivity.Kind.choices) == 6


def test_saving_again_bumps_the_version_and_keeps_history(staff_a):
    activity = ContactPointActivityFactory()
    activity.people_consoled = 12
    activity.save(user=staff_a)
    activity.refresh_from_db()
    assert activity.version == 2
    assert activity.updated_by == staff_a
    old, new = activity.history.order_by("history_date")
    assert (old.people_consoled, new.people_consoled) == (10, 12)
