"""The basis of every figure (统计口径, issue 13 item 2): approved ≤ submitted ≤ all, chosen everywhere, stored
in published snapshots, with a default per role (docs/indicators.md "The basis of a figure")."""

import datetime
import io
import json
from urllib.parse import quote

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from outreach.models import Basis, PeriodReturn, ReviewStatus
from reports.catalogue import CATALOGUE, PERCENT
from reports.drilldown import records_url
from reports.forms import MSG_BAD_BASIS, ReportFilterForm, default_basis
from reports.indicators import compute
from reports.models import PublishedSnapshot
from reports.numbers import figure
from reports.scope import Scope
from reports.services import publish_snapshot
from reports.snapshots import left_out
from tests import factories as f
from tests.reports.data import build
from tests.reports.test_dashboard import OFFICER_QUERIES
from tests.reports.test_drilldown import shown
from tests.reports.test_indicators import JSON_QUERIES
from tests.reports.test_workbook import summary
from tests.reports.test_year_end_page import PAGE_QUERIES, page_values
from visits.models import ChannelReturn, Visit

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR, AS_OF = 2014, D(2014, 7, 31)
JSON_URL = reverse("reports:year_end_json")
PAGE_URL = reverse("reports:year_end")
XLSX_URL = reverse("reports:year_end_xlsx")
DASHBOARD_URL = reverse("reports:dashboard")
PUBLISH_URL = reverse("reports:snapshot_publish")
BASES = (Basis.APPROVED, Basis.SUBMITTED, Basis.ALL)


def month(agency, number, status):
    """The agency's return of a month of 2014 in `status` (records are entered first: a closed month refuses them)."""
    return PeriodReturn.objects.create(agency=agency, year=YEAR, month=number, status=status)


def visit(agency, official, day, households):
    return f.VisitFactory(
        agency=agency, official=official, start_date=day, end_date=day, is_village_stay=True, households=households
    )


def by_basis(**kwargs) -> dict:
    return {basis: compute(year=YEAR, as_of=AS_OF, basis=basis, **kwargs) for basis in BASES}


@pytest.fixture
def states(agency_a, agency_b):
    """A visit in a month of every review state, an approved and a draft channel return.

    January approved, February submitted, March sent back, April never submitted (one official under the
    leadership minimum of 3 village days and 20 households: met only with every visit); agency A's first
    half-year return approved, agency B's a draft.
    """
    official = f.OfficialFactory(agency=agency_a)
    visit(agency_a, official, D(2014, 1, 10), 8)
    visit(agency_a, official, D(2014, 2, 10), 5)
    visit(agency_a, official, D(2014, 3, 10), 3)
    visit(agency_a, official, D(2014, 4, 10), 10)
    month(agency_a, 1, ReviewStatus.APPROVED)
    month(agency_a, 2, ReviewStatus.SUBMITTED)
    month(agency_a, 3, ReviewStatus.RETURNED)
    f.ChannelReturnFactory(agency=agency_a, half=1, status=ReviewStatus.APPROVED)
    f.ChannelReturnFactory(agency=agency_b, half=1, opinions=40)  # a draft
    return official


# --- figures on each basis from a small dataset ---------------------------------------------------


def test_each_basis_counts_the_records_of_its_months_and_returns(states):
    figures = by_basis()
    assert {b: figures[b]["visit.households"] for b in BASES} == {
        Basis.APPROVED: 8,
        Basis.SUBMITTED: 8 + 5,
        Basis.ALL: 8 + 5 + 3 + 10,
    }
    assert {b: figures[b]["visit.person_times"] for b in BASES} == {
        Basis.APPROVED: 1,
        Basis.SUBMITTED: 2,
        Basis.ALL: 4,
    }
    assert {b: figures[b]["channel.opinions"] for b in BASES} == {
        Basis.APPROVED: 120,
        Basis.SUBMITTED: 120,
        Basis.ALL: 160,
    }
    # the visits towards the yearly minimums are on the basis too: 4 days and 26 households only on `all`
    assert {b: (figures[b]["visit.minimum_met"], figures[b]["visit.minimum_due"]) for b in BASES} == {
        Basis.APPROVED: (0, 1),
        Basis.SUBMITTED: (0, 1),
        Basis.ALL: (1, 1),
    }


@pytest.mark.parametrize(
    ("status", "changed"),
    [
        (None, {Basis.ALL}),  # a month never submitted: a draft
        (ReviewStatus.OPEN, {Basis.ALL}),
        (ReviewStatus.RETURNED, {Basis.ALL}),
        (ReviewStatus.SUBMITTED, {Basis.SUBMITTED, Basis.ALL}),
        (ReviewStatus.APPROVED, {Basis.APPROVED, Basis.SUBMITTED, Basis.ALL}),
    ],
)
def test_a_month_changes_the_bases_its_status_is_on(states, agency_b, status, changed):
    before = by_basis()
    f.ContactPointActivityFactory(
        contact_point=f.ContactPointFactory(agency=agency_b, start_date=D(2014, 6, 1)),
        date=D(2014, 6, 20),
        people_consoled=7,
        problems_solved=2,
    )
    visit(agency_b, f.OfficialFactory(agency=agency_b), D(2014, 6, 3), 11)
    if status is not None:
        month(agency_b, 6, status)
    after = by_basis()
    for basis in BASES:
        delta = {
            code: after[basis][code] - before[basis][code]
            for code in ("visit.households", "visit.person_times", "cp.points", "cp.needy_consoled")
        }
        if basis in changed:
            assert delta == {"visit.households": 11, "visit.person_times": 1, "cp.points": 1, "cp.needy_consoled": 7}
        else:
            assert delta == dict.fromkeys(delta, 0), basis


@pytest.mark.parametrize(
    ("status", "changed"),
    [
        (ReviewStatus.OPEN, {Basis.ALL}),
        (ReviewStatus.RETURNED, {Basis.ALL}),
        (ReviewStatus.SUBMITTED, {Basis.SUBMITTED, Basis.ALL}),
        (ReviewStatus.APPROVED, {Basis.APPROVED, Basis.SUBMITTED, Basis.ALL}),
    ],
)
def test_a_channel_return_counts_by_its_own_status(states, status, changed):
    before = by_basis()
    f.ChannelReturnFactory(agency=f.AgencyFactory(), half=1, opinions=7, status=status)
    after = by_basis()
    assert {b for b in BASES if after[b]["channel.opinions"] != before[b]["channel.opinions"]} == changed
    assert all(after[b]["channel.opinions"] - before[b]["channel.opinions"] == 7 for b in changed)


def test_an_approved_month_reopened_leaves_approved_until_approved_again(states, agency_a):
    january = PeriodReturn.objects.get(agency=agency_a, month=1)
    january.status = ReviewStatus.RETURNED  # sent back after an unlock
    january.save()
    figures = by_basis()
    assert [figures[b]["visit.households"] for b in BASES] == [0, 5, 26]
    january.status = ReviewStatus.APPROVED
    january.save()
    assert [by_basis()[b]["visit.households"] for b in BASES] == [8, 13, 26]


def test_the_drilldown_list_shows_the_records_the_figure_counts_on_its_basis(cast, states):
    for basis, households in ((Basis.APPROVED, 8), (Basis.SUBMITTED, 13), (Basis.ALL, 26)):
        scope = Scope(YEAR, AS_OF, basis=basis)
        url = records_url("visit.households", scope)
        assert f"basis={basis.value}" in url
        _rows, totals, _context = shown(cast["officer"], url)
        assert totals["households"] == households == compute(year=YEAR, as_of=AS_OF, basis=basis)["visit.households"]
        rows, _totals, _context = shown(cast["officer"], records_url("channel.opinions", scope))
        assert rows == {Basis.APPROVED: 1, Basis.SUBMITTED: 1, Basis.ALL: 2}[basis]


# --- approved ≤ submitted ≤ all on the seeded demo -------------------------------------------------


def test_every_count_and_sum_is_monotone_on_the_seeded_demo():
    call_command("seed_demo", fraction=0.1, stdout=io.StringIO())
    assert PeriodReturn.objects.exclude(status=ReviewStatus.APPROVED).exists()  # the bases differ here
    figures = by_basis()
    strictly_less = set()
    for indicator in CATALOGUE:
        if indicator.kind == PERCENT:  # a rate is a quotient: it need not grow with its records
            continue
        code = indicator.code
        approved, submitted, everything = (figures[b][code] for b in BASES)
        assert approved <= submitted <= everything, (code, approved, submitted, everything)
        if approved < everything:
            strictly_less.add(code)
    assert {"visit.households", "visit.person_times", "pair.activities"} <= strictly_less


# --- the basis everywhere: page = JSON = workbook, the command, the dashboard ------------------------


def test_page_json_and_workbook_agree_on_a_basis_that_is_not_the_default(cast, states, agency_b):
    params = {"year": YEAR, "as_of": "2014-07-31", "basis": "approved"}
    data = cast["officer"].get(JSON_URL, params).json()
    assert (data["basis"], data["basis_description"]) == ("approved", str(Basis.APPROVED.description))
    assert data["basis_label"] == str(Basis.APPROVED.label)
    assert data["figures"]["visit.households"] == 8 and data["figures"]["channel.opinions"] == 120
    page = cast["officer"].get(PAGE_URL, params)
    assert page.context["scope"].basis == Basis.APPROVED
    values = page_values(page.content.decode())
    assert values == {code: figure(code, value).text for code, value in data["figures"].items()}  # 万元 from 1万
    content = page.content.decode()
    assert 'data-testid="basis" data-basis="approved"' in content
    assert str(Basis.APPROVED.description) in content
    assert '<option value="approved" selected>' in content  # the filter bar offers it, chosen
    response = cast["officer"].get(XLSX_URL, params)
    assert f"filename*=utf-8''{quote('年度统计-2014-省-已审核-2014-07-31.xlsx')}" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert summary(book) == data["figures"]
    assert str(Basis.APPROVED.description) in book.worksheets[0]["A1"].value  # the basis in the title
    # the links to the other outputs of the page keep its basis
    assert "basis=approved" in page.context["scope_query"]


def test_the_command_takes_a_basis_and_defaults_to_submitted(states, tmp_path):
    def yearend(**options):
        out = io.StringIO()
        call_command("yearend", year="2014", as_of="2014-07-31", output="-", stdout=out, **options)
        return json.loads(out.getvalue())

    assert (yearend()["basis"], yearend()["figures"]["visit.households"]) == ("submitted", 13)
    assert yearend(basis="approved")["figures"]["visit.households"] == 8
    assert yearend(basis="all")["figures"]["visit.households"] == 26
    target = tmp_path / "year-end.xlsx"
    with pytest.raises(CommandError) as refused:
        call_command("yearend", year="2014", basis="vouched", format="xlsx", output=str(target))
    assert str(MSG_BAD_BASIS) in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_dashboard_counts_its_cards_series_and_links_on_the_basis(cast, states):
    response = cast["officer"].get(DASHBOARD_URL, {"year": YEAR, "as_of": "2014-07-31", "basis": "approved"})
    assert response.status_code == 200
    cards = {card["code"]: card for card in response.context["cards"]}
    assert cards["visit.households"]["value"] == "8" and cards["channel.opinions"]["value"] == "120"
    assert "basis=approved" in cards["visit.households"]["url"]
    monthly = response.context["monthly"]
    visits = [row["cells"][0] for row in monthly["rows"]]
    assert [cell["value"] for cell in visits] == [1, 0, 0, 0, 0, 0, 0]
    assert all("basis=approved" in cell["url"] for cell in visits)
    assert 'data-basis="approved"' in response.content.decode()
    submitted = cast["officer"].get(DASHBOARD_URL, {"year": YEAR, "as_of": "2014-07-31"})
    assert [row["cells"][0]["value"] for row in submitted.context["monthly"]["rows"]][:4] == [1, 1, 0, 0]


# --- the default per role, a bad basis --------------------------------------------------------------


def test_the_default_basis_is_all_for_staff_and_submitted_for_officers_and_administrators(
    cast, states, staff_a, officer, admin_user
):
    assert (default_basis(staff_a), default_basis(officer), default_basis(admin_user)) == (
        "all",
        "submitted",
        "submitted",
    )
    assert default_basis(None) == "submitted"
    params = {"year": YEAR, "as_of": "2014-07-31"}
    staff = cast["staff_a"].get(JSON_URL, params).json()
    assert (staff["basis"], staff["figures"]["visit.households"]) == ("all", 26)
    for who in ("officer", "admin"):
        data = cast[who].get(JSON_URL, params).json()
        assert (data["basis"], data["figures"]["visit.households"]) == ("submitted", 13)
    page = cast["staff_a"].get(PAGE_URL, params)
    assert page.context["scope"].basis == Basis.ALL and '<option value="all" selected>' in page.content.decode()
    dashboard = cast["officer"].get(DASHBOARD_URL, params)
    assert dashboard.context["scope"].basis == Basis.SUBMITTED
    assert 'data-testid="basis" data-basis="submitted"' in dashboard.content.decode()
    # staff may still choose a narrower basis for their own agency
    assert cast["staff_a"].get(JSON_URL, {**params, "basis": "approved"}).json()["figures"]["visit.households"] == 8


@pytest.mark.parametrize("bad", ["vouched", "APPROVED", "0"])
def test_a_bad_basis_is_refused_with_the_message_and_nothing_is_computed(cast, states, bad):
    params = {"year": YEAR, "as_of": "2014-07-31", "basis": bad}
    response = cast["officer"].get(JSON_URL, params)
    assert response.status_code == 400
    assert response.json() == {"error": str(MSG_BAD_BASIS), "fields": {"basis": [str(MSG_BAD_BASIS)]}}
    for url in (PAGE_URL, DASHBOARD_URL):
        response = cast["officer"].get(url, params)
        assert response.status_code == 400
        assert (
            response.context["scope"] is None and "figures" not in response.context and "cards" not in response.context
        )
        assert str(MSG_BAD_BASIS) in response.content.decode()
    response = cast["officer"].get(XLSX_URL, params)
    assert response.status_code == 400 and response.content.decode() == str(MSG_BAD_BASIS)
    form = ReportFilterForm({"year": YEAR, "basis": bad})
    assert not form.is_valid() and form.errors == {"basis": [str(MSG_BAD_BASIS)]}


# --- published snapshots ------------------------------------------------------------------------------


def test_publishing_defaults_to_approved_and_stores_the_basis(cast, states, officer):
    page = cast["officer"].get(PUBLISH_URL, {"year": YEAR, "as_of": "2014-07-31"})
    assert page.context["form"].initial["basis"] == Basis.APPROVED
    response = cast["officer"].post(PUBLISH_URL, {"year": YEAR, "as_of": "2014-07-31"})
    assert response.status_code == 302
    snapshot = PublishedSnapshot.objects.get()
    assert snapshot.basis == Basis.APPROVED
    assert (snapshot.figures["visit.households"], snapshot.figures["channel.opinions"]) == (8, 120)
    detail = cast["officer"].get(snapshot.get_absolute_url())
    content = detail.content.decode()
    assert 'data-testid="snapshot-basis" data-basis="approved"' in content
    assert str(Basis.APPROVED.description) in content
    # "now" is on the snapshot's basis: nothing changed since publication, though `all` counts more
    assert detail.context["changed_count"] == 0
    assert "basis=approved" in detail.context["current_query"]
    listing = cast["officer"].get(reverse("reports:snapshot_list"), {"year": YEAR}).content.decode()
    assert str(Basis.APPROVED.label) in listing

    cast["officer"].post(PUBLISH_URL, {"year": YEAR, "as_of": "2014-07-31", "basis": "submitted"})
    assert PublishedSnapshot.objects.for_year(YEAR).first().figures["visit.households"] == 13
    response = cast["officer"].post(PUBLISH_URL, {"year": YEAR, "as_of": "2014-07-31", "basis": "vouched"})
    assert response.status_code == 200 and str(MSG_BAD_BASIS) in response.content.decode()
    assert PublishedSnapshot.objects.count() == 2  # nothing published


def test_existing_snapshots_counted_everything_entered():
    assert PublishedSnapshot._meta.get_field("basis").default == Basis.ALL


def test_publish_page_says_how_many_records_each_basis_leaves_out(cast, states):
    # counted on `all`: 4 visits and 2 channel returns; approved keeps 1 visit and 1 return, submitted 2 and 1
    summary_ = left_out(year=YEAR, as_of=AS_OF)
    assert summary_.entered == 6
    assert (summary_.total(Basis.APPROVED), summary_.total(Basis.SUBMITTED), summary_.total(Basis.ALL)) == (4, 3, 0)
    labels = (str(Visit._meta.verbose_name_plural), str(ChannelReturn._meta.verbose_name_plural))
    assert dict(summary_.of(Basis.APPROVED)) == dict(zip(labels, (3, 1)))
    page = cast["officer"].get(PUBLISH_URL, {"year": YEAR, "as_of": "2014-07-31"})
    content = page.content.decode()
    assert 'data-testid="left-out-approved">4<' in content and 'data-testid="left-out-submitted">3<' in content


@pytest.mark.parametrize("scale", [1, 5])
def test_left_out_is_one_query_per_record_type(agency_a, agency_b, django_assert_num_queries, scale):
    build([agency_a, agency_b], scale)
    month(agency_a, 5, ReviewStatus.APPROVED)
    with django_assert_num_queries(13):
        summary_ = left_out(year=YEAR, as_of=AS_OF)
    assert summary_.total(Basis.APPROVED) > 0


def test_publish_service_stores_the_basis_it_was_given(states, officer):
    snapshot = publish_snapshot(year=YEAR, as_of=AS_OF, user=officer, basis=Basis.SUBMITTED)
    assert PublishedSnapshot.objects.values_list("basis", flat=True).get(pk=snapshot.pk) == "submitted"
    assert snapshot.figures["visit.households"] == 13


# --- query counts on a narrower basis: the same pins as on `all`, for small and large data --------------


@pytest.mark.parametrize("scale", [1, 5])
def test_query_counts_on_a_basis_do_not_grow_with_the_data(cast, agency_a, agency_b, django_assert_num_queries, scale):
    build([agency_a, agency_b, f.AgencyFactory()], scale)
    month(agency_a, 5, ReviewStatus.APPROVED)
    params = {"year": YEAR, "as_of": "2014-07-31", "basis": "approved"}
    with django_assert_num_queries(JSON_QUERIES):
        cast["officer"].get(JSON_URL, params)
    kept = 3  # the JSON call kept the year and as-of date in the session: not saved again (savepoint, update, release)
    with django_assert_num_queries(PAGE_QUERIES - kept):
        cast["officer"].get(PAGE_URL, params)
    with django_assert_num_queries(OFFICER_QUERIES - kept):
        cast["officer"].get(DASHBOARD_URL, params)
