"""Campaign years as data (issue 13 item 1, docs/domain.md §1): an administrator configures each year;
every rule reads the year's settings (visit minimums, target cities), a year nobody configured carries
the latest configured one over, and past years keep theirs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from outreach import plausibility
from outreach.models import CampaignYear, Official, PlausibleLimit, Region
from outreach.models.campaign import (
    MSG_DATE_IN_YEAR,
    MSG_DATES_ORDER,
    MSG_DUE_DAY,
    MSG_HALF_DUE_ORDER,
    MSG_LIMIT_POSITIVE,
    MSG_NOT_A_CITY,
    MSG_UNKNOWN_FIELD,
)
from outreach.roles import Role
from pairings.models import MSG_NOT_POOR_TARGET_VILLAGE, ContactPoint
from reports.selectors import city_breakdown, year_end_figures
from tests.conftest import client_for, make_user
from tests.factories import ContactPointFactory, OfficialFactory, VisitFactory, region_chain
from tests.helpers import assert_rejected
from visits.selectors import minimum_counts, visit_minimums

pytestmark = pytest.mark.django_db

D = datetime.date
LEADER = Official.Position.LEADERSHIP
HEAD = Official.Position.DEPARTMENT_HEAD


def configure(year: int, *, cities=(), **settings) -> CampaignYear:
    """A saved campaign year: the built-in settings with `settings` changed, `cities` its target cities."""
    campaign = CampaignYear.defaults(year)
    for name, value in settings.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    campaign.target_cities.set(cities)
    return campaign


def messages(excinfo, field) -> list[str]:
    return excinfo.value.message_dict[field]


# --- the model's validation ---------------------------------------------------------------------


@pytest.mark.parametrize("day", [0, 29])
def test_a_due_day_outside_1_to_28_is_refused_and_nothing_saved(day):
    campaign = CampaignYear.defaults(2014)
    campaign.monthly_due_day = day
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert messages(excinfo, "monthly_due_day") == [str(MSG_DUE_DAY)]
    assert not CampaignYear.objects.exists()


@pytest.mark.parametrize("day", [1, 28])
def test_due_days_1_and_28_are_accepted(day):
    configure(2014, monthly_due_day=day)
    assert CampaignYear.objects.get().month_due(12) == D(2015, 1, day)


def test_dates_outside_the_year_or_out_of_order_are_refused():
    campaign = CampaignYear.defaults(2014)
    campaign.end_date = D(2015, 1, 31)
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert messages(excinfo, "end_date") == [str(MSG_DATE_IN_YEAR % {"year": 2014})]

    campaign = CampaignYear.defaults(2014)
    campaign.start_date, campaign.end_date = D(2014, 6, 1), D(2014, 5, 31)
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert messages(excinfo, "end_date") == [str(MSG_DATES_ORDER)]
    assert not CampaignYear.objects.exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (D(2014, 6, 30), D(2015, 1, 15)),  # the first half's return due before the half has ended
        (D(2015, 1, 20), D(2015, 1, 15)),  # the first half due after the second
    ],
)
def test_half_year_dues_out_of_order_are_refused(first, second):
    campaign = CampaignYear.defaults(2014)
    campaign.first_half_due, campaign.second_half_due = first, second
    with pytest.raises(ValidationError) as excinfo:
        campaign.full_clean()
    assert messages(excinfo, "first_half_due") == [str(MSG_HALF_DUE_ORDER)]
    assert not CampaignYear.objects.exists()


# --- settings_for, the carry-over and the default year ------------------------------------------


def test_settings_for_a_configured_year_is_its_own_row():
    own = configure(2014, monthly_due_day=10, head_min_days=6)
    got = CampaignYear.objects.settings_for(2014)
    assert got.pk == own.pk and got.monthly_due_day == 10 and got.month_due(6) == D(2014, 7, 10)
    assert got.minimums()[HEAD] == {"days": 6, "households": 30}


def test_a_year_nobody_configured_carries_the_latest_configured_year_before_it_over():
    configure(2012, monthly_due_day=8)
    configure(2013, monthly_due_day=7, remind_days_before=5, leadership_min_days=4, first_half_due=D(2013, 7, 20))
    got = CampaignYear.objects.settings_for(2015)
    assert got.pk is None and got.carried_from.year == 2013  # not saved: a new year works before it is entered
    assert (got.year, got.start_date, got.end_date) == (2015, D(2015, 1, 1), D(2015, 12, 31))
    assert (got.monthly_due_day, got.remind_days_before) == (7, 5)
    assert (got.half_due(1), got.half_due(2), got.half_due(None)) == (D(2015, 7, 20), D(2016, 1, 15), D(2016, 1, 15))
    assert got.minimums()[LEADER] == {"days": 4, "households": 20}
    assert CampaignYear.objects.count() == 2


def test_a_year_before_any_configured_one_has_the_built_in_defaults():
    configure(2014, monthly_due_day=10)
    got = CampaignYear.objects.settings_for(2013)
    assert got.pk is None and not hasattr(got, "carried_from")
    assert (got.monthly_due_day, got.first_half_due, got.second_half_due) == (5, D(2013, 7, 15), D(2014, 1, 15))
    assert got.remind_days_before == 3
    assert got.minimums() == {LEADER: {"days": 3, "households": 20}, HEAD: {"days": 5, "households": 30}}


@override_settings(SITE_TODAY="2014-07-31")
def test_the_default_year_is_the_latest_configured_year_that_has_begun_by_the_sites_today():
    for year in (2013, 2014, 2015):
        configure(year)
    assert CampaignYear.objects.default_year() == 2014
    assert CampaignYear.objects.default_year(D(2015, 1, 1)) == 2015
    assert CampaignYear.objects.default_year(D(2012, 12, 31)) == 2012  # none begun: the day's own year


def test_a_setting_read_in_sql_follows_settings_for():
    configure(2013, head_min_households=40)
    for year in (2012, 2013, 2014):  # defaults, own row, carried over
        expected = CampaignYear.objects.settings_for(year).head_min_households
        got = CampaignYear.objects.annotate(value=CampaignYear.objects.setting(year, "head_min_households"))
        assert {row.value for row in got} == {expected}


# --- the minimums follow the year ------------------------------------------------------------------


@pytest.fixture
def leader(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", position=LEADER)


def stay(official, start, days, households):
    return VisitFactory(
        agency=official.agency,
        official=official,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        is_village_stay=True,
        households=households,
    )


def on_track(user, as_of, official) -> bool:
    (row,) = [row for row in visit_minimums(user=user, as_of=as_of).officials if row.official == official]
    return row.on_track


def test_changing_a_years_minimums_changes_who_is_on_track_that_year_only(cast, staff_a, agency_a, leader):
    stay(leader, D(2013, 5, 6), 3, households=20)  # exactly 2013's minimum
    stay(leader, D(2014, 5, 6), 3, households=20)  # exactly 2014's, as configured at first
    configure(2013)
    y2014 = configure(2014)
    assert on_track(staff_a, D(2014, 12, 31), leader) and on_track(staff_a, D(2013, 12, 31), leader)

    y2014.leadership_min_days, y2014.leadership_min_households = 4, 25  # an administrator asks more of 2014
    y2014.save()

    assert not on_track(staff_a, D(2014, 12, 31), leader)
    assert on_track(staff_a, D(2013, 12, 31), leader)  # the past year keeps its settings
    assert minimum_counts(as_of=D(2014, 12, 31)) == {agency_a.pk: (1, 0)}
    assert minimum_counts(as_of=D(2013, 12, 31)) == {agency_a.pk: (1, 1)}
    figures_2014 = year_end_figures(year=2014, as_of=D(2014, 12, 31))
    figures_2013 = year_end_figures(year=2013, as_of=D(2013, 12, 31))
    assert (figures_2014["visit.minimum_met"], figures_2014["visit.minimum_due"]) == (0, 1)
    assert (figures_2013["visit.minimum_met"], figures_2013["visit.minimum_due"]) == (1, 1)

    page = cast["staff_a"].get(reverse("visits:minimums"), {"year": 2014})
    (row,) = page.context["page"]
    assert (row.required_days, row.required_households, row.days_owed, row.households_owed) == (4, 25, 1, 5)
    body = page.content.decode()
    assert "3 / 4" in body and "20 / 25" in body
    assert page.context["minimums"][0][1] == {"days": 4, "households": 25}  # the rule printed above the table
    assert "campaign year 2014" in body or "2014年度" in body
    past = cast["staff_a"].get(reverse("visits:minimums"), {"year": 2013})
    assert [r.on_track for r in past.context["page"]] == [True]
    assert past.context["minimums"][0][1] == {"days": 3, "households": 20}


# --- target cities per year -------------------------------------------------------------------------


@pytest.fixture
def cities():
    """Two poor villages: one in a city the directory marks (亳州市), one in a city it does not (合肥市)."""
    marked = region_chain(target_city=True, city_name="亳州市")
    unmarked = region_chain(target_city=False, city_name="合肥市")
    return marked, unmarked


def test_a_year_with_its_own_list_has_those_target_cities_else_the_directorys(cities):
    marked, unmarked = cities
    assert set(Region.objects.target_cities(2014)) == {marked.city}  # nothing configured: the directory's
    configure(2013)  # an empty list: the directory's
    configure(2014, cities=[unmarked.city])
    assert set(Region.objects.target_cities(2013)) == {marked.city}
    assert set(Region.objects.target_cities(2014)) == {unmarked.city}
    assert set(Region.objects.target_cities(2015)) == {unmarked.city}  # carried over
    assert set(Region.objects.target_cities()) == {marked.city, unmarked.city}  # of any year
    assert CampaignYear.objects.settings_for(2015).target_city_ids() == {unmarked.city_id}
    assert CampaignYear.objects.get(year=2013).target_city_ids() == {marked.city_id}


def test_a_contact_point_lies_in_a_poor_village_of_a_target_city_of_the_year_it_begins_in(cities, agency_a):
    marked, unmarked = cities
    configure(2013, cities=[marked.city])
    configure(2014, cities=[unmarked.city])
    official = OfficialFactory(agency=agency_a)
    in_2014 = ContactPointFactory(agency=agency_a, official=official, village=unmarked, start_date=D(2014, 3, 1))
    in_2013 = ContactPointFactory(agency=agency_a, official=official, village=marked, start_date=D(2013, 3, 1))
    assert ContactPoint.objects.count() == 2
    for village, start in ((marked, D(2014, 3, 1)), (unmarked, D(2013, 3, 1))):
        point = ContactPointFactory.build(agency=agency_a, official=official, village=village, start_date=start)
        assert_rejected(point, "village", MSG_NOT_POOR_TARGET_VILLAGE)
    # A standing contact point keeps the year it began in: 2014's list does not undo 2013's point.
    in_2013.full_clean()
    in_2014.full_clean()


def test_the_by_city_breakdown_lists_the_years_target_cities(cities, agency_a):
    marked, unmarked = cities
    configure(2014, cities=[unmarked.city])
    rows = city_breakdown(year=2014, as_of=D(2014, 12, 31)).rows
    assert [(row.unit, row.unit.is_target) for row in rows] == [(unmarked.city, True)]
    rows = city_breakdown(year=2013, as_of=D(2013, 12, 31)).rows  # before any configured year: the directory's
    assert [row.unit for row in rows] == [marked.city]


def test_the_contact_point_forms_village_search_offers_the_target_cities_of_every_year(cast, cities):
    marked, unmarked = cities
    region_chain(target_city=False, city_name="淮南市")  # a target city of no year
    configure(2014, cities=[unmarked.city])
    url = reverse("choice_search", args=["pairings.forms.ContactPointForm", "village"])
    found = cast["staff_a"].get(url, {"q": "王楼村"}).json()["results"]
    assert {row["id"] for row in found} == {str(marked.pk), str(unmarked.pk)}


# --- the admin ---------------------------------------------------------------------------------------

ADD = reverse("admin:outreach_campaignyear_add")


def form_data(year=2014, cities=(), **changes):
    data = {
        "year": year,
        "start_date": f"{year}-01-01",
        "end_date": f"{year}-12-31",
        "monthly_due_day": 5,
        "first_half_due": f"{year}-07-15",
        "second_half_due": f"{year + 1}-01-15",
        "remind_days_before": 3,
        "leadership_min_days": 3,
        "leadership_min_households": 20,
        "head_min_days": 5,
        "head_min_households": 30,
        "target_cities": [city.pk for city in cities],
        # the year's usual maxima (outreach.plausibility), an inline: none unless given
        "plausible_limits-TOTAL_FORMS": 0,
        "plausible_limits-INITIAL_FORMS": 0,
        "plausible_limits-MIN_NUM_FORMS": 0,
        "plausible_limits-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def with_limits(data, *limits):
    """`data` with inline rows of usual maxima: (field key, maximum)."""
    data = {**data, "plausible_limits-TOTAL_FORMS": len(limits)}
    for i, (field, maximum) in enumerate(limits):
        data.update({f"plausible_limits-{i}-field": field, f"plausible_limits-{i}-maximum": maximum})
    return data


@pytest.fixture
def administrator(django_user_model):
    """An administrator by role, not a superuser: the admin role's permissions let them edit campaign years."""
    return make_user(django_user_model, "adele", Role.ADMIN)


def test_an_administrator_adds_and_changes_a_year_with_history(administrator, cities):
    marked, unmarked = cities
    client = client_for(administrator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, form_data(cities=[marked.city, unmarked.city]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    campaign = CampaignYear.objects.get(year=2014)
    assert campaign.target_city_ids() == {marked.city_id, unmarked.city_id}

    change = reverse("admin:outreach_campaignyear_change", args=[campaign.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, form_data(cities=[unmarked.city], monthly_due_day=10, head_min_households=35))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.monthly_due_day, campaign.head_min_households) == (10, 35)
    assert campaign.target_city_ids() == {unmarked.city_id}
    history = list(campaign.history.order_by("history_date", "history_id"))  # a row per save, fields and cities
    assert history[0].history_type == "+" and {h.history_user for h in history} == {administrator}
    assert [h.monthly_due_day for h in history if h.history_type == "~"][-1] == 10
    assert {c.region_id for c in history[1].target_cities.all()} == {marked.city_id, unmarked.city_id}
    assert {c.region_id for c in history[-1].target_cities.all()} == {unmarked.city_id}
    history_page = client.get(reverse("admin:outreach_campaignyear_history", args=[campaign.pk]))
    assert history_page.status_code == 200 and "adele" in history_page.content.decode()


@pytest.mark.parametrize("day", [0, 29])
def test_the_admin_refuses_a_due_day_outside_1_to_28_and_saves_nothing(administrator, day):
    response = client_for(administrator).post(ADD, form_data(monthly_due_day=day))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["monthly_due_day"] == [str(MSG_DUE_DAY)]
    assert str(MSG_DUE_DAY) in response.content.decode()
    assert not CampaignYear.objects.exists() and not CampaignYear.history.exists()


def test_the_admin_refuses_a_change_out_of_order_and_keeps_the_year_as_it_was(administrator):
    campaign = configure(2014)
    change = reverse("admin:outreach_campaignyear_change", args=[campaign.pk])
    response = client_for(administrator).post(change, form_data(first_half_due="2014-06-01", end_date="2015-01-31"))
    errors = response.context["adminform"].form.errors
    assert errors["first_half_due"] == [str(MSG_HALF_DUE_ORDER)]
    assert errors["end_date"] == [str(MSG_DATE_IN_YEAR % {"year": 2014})]
    campaign.refresh_from_db()
    assert (campaign.first_half_due, campaign.end_date) == (D(2014, 7, 15), D(2014, 12, 31))
    assert campaign.history.count() == 1  # its creation only


def test_only_cities_can_be_target_cities(administrator, cities):
    marked, _unmarked = cities
    response = client_for(administrator).post(ADD, form_data(cities=[marked]))  # a village
    assert response.context["adminform"].form.errors["target_cities"] == [str(MSG_NOT_A_CITY)]
    assert not CampaignYear.objects.exists()


def test_officers_read_campaign_years_but_do_not_change_them(cast):
    campaign = configure(2014)
    officer = cast["officer"]
    assert officer.get(reverse("admin:outreach_campaignyear_changelist")).status_code == 200
    assert officer.get(ADD).status_code == 403
    before = CampaignYear.objects.get().monthly_due_day
    change = reverse("admin:outreach_campaignyear_change", args=[campaign.pk])
    assert officer.post(change, form_data(monthly_due_day=9)).status_code == 403
    assert CampaignYear.objects.get().monthly_due_day == before
    assert cast["staff_a"].get(reverse("admin:outreach_campaignyear_changelist")).status_code == 302  # to login


@override_settings(SITE_TODAY="2014-07-31")
def test_a_year_that_has_begun_cannot_be_deleted_a_later_one_can(administrator):
    begun, later = configure(2014), configure(2015)
    client = client_for(administrator)
    assert (
        client.post(reverse("admin:outreach_campaignyear_delete", args=[begun.pk]), {"post": "yes"}).status_code == 403
    )
    response = client.post(reverse("admin:outreach_campaignyear_delete", args=[later.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert list(CampaignYear.objects.values_list("year", flat=True)) == [2014]


@pytest.mark.parametrize("years", [2, 6])
def test_the_admin_list_query_count_is_fixed(administrator, cities, django_assert_num_queries, years):
    marked, unmarked = cities
    for year in range(2014 - years + 1, 2015):
        configure(year, cities=[marked.city, unmarked.city])
    client = client_for(administrator)
    # session, user with profile, its two permission sets, the change list's two counts, the years, their
    # target cities (prefetched), and the site's frame (the notices' badge; the session unchanged, not saved)
    with django_assert_num_queries(9):
        response = client.get(reverse("admin:outreach_campaignyear_changelist"))
    body = response.content.decode()
    assert body.count("亳州市、合肥市") == years


def test_an_administrator_sets_a_years_usual_maxima_and_a_wrong_one_saves_nothing(administrator):
    client = client_for(administrator)
    page = client.get(ADD).content.decode()
    assert "visits.visitoutcome.financing" in page  # every count and amount is offered
    response = client.post(ADD, with_limits(form_data(), ("visits.visit.households", "50")))
    assert response.status_code == 302
    assert plausibility.limits_for(2014)["visits.visit.households"] == 50

    refused = client.post(
        ADD, with_limits(form_data(year=2015), ("visits.visit.nothing", "50"), ("visits.visit.forums", "0"))
    )
    assert refused.status_code == 200
    rows = refused.context["inline_admin_formsets"][0].formset.errors
    assert rows[0]["field"] == [str(MSG_UNKNOWN_FIELD)]
    assert rows[1]["maximum"] == [str(MSG_LIMIT_POSITIVE)]
    assert not CampaignYear.objects.filter(year=2015).exists()
    assert PlausibleLimit.objects.count() == 1
