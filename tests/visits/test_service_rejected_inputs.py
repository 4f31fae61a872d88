"""Bad input only the service-activity forms refuse: the user reads why, on the field, and nothing is saved.

The rules every record type shares are tested once in tests/test_record_rejected.py.
"""

import pytest

from tests.factories import VolunteerTeamFactory
from tests.record_checks import form_errors, post_rejected
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, VOLUNTEER_SERVICE, VOLUNTEER_TEAM
from visits.models import FiveIntoAction, VolunteerTeam
from visits.models.services import (
    MSG_AID_WITHOUT_PEOPLE,
    MSG_HOURS_TOO_MANY,
    MSG_NEGATIVE_HOURS,
    MSG_NOT_THIS_KIND,
    MSG_OUTSIDE_HALF,
    MSG_SPECIALTY_GENERAL,
    MSG_SPECIALTY_NEEDED,
)

pytestmark = pytest.mark.django_db


def test_negative_hours_are_refused_with_the_hours_message(cast, agency_a):
    errors = post_rejected(
        cast["staff_a"], VOLUNTEER_SERVICE, {**VOLUNTEER_SERVICE.form_data(agency_a), "hours": "-1.5"}
    )
    assert errors["hours"] == [str(MSG_NEGATIVE_HOURS)]


def test_hours_take_one_decimal_place(cast, agency_a):
    errors = post_rejected(
        cast["staff_a"], VOLUNTEER_SERVICE, {**VOLUNTEER_SERVICE.form_data(agency_a), "hours": "2.25"}
    )
    assert list(errors) == ["hours"]


def test_more_hours_than_a_day_per_volunteer_is_refused(cast, agency_a):
    data = {**VOLUNTEER_SERVICE.form_data(agency_a), "person_times": "2", "hours": "48.1"}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_SERVICE, data)
    assert errors["hours"] == [str(MSG_HOURS_TOO_MANY) % {"limit": 48}]


@pytest.mark.parametrize(("date", "half"), [("2014-07-01", "1"), ("2014-06-30", "2")])
def test_a_date_outside_the_half_year_is_refused_on_the_date(cast, agency_a, date, half):
    errors = post_rejected(cast["staff_a"], FOUR_INTO, {**FOUR_INTO.form_data(agency_a), "date": date, "half": half})
    start, end = ("2014-01-01", "2014-06-30") if half == "1" else ("2014-07-01", "2014-12-31")
    assert errors["date"] == [str(MSG_OUTSIDE_HALF) % {"start": start, "end": end}]


def test_a_date_in_another_year_is_outside_the_half_year(cast, agency_a):
    errors = post_rejected(cast["staff_a"], FOUR_INTO, {**FOUR_INTO.form_data(agency_a), "year": "2013"})
    assert errors["date"] == [str(MSG_OUTSIDE_HALF) % {"start": "2013-01-01", "end": "2013-06-30"}]


@pytest.mark.parametrize(("money", "people"), [("family_aid", "families_aided"), ("student_aid", "students_aided")])
def test_aid_without_anybody_aided_is_refused(cast, agency_a, money, people):
    data = {**FOUR_INTO.form_data(agency_a), people: "0", money: "800.00"}
    errors = post_rejected(cast["staff_a"], FOUR_INTO, data)
    assert errors[people] == [str(MSG_AID_WITHOUT_PEOPLE)]


def test_a_professional_team_without_specialty_is_refused(cast, agency_a):
    data = {**VOLUNTEER_TEAM.form_data(agency_a), "specialty": ""}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_TEAM, data)
    assert errors["specialty"] == [str(MSG_SPECIALTY_NEEDED)]


def test_a_general_team_with_a_specialty_is_refused(cast, agency_a):
    data = {**VOLUNTEER_TEAM.form_data(agency_a), "kind": VolunteerTeam.Kind.GENERAL}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_TEAM, data)
    assert errors["specialty"] == [str(MSG_SPECIALTY_GENERAL)]


def test_a_culture_action_with_consultations_is_refused_on_that_field(cast, agency_a):
    data = {
        **FIVE_INTO.form_data(agency_a),
        "kind": FiveIntoAction.Kind.CULTURE,
        "culture_trips": "2",
        "consultations": "50",
    }
    errors = post_rejected(cast["staff_a"], FIVE_INTO, data)
    kind = FiveIntoAction.Kind.CULTURE.label
    assert errors == {"consultations": [str(MSG_NOT_THIS_KIND) % {"kind": kind}]}


def test_books_given_to_somebody_belong_to_a_publicity_action(cast, agency_a):
    data = {**FIVE_INTO.form_data(agency_a), "book_recipients": "王楼村小学"}
    errors = post_rejected(cast["staff_a"], FIVE_INTO, data)
    assert errors == {"book_recipients": [str(MSG_NOT_THIS_KIND) % {"kind": FiveIntoAction.Kind.HEALTH.label}]}


def test_an_edit_refused_keeps_the_stored_record(cast, staff_a, agency_a):
    team = VolunteerTeamFactory(agency=agency_a, kind=VolunteerTeam.Kind.GENERAL, members=10)
    data = {
        **VOLUNTEER_TEAM.form_data(agency_a),
        "kind": VolunteerTeam.Kind.PROFESSIONAL,
        "specialty": "",
        "members": "99",
        "start_date": "2014-01-01",
        "version": team.version,
    }
    errors = form_errors(cast["staff_a"].post(VOLUNTEER_TEAM.url("edit", team.pk), data))
    assert errors["specialty"] == [str(MSG_SPECIALTY_NEEDED)]
    team.refresh_from_db()
    assert (team.kind, team.members, team.version) == (VolunteerTeam.Kind.GENERAL, 10, 1)
