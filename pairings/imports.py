"""Sheets of an import workbook for contact points and "1+2" pairings (see outreach.importing.specs)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from outreach.importing.specs import RecordSheet
from pairings import forms
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)

SHEETS = [
    RecordSheet(
        ContactPoint, forms.ContactPointForm, example={"reference": "LXD-01", "start_date": datetime.date(2014, 3, 1)}
    ),
    RecordSheet(
        NeedyPerson,
        forms.NeedyPersonForm,
        example={"reference": "KN-001", "name": "王某某"},
        note=_(
            "Their pairing with an official goes on the sheet of needy person pairings, naming them by this reference."
        ),
    ),
    RecordSheet(
        NeedyPairing,
        forms.NeedyPairingForm,
        example={"reference": "JD-001", "start_date": datetime.date(2014, 3, 5)},
        # A person is entered once and may be paired again (another official, another year).
        note=_(
            "The needy person is entered once, on the sheet of needy people, and named here by their reference: "
            "a person paired again (with another official, in another year) is not entered twice."
        ),
    ),
    RecordSheet(
        ContactPointActivity,
        forms.ContactPointActivityForm,
        example={
            "reference": "LXDHD-001",
            "date": datetime.date(2014, 4, 12),
            "people_consoled": 12,
            "problems_solved": 3,
            "money": Decimal("15000.00"),
        },
    ),
    RecordSheet(
        Pairing,
        forms.PairingForm,
        example={"reference": "JD12-01", "start_date": datetime.date(2014, 2, 20)},
        sole_choice=("committee",),
        filled={"committee": _("May stay empty: your agency's Party committee")},
    ),
    RecordSheet(
        JointActivity,
        forms.JointActivityForm,
        example={
            "reference": "LHHD-001",
            "date": datetime.date(2014, 5, 8),
            "title": "共驻共建联席会议",
            "participants": 30,
        },
    ),
    RecordSheet(
        Support,
        forms.SupportForm,
        example={
            "reference": "BF-001",
            "date": datetime.date(2014, 6, 18),
            "projects_planned": 2,
            "projects_supported": 1,
            "industries_assisted": 1,
            "funds": Decimal("50000.00"),
        },
    ),
]
