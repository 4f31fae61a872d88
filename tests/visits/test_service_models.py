"""The rules of visits/models/services.py, each refused with its message and nothing saved."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from outreach.models import MSG_OUTSIDE_SPAN
from outreach.validation import (
    MSG_END_BEFORE_START,
    MSG_FUTURE_DATE,
    MSG_NEGATIVE_COUNT,
    MSG_NEGATIVE_MONEY,
    MSG_OTHER_AGENCY,
)
from tests.factories import (
    AgencyFactory,
    FiveIntoActionFactory,
    FourIntoEventFactory,
    VolunteerServiceFactory,
    VolunteerTeamFactory,
)
from tests.helpers import assert_rejected
from visits.models import FiveIntoAction, VolunteerTeam
from visits.models.services import (
    MSG_AID_WITHOUT_PEOPLE,
    MSG_HOURS_TOO_MANY,
    MSG_NEGATIVE_HOURS,
    MSG_NOT_THIS_KIND,
    MSG_OUTSIDE_HALF,
    MSG_SPECIALTY_GENERAL,
    MSG_SPECIALTY_NEEDED,
    HalfYear,
    half_year_span,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- "four into" events ----------------------------------------------------------------------


def test_half_years_split_the_year_at_the_end_of_june():
    assert half_year_span(2014, HalfYear.FIRST) == (D(2014, 1, 1), D(2014, 6, 30))
    assert half_year_span(2014, HalfYear.SECOND) == (D(2014, 7, 1), D(2014, 12, 31))


@pytest.mark.parametrize(
    ("year", "half", "date"),
    [(2014, 1, D(2014, 7, 1)), (2014, 2, D(2014, 6, 30)), (2013, 1, D(2014, 3, 1))],
)
def test_four_into_date_must_lie_in_its_half_year(year, half, date):
    start, end = half_year_span(year, half)
    assert_rejected(
        FourIntoEventFactory.build(agency=AgencyFactory(), year=year, half=half, date=date),
        "date",
        MSG_OUTSIDE_HALF,
        {"start": start, "end": end},
    )


def test_four_into_dates_on_the_half_years_edges_are_accepted():
    agency = AgencyFactory()
    FourIntoEventFactory(agency=agency, half=1, date=D(2014, 6, 30))
    FourIntoEventFactory(agency=agency, half=2, date=D(2014, 7, 1))


def test_four_into_sites_are_enterprises_villages_and_schools():
    assert FourIntoEventFactory(enterprises=2, villages=5, schools=4).sites == 11


@pytest.mark.parametrize(("money", "people"), [("family_aid", "families_aided"), ("student_aid", "students_aided")])
def test_four_into_aid_needs_somebody_aided(money, people):
    event = FourIntoEventFactory.build(agency=AgencyFactory(), **{people: 0, money: Decimal("100.00")})
    assert_rejected(event, people, MSG_AID_WITHOUT_PEOPLE)


def test_four_into_counts_and_money_must_not_be_negative():
    assert_rejected(FourIntoEventFactory.build(agency=AgencyFactory(), villages=-1), "villages", MSG_NEGATIVE_COUNT)
    assert_rejected(
        FourIntoEventFactory.build(agency=AgencyFactory(), student_aid=Decimal("-1")), "student_aid", MSG_NEGATIVE_MONEY
    )


def test_four_into_date_cannot_be_in_the_future():
    later = datetime.date.today() + datetime.timedelta(days=3)
    event = FourIntoEventFactory.build(
        agency=AgencyFactory(), year=later.year, half=1 if later.month < 7 else 2, date=later
    )
    assert_rejected(event, "date", MSG_FUTURE_DATE)


# --- volunteer teams ----------------------------------------------------------------------------


def test_a_professional_team_needs_its_specialty():
    team = VolunteerTeamFactory.build(agency=AgencyFactory(), kind=VolunteerTeam.Kind.PROFESSIONAL, specialty="")
    assert_rejected(team, "specialty", MSG_SPECIALTY_NEEDED)


def test_a_general_team_has_no_specialty():
    team = VolunteerTeamFactory.build(
        agency=AgencyFactory(), kind=VolunteerTeam.Kind.GENERAL, specialty=VolunteerTeam.Specialty.LEGAL
    )
    assert_rejected(team, "specialty", MSG_SPECIALTY_GENERAL)


def test_a_team_ends_on_or_after_it_began():
    team = VolunteerTeamFactory.build(agency=AgencyFactory(), start_date=D(2014, 3, 1), end_date=D(2014, 2, 1))
    assert_rejected(team, "end_date", MSG_END_BEFORE_START)


def test_team_members_must_not_be_negative():
    assert_rejected(VolunteerTeamFactory.build(agency=AgencyFactory(), members=-1), "members", MSG_NEGATIVE_COUNT)


# --- volunteer services ---------------------------------------------------------------------------


def test_service_hours_must_not_be_negative():
    team = VolunteerTeamFactory()
    assert_rejected(
        VolunteerServiceFactory.build(team=team, agency=team.agency, hours=Decimal("-0.5")), "hours", MSG_NEGATIVE_HOURS
    )


def test_nobody_serves_more_than_24_hours_a_day():
    team = VolunteerTeamFactory()
    service = VolunteerServiceFactory.build(team=team, agency=team.agency, person_times=2, hours=Decimal("48.5"))
    assert_rejected(service, "hours", MSG_HOURS_TOO_MANY, {"limit": 48})
    VolunteerServiceFactory(team=team, person_times=2, hours=Decimal("48.0"))  # exactly a full day each


def test_a_service_belongs_to_a_team_of_its_own_agency():
    service = VolunteerServiceFactory.build(team=VolunteerTeamFactory(), agency=AgencyFactory())
    assert_rejected(service, "team", MSG_OTHER_AGENCY, {"what": _("volunteer team")})


@pytest.mark.parametrize("date", [D(2014, 2, 28), D(2014, 7, 1)])
def test_a_service_lies_within_its_teams_dates(date):
    team = VolunteerTeamFactory(start_date=D(2014, 3, 1), end_date=D(2014, 6, 30))
    span = {"what": _("volunteer team"), "start": team.start_date, "end": team.end_date}
    assert_rejected(
        VolunteerServiceFactory.build(team=team, agency=team.agency, date=date), "date", MSG_OUTSIDE_SPAN, span
    )


def test_service_person_times_must_not_be_negative():
    team = VolunteerTeamFactory()
    service = VolunteerServiceFactory.build(team=team, agency=team.agency, person_times=-1, hours=0)
    assert_rejected(service, "person_times", MSG_NEGATIVE_COUNT)


# --- "five into" actions --------------------------------------------------------------------------


def test_every_yield_belongs_to_exactly_one_kind():
    fields = FiveIntoAction.yield_fields()
    assert len(fields) == len(set(fields)) and set(FiveIntoAction.YIELDS) == set(FiveIntoAction.Kind)


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (kind, field)
        for kind in FiveIntoAction.Kind
        for field in FiveIntoAction.yield_fields()
        if field not in FiveIntoAction.YIELDS[kind]
    ],
    ids=str,
)
def test_an_action_records_only_what_its_kind_yields(kind, field):
    zeros = dict.fromkeys(FiveIntoAction.yield_fields(), 0)
    action = FiveIntoActionFactory.build(agency=AgencyFactory(), kind=kind, **{**zeros, field: 3})
    assert_rejected(action, field, MSG_NOT_THIS_KIND, {"kind": kind.label})


@pytest.mark.parametrize("kind", list(FiveIntoAction.Kind), ids=str)
def test_an_action_records_what_its_kind_yields(kind):
    zeros = dict.fromkeys(FiveIntoAction.yield_fields(), 0)
    own = dict.fromkeys(FiveIntoAction.YIELDS[kind], 7)
    action = FiveIntoActionFactory(agency=AgencyFactory(), kind=kind, **{**zeros, **own})
    assert {name: getattr(action, name) for name in own} == own


def test_book_recipients_belong_to_publicity_actions():
    action = FiveIntoActionFactory.build(
        agency=AgencyFactory(), kind=FiveIntoAction.Kind.CULTURE, books=0, book_boxes=0, book_recipients="王楼村小学"
    )
    assert_rejected(action, "book_recipients", MSG_NOT_THIS_KIND, {"kind": FiveIntoAction.Kind.CULTURE.label})


def test_five_into_counts_must_not_be_negative():
    action = FiveIntoActionFactory.build(agency=AgencyFactory(), book_boxes=-1)
    assert_rejected(action, "book_boxes", MSG_NEGATIVE_COUNT)
