"""Every figure of the catalogue opens a list (or a compliance page) whose note shows that figure.

One dataset, seeded once for the module (and rolled back after it), in which every figure is something;
one test per catalogue code and scope: the note on the page `records_url` opens names the figure and
shows its year-end value (`reports.selectors.year_end_figures`) in the figure's unit, computed over the
rows listed. A figure whose page may show no note must be in `WITHOUT_NOTE`, with the reason.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.models import Region
from outreach.roles import Role
from pairings.models import JointActivity
from reports import numbers
from reports.catalogue import CATALOGUE
from reports.drilldown import (
    BOTH_PARTNERS,
    COUNTS,
    DISTINCT,
    FALLBACK_COUNTS,
    FIVE_ONES_HELD,
    LATEST,
    OUTCOMES,
    TARGETS,
    records_url,
    resolve,
)
from reports.forms import ReportScope
from reports.selectors import year_end_figures
from tests import factories as f
from tests.conftest import client_for, make_user
from tests.reports.test_drilldown import note_of, note_text, world
from visits.models import ChannelReturn, FiveIntoAction, VisitOutcome

D = datetime.date
YEAR = 2014
YEAR_END, MID_YEAR = D(2014, 12, 31), D(2014, 7, 31)
KIND = FiveIntoAction.Kind

#: code → why the page it opens shows no note. Empty: every figure's page says what it counts. A new
#: figure either gets a `reports.drilldown.COUNTS` entry or a line here saying why its list cannot.
WITHOUT_NOTE: dict[str, str] = {}


def seed(a, b, here, there):
    """`world` (tests/reports/test_drilldown.py) of both agencies, and what it lacks: outcomes on visits
    (and a deleted one), five-into actions of every kind (and one reporting nothing), two returns of
    agency A whose stocks differ (the latest counts), in `there` a committee of A with both partners and
    one of B with a village partner only and two of the five ones."""
    world(a, here.region)
    world(a, there.region)
    world(b, here.region)
    visit = f.VisitFactory(
        agency=a,
        place=there.region,
        start_date=D(2014, 6, 2),
        end_date=D(2014, 6, 3),
        enterprises=2,
        communities=1,
        villager_groups=3,
        forums=1,
        opinions=4,
    )
    person = f.NeedyPersonFactory(agency=a, village=there.region)
    for official in (visit.official, f.OfficialFactory(agency=a)):  # one person, two officials: counted once
        f.NeedyPairingFactory(agency=a, needy_person=person, official=official)
    f.NeedyPairingFactory(agency=b, needy_person__village=here.region)
    for financing in (Decimal("1234567.89"), Decimal("0.11")):
        f.VisitOutcomeFactory(visit=visit, financing=financing, migrant_cases=2, difficulties=5)
    gone = f.VisitOutcomeFactory(visit=visit, financing=Decimal("900000000.00"), migrant_cases=50, difficulties=50)
    VisitOutcome.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    f.VisitOutcomeFactory(visit=f.VisitFactory(agency=b, place=here.region), financing=Decimal("7.00"))
    for agency, (kind, yields) in zip(
        (a, a, a, b, b),
        (
            (KIND.CULTURE, {"culture_trips": 3}),
            (KIND.SERVICES, {"legal_points": 0, "legal_windows": 2}),
            (KIND.PLANNING, {"villages_planned": 4, "projects_secured": 6}),
            (KIND.CULTURE, {"culture_trips": 0}),  # reports no trip: agency B is no culture unit
            (KIND.SERVICES, {"legal_points": 1, "legal_windows": 0}),
        ),
        strict=True,
    ):
        f.FiveIntoActionFactory(
            agency=agency, kind=kind, title="五进", date=D(2014, 6, 1), books=0, book_boxes=0, **yields
        )
    f.ChannelReturnFactory(agency=a, half=ChannelReturn.Half.FIRST, opinions=120)
    f.ChannelReturnFactory(
        agency=a,
        half=ChannelReturn.Half.SECOND,
        model_windows=7,
        items_after=30,
        time_limit_after=500,
        has_hotline=False,
    )
    f.ChannelReturnFactory(
        agency=b, half=ChannelReturn.Half.FIRST, is_window_unit=False, convenience_items=0, convenience_with_chief=0
    )
    street = f.RegionFactory(name="幸福社区", level=Region.Level.COMMUNITY, parent=there.region.parent)
    f.PairingFactory(agency=a, partner=f.CommunityOrgFactory(region=street), start_date=D(2014, 2, 1))
    # agency B in `there`: a village partner only, and two of the five ones
    behind = f.PairingFactory(agency=b, partner=f.VillageOrgFactory(region=there.region), start_date=D(2014, 1, 1))
    for kind in list(JointActivity.FIVE_ONES)[:2]:
        f.JointActivityFactory(pairing=behind, kind=kind, date=D(2014, 5, 5))


class Place:
    def __init__(self, region):
        self.region, self.city = region, region.city


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The dataset, made once for the module's tests inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        a = f.AgencyFactory(code="A001", name="安徽省发展和改革委员会", short_name="省发展改革委")
        b = f.AgencyFactory(code="A002", name="安徽省教育厅", short_name="省教育厅")
        here, there = Place(f.poor_village()), Place(f.region_chain(city_name="阜阳市"))
        seed(a, b, here, there)
        officer = make_user(get_user_model(), "olivia", Role.OFFICER)
        yield {"a": a, "there": there.city, "officer": officer}
        transaction.set_rollback(True)


SCOPES = {
    # the whole province at the year's end: every figure; and one city in mid-year, where the
    # compliance figures open the records they count from (the compliance pages have no city)
    "province": lambda data: ReportScope(YEAR, YEAR_END),
    "city": lambda data: ReportScope(YEAR, MID_YEAR, city=data["there"]),
}


@pytest.mark.parametrize("scope_name", SCOPES)
@pytest.mark.parametrize("code", [indicator.code for indicator in CATALOGUE])
def test_the_page_a_figure_opens_shows_that_figure(seeded, db, code, scope_name):
    scope = SCOPES[scope_name](seeded)
    url = records_url(code, scope)
    response = client_for(seeded["officer"]).get(url)
    assert response.status_code == 200, url
    found = note_of(response)
    if code in WITHOUT_NOTE:
        assert found is None, code
        return
    target = resolve(code, city=scope.city)
    counts = (FALLBACK_COUNTS if target is not TARGETS[code] else COUNTS)[code]
    figure = year_end_figures(year=scope.year, as_of=scope.as_of, agency=scope.agency, city=scope.city)[code]
    expected = numbers.figure(code, figure)
    assert found is not None, f"{code}: no note on {url}; add it to reports.drilldown.COUNTS or to WITHOUT_NOTE"
    assert found == (code, note_text(counts.wording, expected.text, expected.unit), expected.exact), url


def test_the_dataset_makes_every_figure_something(seeded, db):
    """So that each note above is checked against a figure that counts something (not 0 = 0)."""
    figures = year_end_figures(year=YEAR, as_of=YEAR_END)
    assert [code for code, value in figures.items() if not value] == []
    assert figures["cp.needy_paired"] == 2
    assert figures["visit.financing"] == Decimal("1234575.00")  # the deleted outcome left out
    assert figures["five_into.culture_units"] == 1 and figures["five_into.legal_units"] == 2
    assert figures["zero.model_windows"] == 7 + 20  # agency A's latest return, and agency B's only one
    narrowed = year_end_figures(year=YEAR, as_of=MID_YEAR, city=seeded["there"])
    assert narrowed["pair.one_plus_two"] == 1 and narrowed["pair.five_ones_done"] == 1


def test_every_figure_has_a_note_or_a_reason():
    """A figure added to the catalogue without saying how its list counts it fails here first."""
    for indicator in CATALOGUE:
        assert (indicator.code in COUNTS) != (indicator.code in WITHOUT_NOTE), indicator.code
    for code, target in TARGETS.items():
        if target.fallback is not None:
            assert code in FALLBACK_COUNTS, code


# What a note costs on top of its page: nothing when the page has counted it already (its rows, its
# totals row, a compliance page's rows), one query when it counts afresh (a distinct count, the outcomes, the latest returns).
ONE_QUERY = (DISTINCT, OUTCOMES, LATEST, BOTH_PARTNERS, FIVE_ONES_HELD)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("code", [indicator.code for indicator in CATALOGUE])
def test_a_note_costs_at_most_one_query(seeded, db, code):
    scope = SCOPES["province"](seeded)
    client = client_for(seeded["officer"])
    plain = records_url(code, scope, figure=None)
    queries(client, plain)  # the session's first request
    how = COUNTS[code].how
    extra = 1 if how in ONE_QUERY else 0
    assert queries(client, records_url(code, scope)) == queries(client, plain) + extra, how
