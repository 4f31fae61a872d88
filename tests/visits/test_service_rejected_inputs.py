"""Bad input on the service-activity forms: the user reads why, on the field, and nothing is saved."""

import datetime

import pytest
from django.utils.translation import gettext_lazy as _

from outreach.models import MSG_OUTSIDE_SPAN, MSG_PERIOD_LOCKED, period_label
from outreach.services import lock_period
from outreach.validation import MSG_END_BEFORE_START, MSG_FUTURE_DATE, MSG_NEGATIVE_COUNT, MSG_NEGATIVE_MONEY
from tests.factories import VolunteerTeamFactory
from tests.pairings.specs import form_errors
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, SPECS, VOLUNTEER_SERVICE, VOLUNTEER_TEAM
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


def post_rejected(client, spec, data) -> dict:
    """Post a new record; it must come back with errors and leave nothing saved."""
    errors = form_errors(client.post(spec.url("add"), data))
    assert errors, "the form was accepted"
    assert spec.model.all_objects.count() == 0, "a rejected record was saved"
    return errors


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


def test_a_service_before_its_team_began_is_refused(cast, agency_a):
    team = VolunteerTeamFactory(agency=agency_a, start_date=datetime.date(2014, 4, 1))
    data = {**VOLUNTEER_SERVICE.form_data(agency_a), "team": team.pk, "date": "2014-03-15"}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_SERVICE, data)
    params = {"what": _("volunteer team"), "start": datetime.date(2014, 4, 1), "end": _("present")}
    assert errors["date"] == [str(MSG_OUTSIDE_SPAN) % params]


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


@pytest.mark.parametrize(
    ("spec", "field", "value", "message"),
    [
        (FOUR_INTO, "officials", "-1", MSG_NEGATIVE_COUNT),
        (FOUR_INTO, "schools", "-2", MSG_NEGATIVE_COUNT),
        (FOUR_INTO, "family_aid", "-0.01", MSG_NEGATIVE_MONEY),
        (VOLUNTEER_TEAM, "members", "-3", MSG_NEGATIVE_COUNT),
        (VOLUNTEER_SERVICE, "person_times", "-1", MSG_NEGATIVE_COUNT),
        (FIVE_INTO, "consultations", "-5", MSG_NEGATIVE_COUNT),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.startswith("-") else None,
)
def test_negative_numbers_are_refused_with_the_programme_message(cast, agency_a, spec, field, value, message):
    errors = post_rejected(cast["staff_a"], spec, {**spec.form_data(agency_a), field: value})
    assert errors[field] == [str(message)]


def test_a_professional_team_without_specialty_is_refused(cast, agency_a):
    data = {**VOLUNTEER_TEAM.form_data(agency_a), "specialty": ""}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_TEAM, data)
    assert errors["specialty"] == [str(MSG_SPECIALTY_NEEDED)]


def test_a_general_team_with_a_specialty_is_refused(cast, agency_a):
    data = {**VOLUNTEER_TEAM.form_data(agency_a), "kind": VolunteerTeam.Kind.GENERAL}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_TEAM, data)
    assert errors["specialty"] == [str(MSG_SPECIALTY_GENERAL)]


def test_a_team_ending_before_it_began_is_refused(cast, agency_a):
    data = {**VOLUNTEER_TEAM.form_data(agency_a), "end_date": "2014-01-31"}
    errors = post_rejected(cast["staff_a"], VOLUNTEER_TEAM, data)
    assert errors["end_date"] == [str(MSG_END_BEFORE_START)]


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


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_a_date_in_the_future_is_refused(cast, agency_a, spec):
    field = "start_date" if spec is VOLUNTEER_TEAM else "date"
    later = datetime.date.today() + datetime.timedelta(days=2)
    data = {
        **spec.form_data(agency_a),
        field: later.isoformat(),
        "year": str(later.year),
        "half": "1" if later.month < 7 else "2",
    }
    errors = post_rejected(cast["staff_a"], spec, data)
    assert errors[field] == [str(MSG_FUTURE_DATE)]


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


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_a_locked_month_refuses_new_records(cast, officer, agency_a, spec):
    data = spec.form_data(agency_a)
    day = datetime.date.fromisoformat(data.get("date") or data["start_date"])
    lock_period(user=officer, year=day.year, month=day.month)
    response = cast["staff_a"].post(spec.url("add"), data)
    assert response.context["form"].non_field_errors() == [str(MSG_PERIOD_LOCKED) % {"period": period_label(day)}]
    assert spec.model.all_objects.count() == 0
