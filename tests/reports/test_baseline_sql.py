"""The benchmark's hand-written SQL (bench/baseline_sql.py) gives exactly the ORM's year-end figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench.baseline_sql import hand_sql_figures
from outreach.models import Official
from pairings.models import JointActivity
from reports.indicators import CATALOGUE, empty_value
from reports.selectors import year_end_figures
from tests import factories as f
from visits.models import ChannelReturn, FiveIntoAction, VolunteerTeam

pytestmark = pytest.mark.django_db

YEAR = 2014
AS_OF = datetime.date(2014, 7, 31)
YEAR_END = datetime.date(2014, 12, 31)
LATE = datetime.date(2014, 9, 10)  # after AS_OF, before YEAR_END
# One query per source table: contact points, needy pairings, contact-point activities, pairings,
# joint activities, support, visits, visit outcomes, officials under a minimum with their visits,
# channel returns, four-into events, volunteer teams, volunteer services, five-into actions.
HAND_QUERIES = 14
EMPTY = {indicator.code: empty_value(indicator) for indicator in CATALOGUE}


def d(month, day, year=YEAR):
    return datetime.date(year, month, day)


def soft_delete(obj):
    type(obj).all_objects.filter(pk=obj.pk).update(deleted_at=timezone.now())


def typed(figures: dict) -> dict:
    """Each value with its type: an int is not a Decimal, a None rate is not a zero."""
    return {code: (type(value).__name__, value) for code, value in figures.items()}


def places(figures: dict) -> dict:
    """Decimal places of every Decimal figure (money and rates 2, hours 1)."""
    return {code: -value.as_tuple().exponent for code, value in figures.items() if isinstance(value, Decimal)}


def assert_same_figures(as_of, django_assert_num_queries):
    with django_assert_num_queries(HAND_QUERIES):
        hand = hand_sql_figures(connection, year=YEAR, as_of=as_of)
    orm = year_end_figures(year=YEAR, as_of=as_of)
    assert list(hand) == [indicator.code for indicator in CATALOGUE]
    assert typed(hand) == typed(orm)
    # The ORM's hours on SQLite keep the float's digits (40.7000000000000); the hand SQL's have one place.
    decimals = places(hand)
    assert decimals == {code: 1 if code == "volunteer.hours" else 2 for code in decimals}
    assert "volunteer.hours" in decimals and "pair.funds" in decimals
    return hand


def build_province(agency_a, agency_b):
    """Every source table, with the edge cases: deleted, after the as-of date, ended last year, overlaps."""
    # Contact points, their activities, needy pairings.
    holder = f.OfficialFactory(agency=agency_a)
    point = f.ContactPointFactory(agency=agency_a, official=holder)
    f.ContactPointFactory(agency=agency_a, official=holder, village=point.village)
    f.ContactPointFactory(agency=agency_a, start_date=d(1, 1, 2013), end_date=d(12, 31, 2013))  # ended last year
    f.ContactPointFactory(agency=agency_b, start_date=d(8, 1))  # after AS_OF
    soft_delete(f.ContactPointFactory(agency=agency_b))
    f.ContactPointActivityFactory(contact_point=point, people_consoled=10, problems_solved=2)
    f.ContactPointActivityFactory(contact_point=point, people_consoled=7, problems_solved=1, date=LATE)
    soft_delete(f.ContactPointActivityFactory(contact_point=point, people_consoled=500))
    person = f.NeedyPersonFactory(agency=agency_a)
    f.NeedyPairingFactory(agency=agency_a, needy_person=person)
    f.NeedyPairingFactory(agency=agency_a, needy_person=person)  # a second official for the same person
    f.NeedyPairingFactory(agency=agency_b, start_date=d(1, 1, 2013), end_date=d(12, 31, 2013))
    f.NeedyPairingFactory(agency=agency_b, start_date=d(8, 1))
    soft_delete(f.NeedyPairingFactory(agency=agency_b))

    # "1+2" pairings, joint activities (the five ones), support.
    village, community = f.VillageOrgFactory(), f.CommunityOrgFactory()
    a_village = f.PairingFactory(agency=agency_a, partner=village)
    f.PairingFactory(agency=agency_a, partner=community)
    b_village = f.PairingFactory(agency=agency_b, partner=village)  # the same village organisation
    f.PairingFactory(agency=agency_b, partner=f.VillageOrgFactory(), start_date=d(1, 1, 2013), end_date=d(12, 31, 2013))
    deleted_pairing = f.PairingFactory(agency=agency_b, partner=f.CommunityOrgFactory())
    for kind in JointActivity.FIVE_ONES:
        f.JointActivityFactory(pairing=a_village, kind=kind)
        f.JointActivityFactory(pairing=deleted_pairing, kind=kind)
    soft_delete(deleted_pairing)  # its activities stay live: counted, but its five ones are not
    for kind in JointActivity.FIVE_ONES[:4]:
        f.JointActivityFactory(pairing=b_village, kind=kind)
    f.JointActivityFactory(pairing=b_village, kind=JointActivity.FIVE_ONES[4], date=LATE)
    soft_delete(f.JointActivityFactory(pairing=b_village, kind=JointActivity.FIVE_ONES[4]))
    f.SupportFactory(pairing=a_village, funds=Decimal("100000.50"), projects_planned=2)
    f.SupportFactory(pairing=b_village, funds=Decimal("0.25"), date=LATE)
    soft_delete(f.SupportFactory(pairing=b_village, funds=Decimal("999.99")))

    # Visits, their outcomes and the yearly minimums.
    leader = f.OfficialFactory(agency=agency_a, position=Official.Position.LEADERSHIP, rank=Official.Rank.DEPARTMENT)
    head = f.OfficialFactory(agency=agency_a, position=Official.Position.DEPARTMENT_HEAD, rank=Official.Rank.DIVISION)
    clerk = f.OfficialFactory(agency=agency_b, position=Official.Position.STAFF, rank=Official.Rank.OTHER)
    gone = f.OfficialFactory(agency=agency_b, position=Official.Position.LEADERSHIP, is_active=False)
    stay = f.VisitFactory(
        agency=agency_a,
        official=leader,
        start_date=d(5, 6),
        end_date=d(5, 8),
        households=8,
        enterprises=1,
        communities=1,
        villager_groups=2,
        forums=1,
        opinions=3,
    )
    f.VisitFactory(agency=agency_a, official=leader, start_date=d(5, 7), end_date=d(5, 9), households=8)  # overlaps
    f.VisitFactory(
        agency=agency_a, official=leader, is_village_stay=False, start_date=d(6, 1), end_date=d(6, 1), households=10
    )
    f.VisitFactory(agency=agency_a, official=head, start_date=d(12, 30, 2013), end_date=d(1, 2), households=50)
    f.VisitFactory(agency=agency_a, official=head, start_date=d(1, 1), end_date=d(1, 2), households=0)  # counted once
    f.VisitFactory(agency=agency_a, official=head, start_date=d(7, 30), end_date=d(8, 2), households=40)
    soft_delete(f.VisitFactory(agency=agency_a, official=head, start_date=d(3, 1), end_date=d(3, 10), households=99))
    short = f.OfficialFactory(agency=agency_b, position=Official.Position.DEPARTMENT_HEAD)
    # Five days in the window, but its households were visited last year: not met.
    f.VisitFactory(agency=agency_b, official=short, start_date=d(12, 27, 2013), end_date=d(1, 5), households=40)
    f.VisitFactory(agency=agency_b, official=gone, households=30)
    late = f.VisitFactory(
        agency=agency_b, official=clerk, is_village_stay=False, start_date=LATE, end_date=LATE, households=5, opinions=4
    )
    f.VisitOutcomeFactory(visit=stay, financing=Decimal("2000000.00"), migrant_cases=2, difficulties=3)
    f.VisitOutcomeFactory(visit=late, financing=Decimal("0.10"), businesses_helped=1, business_problems=1)
    soft_delete(f.VisitOutcomeFactory(visit=stay, businesses_helped=700))
    deleted_visit = f.VisitFactory(agency=agency_b, official=clerk, is_village_stay=False, households=600)
    f.VisitOutcomeFactory(visit=deleted_visit, businesses_helped=600)  # live outcome of a deleted visit
    soft_delete(deleted_visit)

    # Channel returns: two from agency A (the latest gives the stocks), one yearly from B.
    f.ChannelReturnFactory(agency=agency_a, year=2013, half=2, opinions=1000, model_windows=1000)
    f.ChannelReturnFactory(
        agency=agency_a,
        half=1,
        opinions=120,
        model_windows=20,
        has_hotline=False,
        survey_responses=100,
        survey_satisfied=99,
        items_before=40,
        items_after=12,
    )
    f.ChannelReturnFactory(
        agency=agency_a,
        half=2,
        opinions=130,
        model_windows=25,
        is_window_unit=False,
        survey_responses=100,
        survey_satisfied=100,
        items_before=40,
        items_after=10,
        burden_reduced=Decimal("0.05"),
    )
    f.ChannelReturnFactory(
        agency=agency_b,
        period_kind=ChannelReturn.PeriodKind.YEAR,
        half=None,
        has_disclosure=False,
        convenience_items=0,
        convenience_with_chief=0,
        burden_reduced=None,
    )
    soft_delete(f.ChannelReturnFactory(agency=agency_b, half=1, opinions=5000))

    # Four-into events, volunteer teams and services, five-into actions.
    f.FourIntoEventFactory(agency=agency_a, family_aid=Decimal("5000.10"))
    f.FourIntoEventFactory(agency=agency_b, half=2, date=LATE, officials=7, student_aid=Decimal("0.01"))
    soft_delete(f.FourIntoEventFactory(agency=agency_b, officials=900))
    team = f.VolunteerTeamFactory(agency=agency_a)
    f.VolunteerTeamFactory(
        agency=agency_b, kind=VolunteerTeam.Kind.PROFESSIONAL, specialty=VolunteerTeam.Specialty.LEGAL
    )
    f.VolunteerTeamFactory(agency=agency_b, start_date=d(1, 1, 2012), end_date=d(12, 31, 2013))
    f.VolunteerTeamFactory(
        agency=agency_b,
        kind=VolunteerTeam.Kind.PROFESSIONAL,
        specialty=VolunteerTeam.Specialty.MEDICAL,
        start_date=d(8, 1),
    )
    soft_delete(f.VolunteerTeamFactory(agency=agency_a))
    f.VolunteerServiceFactory(team=team, person_times=12, hours=Decimal("36.5"))
    f.VolunteerServiceFactory(team=team, person_times=3, hours=Decimal("4.2"), date=LATE)
    soft_delete(f.VolunteerServiceFactory(team=team, person_times=80, hours=Decimal("100.0")))
    kind = FiveIntoAction.Kind
    none = {"books": 0, "book_boxes": 0}
    f.FiveIntoActionFactory(agency=agency_a, kind=kind.PUBLICITY, books=500, book_boxes=2)
    f.FiveIntoActionFactory(agency=agency_a, kind=kind.CULTURE, culture_trips=3, **none)
    f.FiveIntoActionFactory(agency=agency_b, kind=kind.CULTURE, culture_trips=0, **none)  # not a culture unit
    f.FiveIntoActionFactory(agency=agency_a, kind=kind.HEALTH, consultations=30, **none)
    f.FiveIntoActionFactory(agency=agency_a, kind=kind.HEALTH, consultations=20, **none)  # the same unit
    f.FiveIntoActionFactory(agency=agency_b, kind=kind.SERVICES, legal_points=0, legal_windows=1, **none)
    f.FiveIntoActionFactory(agency=agency_a, kind=kind.SERVICES, legal_points=2, legal_windows=0, **none)
    f.FiveIntoActionFactory(
        agency=agency_b, kind=kind.PLANNING, villages_planned=2, projects_secured=3, date=LATE, **none
    )
    soft_delete(f.FiveIntoActionFactory(agency=agency_a, kind=kind.PLANNING, villages_planned=9, **none))


def test_hand_sql_equals_the_orm_on_every_code_at_two_as_of_dates(agency_a, agency_b, django_assert_num_queries):
    build_province(agency_a, agency_b)

    mid = assert_same_figures(AS_OF, django_assert_num_queries)
    end = assert_same_figures(YEAR_END, django_assert_num_queries)

    # The data reaches every figure by the year end, so no code is compared only as empty.
    assert [code for code, value in end.items() if value == EMPTY[code]] == []
    # The edge cases really are in play: what the as-of date, deletions and latest returns change.
    assert (mid["cp.points"], end["cp.points"]) == (2, 3)
    assert (mid["pair.activities"], mid["pair.five_ones_done"], end["pair.five_ones_done"]) == (14, 1, 2)
    assert (mid["visit.minimum_met"], end["visit.minimum_met"]) == (1, 2)  # the head's days add up by December
    assert (mid["visit.businesses_helped"], end["visit.businesses_helped"]) == (3, 4)
    assert (mid["channel.full_inventory"], end["channel.full_inventory"]) == (0, 1)
    assert (mid["zero.model_windows"], end["zero.model_windows"]) == (20, 45)
    assert end["approval.burden_reduced"] == Decimal("250000.05")
    assert (mid["volunteer.hours"], end["volunteer.hours"]) == (Decimal("36.5"), Decimal("40.7"))


def test_hand_sql_equals_the_orm_with_no_records(django_assert_num_queries):
    for as_of in (AS_OF, YEAR_END):
        figures = assert_same_figures(as_of, django_assert_num_queries)
        assert typed(figures) == typed(EMPTY)


def test_hand_sql_equals_the_orm_on_the_seeded_demo(django_assert_num_queries):
    call_command("seed_demo", verbosity=0)

    for as_of in (AS_OF, YEAR_END):
        figures = assert_same_figures(as_of, django_assert_num_queries)
        assert figures["visit.minimum_due"] > 0 and figures["channel.opinions"] > 0
