"""A record breaking two of its rules at once is told both, on the form and in the import's report, and nothing is saved.

Each case breaks two rules of one record type that used to stop at the first (the month's lock before the
dates, the dates before the team's specialty, the parent's span before the hours, a second yearly return
before its figures, ...). The same values go through the record's form and, as cells, through the import.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from outreach.importing.engine import run_import
from outreach.importing.lookups import base_label
from outreach.importing.specs import AGENCY, BOOL, CHOICE, LOOKUP, PARENT, REFERENCE, sheet_for
from outreach.models import MSG_OUTSIDE_SPAN, MSG_PERIOD_LOCKED, Official, period_label
from outreach.services import lock_period
from outreach.validation import MAX_VISIT_DAYS, MSG_END_BEFORE_START
from pairings.models import ContactPoint
from tests.factories import ChannelReturnFactory, OfficialFactory, VolunteerTeamFactory, poor_village
from tests.outreach.import_files import xlsx_bytes
from tests.pairings.specs import CONTACT_POINT_ACTIVITY, JOINT_ACTIVITY, NEEDY_PAIRING, PAIRING, SUPPORT
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, VOLUNTEER_SERVICE, VOLUNTEER_TEAM
from tests.visits.test_channel_returns import form_data as channel_return_data
from tests.visits.test_visit_views import form_data as visit_data
from visits.models import ChannelReturn, FiveIntoAction, Visit, VolunteerTeam
from visits.models.channels import MSG_DUPLICATE_RETURN, MSG_SATISFIED_ABOVE_RESPONSES
from visits.models.services import MSG_HOURS_TOO_MANY, MSG_NOT_THIS_KIND, MSG_OUTSIDE_HALF, MSG_SPECIALTY_NEEDED
from visits.models.visits import MSG_VISIT_TOO_LONG

pytestmark = pytest.mark.django_db

D = datetime.date


def text(message, **params) -> str:
    """A model's message as the site's language renders it with `params`."""
    with translation.override(settings.LANGUAGE_CODE):
        (rendered,) = ValidationError(message, params=params or None).messages
    return rendered


def locked(officer, day: datetime.date) -> str:
    """Lock `day`'s month; the message a record of that month then gets."""
    lock_period(user=officer, year=day.year, month=day.month)
    return text(MSG_PERIOD_LOCKED, period=period_label(day))


# --- the cases: (agency, officer) → (model, POST data, {field: the message expected there}) ---------------


def visit_locked_and_too_long(agency, officer):
    data = visit_data(OfficialFactory(agency=agency), None, start_date="2013-05-06", end_date="2014-05-08")
    expected = {
        NON_FIELD_ERRORS: locked(officer, D(2013, 5, 6)),
        "end_date": text(MSG_VISIT_TOO_LONG, days=MAX_VISIT_DAYS),
    }
    return Visit, data, expected


def contact_point_locked_and_ending_before_it_starts(agency, officer):
    data = {
        "official": OfficialFactory(agency=agency, rank=Official.Rank.DEPARTMENT).pk,
        "village": poor_village().pk,
        "start_date": "2014-03-01",
        "end_date": "2014-02-01",
        "note": "",
    }
    expected = {NON_FIELD_ERRORS: locked(officer, D(2014, 3, 1)), "end_date": text(MSG_END_BEFORE_START)}
    return ContactPoint, data, expected


def span_locked_and_ending_before_it_starts(spec):
    def case(agency, officer):
        data = {**spec.form_data(agency), "start_date": "2014-03-01", "end_date": "2014-02-01"}
        expected = {NON_FIELD_ERRORS: locked(officer, D(2014, 3, 1)), "end_date": text(MSG_END_BEFORE_START)}
        return spec.model, data, expected

    case.__name__ = f"{spec}_locked_and_ending_before_it_starts"
    return case


def activity_locked_and_outside_its_parent(spec, what):
    def case(agency, officer):
        data = {**spec.form_data(agency), "date": "2013-12-15"}  # the parent began on 1 January 2014
        expected = {
            NON_FIELD_ERRORS: locked(officer, D(2013, 12, 15)),
            "date": text(MSG_OUTSIDE_SPAN, what=what, start=D(2014, 1, 1), end=_("present")),
        }
        return spec.model, data, expected

    case.__name__ = f"{spec}_locked_and_outside_its_parent"
    return case


def team_ending_before_it_starts_without_its_specialty(agency, officer):
    data = {
        **VOLUNTEER_TEAM.form_data(agency),
        "kind": VolunteerTeam.Kind.PROFESSIONAL,
        "specialty": "",
        "start_date": "2014-03-01",
        "end_date": "2014-02-01",
    }
    expected = {"end_date": text(MSG_END_BEFORE_START), "specialty": text(MSG_SPECIALTY_NEEDED)}
    return VolunteerTeam, data, expected


def service_outside_its_team_with_too_many_hours(agency, officer):
    team = VolunteerTeamFactory(agency=agency, start_date=D(2014, 4, 1), end_date=None)
    data = {**VOLUNTEER_SERVICE.form_data(agency), "team": team.pk, "person_times": "2", "hours": "60"}
    expected = {
        "date": text(MSG_OUTSIDE_SPAN, what=_("volunteer team"), start=D(2014, 4, 1), end=_("present")),
        "hours": text(MSG_HOURS_TOO_MANY, limit=48),
    }
    return VOLUNTEER_SERVICE.model, data, expected


def four_into_locked_and_outside_its_half(agency, officer):
    data = {**FOUR_INTO.form_data(agency), "half": "2"}  # dated 8 May 2014
    expected = {
        NON_FIELD_ERRORS: locked(officer, D(2014, 5, 8)),
        "date": text(MSG_OUTSIDE_HALF, start=D(2014, 7, 1), end=D(2014, 12, 31)),
    }
    return FOUR_INTO.model, data, expected


def five_into_locked_with_another_kinds_figure(agency, officer):
    data = {**FIVE_INTO.form_data(agency), "books": "200"}  # a health action
    kind = FiveIntoAction.Kind.HEALTH.label
    expected = {NON_FIELD_ERRORS: locked(officer, D(2014, 6, 2)), "books": text(MSG_NOT_THIS_KIND, kind=kind)}
    return FIVE_INTO.model, data, expected


def second_yearly_return_with_more_satisfied_than_asked(agency, officer):
    ChannelReturnFactory(agency=agency, year=2013, period_kind=ChannelReturn.PeriodKind.YEAR, half=None)
    data = channel_return_data(year=2013, period_kind="year", half=None, survey_responses=10, survey_satisfied=12)
    expected = {
        NON_FIELD_ERRORS: text(MSG_DUPLICATE_RETURN),
        "survey_satisfied": text(MSG_SATISFIED_ABOVE_RESPONSES, responses=10),
    }
    return ChannelReturn, data, expected


CASES = [
    visit_locked_and_too_long,
    contact_point_locked_and_ending_before_it_starts,
    span_locked_and_ending_before_it_starts(NEEDY_PAIRING),
    span_locked_and_ending_before_it_starts(PAIRING),
    activity_locked_and_outside_its_parent(CONTACT_POINT_ACTIVITY, _("contact point")),
    activity_locked_and_outside_its_parent(JOINT_ACTIVITY, _("pairing")),
    activity_locked_and_outside_its_parent(SUPPORT, _("pairing")),
    team_ending_before_it_starts_without_its_specialty,
    service_outside_its_team_with_too_many_hours,
    four_into_locked_and_outside_its_half,
    five_into_locked_with_another_kinds_figure,
    second_yearly_return_with_more_satisfied_than_asked,
]


def live_count(model) -> int:
    return model.all_objects.count()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_form_shows_both_mistakes_and_saves_nothing(cast, agency_a, officer, case):
    model, data, expected = case(agency_a, officer)
    before = live_count(model)
    response = cast["staff_a"].post(reverse(f"{model._meta.app_label}:{model._meta.model_name}_add"), data)
    assert response.status_code == 200, "the form was accepted"
    errors = response.context["form"].errors
    assert {field: errors.get(field) for field in expected} == {field: [message] for field, message in expected.items()}
    assert live_count(model) == before, "a rejected record was saved"


# --- the same values as an import row ---------------------------------------------------------------------


def cells(model, data: dict) -> list:
    """The form's POST `data` as the import sheet's row: labels for choices and directory objects, a parent's
    reference, 是/否 for yes and no."""
    row = []
    for column in sheet_for(model).columns:
        value = data.get(column.name)
        if column.name == REFERENCE:
            value = "T-1"
        elif column.name == AGENCY or value in ("", None, "unknown"):
            value = None
        elif column.kind == BOOL:
            value = "是" if value in ("on", "true") else "否"
        elif column.kind == CHOICE:
            value = str({str(key): label for key, label in column.model_field.choices}[str(value)])
        elif column.kind == LOOKUP:
            value = base_label(column.model_field.related_model._base_manager.get(pk=value))
        elif column.kind == PARENT:
            value = column.model_field.related_model.all_objects.get(pk=value).reference
        row.append(value)
    return row


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_import_reports_both_mistakes_and_saves_nothing(agency_a, staff_a, officer, case):
    model, data, expected = case(agency_a, officer)
    before = live_count(model)
    with translation.override(settings.LANGUAGE_CODE):
        spec = sheet_for(model)
        book = xlsx_bytes({str(spec.title): [[str(c.title) for c in spec.columns], cells(model, data)]})
        report = run_import(io.BytesIO(book), agency=agency_a, user=staff_a, commit=True)
    assert not report.ok and not report.committed
    messages = [issue.message for issue in report.issues if issue.row == 2]
    assert len(messages) == len(expected), messages  # one issue per column, nothing else wrong with the row
    for message in expected.values():
        assert any(message in issue for issue in messages), f"{message!r} not among {messages}"
    assert live_count(model) == before, "a rejected row was saved"
