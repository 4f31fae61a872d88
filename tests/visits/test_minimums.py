"""The yearly visit minimums (docs/domain.md §1, §4): village days from the dates, each day once; households summed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import CampaignYear, Official
from tests.factories import OfficialFactory, VisitFactory
from visits.forms import MSG_AS_OF_FUTURE, MSG_YEAR_FUTURE
from visits.selectors import visit_minimums

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_END = D(2014, 12, 31)
LEADER = Official.Position.LEADERSHIP
HEAD = Official.Position.DEPARTMENT_HEAD


def stay(official, start, end, households=0, **extra):
    return VisitFactory(
        agency=official.agency,
        official=official,
        start_date=start,
        end_date=end,
        is_village_stay=True,
        households=households,
        **extra,
    )


def day_trip(official, day, households):
    return VisitFactory(
        agency=official.agency,
        official=official,
        start_date=day,
        end_date=day,
        is_village_stay=False,
        households=households,
    )


def row_of(report, official):
    (row,) = [row for row in report.officials if row.official == official]
    return row


@pytest.fixture
def leader(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", position=LEADER)


@pytest.fixture
def head(agency_a):
    return OfficialFactory(agency=agency_a, name="王芳", position=HEAD, rank=Official.Rank.DIVISION)


def test_overlapping_stays_count_each_day_once(staff_a, leader):
    stay(leader, D(2014, 5, 6), D(2014, 5, 8))
    stay(leader, D(2014, 5, 7), D(2014, 5, 10))  # 7 and 8 May are already counted
    stay(leader, D(2014, 5, 8), D(2014, 5, 8))
    row = row_of(visit_minimums(user=staff_a, as_of=YEAR_END), leader)
    assert row.days == 5  # 6-10 May, not 3 + 4 + 1
    assert row.days_owed == 0


def test_stay_crossing_new_year_counts_only_the_days_inside_the_year(staff_a, leader):
    stay(leader, D(2013, 12, 30), D(2014, 1, 2), households=25)
    in_2014 = row_of(visit_minimums(user=staff_a, as_of=YEAR_END), leader)
    assert in_2014.days == 2  # 1 and 2 January
    assert in_2014.households == 0  # the visit started in 2013: its households count there
    in_2013 = row_of(visit_minimums(user=staff_a, as_of=D(2013, 12, 31)), leader)
    assert (in_2013.days, in_2013.households) == (2, 25)  # 30 and 31 December
    assert in_2013.on_track is False and in_2013.days_owed == 1


def test_as_of_date_cuts_a_stay_and_later_visits(staff_a, leader):
    stay(leader, D(2014, 6, 1), D(2014, 6, 10), households=15)
    day_trip(leader, D(2014, 6, 6), households=10)  # after the as-of date
    row = row_of(visit_minimums(user=staff_a, as_of=D(2014, 6, 5)), leader)
    assert (row.days, row.households) == (5, 15)
    assert row.households_owed == 5
    later = row_of(visit_minimums(user=staff_a, as_of=D(2014, 6, 30)), leader)
    assert (later.days, later.households, later.on_track) == (10, 25, True)


def test_leader_with_the_days_but_not_the_households_owes_households(staff_a, leader):
    stay(leader, D(2014, 3, 3), D(2014, 3, 5), households=8)
    day_trip(leader, D(2014, 4, 1), households=4)  # a day trip adds households, not days
    row = row_of(visit_minimums(user=staff_a, as_of=YEAR_END), leader)
    assert (row.required_days, row.required_households) == (3, 20)
    assert (row.days, row.households) == (3, 12)
    assert (row.days_owed, row.households_owed, row.on_track) == (0, 8, False)


def test_department_head_meeting_both_is_on_track(staff_a, head):
    stay(head, D(2014, 7, 1), D(2014, 7, 3), households=20)
    stay(head, D(2014, 9, 10), D(2014, 9, 11), households=10)
    row = row_of(visit_minimums(user=staff_a, as_of=YEAR_END), head)
    assert (row.required_days, row.required_households) == (5, 30)
    assert (row.days, row.households, row.days_owed, row.households_owed, row.on_track) == (5, 30, 0, 0, True)


def test_who_is_under_a_minimum_and_the_agency_share(staff_a, agency_a, agency_b, leader, head):
    stay(head, D(2014, 7, 1), D(2014, 7, 5), households=30)  # on track
    stay(leader, D(2014, 7, 1), D(2014, 7, 1), households=30)  # 2 days short
    OfficialFactory(agency=agency_a, position=Official.Position.STAFF)  # no minimum
    OfficialFactory(agency=agency_a, position=LEADER, is_active=False)  # no longer in post
    OfficialFactory(agency=agency_b, position=LEADER)  # not staff A's to see
    deleted = stay(leader, D(2014, 8, 1), D(2014, 8, 10), households=50)
    deleted.delete(user=staff_a)
    report = visit_minimums(user=staff_a, as_of=YEAR_END)
    assert [row.official for row in report.officials] == [leader, head]  # leadership first
    assert row_of(report, leader).days_owed == 2  # the deleted stay does not count
    (summary,) = report.agencies
    assert (summary.agency, summary.due, summary.on_track, str(summary.share)) == (agency_a, 2, 1, "50.00")
    assert [row.official for row in report.behind] == [leader]


def test_officer_sees_every_agency_and_can_pick_one(officer, agency_a, agency_b, leader):
    theirs = OfficialFactory(agency=agency_b, position=HEAD)
    stay(theirs, D(2014, 2, 1), D(2014, 2, 5), households=31)
    everyone = visit_minimums(user=officer, as_of=YEAR_END)
    assert {row.official for row in everyone.officials} == {leader, theirs}
    assert [(s.agency, s.on_track, s.due) for s in everyone.agencies] == [(agency_a, 0, 1), (agency_b, 1, 1)]
    assert str(everyone.share) == "50.00"
    only_b = visit_minimums(user=officer, as_of=YEAR_END, agency=agency_b)
    assert [row.official for row in only_b.officials] == [theirs]


def test_minimums_are_the_years_settings_the_campaigns_rule_by_default(staff_a, leader, head):
    # No campaign year configured: the built-in settings (3 days / 20 households, 5 / 30). A year's own settings
    # and the carry-over are tested in tests/outreach/test_campaign_years.py.
    report = visit_minimums(user=staff_a, as_of=YEAR_END)
    assert [(row.required_days, row.required_households) for row in report.officials] == [(3, 20), (5, 30)]
    assert CampaignYear.objects.settings_for(2014).minimums() == {
        LEADER: {"days": 3, "households": 20},
        HEAD: {"days": 5, "households": 30},
    }


# --- the page ------------------------------------------------------------------------------


def test_page_for_a_past_year_shows_days_and_households_owed(cast, leader, head, agency_b):
    stay(leader, D(2014, 3, 3), D(2014, 3, 5), households=8)
    OfficialFactory(agency=agency_b, position=LEADER, name="外单位干部")
    response = cast["staff_a"].get(reverse("visits:minimums"), {"year": 2014})
    report = response.context["report"]
    assert report.as_of == YEAR_END and report.window_start == D(2014, 1, 1)
    assert [row.official for row in response.context["page"]] == [leader, head]
    body = response.content.decode()
    assert "外单位干部" not in body
    row = row_of(report, leader)
    assert (row.days_owed, row.households_owed) == (0, 12)
    assert "3 / 3" in body and "8 / 20" in body and "0 / 5" in body


def test_page_defaults_to_today(cast, leader, head):
    default = cast["staff_a"].get(reverse("visits:minimums"))
    report = default.context["report"]
    assert report.as_of == timezone.localdate() and report.window_start == D(report.as_of.year, 1, 1)
    assert {row.official for row in default.context["page"]} == {leader, head}


def test_page_can_show_only_those_behind(cast, leader, head):
    stay(head, D(2014, 1, 1), D(2014, 1, 5), households=30)
    everyone = cast["staff_a"].get(reverse("visits:minimums"), {"year": 2014})
    assert [row.official for row in everyone.context["page"]] == [leader, head]
    behind = cast["staff_a"].get(reverse("visits:minimums"), {"year": 2014, "behind": "on"})
    assert [row.official for row in behind.context["page"]] == [leader]


def test_page_refuses_a_future_date_or_year(cast, leader):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = cast["staff_a"].get(reverse("visits:minimums"), {"as_of": tomorrow.isoformat()})
    assert response.context["form"].errors["as_of"] == [str(MSG_AS_OF_FUTURE)]
    assert response.context["report"] is None
    response = cast["staff_a"].get(reverse("visits:minimums"), {"year": tomorrow.year + 1})
    assert response.context["form"].errors["year"] == [str(MSG_YEAR_FUTURE)]
    assert response.context["report"] is None


def test_officer_page_has_the_agency_filter_and_summary(cast, agency_a, agency_b, leader):
    theirs = OfficialFactory(agency=agency_b, position=HEAD)
    assert "agency" not in cast["staff_a"].get(reverse("visits:minimums")).context["form"].fields
    response = cast["officer"].get(reverse("visits:minimums"), {"year": 2014, "agency": agency_b.pk})
    assert [row.official for row in response.context["page"]] == [theirs]
    assert 'data-testid="agency-summary"' in response.content.decode()


def test_anonymous_is_sent_to_login(cast):
    response = cast["anonymous"].get(reverse("visits:minimums"))
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))
