"""The year-end indicator catalogue and its JSON (docs/domain.md §4, docs/indicators.md)."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.models import Official
from pairings.models import JointActivity
from reports.forms import MSG_BAD_AS_OF, MSG_BAD_YEAR, MSG_UNKNOWN_AGENCY, MSG_UNKNOWN_CITY
from reports.indicators import CATALOGUE
from reports.selectors import year_end_figures
from tests import factories as f
from tests.reports.data import build
from visits.models import FiveIntoAction, VolunteerTeam

pytestmark = pytest.mark.django_db

YEAR = 2014
AS_OF = datetime.date(2014, 7, 31)
YEAR_END = datetime.date(2014, 12, 31)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
URL = reverse("reports:year_end_json")


def figures(**kwargs):
    kwargs.setdefault("year", YEAR)
    kwargs.setdefault("as_of", AS_OF)
    return year_end_figures(**kwargs)


def soft_delete(obj):
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=timezone.now())


def test_catalogue_has_unique_codes_and_known_sections_and_kinds():
    codes = [indicator.code for indicator in CATALOGUE]
    documented = re.findall(r"^\| ([a-z_]+\.[a-z_]+) \|", DOCS.read_text(encoding="utf-8"), flags=re.M)
    assert codes == documented  # every code, in the catalogue's order
    assert codes.index("visit.minimum_met") == codes.index("visit.minimum_due") - 1
    assert len(codes) == len(set(codes)) == 76
    assert {i.section for i in CATALOGUE} == {"extensions", "channels", "activities"}
    assert {i.kind for i in CATALOGUE} == {"count", "money", "percent"}


def test_json_has_every_code_in_catalogue_order_and_nulls_for_zero_denominators(cast):
    response = cast["officer"].get(URL, {"year": YEAR, "as_of": "2014-07-31"})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == YEAR and data["as_of"] == "2014-07-31" and data["agency"] is None
    assert list(data["figures"]) == [indicator.code for indicator in CATALOGUE]
    assert data["figures"]["cp.points"] == 0
    assert data["figures"]["pair.funds"] == "0.00"
    assert data["figures"]["zero.satisfaction"] is None
    assert data["figures"]["approval.items_cut_rate"] is None
    assert data["figures"]["approval.time_cut_rate"] is None


def test_contact_points_distinct_standing_as_of_agency_and_city(agency_a, agency_b):
    official = f.OfficialFactory(agency=agency_a)
    first = f.ContactPointFactory(agency=agency_a, official=official)
    f.ContactPointFactory(agency=agency_a, official=official, village=first.village)  # same official, same city
    f.ContactPointFactory(agency=agency_a, start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2013, 12, 31))
    f.ContactPointFactory(agency=agency_b)
    f.ContactPointFactory(agency=agency_b, start_date=datetime.date(2014, 8, 1))  # after the as-of date
    soft_delete(f.ContactPointFactory(agency=agency_b))

    got = figures()
    assert (got["cp.agencies"], got["cp.officials"], got["cp.points"]) == (2, 2, 3)
    got = figures(agency=agency_a)
    assert (got["cp.agencies"], got["cp.officials"], got["cp.points"]) == (1, 1, 2)
    got = figures(city=first.village.city)
    assert (got["cp.agencies"], got["cp.officials"], got["cp.points"]) == (1, 1, 2)
    assert figures(as_of=YEAR_END)["cp.points"] == 4


def test_contact_point_activities_and_needy_pairings(agency_a):
    point = f.ContactPointFactory(agency=agency_a)
    f.ContactPointActivityFactory(contact_point=point, people_consoled=10, problems_solved=2)
    f.ContactPointActivityFactory(
        contact_point=point, people_consoled=5, problems_solved=1, date=datetime.date(2014, 7, 31)
    )
    f.ContactPointActivityFactory(
        contact_point=point, people_consoled=99, problems_solved=99, date=datetime.date(2014, 8, 1)
    )
    older = f.ContactPointFactory(agency=agency_a, start_date=datetime.date(2013, 1, 1))
    f.ContactPointActivityFactory(contact_point=older, people_consoled=77, date=datetime.date(2013, 12, 31))
    person = f.NeedyPersonFactory(agency=agency_a)
    f.NeedyPairingFactory(agency=agency_a, needy_person=person)
    f.NeedyPairingFactory(agency=agency_a, needy_person=person)  # a second official for the same person
    f.NeedyPairingFactory(agency=agency_a, end_date=datetime.date(2014, 3, 1))  # ended inside the year: counts

    got = figures()
    assert (got["cp.needy_consoled"], got["cp.problems_solved"], got["cp.needy_paired"]) == (15, 3, 2)


def test_pairings_distinct_orgs_one_plus_two_and_five_ones(agency_a, agency_b):
    village, community = f.VillageOrgFactory(), f.CommunityOrgFactory()
    a_village = f.PairingFactory(agency=agency_a, partner=village)
    f.PairingFactory(agency=agency_a, partner=community)
    b_village = f.PairingFactory(agency=agency_b, partner=village)  # the same village organisation
    f.PairingFactory(agency=agency_b, start_date=datetime.date(2013, 1, 1), end_date=datetime.date(2013, 12, 31))
    for kind in JointActivity.FIVE_ONES:
        f.JointActivityFactory(pairing=a_village, kind=kind)
    f.JointActivityFactory(pairing=a_village, kind=JointActivity.FIVE_ONES[0])  # a kind held twice
    for kind in JointActivity.FIVE_ONES[:4]:
        f.JointActivityFactory(pairing=b_village, kind=kind)
    f.JointActivityFactory(pairing=b_village, kind=JointActivity.FIVE_ONES[4], date=datetime.date(2014, 8, 1))
    f.SupportFactory(pairing=a_village, funds=Decimal("100000.50"), projects_planned=2)
    f.SupportFactory(pairing=b_village, funds=Decimal("0.25"), projects_planned=1)

    got = figures()
    assert got["pair.agency_committees"] == 2
    assert (got["pair.village_orgs"], got["pair.community_orgs"], got["pair.one_plus_two"]) == (1, 1, 1)
    assert (got["pair.activities"], got["pair.five_ones_done"]) == (10, 1)
    assert got["pair.funds"] == Decimal("100000.75") and got["pair.projects_planned"] == 3
    assert figures(as_of=YEAR_END)["pair.five_ones_done"] == 2
    got = figures(agency=agency_b)
    assert (got["pair.agency_committees"], got["pair.activities"], got["pair.funds"]) == (1, 4, Decimal("0.25"))
    got = figures(city=community.region.city)
    assert (got["pair.agency_committees"], got["pair.community_orgs"], got["pair.village_orgs"]) == (1, 1, 0)


def test_visits_outcomes_rank_as_of_deleted_and_city(agency_a):
    senior = f.OfficialFactory(agency=agency_a, rank=Official.Rank.DIVISION, position=Official.Position.STAFF)
    junior = f.OfficialFactory(agency=agency_a, rank=Official.Rank.OTHER, position=Official.Position.STAFF)
    place = f.poor_village()
    first = f.VisitFactory(agency=agency_a, official=senior, households=8, opinions=3, place=place)
    f.VisitOutcomeFactory(visit=first, financing=Decimal("2000000.00"), businesses_helped=3)
    f.VisitFactory(agency=agency_a, official=junior, households=5, opinions=1)
    late = f.VisitFactory(
        agency=agency_a,
        official=senior,
        households=100,
        start_date=datetime.date(2014, 8, 2),
        end_date=datetime.date(2014, 8, 3),
    )
    f.VisitOutcomeFactory(visit=late, financing=Decimal("7.00"))
    deleted = f.VisitFactory(agency=agency_a, official=senior, households=1000)
    f.VisitOutcomeFactory(visit=deleted, businesses_helped=1000)
    soft_delete(deleted)

    got = figures()
    assert (got["visit.person_times"], got["visit.households"], got["visit.opinions"]) == (1, 13, 4)
    assert got["visit.financing"] == Decimal("2000000.00") and got["visit.businesses_helped"] == 3
    got = figures(city=place.city)
    assert (got["visit.person_times"], got["visit.households"]) == (1, 8)


def test_visit_minimums_met_and_due(agency_a):
    leader = f.OfficialFactory(agency=agency_a, position=Official.Position.LEADERSHIP)
    f.OfficialFactory(agency=agency_a, position=Official.Position.DEPARTMENT_HEAD)
    f.OfficialFactory(agency=agency_a, position=Official.Position.STAFF)  # no minimum
    f.OfficialFactory(agency=agency_a, position=Official.Position.LEADERSHIP, is_active=False)  # left post
    f.VisitFactory(
        agency=agency_a,
        official=leader,
        is_village_stay=True,
        households=20,
        start_date=datetime.date(2014, 5, 6),
        end_date=datetime.date(2014, 5, 8),
    )
    got = figures()
    assert (got["visit.minimum_met"], got["visit.minimum_due"]) == (1, 2)


def test_channel_returns_flows_sum_stocks_take_each_agencys_latest(agency_a, agency_b):
    f.ChannelReturnFactory(agency=agency_a, year=2013, half=2, model_windows=1000, opinions=1000)
    f.ChannelReturnFactory(
        agency=agency_a,
        half=1,
        model_windows=20,
        opinions=120,
        items_before=40,
        items_after=12,
        survey_responses=100,
        survey_satisfied=99,
    )
    f.ChannelReturnFactory(
        agency=agency_a,
        half=2,
        model_windows=25,
        opinions=130,
        items_before=40,
        items_after=10,
        survey_responses=100,
        survey_satisfied=100,
    )
    f.ChannelReturnFactory(
        agency=agency_b,
        half=1,
        model_windows=10,
        opinions=5,
        items_before=60,
        items_after=20,
        has_hotline=False,
        is_window_unit=False,
        survey_responses=0,
        survey_satisfied=0,
    )

    got = figures(as_of=YEAR_END)
    assert got["channel.opinions"] == 255  # flows: every return in the window
    assert got["zero.model_windows"] == 35  # stocks: A's second half (25), not 20 + 25, plus B's 10
    assert (got["channel.full_inventory"], got["zero.window_units"]) == (1, 1)
    assert got["zero.satisfaction"] == Decimal("99.50")
    assert got["approval.items_cut_rate"] == Decimal("70.00")  # 1 − (10 + 20) ÷ (40 + 60)
    got = figures()  # 31 July: only the first halves
    assert (got["channel.opinions"], got["zero.model_windows"]) == (125, 30)
    assert got["approval.items_cut_rate"] == Decimal("68.00")
    assert figures(agency=agency_b)["zero.satisfaction"] is None  # no responses


def test_service_activities(agency_a, agency_b):
    f.FourIntoEventFactory(
        agency=agency_a, officials=20, enterprises=2, villages=3, schools=1, family_aid=Decimal("5000.00")
    )
    f.FourIntoEventFactory(agency=agency_a, date=datetime.date(2014, 9, 1), year=2014, half=2, officials=999)
    f.VolunteerTeamFactory(
        agency=agency_a, kind=VolunteerTeam.Kind.PROFESSIONAL, specialty=VolunteerTeam.Specialty.MEDICAL
    )
    old_team = f.VolunteerTeamFactory(
        agency=agency_b, start_date=datetime.date(2012, 1, 1), end_date=datetime.date(2013, 6, 30)
    )
    f.VolunteerServiceFactory(team=f.VolunteerTeamFactory(agency=agency_b), person_times=12, hours=Decimal("36.5"))
    f.FiveIntoActionFactory(agency=agency_a, kind=FiveIntoAction.Kind.PUBLICITY, books=500, book_boxes=2)
    f.FiveIntoActionFactory(agency=agency_a, kind=FiveIntoAction.Kind.HEALTH, books=0, book_boxes=0, consultations=30)
    f.FiveIntoActionFactory(agency=agency_a, kind=FiveIntoAction.Kind.HEALTH, books=0, book_boxes=0, consultations=20)
    f.FiveIntoActionFactory(agency=agency_b, kind=FiveIntoAction.Kind.HEALTH, books=0, book_boxes=0, consultations=5)
    assert old_team.pk

    got = figures()
    assert (got["four_into.officials"], got["four_into.events"], got["four_into.sites"]) == (20, 1, 6)
    assert got["four_into.family_aid"] == Decimal("5000.00")
    assert (got["volunteer.teams"], got["volunteer.professional_teams"]) == (2, 1)
    assert (got["volunteer.person_times"], got["volunteer.hours"]) == (12, Decimal("36.5"))
    assert (got["five_into.books"], got["five_into.book_boxes"]) == (500, 2)
    assert (got["five_into.medical_units"], got["five_into.consultations"]) == (2, 55)
    assert figures(agency=agency_a)["five_into.medical_units"] == 1


# --- the JSON: roles, parameters -------------------------------------------------------------


def test_staff_get_their_own_agency_and_another_agency_is_a_404(cast, agency_a, agency_b):
    f.ContactPointFactory(agency=agency_a)
    f.ContactPointFactory(agency=agency_b)
    f.ContactPointFactory(agency=agency_b)
    data = cast["staff_a"].get(URL, {"year": YEAR, "as_of": "2014-07-31"}).json()
    assert (data["agency"], data["figures"]["cp.points"]) == ("A001", 1)
    assert cast["staff_a"].get(URL, {"year": YEAR, "agency": "A001"}).json()["figures"]["cp.points"] == 1
    assert cast["staff_a"].get(URL, {"year": YEAR, "agency": "A002"}).status_code == 404
    data = cast["officer"].get(URL, {"year": YEAR, "agency": "A002", "basis": "all"}).json()  # nothing submitted
    assert (data["agency"], data["figures"]["cp.points"]) == ("A002", 2)
    assert cast["officer"].get(URL, {"year": YEAR})["Content-Type"] == "application/json"
    assert cast["officer"].get(URL, {"year": YEAR, "basis": "all"}).json()["figures"]["cp.points"] == 3
    response = cast["officer"].get(URL, {"year": YEAR, "agency": "NOPE"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"agency": [str(MSG_UNKNOWN_AGENCY)]}
    response = cast["officer"].get(URL, {"year": YEAR, "city": "NOPE"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"city": [str(MSG_UNKNOWN_CITY)]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, MSG_BAD_YEAR),
        ({"year": "1800"}, MSG_BAD_YEAR),
        ({"year": YEAR, "as_of": "2014-13-01"}, MSG_BAD_AS_OF),
        ({"year": YEAR, "as_of": "2015-01-01"}, MSG_BAD_AS_OF),
    ],
)
def test_bad_parameters_are_a_400_with_a_message(cast, params, message):
    response = cast["officer"].get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"] == str(message)


def test_as_of_defaults_to_the_year_end_or_today(cast):
    assert cast["officer"].get(URL, {"year": YEAR}).json()["as_of"] == "2014-12-31"
    today = timezone.localdate()
    assert cast["officer"].get(URL, {"year": today.year}).json()["as_of"] == today.isoformat()


# Session, user with profile and agency (2); one query per source table: contact points, needy pairings,
# contact-point activities, pairings, joint activities, support, visits, visit outcomes,
# officials under a minimum and their visits (2), channel returns, four-into events, volunteer
# teams, volunteer services, five-into actions (15); the session saved (savepoint, update, release: 3), as
# the year and as-of date asked for are kept in it.
JSON_QUERIES = 20


@pytest.mark.parametrize("scale", [1, 10])
def test_query_count_is_fixed(cast, agency_a, agency_b, django_assert_num_queries, scale):
    build([agency_a, agency_b, f.AgencyFactory()], scale)
    with django_assert_num_queries(JSON_QUERIES):
        response = cast["officer"].get(URL, {"year": YEAR, "as_of": "2014-07-31", "basis": "all"})
    assert response.json()["figures"]["cp.points"] == 3 * scale
    assert response.json()["figures"]["channel.opinions"] == 3 * 120


def test_query_count_for_staff_adds_only_their_agency(cast, agency_a, django_assert_num_queries):
    build([agency_a], 2)
    # As above: the staff member's agency comes with the user.
    with django_assert_num_queries(JSON_QUERIES):
        response = cast["staff_a"].get(URL, {"year": YEAR})
    assert response.json()["figures"]["cp.points"] == 2


def test_reports_index_links_every_output(cast):
    response = cast["staff_a"].get(reverse("reports:index"))
    hrefs = [link["url"] for link in response.context["links"]]
    for name in ("dashboard", "year_end", "year_end_xlsx", "year_end_json", "snapshot_list"):
        assert reverse(f"reports:{name}") in hrefs
        assert f'href="{reverse(f"reports:{name}")}"' in response.content.decode()
