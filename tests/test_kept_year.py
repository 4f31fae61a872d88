"""A year that stays put (issue 13 item 6): the year chosen on one page is kept for the others, the home
page's cards count that year, open send-backs show whatever year is chosen, lists have a 年度 filter that
defaults to the kept year, and a demo site at a fixed day says so on every page."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from outreach.models import CampaignYear, PeriodReturn
from outreach.services import send_back, submit
from pairings.models import ContactPoint, JointActivity, Pairing
from tests.factories import (
    ChannelReturnFactory,
    ContactPointFactory,
    JointActivityFactory,
    PairingFactory,
    VisitFactory,
)
from tests.record_checks import export_rows
from visits.models import Visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_day")]

Status = PeriodReturn.Status
DEMO_DAY = "2014-07-31"


@pytest.fixture
def demo_day(settings):
    """The site runs at the demo's fixed day, 31 July 2014 (settings.SITE_TODAY)."""
    settings.SITE_TODAY = DEMO_DAY


def configure(*years):
    for year in years:
        CampaignYear.defaults(year).save()


def counts(response) -> dict[str, int]:
    """Card counts by model name: contactpoint, pairing, jointactivity, visit."""
    names = {
        str(m._meta.verbose_name_plural): m._meta.model_name for m in (ContactPoint, Pairing, JointActivity, Visit)
    }
    return {names[str(row["label"])]: row["count"] for row in response.context["counts"]}


def input_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
    )
    assert match, f"no input {name}"
    return match.group(1)


def selected_option(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(1))
    return chosen.group(1) if chosen else ""


# --- the year chosen on one page carries to the others ----------------------------------------


def test_a_year_chosen_on_the_home_page_carries_to_the_clerks_other_pages(cast):
    configure(2013, 2014)
    client = cast["staff_a"]
    assert client.get(reverse("home")).context["year"] == 2014  # nothing chosen: the campaign year begun

    client.get(reverse("home"), {"year": 2013})

    returns = client.get(reverse("returns"))
    assert returns.context["year"] == 2013 and "月度报送 · 2013" in returns.content.decode()
    dashboard = client.get(reverse("reports:dashboard"))
    assert dashboard.context["scope"].year == 2013
    assert input_value(dashboard.content.decode(), "year") == "2013"
    year_end = client.get(reverse("reports:year_end"))
    assert year_end.context["scope"].year == 2013 and year_end.context["scope"].as_of == datetime.date(2013, 12, 31)
    assert client.get(reverse("home")).context["year"] == 2013


def test_a_year_chosen_on_the_dashboard_carries_to_the_officers_locks_review_and_year_end(cast):
    configure(2013, 2014)
    client = cast["officer"]
    client.get(reverse("reports:dashboard"), {"year": 2013})

    locks = client.get(reverse("locks")).content.decode()
    assert input_value(locks, "year") == "2013"
    review = client.get(reverse("review"))
    assert review.context["filter_form"].filters()["year"] == 2013
    assert review.context["filter_form"].filters()["status"] == Status.SUBMITTED  # still the queue to review
    assert client.get(reverse("reports:year_end")).context["scope"].year == 2013
    assert client.get(reverse("home")).context["overview"].year == 2013
    assert client.get(reverse("pairings:five_ones_compliance")).context["form"].cleaned_data["year"] == 2013
    assert client.get(reverse("visits:minimums")).context["report"].as_of == datetime.date(2013, 12, 31)
    assert client.get(reverse("reports:snapshot_list")).context["year"] == 2013


def test_an_as_of_date_is_kept_with_its_year_and_one_of_another_year_is_not(cast):
    client = cast["officer"]
    client.get(reverse("reports:dashboard"), {"year": 2014, "as_of": "2014-06-30"})
    assert client.get(reverse("reports:year_end")).context["scope"].as_of == datetime.date(2014, 6, 30)

    # an as-of date outside the year asked for is refused there and not kept
    client.get(reverse("reports:year_end"), {"year": 2014, "as_of": "2013-05-01"})
    assert client.get(reverse("reports:dashboard")).context["scope"].as_of == datetime.date(2014, 6, 30)

    # choosing another year drops the as-of date of the one before
    client.get(reverse("home"), {"year": 2013})
    scope = client.get(reverse("reports:year_end")).context["scope"]
    assert (scope.year, scope.as_of) == (2013, datetime.date(2013, 12, 31))


def test_the_default_year_is_the_latest_campaign_year_begun_by_the_sites_today(cast):
    configure(2013, 2014, 2015)  # 2015 begins on 1 January 2015: not yet at 31 July 2014
    response = cast["staff_a"].get(reverse("home"))
    assert response.context["year"] == 2014
    assert response.context["years"] == [2015, 2014, 2013]  # the configured years are offered
    with override_settings(SITE_TODAY="2015-01-01"):
        assert cast["staff_b"].get(reverse("home")).context["year"] == 2015


# --- the home page's cards count the year chosen ------------------------------------------------


def year_records(agency, year: int, visits: int) -> None:
    """`visits` visits, one joint activity and one contact point begun in `year` (ended with it if 2013)."""
    for _ in range(visits):
        VisitFactory(agency=agency, start_date=datetime.date(year, 3, 2), end_date=datetime.date(year, 3, 3))
    pairing = PairingFactory(agency=agency, start_date=datetime.date(year, 1, 1))
    JointActivityFactory(pairing=pairing, date=datetime.date(year, 6, 1))
    end = datetime.date(2013, 12, 31) if year == 2013 else None
    ContactPointFactory(agency=agency, start_date=datetime.date(year, 2, 1), end_date=end)


def test_home_cards_count_the_year_chosen_only(cast, agency_a, agency_b):
    year_records(agency_a, 2013, visits=2)
    year_records(agency_a, 2014, visits=3)
    year_records(agency_b, 2014, visits=7)  # another agency: not the clerk's

    cards_2013 = counts(cast["staff_a"].get(reverse("home"), {"year": 2013}))
    cards_2014 = counts(cast["staff_a"].get(reverse("home"), {"year": 2014}))

    # 2013: its visits and activity; the pairing and contact point begun in 2013 (the contact point ended with it)
    assert cards_2013 == {"contactpoint": 1, "pairing": 1, "jointactivity": 1, "visit": 2}
    # 2014: its own, plus the 2013 pairing still in force (standing things count in every year they stand)
    assert cards_2014 == {"contactpoint": 1, "pairing": 2, "jointactivity": 1, "visit": 3}
    html = cast["staff_a"].get(reverse("home")).content.decode()  # the kept year, 2014, is on the cards
    assert re.findall(r'data-testid="count-year">([^<]*)<', html) and all(
        "2014" in text for text in re.findall(r'data-testid="count-year">([^<]*)<', html)
    )
    officer = counts(cast["officer"].get(reverse("home"), {"year": 2014}))
    assert officer["visit"] == 10


# --- open send-backs show whatever year is chosen ---------------------------------------------


def test_a_month_and_a_channel_return_sent_back_in_another_year_show_on_home(
    cast, officer, staff_a, agency_a, agency_b
):
    PeriodReturn.objects.create(agency=agency_a, year=2013, month=11, status=Status.SUBMITTED)
    send_back(user=officer, item=PeriodReturn.objects.get(year=2013, month=11), comment="十一月走访户数偏大")
    channel = ChannelReturnFactory(agency=agency_a, year=2013, half=2)
    submit(user=staff_a, item=channel)
    send_back(user=officer, item=channel, comment="满意率请核实")
    PeriodReturn.objects.create(agency=agency_b, year=2014, month=6, status=Status.RETURNED, comment="六月请更正")

    response = cast["staff_a"].get(reverse("home"))  # the year shown: 2014

    assert response.context["year"] == 2014
    assert [(row.year, row.month) for row in response.context["returned"]] == [(2013, 11)]
    assert [row["item"] for row in response.context["send_backs"]] == [channel]
    html = response.content.decode()
    assert "十一月走访户数偏大" in html and "满意率请核实" in html and "六月请更正" not in html
    assert channel.get_absolute_url() in html

    officer_page = cast["officer"].get(reverse("home"), {"year": 2014})
    rows = officer_page.context["send_backs"]
    # newest period first: June 2014, the second half of 2013, November 2013
    assert [row["end"] for row in rows] == [
        datetime.date(2014, 6, 30),
        datetime.date(2013, 12, 31),
        datetime.date(2013, 11, 30),
    ]
    assert [row["item"].agency for row in rows] == [agency_b, agency_a, agency_a]
    officer_html = officer_page.content.decode()
    assert f"{reverse('review')}?status=returned&amp;year=2013&amp;month=11&amp;agency={agency_a.pk}" in officer_html


# --- lists: the 年度 filter ---------------------------------------------------------------------


def test_the_visit_list_filters_by_year_with_totals_and_export(cast, agency_a):
    for households in (5, 6):
        VisitFactory(
            agency=agency_a,
            start_date=datetime.date(2013, 4, 1),
            end_date=datetime.date(2013, 4, 2),
            households=households,
        )
    VisitFactory(agency=agency_a, households=11)  # 2014
    url = reverse("visits:visit_list")
    client = cast["staff_a"]

    page = client.get(url, {"year": 2013})
    assert len(page.context["table"].page.object_list) == 2
    assert page.context["table"].totals["households"] == 11
    assert len(export_rows(client.get(url, {"year": 2013, "export": "xlsx"}))) == 2

    # opened without filters: the year kept (2013, chosen just now), visibly set in the filter
    page = client.get(url)
    assert len(page.context["table"].page.object_list) == 2
    assert selected_option(page.content.decode(), "year") == "2013"
    assert len(export_rows(client.get(url, {"export": "xlsx"}))) == 2

    # "all years" (the empty choice) shows every year, and does not change the year kept
    page = client.get(url, {"year": ""})
    assert len(page.context["table"].page.object_list) == 3 and page.context["table"].totals["households"] == 22
    assert selected_option(page.content.decode(), "year") == ""
    assert "全部年度" in page.content.decode() or "All years" in page.content.decode()
    assert len(client.get(url).context["table"].page.object_list) == 2


def test_the_year_filter_of_standing_things_keeps_those_in_force_in_the_year(cast, agency_a):
    ended_2013 = ContactPointFactory(
        agency=agency_a, start_date=datetime.date(2013, 3, 1), end_date=datetime.date(2013, 12, 31)
    )
    ongoing = ContactPointFactory(agency=agency_a, start_date=datetime.date(2013, 5, 1))
    begun_2014 = ContactPointFactory(agency=agency_a, start_date=datetime.date(2014, 2, 1))
    url = reverse("pairings:contactpoint_list")

    def shown(year):
        return {row.record for row in cast["staff_a"].get(url, {"year": year}).context["table"].page.object_list}

    assert shown(2013) == {ended_2013, ongoing}
    assert shown(2014) == {ongoing, begun_2014}
    assert shown("") == {ended_2013, ongoing, begun_2014}


def test_a_list_without_a_year_chosen_shows_the_campaign_year_or_every_year(cast, agency_a):
    VisitFactory(agency=agency_a, start_date=datetime.date(2013, 4, 1), end_date=datetime.date(2013, 4, 2))
    VisitFactory(agency=agency_a)
    url = reverse("visits:visit_list")
    # no campaign year configured, none chosen: every year, as before
    assert len(cast["staff_a"].get(url).context["table"].page.object_list) == 2
    configure(2013, 2014)
    page = cast["staff_b"].get(url)  # a fresh session: the latest campaign year begun
    assert selected_option(page.content.decode(), "year") == "2014"
    # a drill-down link's own filters leave the year to the URL (its dates of 2013 are not cut to 2014)
    page = cast["staff_a"].get(url, {"start_date_min": "2013-01-01", "start_date_max": "2013-12-31"})
    assert len(page.context["table"].page.object_list) == 1


def test_a_bad_year_in_a_list_is_refused_and_shows_nothing(cast, agency_a):
    VisitFactory(agency=agency_a)
    page = cast["staff_a"].get(reverse("visits:visit_list"), {"year": "abc"})
    assert list(page.context["table"].page.object_list) == []
    assert "year" in page.context["filter"].form.errors


# --- the demo's fixed today -------------------------------------------------------------------


def test_a_demo_site_at_a_fixed_day_says_so_on_every_page(cast, settings):
    for client, name in ((cast["staff_a"], "home"), (cast["officer"], "locks"), (cast["anonymous"], "login")):
        html = client.get(reverse(name)).content.decode()
        assert 'data-testid="site-today-banner"' in html and "2014年7月31日" in html
    settings.SITE_TODAY = None
    assert 'data-testid="site-today-banner"' not in cast["staff_a"].get(reverse("home")).content.decode()
