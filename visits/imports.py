"""Sheets of an import workbook for visits and service activities (see outreach.importing.specs)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from outreach.importing.specs import RecordSheet
from visits import forms
from visits.models.channels import ChannelReturn
from visits.models.services import (
    FiveIntoAction,
    FourIntoEvent,
    HalfYear,
    VolunteerService,
    VolunteerTeam,
    half_year_span,
)
from visits.models.visits import Visit, VisitOutcome


def fill_year_and_half(values: dict) -> None:
    """A "four into" event's year and half-year, left empty, are those of its date (the half-year whose span
    holds it); a filled one that contradicts the date is refused by the model as on the form."""
    day = values.get("date")
    if day is None:
        return
    if values.get("year") is None:
        values["year"] = day.year
    if values.get("half") is None:
        values["half"] = next(
            half for half in HalfYear if half_year_span(day.year, half)[0] <= day <= half_year_span(day.year, half)[1]
        )


SHEETS = [
    RecordSheet(
        Visit,
        forms.VisitForm,
        example={
            "reference": "ZF-2014-001",
            "start_date": datetime.date(2014, 7, 1),
            "end_date": datetime.date(2014, 7, 3),
            "is_village_stay": True,
            "households": 12,
            "forums": 1,
            "opinions": 5,
            "note": "走访农户，了解用水困难",
        },
        # The form takes a visit's outcomes on its own page; a row cannot, a visit may have several.
        note=_(
            "A visit's outcomes are not entered on its row: they go on the sheet of visit outcomes, one row per "
            "outcome, each naming the visit by its reference, as a visit can have several."
        ),
    ),
    RecordSheet(
        VisitOutcome,
        forms.VisitOutcomeForm,
        example={
            "reference": "CX-2014-001",
            "businesses_helped": 1,
            "business_problems": 2,
            "financing": Decimal("200000.00"),
            "difficulties": 3,
        },
        extra=("visit",),
        note=_(
            "One row per outcome, naming its visit by the visit's reference (on the sheet of grassroots visits, or "
            "of a visit imported before): a visit with several outcomes has several rows here."
        ),
    ),
    RecordSheet(
        VolunteerTeam,
        forms.VolunteerTeamForm,
        example={
            "reference": "ZYD-01",
            "name": "机关青年志愿服务队",
            "members": 40,
            "start_date": datetime.date(2014, 3, 5),
        },
    ),
    RecordSheet(
        VolunteerService,
        forms.VolunteerServiceForm,
        example={
            "reference": "ZYFW-001",
            "date": datetime.date(2014, 5, 20),
            "person_times": 25,
            "hours": Decimal("100.0"),
            "place": "合肥市庐阳区杏花村街道",
        },
    ),
    RecordSheet(
        FourIntoEvent,
        forms.FourIntoEventForm,
        example={
            "reference": "SJ-001",
            "year": 2014,
            "half": 1,
            "date": datetime.date(2014, 6, 10),
            "title": "四进四送走进乡村",
            "officials": 20,
            "villages": 3,
        },
        fill=fill_year_and_half,
        filled={
            "year": _("May stay empty: the year of the date"),
            "half": _("May stay empty: the half-year of the date"),
        },
        # The model says it on the count; the amount that asks for it is in another column.
        see_also={
            ("families_aided", "aid_without_people"): "family_aid",
            ("students_aided", "aid_without_people"): "student_aid",
        },
    ),
    RecordSheet(
        FiveIntoAction,
        forms.FiveIntoActionForm,
        example={"reference": "WJ-001", "date": datetime.date(2014, 6, 15), "title": "送科技下乡"},
    ),
    RecordSheet(
        ChannelReturn,
        forms.ChannelReturnForm,
        example={"reference": "QD-2014H1", "year": 2014, "period_kind": "half", "half": 1},
        # Not filled from a date as a "four into" event's: a return has no date, its period is the half-year.
        help={"half": _("Required when the period is a half-year; empty for a whole-year return")},
    ),
]
