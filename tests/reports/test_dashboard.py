"""The work dashboard: headline cards against last year, monthly and city charts, the compliance ranking,
scope by role, bad filters, and a query count that does not grow with the data."""

import datetime
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from outreach.models import Agency, Official
from pairings.models import JointActivity
from reports import indicators, numbers
from reports.dashboard import HEADLINE, Card, compliance, headline, monthly_counts, same_day_last_year
from reports.forms import MSG_BAD_AS_OF, MSG_BAD_YEAR, MSG_UNKNOWN_CITY, ReportScope
from reports.indicators import BY_CODE, CATALOGUE, SOURCE_CODES, Scope, compute
from reports.selectors import year_end_figures
from reports.views.dashboard import change_text, percent_text, value_text
from tests import factories as f
from tests.conftest import PASSWORD, client_for
from tests.reports.data import build

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("reports:dashboard")
#: every record entered counts here (the records are in no monthly return): the basis per role is test_basis.py's
PARAMS = {"year": 2014, "as_of": "2014-07-31", "basis": "all"}
YEAR, AS_OF = 2014, D(2014, 7, 31)


def cards(response) -> dict:
    return {card["code"]: card for card in response.context["cards"]}


def in_page(response, text) -> str:
    """`text` as the page shows it: in the page's language, first letter up, HTML-escaped."""
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        return escape(capfirst(str(text)))


def chart_data(response) -> dict:
    found = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1))


# --- headline cards ------------------------------------------------------------------------------


def test_cards_show_the_catalogues_labels_the_figures_and_the_change_against_last_year(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    for day in (D(2013, 3, 1), D(2013, 7, 31), D(2013, 8, 1)):  # the last one is after last year's as-of date
        f.FourIntoEventFactory(agency=agency_a, year=2013, half=1 if day.month < 7 else 2, date=day)
    response = cast["officer"].get(URL, PARAMS)
    assert response.status_code == 200
    shown = cards(response)
    assert list(shown) == list(HEADLINE)
    figures = year_end_figures(year=YEAR, as_of=AS_OF)
    content = response.content.decode()
    for code in HEADLINE:
        assert shown[code]["value"] == value_text(code, figures[code])[0], code
        assert in_page(response, BY_CODE[code].label) in content, code  # the catalogue's label, not retyped
    events = shown["four_into.events"]
    assert (events["value"], events["last_year"], events["change"], events["change_percent"]) == (
        "4",
        "2",
        "+2",
        "+100.0%",
    )
    assert events["trend"] == "up"
    # nothing last year: the change in numbers, "—" for the percentage
    points = shown["cp.points"]
    assert (points["value"], points["last_year"], points["change"], points["change_percent"]) == ("4", "0", "+4", "—")
    met = shown["visit.minimum_met"]["out_of"]
    assert met["value"] == str(figures["visit.minimum_due"])


def test_the_same_date_last_year_and_29_february():
    assert same_day_last_year(D(2014, 7, 31)) == D(2013, 7, 31)
    assert same_day_last_year(D(2016, 2, 29)) == D(2015, 2, 28)


def test_a_leap_day_compares_with_28_february(agency_a):
    f.FourIntoEventFactory(agency=agency_a, year=2015, date=D(2015, 2, 28))
    f.FourIntoEventFactory(agency=agency_a, year=2015, date=D(2015, 3, 1))
    f.FourIntoEventFactory(agency=agency_a, year=2016, date=D(2016, 2, 29))
    card = {c.indicator.code: c for c in headline(ReportScope(2016, D(2016, 2, 29)))}["four_into.events"]
    assert (card.value, card.last_year, card.change, card.change_percent) == (1, 1, 0, Decimal("0.0"))


def test_change_texts():
    card = Card(BY_CODE["cp.points"], 90, 120)
    assert (card.change, card.change_percent) == (-30, Decimal("-25.0"))
    assert change_text("cp.points", card.change) == "\u221230" and percent_text(card.change_percent) == "\u221225.0%"
    assert Card(BY_CODE["cp.points"], 5, 0).change_percent is None and percent_text(None) == "—"
    assert change_text("cp.points", 0) == "±0"
    assert change_text("cp.points", 1234) == "+1,234"


def test_money_in_yuan_below_ten_thousand_then_in_wan_and_yi_with_two_places():
    assert value_text("pair.funds", Decimal("9876.50")) == ("9,876.50", "元")
    assert value_text("pair.funds", Decimal("123456.78")) == ("12.35", "万元")
    assert value_text("pair.funds", Decimal("82632016.00")) == ("8,263.20", "万元")
    assert value_text("pair.funds", Decimal("30770436596.71"))[0] == "307.70"
    assert value_text("pair.funds", Decimal("30770436596.71"))[1] == str(numbers.YI.unit)
    assert value_text("visit.households", 38240) == ("38,240", str(BY_CODE["visit.households"].unit))
    assert change_text("pair.funds", Decimal("-2000000.00")) == "\u2212200.00 万元"


def test_a_cards_last_year_and_change_read_in_the_unit_of_its_figure(cast, agency_a):
    """Not "164.27 万元 … last year 131,582.69 元": last year is in 万元 too, exact amounts on hover."""
    pairing = f.PairingFactory(agency=agency_a, start_date=D(2013, 1, 1))
    f.SupportFactory(pairing=pairing, date=D(2014, 3, 1), funds=Decimal("1642700.00"))
    f.SupportFactory(pairing=pairing, date=D(2013, 3, 1), funds=Decimal("131582.69"))
    response = cast["officer"].get(URL, PARAMS)
    card = cards(response)["pair.funds"]
    assert (card["value"], card["unit"], card["exact"]) == ("164.27", "万元", "1,642,700.00 元")
    assert (card["last_year"], card["last_year_unit"], card["last_year_exact"]) == ("13.16", "万元", "131,582.69 元")
    assert card["change"] == "+151.11 万元"
    content = response.content.decode()
    assert 'data-testid="card-value" title="1,642,700.00 元">164.27<' in content
    assert 'title="131,582.69 元">上年同期 13.16 万元<' in content or "13.16 万元" in content


def test_each_card_links_to_its_records(cast, agency_a):
    build([agency_a], 3)
    shown = cards(cast["officer"].get(URL, PARAMS))
    response = cast["officer"].get(shown["cp.points"]["url"])
    assert response.context["table"].paginator.count == 3 == int(shown["cp.points"]["value"])
    response = cast["officer"].get(shown["pair.funds"]["url"])
    assert response.context["table"].totals["funds"] == Decimal("300000.00")
    assert all(card["url"] for card in shown.values())


# --- monthly activity ----------------------------------------------------------------------------


def test_monthly_counts_fold_days_into_months_and_each_bar_lists_its_records(cast, agency_a, agency_b):
    village = f.poor_village()
    for day in (D(2014, 1, 1), D(2014, 1, 31), D(2014, 3, 15), D(2014, 7, 31), D(2014, 8, 1), D(2013, 12, 31)):
        f.VisitFactory(agency=agency_a, place=village, start_date=day, end_date=day)
    f.VisitFactory(agency=agency_b, place=village, start_date=D(2014, 3, 2), end_date=D(2014, 3, 2))
    f.VisitFactory(agency=agency_a, start_date=D(2014, 3, 3), end_date=D(2014, 3, 3))  # another city
    f.VolunteerServiceFactory(team=f.VolunteerTeamFactory(agency=agency_a), date=D(2014, 2, 2))
    scope = ReportScope(YEAR, AS_OF, agency=agency_a, city=village.city)
    counts = monthly_counts(scope)
    assert counts["visits"] == [2, 0, 1, 0, 0, 0, 1]  # January … July; not August, not last year, not B
    assert counts["volunteer_services"] == [0, 1, 0, 0, 0, 0, 0]  # no city: counted whatever the city
    response = cast["officer"].get(URL, {**PARAMS, "agency": agency_a.code, "city": village.city.code})
    months = response.context["monthly"]["rows"]
    assert [m["label"] for m in months] == [f"2014-{m:02d}" for m in range(1, 8)]
    january = months[0]["cells"][0]
    assert january["value"] == 2
    listed = cast["officer"].get(january["url"]).context["table"].paginator.count
    assert listed == 2
    july = parse_qs(urlsplit(months[6]["cells"][0]["url"]).query)
    assert (july["start_date_min"], july["start_date_max"]) == (["2014-07-01"], ["2014-07-31"])
    drawn = chart_data(response)["monthly"]["datasets"][0]
    assert drawn["data"] == [2, 0, 1, 0, 0, 0, 1] and drawn["urls"][0] == january["url"]


# --- per city ------------------------------------------------------------------------------------


def test_city_table_lists_the_target_cities_with_zeros_and_links_each_figure(cast, agency_a):
    village = f.poor_village()
    idle = f.region_chain(city_name="六安市").city  # a target city without records
    f.ContactPointFactory(agency=agency_a, village=village)
    f.ContactPointFactory(agency=agency_a, village=village)
    response = cast["officer"].get(URL, PARAMS)
    cities = response.context["cities"]
    rows = {str(row["label"]): row for row in cities["rows"]}
    assert rows[idle.name]["cells"][0]["value"] == 0
    assert [c["key"] for c in cities["columns"]] == ["cp.points", "pair.activities", "visit.person_times"]
    here = [row for row in cities["rows"] if row["cells"][0]["value"] == 2]
    assert len(here) == 1
    listed = cast["officer"].get(here[0]["cells"][0]["url"]).context["table"].paginator.count
    assert listed == 2


# --- compliance ----------------------------------------------------------------------------------


def five_ones(pairing, date=D(2014, 5, 1)):
    for kind in JointActivity.FIVE_ONES:
        f.JointActivityFactory(pairing=pairing, kind=kind, date=date)


def test_compliance_score_ranking_and_agencies_without_records_last_with_zeros(cast, agency_a, agency_b):
    idle = f.AgencyFactory(code="A099")
    # A: both partners, one pairing with all five ones of two; one official of one met the minimum
    done = f.PairingFactory(agency=agency_a, partner=f.VillageOrgFactory())
    f.PairingFactory(agency=agency_a, partner=f.CommunityOrgFactory())
    five_ones(done)
    leader = f.OfficialFactory(agency=agency_a)
    f.OfficialFactory(agency=agency_a)
    for month in (3, 4, 5, 6):  # 4 stays of 1 day, 8 households each: 4 days, 32 households ≥ 3 and 20
        f.VisitFactory(agency=agency_a, official=leader, start_date=D(2014, month, 2), end_date=D(2014, month, 2))
    # B: one village partner with all five ones; nobody under a minimum
    five_ones(f.PairingFactory(agency=agency_b, partner=f.VillageOrgFactory()))
    rows = compliance(ReportScope(YEAR, AS_OF))
    by_code = {row.agency.code: row for row in rows}
    a, b = by_code[agency_a.code], by_code[agency_b.code]
    assert (a.one_plus_two_share, a.five_ones_share, a.minimums_share, a.score) == (
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("66.7"),
    )
    assert (b.one_plus_two_share, b.five_ones_share, b.minimums_share, b.score) == (
        Decimal("0.0"),
        Decimal("100.0"),
        Decimal("0.0"),
        Decimal("33.3"),
    )
    assert [row.agency.code for row in rows] == [agency_a.code, agency_b.code, idle.code]
    assert not by_code[idle.code].has_records and by_code[idle.code].score == 0
    response = cast["officer"].get(URL, PARAMS)
    content = response.content.decode()
    assert f'data-testid="compliance-{idle.code}"' in content  # listed, not dropped
    first = response.context["ranking"][0]
    listed = cast["officer"].get(first["five_ones_url"]).context["result"].rows
    assert [row.pairing for row in listed] == [done]
    assert chart_data(response)["compliance"][0]["scores"] == [66.7, 33.3, 0.0]
    assert in_page(response, response.context["score_help"]) in content


def test_many_agencies_chart_the_best_and_the_worst_and_the_table_lists_all(cast, agency_a):
    for _i in range(25):
        f.AgencyFactory()
    response = cast["officer"].get(URL, PARAMS)
    charts = chart_data(response)["compliance"]
    assert [len(chart["labels"]) for chart in charts] == [10, 10]
    assert len(response.context["ranking"]) == Agency.objects.count() == 27  # A, B and 25 more


# --- scope by role, filters ------------------------------------------------------------------------


def test_staff_see_their_own_agency_and_another_agency_is_a_404(cast, agency_a, agency_b):
    build([agency_a], 1)
    build([agency_b], 3)
    response = cast["staff_a"].get(URL, PARAMS)
    assert cards(response)["cp.points"]["value"] == "1"
    assert [item["agency"] for item in response.context["ranking"]] == [agency_a]
    assert "agency" not in response.context["form"].fields
    assert cast["staff_a"].get(URL, {**PARAMS, "agency": agency_b.code}).status_code == 404
    officer = cast["officer"].get(URL, {**PARAMS, "agency": agency_b.code})
    assert cards(officer)["cp.points"]["value"] == "3"


def test_who_may_open_the_dashboard(cast, django_user_model):
    assert cast["anonymous"].get(URL).status_code == 302
    assert cast["admin"].get(URL, PARAMS).status_code == 200
    nobody = django_user_model.objects.create_user(username="nobody", password=PASSWORD)  # no role, no agency
    assert client_for(nobody).get(URL, PARAMS).status_code == 403


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, MSG_BAD_YEAR),
        ({"year": 2014, "as_of": "2015-01-01"}, MSG_BAD_AS_OF),
        ({"year": 2014, "city": "nowhere"}, MSG_UNKNOWN_CITY),
    ],
)
def test_bad_filters_show_the_message_and_no_figures(cast, agency_a, params, message):
    build([agency_a], 1)
    response = cast["officer"].get(URL, params)
    assert response.status_code == 400
    content = response.content.decode()
    assert str(message) in content
    assert 'data-testid="cards"' not in content and "dashboard-data" not in content
    assert "cards" not in response.context


def test_the_filter_bar_shows_the_year_and_date_the_figures_are_for(cast):
    response = cast["officer"].get(URL, {"year": 2014})
    content = response.content.decode()
    assert 'value="2014-12-31"' in content and 'name="year" value="2014"' in content


def test_navigation_links_to_the_dashboard(cast):
    for who in ("staff_a", "officer"):
        assert f'href="{URL}"' in cast[who].get(reverse("home")).content.decode()


# --- the query count ---------------------------------------------------------------------------------

# session, user with profile and agency (2); the compliance parts per agency: pairings, joint activities,
# minimums (2), standing pairings, agencies (6); this year's headline without the minimums (9);
# last year's headline (11); the records per month (6); the city chart (4); the filter bar's
# agency and city choices (2); the year and as-of date asked for kept in the session (3: savepoint, update,
# release)
OFFICER_QUERIES = 43 + 1  # + 1: the navigation's unread-notification badge (notices)
STAFF_QUERIES = OFFICER_QUERIES - 1  # − the agency choices (the user's agency comes with the user)


@pytest.mark.parametrize("scale", [1, 4])
@pytest.mark.parametrize(("who", "expected"), [("officer", OFFICER_QUERIES), ("staff_a", STAFF_QUERIES)])
def test_query_count_does_not_grow_with_the_data(
    cast, agency_a, agency_b, django_assert_num_queries, scale, who, expected
):
    build([agency_a, agency_b] + [f.AgencyFactory() for _ in range(scale)], scale)
    with django_assert_num_queries(expected):
        response = cast[who].get(URL, PARAMS)
    assert response.status_code == 200
    assert cards(response)["cp.points"]["value"] == str(scale if who == "staff_a" else (2 + scale) * scale)


# --- compute(codes=…) ------------------------------------------------------------------------------


def test_each_source_yields_exactly_its_codes(agency_a):
    build([agency_a], 1)
    f.JointActivityFactory(pairing=f.PairingFactory(agency=agency_a))
    scope = Scope(year=YEAR, as_of=D(2014, 12, 31))
    for source in indicators.SOURCES:
        assert set(source(scope)[None]) == set(SOURCE_CODES[source]), source.__name__
    assert sorted(code for codes in SOURCE_CODES.values() for code in codes) == sorted(i.code for i in CATALOGUE)


def test_codes_give_the_same_figures_from_fewer_queries(agency_a, agency_b):
    build([agency_a, agency_b], 2)
    everything = compute(year=YEAR, as_of=AS_OF)
    for code in everything:
        assert compute(year=YEAR, as_of=AS_OF, codes=[code]) == {code: everything[code]}, code
    chosen = ["pair.funds", "cp.points", "four_into.events"]
    with CaptureQueriesContext(connection) as queries:
        figures = compute(year=YEAR, as_of=AS_OF, codes=chosen)
    assert list(figures) == ["cp.points", "pair.funds", "four_into.events"]  # catalogue order
    assert len(queries) == 3
    grouped = indicators.compute_grouped(year=YEAR, as_of=AS_OF, by=indicators.BY_AGENCY, codes=chosen)
    assert grouped[agency_a.pk] == {code: everything[code] // 2 for code in figures}
    with pytest.raises(KeyError):
        compute(year=YEAR, as_of=AS_OF, codes=["no.such"])


def test_minimums_on_the_card_are_the_province_figure(cast, agency_a, agency_b):
    """The card takes visit.minimum_met from the ranking's per-agency parts: their sum is the figure."""
    for agency in (agency_a, agency_b):
        leader = f.OfficialFactory(agency=agency)
        f.OfficialFactory(agency=agency, position=Official.Position.DEPARTMENT_HEAD)
        for month in (3, 4, 5):
            f.VisitFactory(agency=agency, official=leader, start_date=D(2014, month, 2), end_date=D(2014, month, 3))
    shown = cards(cast["officer"].get(URL, PARAMS))["visit.minimum_met"]
    figures = year_end_figures(year=YEAR, as_of=AS_OF)
    assert shown["value"] == str(figures["visit.minimum_met"]) == "2"
    assert shown["out_of"]["value"] == str(figures["visit.minimum_due"]) == "4"
