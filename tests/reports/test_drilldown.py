"""Every figure links to the list of the records behind it: what that list shows adds up to the figure."""

import datetime
import html
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from outreach.models import Official
from pairings.models import ContactPoint, JointActivity
from reports import numbers
from reports.drilldown import COUNTS, ONCE_PER, TARGETS, records_url
from reports.forms import ReportScope
from reports.selectors import year_end_figures
from tests import factories as f
from visits.models import FiveIntoAction, VolunteerTeam

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR, AS_OF = 2014, D(2014, 7, 31)
FIVE = list(JointActivity.FIVE_ONES)


def world(agency, village):
    """Records of `agency` in `village`'s city: inside the window, and beside it in every way that must not count."""
    official = f.OfficialFactory(agency=agency)
    division = f.OfficialFactory(agency=agency, rank=Official.Rank.DIVISION, title="处长")
    clerk = f.OfficialFactory(agency=agency, rank=Official.Rank.OTHER, title="科员")
    # standing things: in force in the window, ended before it, begun after the as-of date
    point = f.ContactPointFactory(agency=agency, official=official, village=village, start_date=D(2013, 5, 1))
    f.ContactPointFactory(agency=agency, village=village, start_date=D(2014, 2, 1), end_date=D(2014, 3, 1))
    f.ContactPointFactory(agency=agency, village=village, start_date=D(2013, 1, 1), end_date=D(2013, 12, 31))
    f.ContactPointFactory(agency=agency, village=village, start_date=D(2014, 9, 1))
    gone = f.ContactPointFactory(agency=agency, village=village, start_date=D(2014, 1, 2))
    ContactPoint.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    f.ContactPointActivityFactory(contact_point=point, date=D(2014, 3, 1), people_consoled=7)
    f.ContactPointActivityFactory(contact_point=point, date=D(2014, 8, 1), people_consoled=100)  # after as_of
    # a pairing holding all five ones, one holding two of them, and one that ended last year
    partner = f.VillageOrgFactory(region=village)
    done = f.PairingFactory(agency=agency, partner=partner, start_date=D(2013, 6, 1))
    for i, kind in enumerate(FIVE):
        f.JointActivityFactory(pairing=done, kind=kind, date=D(2014, 2 + i, 3))
    behind = f.PairingFactory(agency=agency, partner=f.CommunityOrgFactory(), start_date=D(2014, 1, 1))
    f.JointActivityFactory(pairing=behind, kind=FIVE[0], date=D(2014, 4, 4))
    f.JointActivityFactory(pairing=behind, kind=FIVE[1], date=D(2014, 12, 4))  # after as_of
    f.PairingFactory(
        agency=agency, partner=f.VillageOrgFactory(region=village), start_date=D(2013, 1, 1), end_date=D(2013, 12, 1)
    )
    f.SupportFactory(pairing=done, date=D(2014, 4, 1), funds=Decimal("123456.78"))
    f.SupportFactory(pairing=behind, date=D(2014, 7, 31), funds=Decimal("0.22"))
    f.SupportFactory(pairing=done, date=D(2013, 12, 31), funds=Decimal("999.00"))  # last year
    # visits by a department-level, a division-level and an other-rank official, and one outside the window
    for who, households in ((official, 11), (division, 13), (clerk, 17)):
        f.VisitFactory(
            agency=agency,
            official=who,
            place=village,
            start_date=D(2014, 5, 6),
            end_date=D(2014, 5, 8),
            households=households,
        )
    f.VisitFactory(
        agency=agency,
        official=official,
        place=village,
        start_date=D(2014, 8, 6),
        end_date=D(2014, 8, 6),
        households=1000,
    )
    # service activities (no city)
    f.FourIntoEventFactory(agency=agency, date=D(2014, 4, 15))
    f.FourIntoEventFactory(agency=agency, date=D(2014, 10, 15), half=2)
    team = f.VolunteerTeamFactory(agency=agency, start_date=D(2013, 3, 1))
    f.VolunteerTeamFactory(agency=agency, start_date=D(2013, 3, 1), end_date=D(2013, 9, 1))
    f.VolunteerTeamFactory(
        agency=agency,
        kind=VolunteerTeam.Kind.PROFESSIONAL,
        specialty=VolunteerTeam.Specialty.MEDICAL,
        start_date=D(2014, 6, 1),
    )
    f.VolunteerServiceFactory(team=team, date=D(2014, 3, 5), person_times=12)
    f.VolunteerServiceFactory(team=team, date=D(2014, 9, 5), person_times=40)
    f.FiveIntoActionFactory(
        agency=agency,
        kind=FiveIntoAction.Kind.HEALTH,
        date=D(2014, 5, 20),
        books=0,
        book_boxes=0,
        consultations=55,
        title="义诊",
    )
    f.FiveIntoActionFactory(agency=agency, date=D(2014, 5, 21))


@pytest.fixture
def data(agency_a, agency_b):
    here, there = f.poor_village(), f.region_chain(city_name="阜阳市")
    world(agency_a, here)
    world(agency_a, there)
    world(agency_b, here)
    for agency, opinions in ((agency_a, 120), (agency_b, 30)):
        f.ChannelReturnFactory(agency=agency, year=2014, half=1, opinions=opinions)
        f.ChannelReturnFactory(agency=agency, year=2014, half=2, opinions=500)  # ends after as_of
    return {"here": here.city, "there": there.city}


def shown(client, url):
    """(rows, totals row, the page's context) of a list page, or of a compliance page."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "table" in context:
        return context["table"].paginator.count, context["table"].totals, context
    if "page" in context:  # the visit minimums
        return context["report"].due, {}, context
    return len(context["result"].rows), {}, context


# code → how its list adds up to it: the number of rows, or the total of a column
ROWS, TOTAL = "rows", "total"
EXACT = {
    "cp.points": (ROWS, None),
    "cp.needy_consoled": (TOTAL, "people_consoled"),
    "pair.activities": (ROWS, None),
    "pair.funds": (TOTAL, "funds"),
    "pair.five_ones_done": (ROWS, None),
    "visit.person_times": (ROWS, None),
    "visit.households": (TOTAL, "households"),
    "visit.minimum_due": (ROWS, None),
    "channel.opinions": (TOTAL, "opinions"),
    "four_into.events": (ROWS, None),
    "volunteer.teams": (ROWS, None),
    "volunteer.professional_teams": (ROWS, None),
    "volunteer.person_times": (TOTAL, "person_times"),
    "five_into.consultations": (TOTAL, "consultations"),
}


def check(client, scope):
    figures = year_end_figures(year=scope.year, as_of=scope.as_of, agency=scope.agency, city=scope.city)
    checked = {}
    for code, (how, column) in EXACT.items():
        if scope.city is not None and code == "pair.five_ones_done":
            continue  # no city on the compliance page: see test_a_compliance_figure_narrowed_to_a_city…
        rows, totals, _context = shown(client, records_url(code, scope))
        listed = rows if how == ROWS else totals[column]
        assert listed == figures[code], (code, listed, figures[code])
        checked[code] = listed
    return checked


def test_each_figure_of_the_province_is_what_its_list_shows(cast, data):
    checked = check(cast["officer"], ReportScope(YEAR, AS_OF))
    # the worlds are built so that every figure is something, and what lies beside the window is left out
    assert checked["cp.points"] == 6 and checked["pair.activities"] == 3 * 6
    assert checked["pair.funds"] == Decimal("370371.00")  # 3 × (123,456.78 + 0.22)
    assert checked["visit.person_times"] == 6 and checked["visit.households"] == 3 * 41
    assert checked["pair.five_ones_done"] == 3 and checked["volunteer.teams"] == 6
    assert checked["channel.opinions"] == 150 and checked["five_into.consultations"] == 3 * 55


def test_each_figure_of_one_agency_in_one_city_is_what_its_list_shows(cast, data, agency_a):
    checked = check(cast["officer"], ReportScope(YEAR, AS_OF, agency=agency_a, city=data["there"]))
    assert checked["cp.points"] == 2 and checked["visit.households"] == 41
    assert checked["four_into.events"] == 2  # no city: the agency's events, as in the figure


def test_staff_lists_are_their_own_agency_and_match_their_figures(cast, data, agency_a):
    checked = check(cast["staff_a"], ReportScope(YEAR, AS_OF, agency=agency_a))
    assert checked["cp.points"] == 4


def test_a_city_outside_the_five_target_cities_can_be_followed(cast, agency_a):
    other = f.region_chain(target_city=False, poor=False, city_name="合肥市")
    f.VisitFactory(agency=agency_a, place=other, start_date=D(2014, 5, 6), end_date=D(2014, 5, 6), households=9)
    f.VisitFactory(agency=agency_a, start_date=D(2014, 5, 6), end_date=D(2014, 5, 6), households=4)
    scope = ReportScope(YEAR, AS_OF, city=other.city)
    _rows, totals, _context = shown(cast["officer"], records_url("visit.households", scope))
    assert totals["households"] == 9 == year_end_figures(year=YEAR, as_of=AS_OF, city=other.city)["visit.households"]


def test_the_window_agency_and_city_are_in_the_link(data, agency_a):
    scope = ReportScope(YEAR, AS_OF, agency=agency_a, city=data["here"])
    url = urlsplit(records_url("visit.person_times", scope))
    assert url.path == reverse("visits:visit_list")
    assert parse_qs(url.query) == {
        "start_date_min": ["2014-01-01"],
        "start_date_max": ["2014-07-31"],
        "agency": [str(agency_a.pk)],
        "city": [str(data["here"].pk)],
        "basis": ["all"],  # the scope's basis: the list shows the records of months on it
        "rank": ["department", "division"],
        "figure": ["visit.person_times"],  # the list says what the figure counts of it
    }
    standing = parse_qs(urlsplit(records_url("cp.points", scope)).query)
    assert (standing["standing_min"], standing["standing_max"]) == (["2014-01-01"], ["2014-07-31"])


def test_figures_without_a_city_link_without_one(data):
    scope = ReportScope(YEAR, AS_OF, city=data["here"])
    for code in ("four_into.events", "visit.minimum_met", "channel.opinions", "volunteer.person_times"):
        assert "city" not in parse_qs(urlsplit(records_url(code, scope)).query), code


def test_a_compliance_figure_narrowed_to_a_city_opens_the_records_it_counts(cast, data):
    """The compliance pages have no city filter: the city's joint activities and pairings instead."""
    scope = ReportScope(YEAR, AS_OF, city=data["there"])
    url = records_url("pair.five_ones_done", scope)
    assert urlsplit(url).path == reverse("pairings:jointactivity_list")
    rows, _totals, _context = shown(cast["officer"], url)
    assert rows == year_end_figures(year=YEAR, as_of=AS_OF, city=data["there"])["pair.activities"] == 5
    assert urlsplit(records_url("pair.one_plus_two", scope)).path == reverse("pairings:pairing_list")
    province = urlsplit(records_url("pair.one_plus_two", ReportScope(YEAR, AS_OF)))
    assert province.path == reverse("pairings:one_plus_two_compliance")


def test_every_code_of_the_catalogue_has_a_page():
    from reports.indicators import CATALOGUE

    scope = ReportScope(YEAR, AS_OF)
    for indicator in CATALOGUE:
        assert TARGETS[indicator.code] is not None, indicator.code
        assert records_url(indicator.code, scope).startswith("/"), indicator.code


def test_changed_since_lists_only_records_created_or_changed_after_the_moment(cast, agency_a):
    old = [f.FourIntoEventFactory(agency=agency_a, title=f"旧{i}") for i in range(3)]
    moment = timezone.now()
    type(old[0]).objects.filter(pk__in=[e.pk for e in old]).update(updated_at=moment - datetime.timedelta(hours=1))
    new = f.FourIntoEventFactory(agency=agency_a, title="新建")
    changed = old[0]
    changed.title = "改过"
    changed.save()
    url = records_url("four_into.events", ReportScope(YEAR, AS_OF), changed_since=moment)
    assert parse_qs(urlsplit(url).query)["changed_since"] == [moment.isoformat()]
    rows, _totals, context = shown(cast["officer"], url)
    assert rows == 2
    assert {row.pk for row in context["table"].data} == {new.pk, changed.pk}
    # the interface is Chinese first
    assert str(context["filter"].form.fields["changed_since"].label) == "在此时间后修改过"


def test_a_bad_changed_since_is_named_and_lists_nothing(cast, agency_a):
    f.FourIntoEventFactory(agency=agency_a)
    response = cast["officer"].get(reverse("visits:fourintoevent_list"), {"changed_since": "yesterday"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["changed_since"]
    assert response.context["table"].paginator.count == 0


def test_standing_filter_keeps_things_in_force_in_the_window(cast, agency_a):
    village = f.poor_village()
    inside = [
        f.ContactPointFactory(agency=agency_a, village=village, start_date=D(2013, 1, 1)),  # open-ended
        f.ContactPointFactory(agency=agency_a, village=village, start_date=D(2013, 1, 1), end_date=D(2014, 1, 1)),
        f.ContactPointFactory(agency=agency_a, village=village, start_date=D(2014, 7, 31)),
    ]
    f.ContactPointFactory(agency=agency_a, village=village, start_date=D(2013, 1, 1), end_date=D(2013, 12, 31))
    f.ContactPointFactory(agency=agency_a, village=village, start_date=D(2014, 8, 1))
    response = cast["staff_a"].get(
        reverse("pairings:contactpoint_list"), {"standing_min": "2014-01-01", "standing_max": "2014-07-31"}
    )
    assert {row.pk for row in response.context["table"].data} == {point.pk for point in inside}


# --- the note on a list opened from a figure ------------------------------------------------------------


def note_of(response) -> tuple[str, str, str] | None:
    """(the figure's code, the note's strong text, its title) of a list page, or None without a note."""
    found = re.search(
        r'data-testid="drilldown-note" data-figure="([^"]+)">.*?<strong title="([^"]*)" data-testid="drilldown-figure">([^<]*)<',
        response.content.decode(),
        flags=re.S,
    )
    return (found.group(1), html.unescape(found.group(3).strip()), html.unescape(found.group(2))) if found else None


def note_text(how, value, unit) -> str:
    """The note's figure as the page writes it, in the site's language ("每名干部只计一次：646 人")."""
    with translation.override(settings.LANGUAGE_CODE):
        return (gettext("%(how)s: %(value)s %(unit)s") % {"how": how, "value": value, "unit": unit}).strip()


def test_a_list_opened_from_a_figure_shows_that_figure_in_its_unit(cast, data):
    """Every figure: tests/reports/test_drilldown_every_figure.py. The funds: 370,371.00 yuan in 万元, the
    exact amount on hover, as on the card."""
    scope = ReportScope(YEAR, AS_OF)
    found = note_of(cast["officer"].get(records_url("pair.funds", scope)))
    assert found[1] == note_text(COUNTS["pair.funds"].wording, "37.04", "万元") and found[2] == "370,371.00 元"


def test_a_distinct_count_says_so_beside_the_rows_it_lists(cast, agency_a):
    """厅局级领导干部 646 opens 830 contact points: the list says the figure counts each official once."""
    village = f.poor_village()
    twice, once = f.OfficialFactory(agency=agency_a), f.OfficialFactory(agency=agency_a)
    for official in (twice, twice, once):
        f.ContactPointFactory(agency=agency_a, official=official, village=village, start_date=D(2014, 1, 1))
    scope = ReportScope(YEAR, AS_OF)
    response = cast["officer"].get(records_url("cp.officials", scope))
    assert response.context["table"].paginator.count == 3
    assert year_end_figures(year=YEAR, as_of=AS_OF)["cp.officials"] == 2
    code, text, _title = note_of(response)
    assert code == "cp.officials" and text == note_text(ONCE_PER["official"], 2, numbers.figure("cp.officials", 2).unit)
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        listed = ngettext("(%(counter)s record listed)", "(%(counter)s records listed)", 3) % {"counter": 3}
    assert listed in response.content.decode()
    # the same list opened from the contact points' own figure counts one a row, and a plain list has no note
    assert note_of(cast["officer"].get(records_url("cp.points", scope)))[1] == note_text(
        COUNTS["cp.points"].wording, 3, numbers.figure("cp.points", 3).unit
    )
    assert note_of(cast["officer"].get(reverse("pairings:contactpoint_list"))) is None


def test_a_figure_that_is_not_this_lists_has_no_note(cast, agency_a):
    f.FourIntoEventFactory(agency=agency_a)
    for figure in ("pair.funds", "no.such", ""):
        response = cast["officer"].get(reverse("visits:fourintoevent_list"), {"figure": figure})
        assert response.status_code == 200 and note_of(response) is None, figure
