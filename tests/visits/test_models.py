"""docs/domain.md §3 rules on visits: a visit ends on or after it starts; village days come from the dates."""

import datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from outreach.models import CampaignYear
from outreach.validation import (
    MAX_VISIT_DAYS,
    MSG_END_BEFORE_START,
    MSG_NEGATIVE_COUNT,
    MSG_NEGATIVE_MONEY,
    MSG_OTHER_AGENCY,
)
from tests.factories import AgencyFactory, OfficialFactory, VisitFactory, VisitOutcomeFactory
from tests.helpers import assert_rejected
from visits.models import MSG_VISIT_TOO_LONG, Visit

pytestmark = pytest.mark.django_db


def test_village_days_are_derived_from_the_dates_not_typed_in():
    visit = VisitFactory(
        start_date=datetime.date(2014, 5, 30), end_date=datetime.date(2014, 6, 2), is_village_stay=True
    )
    assert visit.village_days == 4
    assert [d.day for d in visit.stay_dates()] == [30, 31, 1, 2]
    day_trip = VisitFactory(
        start_date=datetime.date(2014, 5, 30), end_date=datetime.date(2014, 5, 31), is_village_stay=False
    )
    assert day_trip.village_days == 0 and day_trip.stay_dates() == []
    assert "village_days" not in [f.name for f in Visit._meta.get_fields() if f.editable]


def test_visit_cannot_end_before_it_starts():
    official = OfficialFactory()
    visit = VisitFactory.build(
        agency=official.agency,
        official=official,
        start_date=datetime.date(2014, 5, 3),
        end_date=datetime.date(2014, 5, 2),
    )
    assert_rejected(visit, "end_date", MSG_END_BEFORE_START)


def test_visit_longer_than_a_year_is_refused():
    official = OfficialFactory()
    visit = VisitFactory.build(
        agency=official.agency,
        official=official,
        start_date=datetime.date(2013, 1, 1),
        end_date=datetime.date(2014, 6, 1),
    )
    assert_rejected(visit, "end_date", MSG_VISIT_TOO_LONG, {"days": MAX_VISIT_DAYS})


def test_visit_counts_must_not_be_negative():
    official = OfficialFactory()
    visit = VisitFactory.build(agency=official.agency, official=official, households=-3)
    assert_rejected(visit, "households", MSG_NEGATIVE_COUNT)


def test_visit_by_another_agencys_official_is_refused():
    visit = VisitFactory.build(agency=AgencyFactory(), official=OfficialFactory())
    assert_rejected(visit, "official", MSG_OTHER_AGENCY, {"what": _("official")})


def test_outcome_takes_its_visits_agency_and_refuses_negative_money():
    visit = VisitFactory()
    outcome = VisitOutcomeFactory(visit=visit, agency=None)
    assert outcome.agency_id == visit.agency_id
    assert_rejected(
        VisitOutcomeFactory.build(visit=visit, agency=visit.agency, financing=Decimal("-5")),
        "financing",
        MSG_NEGATIVE_MONEY,
    )


def test_outcome_of_another_agencys_visit_is_refused():
    visit = VisitFactory()
    outcome = VisitOutcomeFactory.build(visit=visit, agency=AgencyFactory())
    assert_rejected(outcome, "visit", MSG_OTHER_AGENCY, {"what": _("visit")})


def test_yearly_minimums_of_a_year_nobody_configured_are_the_campaigns_rule():
    # The minimums are campaign-year settings (tests/outreach/test_campaign_years.py); these are the defaults.
    assert CampaignYear.objects.settings_for(2014).minimums() == {
        "leadership": {"days": 3, "households": 20},
        "department_head": {"days": 5, "households": 30},
    }
