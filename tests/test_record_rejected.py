"""Bad input on every pairings and visits record form: the user reads why, on the field, and nothing is saved.

The rules every record type shares, once for all of them (the test id names the type);
what only one type refuses is tested in its app's own files.
"""

import datetime

import pytest
from django.utils.translation import gettext_lazy as _

from outreach.importing.cells import MSG_APPROXIMATE
from outreach.models import MSG_OUTSIDE_SPAN, MSG_PERIOD_LOCKED, period_label
from outreach.services import lock_period
from outreach.validation import MSG_END_BEFORE_START, MSG_FUTURE_DATE, MSG_NEGATIVE_COUNT, MSG_NEGATIVE_MONEY
from tests.pairings.specs import CONTACT_POINT_ACTIVITY, JOINT_ACTIVITY, NEEDY_PAIRING, PAIRING, SUPPORT
from tests.record_checks import post_rejected
from tests.record_specs import DATED_SPECS, NUMERIC_SPECS
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, VOLUNTEER_SERVICE, VOLUNTEER_TEAM

pytestmark = pytest.mark.django_db

D = datetime.date


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


@pytest.mark.parametrize("spec", [NEEDY_PAIRING, PAIRING, VOLUNTEER_TEAM], ids=str)
def test_end_before_start_is_refused(cast, agency_a, spec):
    errors = post_rejected(
        cast["staff_a"], spec, {**spec.form_data(agency_a), "start_date": "2014-03-01", "end_date": "2014-02-28"}
    )
    assert errors["end_date"] == [str(MSG_END_BEFORE_START)]


@pytest.mark.parametrize("spec", DATED_SPECS, ids=str)
def test_a_date_in_the_future_is_refused(cast, agency_a, spec):
    later = datetime.date.today() + datetime.timedelta(days=2)
    data = {
        **spec.form_data(agency_a),
        spec.date_field: later.isoformat(),
        "year": str(later.year),  # a "four into" event's half-year is that of its date
        "half": "1" if later.month < 7 else "2",
    }
    errors = post_rejected(cast["staff_a"], spec, data)
    assert errors[spec.date_field] == [str(MSG_FUTURE_DATE)]


# Record types dated within their parent's span, and what the message calls the parent.
SPANNED = [
    (CONTACT_POINT_ACTIVITY, _("contact point")),
    (JOINT_ACTIVITY, _("pairing")),
    (SUPPORT, _("pairing")),
    (VOLUNTEER_SERVICE, _("volunteer team")),
]


@pytest.mark.parametrize(
    ("date", "end"),
    [("2014-02-28", None), ("2014-07-01", D(2014, 6, 30))],
    ids=["before-an-open-span", "after-an-ended-span"],
)
@pytest.mark.parametrize(("spec", "what"), SPANNED, ids=[str(spec) for spec, _what in SPANNED])
def test_a_date_outside_its_parents_span_is_refused(cast, agency_a, spec, what, date, end):
    parent = spec.make_parent(agency_a, start_date=D(2014, 3, 1), end_date=end)
    data = {**spec.form_data(agency_a), spec.parent_field: parent.pk, "date": date}
    errors = post_rejected(cast["staff_a"], spec, data)
    params = {"what": what, "start": D(2014, 3, 1), "end": end or _("present")}
    assert errors["date"] == [str(MSG_OUTSIDE_SPAN) % params]


@pytest.mark.parametrize("spec", DATED_SPECS, ids=str)
def test_a_locked_month_refuses_new_records(cast, officer, agency_a, spec):
    data = spec.form_data(agency_a)
    day = datetime.date.fromisoformat(data[spec.date_field])
    lock_period(user=officer, year=day.year, month=day.month)
    response = cast["staff_a"].post(spec.url("add"), data)
    assert response.context["form"].non_field_errors() == [str(MSG_PERIOD_LOCKED) % {"period": period_label(day)}]
    assert spec.model.all_objects.count() == 0


@pytest.mark.parametrize("spec", NUMERIC_SPECS, ids=str)
def test_a_number_the_import_refuses_is_refused_on_the_form_and_shown_back_as_typed(cast, agency_a, spec):
    field = (spec.free_sums or spec.sums)[0]
    response = cast["staff_a"].post(spec.url("add"), {**spec.form_data(agency_a), field: "300余"})
    assert response.context["form"].errors[field] == [str(MSG_APPROXIMATE) % {"found": "300余"}]
    assert f'name="{field}" value="300余"' in response.content.decode()
    assert spec.model.all_objects.count() == 0
