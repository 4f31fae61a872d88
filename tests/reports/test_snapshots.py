"""Published snapshots of the year-end statistics: frozen, superseded, compared with now, role-scoped."""

import dataclasses
import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from jobs.models import Job
from outreach.models import Basis
from reports import indicators
from reports.forms import MSG_BAD_AS_OF
from reports.indicators import CATALOGUE, CATALOGUE_VERSION, catalogue_version
from reports.models import FrozenSnapshotError, PublishedSnapshot
from reports.selectors import year_end_figures
from reports.services import (
    MSG_AS_OF_IN_FUTURE,
    MSG_AS_OF_OUTSIDE_YEAR,
    MSG_PUBLISH_NOT_ALLOWED,
    publish_snapshot,
)
from reports.snapshots import json_figures, latest_snapshot, snapshot_comparison, year_snapshots
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR, AS_OF = 2014, datetime.date(2014, 7, 31)
#: these tests are about freezing and comparing: on every record entered (the records here are in no return);
#: the default basis (approved) and what it leaves out are tests/reports/test_basis.py's
ALL = Basis.ALL
PUBLISH = reverse("reports:snapshot_publish")
LIST = reverse("reports:snapshot_list")


def detail(snapshot, **params):
    url = reverse("reports:snapshot_detail", args=[snapshot.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def build(agency, scale=1):
    """Records feeding every source, with money and rates that are not zero or None."""
    visits = []
    for _ in range(scale):
        official = f.OfficialFactory(agency=agency)
        point = f.ContactPointFactory(agency=agency, official=official)
        f.ContactPointActivityFactory(agency=agency, contact_point=point, date=datetime.date(2014, 3, 2))
        f.NeedyPairingFactory(agency=agency)
        pairing = f.PairingFactory(agency=agency)
        f.JointActivityFactory(pairing=pairing)
        f.SupportFactory(pairing=pairing)
        visit = f.VisitFactory(agency=agency, official=official)
        f.VisitOutcomeFactory(visit=visit)
        f.FourIntoEventFactory(agency=agency)
        f.VolunteerServiceFactory(team=f.VolunteerTeamFactory(agency=agency))
        f.FiveIntoActionFactory(agency=agency)
        visits.append(visit)
    f.ChannelReturnFactory(agency=agency, half=1)
    return visits


def changed_codes(rows):
    return {row.code for row in rows if row.changed}


def stored(snapshot):
    """The row as the database has it (not as the Python object was left)."""
    return PublishedSnapshot.objects.filter(pk=snapshot.pk).values().get()


# --- publishing -----------------------------------------------------------------------------


def test_publish_freezes_figures_publisher_time_and_catalogue_version(officer, agency_a, agency_b):
    build(agency_a)
    build(agency_b, 2)
    before = timezone.now()
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer, note="  年中通报  ")
    after = timezone.now()
    snapshot.refresh_from_db()
    assert (snapshot.year, snapshot.as_of, snapshot.published_by, snapshot.note) == (YEAR, AS_OF, officer, "年中通报")
    assert before <= snapshot.published_at <= after
    assert snapshot.catalogue_version == CATALOGUE_VERSION
    province = year_end_figures(year=YEAR, as_of=AS_OF)
    assert snapshot.figures == json_figures(province)
    assert snapshot.figures["cp.points"] == 3
    assert snapshot.figures["pair.funds"] == "300000.00"  # money as a string with two places
    assert snapshot.figures["zero.satisfaction"] == float(province["zero.satisfaction"])  # a rate as a number
    assert snapshot.agency_figures[agency_a.code] == json_figures(
        year_end_figures(year=YEAR, as_of=AS_OF, agency=agency_a)
    )
    assert snapshot.agency_figures[agency_b.code]["cp.points"] == 2

    f.ContactPointFactory(agency=agency_a)  # a later record does not reach the published figures
    snapshot.refresh_from_db()
    assert snapshot.figures["cp.points"] == 3 and snapshot.agency_figures[agency_a.code]["cp.points"] == 1


def test_catalogue_version_follows_codes_kinds_and_units_not_labels_or_language():
    assert re.fullmatch(r"[0-9a-f]{12}", CATALOGUE_VERSION)
    with translation.override("zh-hans"):
        assert catalogue_version() == CATALOGUE_VERSION
    first = CATALOGUE[0]
    assert catalogue_version(CATALOGUE[::-1]) == CATALOGUE_VERSION
    assert catalogue_version((dataclasses.replace(first, label="another label"),) + CATALOGUE[1:]) == CATALOGUE_VERSION
    for changed in (
        CATALOGUE[1:],  # a code removed
        CATALOGUE + (dataclasses.replace(first, code="cp.new"),),  # a code added
        (dataclasses.replace(first, kind=indicators.MONEY),) + CATALOGUE[1:],
        (dataclasses.replace(first, unit="units"),) + CATALOGUE[1:],
    ):
        assert catalogue_version(changed) != CATALOGUE_VERSION


def test_officer_publishes_through_the_page(cast, officer, agency_a):
    build(agency_a)
    page = cast["officer"].get(PUBLISH, {"year": YEAR})
    assert page.context["form"].initial == {"year": YEAR, "as_of": datetime.date(YEAR, 12, 31), "basis": "approved"}
    assert b"csrfmiddlewaretoken" in page.content
    response = cast["officer"].post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31", "note": "上半年", "basis": ALL})
    # a background job (run at once by the tests' immediate backend); its page goes on to the snapshot
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    snapshot = PublishedSnapshot.objects.get()
    assert (snapshot.published_by, snapshot.as_of, snapshot.note) == (officer, AS_OF, "上半年")
    assert (job.status, job.result_link) == (Job.Status.DONE, detail(snapshot))
    assert str(snapshot) in job.message
    assert cast["officer"].get(detail(snapshot)).context["changed_count"] == 0


def test_administrator_may_publish(cast, admin_user):
    assert cast["admin"].post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31"}).status_code == 302
    assert PublishedSnapshot.objects.get().published_by == admin_user
    assert Job.objects.get().requested_by == admin_user


def test_publish_requires_a_csrf_token(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31"}).status_code == 403
    assert not PublishedSnapshot.objects.exists()


@pytest.mark.parametrize("who", ["staff_a", "staff_b"])
def test_staff_cannot_publish(cast, who, staff_a):
    assert cast[who].get(PUBLISH).status_code == 403
    assert cast[who].post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31"}).status_code == 403
    with pytest.raises(PermissionDenied, match=str(MSG_PUBLISH_NOT_ALLOWED)):
        publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=staff_a)
    assert not PublishedSnapshot.objects.exists() and not Job.objects.exists()


def test_anonymous_is_sent_to_login(cast):
    response = cast["anonymous"].post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not PublishedSnapshot.objects.exists()


def _future():
    return timezone.localdate() + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "year, as_of, message",
    [
        (2014, "2015-01-01", MSG_AS_OF_OUTSIDE_YEAR),
        (2014, "2013-12-31", MSG_AS_OF_OUTSIDE_YEAR),
        (None, None, MSG_AS_OF_IN_FUTURE),  # tomorrow, in its own year
        (2014, "31/07/2014", MSG_BAD_AS_OF),
    ],
)
def test_bad_as_of_is_refused_with_the_message_and_nothing_saved(cast, officer, year, as_of, message):
    tomorrow = _future()
    year, as_of = year or tomorrow.year, as_of or tomorrow.isoformat()
    response = cast["officer"].post(PUBLISH, {"year": year, "as_of": as_of})
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"] == [str(message)]
    assert str(message) in response.content.decode()
    assert not PublishedSnapshot.objects.exists() and not Job.objects.exists()  # refused before any job


@pytest.mark.parametrize(
    "as_of, message", [(datetime.date(2015, 1, 1), MSG_AS_OF_OUTSIDE_YEAR), (None, MSG_AS_OF_IN_FUTURE)]
)
def test_service_refuses_bad_as_of(officer, as_of, message):
    as_of = as_of or _future()
    with pytest.raises(ValidationError) as error:
        publish_snapshot(basis=ALL, year=2014 if as_of.year == 2015 else as_of.year, as_of=as_of, user=officer)
    assert error.value.message_dict == {"as_of": [str(message)]}
    assert not PublishedSnapshot.objects.exists()


# --- frozen rows ----------------------------------------------------------------------------


def test_snapshot_cannot_be_changed_or_deleted_whatever_the_path(officer, agency_a):
    build(agency_a)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    row = stored(snapshot)
    snapshot.note, snapshot.figures["cp.points"] = "改过", 999
    with pytest.raises(FrozenSnapshotError):
        snapshot.save()
    with pytest.raises(FrozenSnapshotError):
        snapshot.delete()
    with pytest.raises(FrozenSnapshotError):
        PublishedSnapshot.objects.filter(pk=snapshot.pk).update(note="改过")
    with pytest.raises(FrozenSnapshotError):
        PublishedSnapshot.objects.all().delete()
    with pytest.raises(FrozenSnapshotError):
        PublishedSnapshot.objects.bulk_update([snapshot], ["note"])
    assert stored(snapshot) == row


def test_admin_site_is_read_only(cast, officer, agency_a):
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    row = stored(snapshot)
    change = reverse("admin:reports_publishedsnapshot_change", args=[snapshot.pk])
    page = cast["admin"].get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert cast["admin"].post(change, {"note": "改过", "year": 2013}).status_code == 403
    assert (
        cast["admin"]
        .post(reverse("admin:reports_publishedsnapshot_delete", args=[snapshot.pk]), {"post": "yes"})
        .status_code
        == 403
    )
    assert cast["admin"].get(reverse("admin:reports_publishedsnapshot_add")).status_code == 403
    assert cast["officer"].get(change).status_code == 200  # officers read it there too
    assert stored(snapshot) == row


# --- superseding ------------------------------------------------------------------------------


def test_new_publication_supersedes_and_the_old_one_stays_as_it_was(cast, officer, agency_a):
    build(agency_a)
    first = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer, note="第一次")
    first_row = stored(first)
    f.ContactPointFactory(agency=agency_a)
    second = publish_snapshot(basis=ALL, year=YEAR, as_of=datetime.date(2014, 12, 31), user=officer, note="第二次")
    other_year = publish_snapshot(basis=ALL, year=2013, as_of=datetime.date(2013, 12, 31), user=officer)

    assert latest_snapshot(YEAR) == second and latest_snapshot(2013) == other_year
    listings = year_snapshots(YEAR)
    assert [(entry.snapshot, entry.is_current, entry.superseded_by) for entry in listings] == [
        (second, True, None),
        (first, False, second),
    ]
    assert stored(first) == first_row  # not touched by the new publication
    assert (first_row["figures"]["cp.points"], second.figures["cp.points"]) == (1, 2)

    page = cast["officer"].get(LIST, {"year": YEAR}).content.decode()
    current_row, old_row = (
        re.search(rf'<tr data-testid="snapshot-{s.pk}" class="([^"]+)"', page).group(1) for s in (second, first)
    )
    assert "snapshot-current" in current_row and "snapshot-superseded" in old_row
    assert page.index(f"snapshot-{second.pk}") < page.index(f"snapshot-{first.pk}")
    assert f"snapshot-{other_year.pk}" not in page

    old = cast["officer"].get(detail(first))
    assert old.context["superseded_by"] == second
    assert cast["officer"].get(detail(second)).context["superseded_by"] is None


def test_list_defaults_to_the_latest_year_with_publications(cast, officer):
    publish_snapshot(basis=ALL, year=2013, as_of=datetime.date(2013, 12, 31), user=officer)
    response = cast["staff_a"].get(LIST)
    assert response.context["year"] == 2013 and len(response.context["listings"]) == 1
    assert not response.context["can_publish"] and b'data-testid="publish-link"' not in response.content


# --- comparison -------------------------------------------------------------------------------


def test_comparison_right_after_publishing_flags_nothing(officer, agency_a, agency_b):
    build(agency_a)
    build(agency_b)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    snapshot = PublishedSnapshot.objects.get(pk=snapshot.pk)  # as read back from the database
    rows = snapshot_comparison(snapshot, year_end_figures(year=YEAR, as_of=AS_OF))
    assert [row.code for row in rows] == [i.code for i in CATALOGUE]
    assert changed_codes(rows) == set()  # Decimal money and rates against their stored JSON: no false change
    assert {row.code: row.published for row in rows}["pair.funds"] == "200000.00"
    for agency in (agency_a, agency_b):
        current = year_end_figures(year=YEAR, as_of=AS_OF, agency=agency)
        assert changed_codes(snapshot_comparison(snapshot, current, agency)) == set()


def test_a_later_change_flags_exactly_that_figure(officer, agency_a, agency_b):
    (visit,) = build(agency_a)
    build(agency_b)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    visit.households += 5
    visit.save()

    rows = snapshot_comparison(snapshot, year_end_figures(year=YEAR, as_of=AS_OF))
    assert changed_codes(rows) == {"visit.households"}
    (row,) = [row for row in rows if row.changed]
    assert (row.published, row.current) == (16, 21)
    own = snapshot_comparison(snapshot, year_end_figures(year=YEAR, as_of=AS_OF, agency=agency_a), agency_a)
    assert changed_codes(own) == {"visit.households"}
    other = snapshot_comparison(snapshot, year_end_figures(year=YEAR, as_of=AS_OF, agency=agency_b), agency_b)
    assert changed_codes(other) == set()


def test_an_agency_missing_from_the_snapshot_shows_as_not_published(officer, agency_a):
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    newcomer = f.AgencyFactory()
    f.ContactPointFactory(agency=newcomer)
    rows = snapshot_comparison(snapshot, year_end_figures(year=YEAR, as_of=AS_OF, agency=newcomer), newcomer)
    assert all(row.published_missing and row.changed for row in rows)


def test_detail_page_highlights_the_changed_row_and_counts_it(cast, officer, agency_a):
    (visit,) = build(agency_a)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    visit.households += 5
    visit.save()
    response = cast["officer"].get(detail(snapshot))
    assert response.context["changed_count"] == 1
    html = response.content.decode()
    rows = dict(re.findall(r'<tr id="figure-[^"]+" data-code="([^"]+)" class="([^"]+)"', html))
    assert len(rows) == len(CATALOGUE)
    assert rows["visit.households"] == "table-warning figure-changed"
    assert {code for code, css in rows.items() if "figure-changed" in css} == {"visit.households"}
    changed = html[html.index('data-code="visit.households"') :]
    changed = changed[: changed.index("</tr>")]
    assert 'data-testid="changed-marker"' in changed  # a text marker, not only a colour
    assert ">8<" in changed and ">13<" in changed
    assert html.count('data-testid="changed-marker"') == 1


def test_changed_row_links_to_the_records_changed_since_publication(cast, officer, agency_a):
    changed, _untouched = build(agency_a, 2)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    changed.households += 5
    changed.save()
    for who in ("officer", "staff_a"):
        rows = {row.code: row for row in cast[who].get(detail(snapshot)).context["rows"]}
        assert [code for code, row in rows.items() if row.records_url] == ["visit.households"]  # unchanged rows: none
        listing = cast[who].get(rows["visit.households"].records_url)
        assert listing.status_code == 200
        assert [row.record for row in listing.context["table"].rows] == [changed]


# --- who sees what ----------------------------------------------------------------------------


def test_staff_see_their_own_agency_published_and_now(cast, officer, agency_a, agency_b):
    (visit,) = build(agency_a)
    build(agency_b, 2)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    visit.households += 5
    visit.save()

    response = cast["staff_a"].get(detail(snapshot))
    assert response.status_code == 200
    assert response.context["agency"] == agency_a
    values = {row.code: row.published for row in response.context["rows"]}
    assert values["cp.points"] == 1  # agency A's, not the province's 3
    assert response.context["changed_count"] == 1
    assert "agencies" not in response.context  # no choice of another agency
    assert agency_b.name not in response.content.decode()

    assert cast["staff_a"].get(detail(snapshot, agency=agency_a.code)).status_code == 200
    assert cast["staff_a"].get(detail(snapshot, agency=agency_b.code)).status_code == 404
    # Staff B sees B's figures: unchanged.
    assert cast["staff_b"].get(detail(snapshot)).context["changed_count"] == 0


def test_officer_compares_the_province_or_any_agency(cast, officer, agency_a, agency_b):
    build(agency_a)
    build(agency_b, 2)
    snapshot = publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    province = cast["officer"].get(detail(snapshot))
    assert province.context["agency"] is None
    assert {r.code: r.published for r in province.context["rows"]}["cp.points"] == 3
    one = cast["officer"].get(detail(snapshot, agency=agency_b.code))
    assert {r.code: r.published for r in one.context["rows"]}["cp.points"] == 2
    assert cast["officer"].get(detail(snapshot, agency="NOPE")).status_code == 404


def test_unknown_snapshot_is_404(cast):
    assert cast["officer"].get(reverse("reports:snapshot_detail", args=[999])).status_code == 404


# --- pinned query counts ------------------------------------------------------------------------

# Session, user with profile (2); the year's snapshots with their publishers (1); the years with
# snapshots (1); then the session save (savepoint, update, release: 3; the year asked for is kept).
LIST_QUERIES = 7 + 1  # + 1: the navigation's unread-notification badge (notices)
# Session, user with profile (2); the snapshot with its publisher (1); the figures now (15); the
# snapshot that superseded it (1); the agencies to choose from (1); the session unchanged, not saved.
DETAIL_QUERIES = 20 + 1  # + 1: the navigation's unread-notification badge (notices)


@pytest.mark.parametrize("n", [2, 10])
def test_list_query_count_does_not_grow_with_snapshots(n, cast, officer, django_assert_num_queries):
    for _ in range(n):
        publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer)
    with django_assert_num_queries(LIST_QUERIES):
        response = cast["officer"].get(LIST, {"year": YEAR})
    assert len(response.context["listings"]) == n


@pytest.mark.parametrize("scale, n", [(1, 2), (5, 10)])
def test_detail_query_count_does_not_grow_with_data(
    scale, n, cast, officer, agency_a, agency_b, django_assert_num_queries
):
    for agency in (agency_a, agency_b, f.AgencyFactory()):
        build(agency, scale)
    snapshots = [publish_snapshot(basis=ALL, year=YEAR, as_of=AS_OF, user=officer) for _ in range(n)]
    with django_assert_num_queries(DETAIL_QUERIES):
        response = cast["officer"].get(detail(snapshots[0]))
    assert response.context["rows"][2].published == 3 * scale
    # Staff: their agency (read with the user, also for the navigation) instead of the list of agencies.
    with django_assert_num_queries(DETAIL_QUERIES - 1):
        response = cast["staff_a"].get(detail(snapshots[0]))
    assert response.context["rows"][2].published == scale
