"""What differs between the pairings record types, for the view tests they share.

Each spec knows how to make a record of an agency (`make`, optionally under a
given parent), valid form data for a new one, one edit, the fields "save and add
another" keeps, a list filter with values inside and outside it, and the
numeric columns whose totals the list shows.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.urls import reverse

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

D = datetime.date


def committee_of(agency):
    """The agency's Party committee (one per agency), made on first use."""
    return PartyOrganisation.objects.filter(kind=PartyOrganisation.Kind.AGENCY_COMMITTEE, agency=agency).first() or (
        CommitteeFactory(agency=agency)
    )


def pairing_of(agency, **kwargs):
    return PairingFactory(agency=agency, committee=committee_of(agency), **kwargs)


@dataclass
class Spec:
    model: type
    #: (agency, parent=None, **overrides) → a saved record
    make: Callable[..., Any]
    #: (agency) → a saved parent record for `make`, or None
    make_parent: Callable[..., Any]
    #: (agency) → POST data of a valid new record
    form_data: Callable[..., dict]
    #: a field and its new value, for the edit test
    change: tuple[str, Any]
    #: what "save and add another" keeps
    keep: tuple[str, ...]
    #: list filter parameters, and () → `make` overrides of a record inside / outside them
    filter_params: dict
    inside: Callable[[], dict]
    outside: Callable[[], dict]
    #: numeric columns with a totals row
    sums: tuple[str, ...] = ()
    #: the parent field, where a record has an agency-owned parent
    parent_field: str | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name

    def url(self, action: str, *args) -> str:
        return reverse(f"pairings:{self.name}_{action}", args=args)

    def __str__(self):
        return self.name


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
    make_parent=lambda agency: None,
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
    make_parent=lambda agency: OfficialFactory(agency=agency),
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
    make_parent=lambda agency: ContactPointFactory(agency=agency),
    form_data=activity_data,
    change=("people_consoled", 7),
    keep=("contact_point", "date"),
    filter_params={"date_min": "2014-03-01", "date_max": "2014-03-31"},
    inside=lambda: {"date": D(2014, 3, 10)},
    outside=lambda: {"date": D(2014, 5, 10)},
    sums=("people_consoled", "problems_solved", "money"),
    parent_field="contact_point",
)
PAIRING = Spec(
    model=Pairing,
    make=make_pairing,
    make_parent=lambda agency: None,
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
)

SPECS = [NEEDY_PERSON, NEEDY_PAIRING, CONTACT_POINT_ACTIVITY, PAIRING, JOINT_ACTIVITY, SUPPORT]
NUMERIC_SPECS = [spec for spec in SPECS if spec.sums]


def export_rows(response) -> list[tuple]:
    """The data rows of an Excel download (header dropped)."""
    assert response.status_code == 200, response.status_code
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))[1:]


def form_errors(response) -> dict:
    """A re-rendered form's errors (fails clearly when the response is not a form page)."""
    assert response.status_code == 200, f"expected the form back, got {response.status_code}"
    return response.context["form"].errors
