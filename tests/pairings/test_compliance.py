"""The "1+2" and "five ones" compliance pages, on hand-built cases."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from outreach.window import MSG_BAD_BASIS
from pairings.forms import MSG_AS_OF_OUTSIDE_YEAR
from pairings.models import JointActivity
from pairings.selectors import five_ones_compliance, one_plus_two_compliance
from tests.factories import AgencyFactory, CommunityOrgFactory, JointActivityFactory, VillageOrgFactory
from tests.pairings.specs import committee_of, pairing_of

pytestmark = pytest.mark.django_db

D = datetime.date
K = JointActivity.Kind
ONE_PLUS_TWO = reverse("pairings:one_plus_two_compliance")
FIVE_ONES = reverse("pairings:five_ones_compliance")


def rows_by_agency(result):
    return {row.agency.code: row for row in result.rows}


def hold(pairing, *kinds, date=D(2014, 5, 1)):
    for kind in kinds:
        JointActivityFactory(pairing=pairing, agency=pairing.agency, kind=kind, date=date)


# --- "1+2" -------------------------------------------------------------------------------


def test_committee_with_only_a_village_partner_is_one_short(officer, agency_a):
    pairing_of(agency_a, partner=VillageOrgFactory())
    row = rows_by_agency(one_plus_two_compliance(user=officer, year=2014))[agency_a.code]
    assert (row.community_partners, row.village_partners, row.status) == (0, 1, "one")
    assert row.committee_name == committee_of(agency_a).name


def test_every_active_agency_is_listed_and_the_summary_adds_up(officer, agency_a, agency_b):
    both, none, _inactive = AgencyFactory(), AgencyFactory(), AgencyFactory(is_active=False)
    pairing_of(both, partner=VillageOrgFactory())
    pairing_of(both, partner=CommunityOrgFactory())
    pairing_of(both, partner=CommunityOrgFactory())  # a second community partner: still "both", counted 2
    pairing_of(agency_a, partner=VillageOrgFactory())
    committee_of(none)
    result = one_plus_two_compliance(user=officer, year=2014)
    rows = rows_by_agency(result)
    assert set(rows) == {agency_a.code, agency_b.code, both.code, none.code}  # not the inactive one
    assert (rows[both.code].community_partners, rows[both.code].village_partners, rows[both.code].status) == (
        2,
        1,
        "both",
    )
    assert rows[none.code].status == "none" and rows[agency_b.code].status == "none"
    assert rows[agency_b.code].committee_name is None  # no committee on record: shown as such
    s = result.summary
    assert (s.committees, s.with_both, s.with_one, s.with_none) == (4, 1, 1, 2)


@pytest.mark.parametrize(
    ("start", "end", "counts"),
    [
        (D(2013, 3, 1), D(2013, 12, 31), False),  # ended before the year
        (D(2013, 3, 1), D(2014, 1, 1), True),  # ended on 1 January: it counted for that day
        (D(2013, 3, 1), None, True),  # still going
        (D(2014, 12, 31), None, True),  # began on the last day of the year
    ],
    ids=["ended-before-the-year", "ended-on-1-january", "ongoing", "began-on-31-december"],
)
def test_a_pairing_counts_for_the_year_it_overlaps(officer, agency_a, start, end, counts):
    pairing = pairing_of(agency_a, partner=CommunityOrgFactory(), start_date=start, end_date=end)
    row = rows_by_agency(one_plus_two_compliance(user=officer, year=2014))[agency_a.code]
    assert row.has_community is counts
    five = five_ones_compliance(user=officer, year=2014)
    assert ([r.pairing for r in five.rows] == [pairing]) is counts


def test_a_pairing_begun_after_the_as_of_date_does_not_count_yet(officer, agency_a):
    pairing_of(agency_a, partner=CommunityOrgFactory(), start_date=D(2014, 7, 1))
    before = one_plus_two_compliance(user=officer, year=2014, as_of=D(2014, 6, 30))
    after = one_plus_two_compliance(user=officer, year=2014, as_of=D(2014, 7, 1))
    assert rows_by_agency(before)[agency_a.code].community_partners == 0
    assert rows_by_agency(after)[agency_a.code].community_partners == 1


def test_a_deleted_pairing_does_not_count(officer, agency_a):
    pairing = pairing_of(agency_a, partner=VillageOrgFactory())
    pairing.delete(user=officer)
    assert rows_by_agency(one_plus_two_compliance(user=officer, year=2014))[agency_a.code].status == "none"


def test_staff_see_their_agency_only_and_officers_filter_by_agency(cast, agency_a, agency_b):
    pairing_of(agency_a, partner=VillageOrgFactory())
    pairing_of(agency_b, partner=CommunityOrgFactory())
    mine = cast["staff_a"].get(ONE_PLUS_TWO, {"year": 2014, "agency": agency_b.pk}).context["result"]
    assert [row.agency for row in mine.rows] == [agency_a]  # the agency filter is not theirs to use
    everyone = cast["officer"].get(ONE_PLUS_TWO, {"basis": "all", "year": 2014}).context["result"]
    assert {row.agency for row in everyone.rows} == {agency_a, agency_b}
    only_b = cast["officer"].get(ONE_PLUS_TWO, {"basis": "all", "year": 2014, "agency": agency_b.pk}).context["result"]
    assert [(row.agency, row.community_partners) for row in only_b.rows] == [(agency_b, 1)]


def test_one_plus_two_page_shows_what_is_missing_and_filters_the_behind(cast, agency_a, agency_b):
    pairing_of(agency_a, partner=VillageOrgFactory())
    pairing_of(agency_a, partner=CommunityOrgFactory())
    pairing_of(agency_b, partner=VillageOrgFactory())
    page = cast["officer"].get(ONE_PLUS_TWO, {"basis": "all", "year": 2014})
    html = page.content.decode()
    assert 'data-testid="with-both">1<' in html and 'data-testid="with-one">1<' in html
    behind = cast["officer"].get(ONE_PLUS_TWO, {"basis": "all", "year": 2014, "status": "behind"}).context["result"]
    assert [row.agency for row in behind.rows] == [agency_b]
    assert behind.summary.committees == 2  # the summary still covers every committee


def test_the_page_counts_on_the_users_default_basis_and_says_so(cast, agency_a, agency_b):
    """Officers: `submitted` (pairings in no submitted month do not count); staff: `all`; a bad basis refused."""
    pairing_of(agency_a, partner=VillageOrgFactory())
    pairing_of(agency_a, partner=CommunityOrgFactory())
    officer_page = cast["officer"].get(ONE_PLUS_TWO, {"year": 2014})
    assert 'data-basis="submitted"' in officer_page.content.decode()
    assert officer_page.context["result"].summary.with_both == 0
    staff_page = cast["staff_a"].get(ONE_PLUS_TWO, {"year": 2014})
    assert 'data-basis="all"' in staff_page.content.decode()
    assert staff_page.context["result"].summary.with_both == 1
    refused = cast["officer"].get(ONE_PLUS_TWO, {"year": 2014, "basis": "everything"})
    assert refused.context["result"] is None
    assert str(MSG_BAD_BASIS) in refused.content.decode()


def test_the_year_defaults_to_the_current_one(cast, agency_a):
    result = cast["staff_a"].get(ONE_PLUS_TWO).context["result"]
    assert result.start == D(timezone.localdate().year, 1, 1) and result.end == D(timezone.localdate().year, 12, 31)


def test_an_as_of_date_outside_the_year_is_explained(cast, agency_a):
    page = cast["staff_a"].get(ONE_PLUS_TWO, {"year": 2014, "as_of": "2015-01-01"})
    assert page.context["form"].errors["as_of"] == [str(MSG_AS_OF_OUTSIDE_YEAR)]
    assert page.context["result"] is None


# --- "five ones" -------------------------------------------------------------------------


def test_pairing_missing_two_of_the_five_ones(officer, agency_a):
    pairing = pairing_of(agency_a)
    hold(pairing, K.JOINT_MEETING, K.ORG_LIFE, K.LIVELIHOOD, K.OTHER)
    row = five_ones_compliance(user=officer, year=2014).rows[0]
    assert row.missing == [K.MUTUAL_VISIT.label, K.CONDOLENCE.label]
    assert row.done_count == 3 and not row.complete
    assert [count for _kind, _label, count in row.items] == [1, 0, 1, 0, 1]


def test_summary_counts_pairings_that_did_all_five(officer, agency_a, agency_b):
    done = pairing_of(agency_a, partner=CommunityOrgFactory())
    hold(done, *JointActivity.FIVE_ONES)
    hold(done, K.JOINT_MEETING)  # twice is still one
    behind = pairing_of(agency_a, partner=VillageOrgFactory())
    hold(behind, K.JOINT_MEETING, K.MUTUAL_VISIT)
    pairing_of(agency_b)
    summary = five_ones_compliance(user=officer, year=2014).summary
    assert (summary.pairings, summary.complete, summary.behind) == (3, 1, 2)
    assert summary.missing_by_kind == {
        K.JOINT_MEETING: 1,
        K.MUTUAL_VISIT: 1,
        K.ORG_LIFE: 2,
        K.CONDOLENCE: 2,
        K.LIVELIHOOD: 2,
    }


def test_activities_count_in_their_own_year_only(officer, agency_a):
    pairing = pairing_of(agency_a, start_date=D(2013, 1, 1))
    hold(pairing, *JointActivity.FIVE_ONES, date=D(2013, 12, 31))  # last year's
    hold(pairing, K.JOINT_MEETING, date=D(2014, 1, 1))
    this_year = five_ones_compliance(user=officer, year=2014).rows[0]
    last_year = five_ones_compliance(user=officer, year=2013).rows[0]
    assert this_year.missing == [K.MUTUAL_VISIT.label, K.ORG_LIFE.label, K.CONDOLENCE.label, K.LIVELIHOOD.label]
    assert last_year.complete


def test_activities_after_the_as_of_date_do_not_count(officer, agency_a):
    pairing = pairing_of(agency_a)
    hold(pairing, *JointActivity.FIVE_ONES, date=D(2014, 6, 1))
    hold(pairing, K.OTHER, date=D(2014, 6, 2))
    assert five_ones_compliance(user=officer, year=2014, as_of=D(2014, 6, 1)).rows[0].complete
    assert five_ones_compliance(user=officer, year=2014, as_of=D(2014, 5, 31)).rows[0].done_count == 0


def test_a_deleted_activity_does_not_count(officer, agency_a, staff_a):
    pairing = pairing_of(agency_a)
    hold(pairing, *JointActivity.FIVE_ONES)
    JointActivity.objects.get(kind=K.CONDOLENCE).delete(user=staff_a)
    assert five_ones_compliance(user=officer, year=2014).rows[0].missing == [K.CONDOLENCE.label]


def test_five_ones_page_is_scoped_and_shows_missing(cast, agency_a, agency_b):
    mine = pairing_of(agency_a)
    hold(mine, K.JOINT_MEETING)
    hold(pairing_of(agency_b), *JointActivity.FIVE_ONES)
    page = cast["staff_a"].get(FIVE_ONES, {"year": 2014})
    assert [row.pairing for row in page.context["result"].rows] == [mine]
    html = page.content.decode()
    row_html = html[html.index(f'data-pairing="{mine.pk}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    with translation.override("zh-hans"):
        missing = f">{translation.gettext('missing')}<"
    assert row_html.count("✓") == 1 and row_html.count(missing) == 4
    complete = cast["officer"].get(FIVE_ONES, {"basis": "all", "year": 2014, "status": "complete"}).context["result"]
    assert [row.pairing.agency for row in complete.rows] == [agency_b]


def test_compliance_pages_need_a_login(cast):
    for url in (ONE_PLUS_TWO, FIVE_ONES):
        response = cast["anonymous"].get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


def test_pairings_index_links_every_list_and_both_checks(cast):
    links = [link["url"] for link in cast["staff_a"].get(reverse("pairings:index")).context["links"]]
    assert ONE_PLUS_TWO in links and FIVE_ONES in links
    assert reverse("pairings:jointactivity_list") in links and reverse("pairings:needyperson_list") in links
