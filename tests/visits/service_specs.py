"""What differs between the service-activity record types, for the tests every record type shares.

The same `Spec` (tests/record_checks.py) as the pairings record types.
"""

import datetime
from decimal import Decimal

from tests.factories import (
    FiveIntoActionFactory,
    FourIntoEventFactory,
    VolunteerServiceFactory,
    VolunteerTeamFactory,
)
from tests.record_checks import Spec
from visits.models import FiveIntoAction, FourIntoEvent, VolunteerService, VolunteerTeam

D = datetime.date


# --- makers and valid form data ------------------------------------------------------------


def make_four_into(agency, parent=None, **kw):
    return FourIntoEventFactory(agency=agency, **kw)


def four_into_data(agency):
    return {
        "year": "2014",
        "half": "1",
        "date": "2014-05-08",
        "title": "走进企业、走进农村、走进学校、走进困难家庭",
        "officials": "25",
        "enterprises": "2",
        "villages": "4",
        "schools": "1",
        "families_aided": "6",
        "family_aid": "6000.00",
        "students_aided": "3",
        "student_aid": "4500.00",
        "note": "",
    }


def make_team(agency, parent=None, **kw):
    return VolunteerTeamFactory(agency=agency, **kw)


def team_data(agency):
    return {
        "name": "医疗志愿服务队",
        "kind": VolunteerTeam.Kind.PROFESSIONAL,
        "specialty": VolunteerTeam.Specialty.MEDICAL,
        "members": "18",
        "start_date": "2014-02-10",
        "end_date": "",
        "note": "",
    }


def make_service(agency, parent=None, **kw):
    return VolunteerServiceFactory(agency=agency, team=parent or VolunteerTeamFactory(agency=agency), **kw)


def service_data(agency):
    return {
        "team": VolunteerTeamFactory(agency=agency, start_date=D(2014, 1, 1)).pk,
        "date": "2014-03-15",
        "activity": VolunteerService.Activity.TEACHING,
        "person_times": "8",
        "hours": "24.5",
        "place": "王楼村小学",
        "note": "",
    }


def make_five_into(agency, parent=None, **kw):
    return FiveIntoActionFactory(agency=agency, **kw)


def five_into_data(agency):
    return {
        "kind": FiveIntoAction.Kind.HEALTH,
        "date": "2014-06-02",
        "title": "健康义诊进乡村",
        "consultations": "320",
        **{name: "0" for name in FiveIntoAction.yield_fields() if name != "consultations"},
        "book_recipients": "",
        "note": "",
    }


FOUR_INTO = Spec(
    model=FourIntoEvent,
    make=make_four_into,
    make_parent=lambda agency, **kw: None,
    form_data=four_into_data,
    change=("officials", 40),
    keep=("year", "half", "date"),
    filter_params={"year": "2014", "half": "2"},
    inside=lambda: {"half": 2, "date": D(2014, 9, 10)},
    outside=lambda: {"half": 1, "date": D(2014, 3, 10)},
    sums=(
        "officials",
        "enterprises",
        "villages",
        "schools",
        "families_aided",
        "family_aid",
        "students_aided",
        "student_aid",
    ),
)
VOLUNTEER_TEAM = Spec(
    model=VolunteerTeam,
    make=make_team,
    make_parent=lambda agency, **kw: None,
    form_data=team_data,
    change=("members", 45),
    keep=("kind", "specialty", "start_date"),
    filter_params={"kind": VolunteerTeam.Kind.PROFESSIONAL},
    inside=lambda: {"kind": VolunteerTeam.Kind.PROFESSIONAL, "specialty": VolunteerTeam.Specialty.LEGAL},
    outside=lambda: {"kind": VolunteerTeam.Kind.GENERAL},
    sums=("members",),
)
VOLUNTEER_SERVICE = Spec(
    model=VolunteerService,
    make=make_service,
    make_parent=lambda agency, **kw: VolunteerTeamFactory(agency=agency, **kw),
    form_data=service_data,
    change=("hours", Decimal("30.5")),
    keep=("team", "date"),
    filter_params={
        "date_min": "2014-03-01",
        "date_max": "2014-03-31",
        "activity": VolunteerService.Activity.ENVIRONMENT,
    },
    inside=lambda: {"date": D(2014, 3, 10), "activity": VolunteerService.Activity.ENVIRONMENT},
    outside=lambda: {"date": D(2014, 5, 10), "activity": VolunteerService.Activity.ENVIRONMENT},
    sums=("person_times", "hours"),
    parent_field="team",
)
FIVE_INTO = Spec(
    model=FiveIntoAction,
    make=make_five_into,
    make_parent=lambda agency, **kw: None,
    form_data=five_into_data,
    change=("book_boxes", 5),
    keep=("kind", "date"),
    filter_params={"kind": FiveIntoAction.Kind.PUBLICITY, "date_min": "2014-05-01", "date_max": "2014-05-31"},
    inside=lambda: {"date": D(2014, 5, 10)},
    outside=lambda: {"date": D(2014, 7, 10)},
    sums=FiveIntoAction.yield_fields(),
    free_sums=FiveIntoAction.YIELDS[FiveIntoAction.Kind.PUBLICITY],  # an action fills only its own kind's figures
)

SPECS = [FOUR_INTO, VOLUNTEER_TEAM, VOLUNTEER_SERVICE, FIVE_INTO]
