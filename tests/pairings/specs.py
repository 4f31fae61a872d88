"""What differs between the pairings record types, for the tests every record type shares.

Each spec (tests/record_checks.py `Spec`) knows how to make a record of an agency
(`make`, optionally under a given parent), valid form data for a new one, one edit,
the fields "save and add another" keeps, a list filter with values inside and
outside it, and the numeric columns whose totals the list shows.
"""

import datetime
from decimal import Decimal

from outreach.models import PartyOrganisation
from pairings.models import (
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
from tests.factories import (
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
    VillageOrgFactory,
    poor_village,
)
from tests.record_checks import Spec

D = datetime.date


def committee_of(agency):
    """The agency's Party committee (one per agency), made on first use."""
    return PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.AGENCY_COMMITTEE, agency=agency).first() or (
        CommitteeFactory(agency=agency)
    )


def pairing_of(agency, **kwargs):
    return PairingFactory(agency=agency, committee=committee_of(agency), **kwargs)


# --- makers ------------------------------------------------------------------------------


def make_needy_person(agency, parent=None, **kw):
    return NeedyPersonFactory(agency=agency, **kw)


def needy_person_data(agency):
    return {"name": "张桂兰", "village": poor_village().pk, "category": NeedyPerson.Category.ELDERLY_ALONE, "note": ""}


def make_needy_pairing(agency, parent=None, **kw):
    return NeedyPairingFactory(agency=agency, official=parent or OfficialFactory(agency=agency), **kw)


def needy_pairing_data(agency):
    return {
        "official": OfficialFactory(agency=agency).pk,
        "needy_person": NeedyPersonFactory(agency=agency).pk,
        "start_date": "2014-03-01",
        "end_date": "",
        "note": "",
    }


def make_activity(agency, parent=None, **kw):
    return ContactPointActivityFactory(agency=agency, contact_point=parent or ContactPointFactory(agency=agency), **kw)


def activity_data(agency):
    return {
        "contact_point": ContactPointFactory(agency=agency, start_date=D(2014, 1, 1)).pk,
        "kind": ContactPointActivity.Kind.CONDOLENCE,
        "date": "2014-03-05",
        "people_consoled": "3",
        "problems_solved": "1",
        "money": "1200.50",
        "note": "",
    }


def make_pairing(agency, parent=None, **kw):
    return pairing_of(agency, **kw)


def pairing_data(agency):
    return {
        "committee": committee_of(agency).pk,
        "partner": VillageOrgFactory().pk,
        "start_date": "2014-03-01",
        "end_date": "",
        "note": "",
    }


def make_joint_activity(agency, parent=None, **kw):
    return JointActivityFactory(agency=agency, pairing=parent or pairing_of(agency), **kw)


def joint_activity_data(agency):
    return {
        "pairing": pairing_of(agency, start_date=D(2014, 1, 1)).pk,
        "kind": JointActivity.Kind.MUTUAL_VISIT,
        "date": "2014-03-05",
        "title": "互访交流",
        "participants": "12",
        "note": "",
    }


def make_support(agency, parent=None, **kw):
    return SupportFactory(agency=agency, pairing=parent or pairing_of(agency), **kw)


def support_data(agency):
    return {
        "pairing": pairing_of(agency, start_date=D(2014, 1, 1)).pk,
        "date": "2014-04-02",
        "projects_planned": "2",
        "projects_supported": "1",
        "industries_assisted": "3",
        "funds": "250000.00",
        "note": "",
    }


NEEDY_PERSON = Spec(
    model=NeedyPerson,
    make=make_needy_person,
    make_parent=lambda agency, **kw: None,
    form_data=needy_person_data,
    change=("category", NeedyPerson.Category.DISABLED),
    keep=("village", "category"),
    filter_params={"category": NeedyPerson.Category.POOR_STUDENT},
    inside=lambda: {"category": NeedyPerson.Category.POOR_STUDENT},
    outside=lambda: {"category": NeedyPerson.Category.SUBSISTENCE},
)
NEEDY_PAIRING = Spec(
    model=NeedyPairing,
    make=make_needy_pairing,
    make_parent=lambda agency, **kw: OfficialFactory(agency=agency, **kw),
    form_data=needy_pairing_data,
    change=("end_date", D(2014, 12, 31)),
    keep=("official", "start_date"),
    filter_params={"start_date_min": "2014-03-01", "start_date_max": "2014-03-31"},
    inside=lambda: {"start_date": D(2014, 3, 10)},
    outside=lambda: {"start_date": D(2014, 5, 10)},
    parent_field="needy_person",
)
CONTACT_POINT_ACTIVITY = Spec(
    model=ContactPointActivity,
    make=make_activity,
    make_parent=lambda agency, **kw: ContactPointFactory(agency=agency, **kw),
    form_data=activity_data,
    change=("people_consoled", 7),
    keep=("contact_point", "date"),
    filter_params={"date_min": "2014-03-01", "date_max": "2014-03-31"},
    inside=lambda: {"date": D(2014, 3, 10)},
    outside=lambda: {"date": D(2014, 5, 10)},
    sums=("people_consoled", "problems_solved", "money"),
    parent_field="contact_point",
    search_word=lambda activity: activity.contact_point.official.name,
)
PAIRING = Spec(
    model=Pairing,
    make=make_pairing,
    make_parent=lambda agency, **kw: None,
    form_data=pairing_data,
    change=("end_date", D(2014, 12, 31)),
    keep=("committee", "start_date"),
    filter_params={"partner_kind": PartyOrganisation.Kind.COMMUNITY},
    inside=lambda: {"partner": CommunityOrgFactory()},
    outside=lambda: {},
    parent_field="committee",
)
JOINT_ACTIVITY = Spec(
    model=JointActivity,
    make=make_joint_activity,
    make_parent=pairing_of,
    form_data=joint_activity_data,
    change=("title", "第二次联席会议"),
    keep=("pairing", "date"),
    filter_params={"date_min": "2014-03-01", "date_max": "2014-03-31"},
    inside=lambda: {"date": D(2014, 3, 10)},
    outside=lambda: {"date": D(2014, 5, 10)},
    sums=("participants",),
    parent_field="pairing",
)
SUPPORT = Spec(
    model=Support,
    make=make_support,
    make_parent=pairing_of,
    form_data=support_data,
    change=("funds", Decimal("300000.00")),
    keep=("pairing", "date"),
    filter_params={"date_min": "2014-04-01", "date_max": "2014-04-30"},
    inside=lambda: {"date": D(2014, 4, 10)},
    outside=lambda: {"date": D(2014, 6, 10)},
    sums=("projects_planned", "projects_supported", "industries_assisted", "funds"),
    parent_field="pairing",
    search_word=lambda support: support.pairing.partner.name,
)

SPECS = [NEEDY_PERSON, NEEDY_PAIRING, CONTACT_POINT_ACTIVITY, PAIRING, JOINT_ACTIVITY, SUPPORT]
