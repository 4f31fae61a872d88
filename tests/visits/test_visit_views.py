"""Visits in the browser's terms: the visit and its outcomes on one form, list, filters, totals, export."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from outreach.models import Official, Region
from outreach.validation import MSG_END_BEFORE_START, MSG_NEGATIVE_COUNT, MSG_NEGATIVE_MONEY
from tests.factories import (
    OfficialFactory,
    VisitFactory,
    VisitOutcomeFactory,
    region_chain,
)
from visits.models import Visit, VisitOutcome
from visits.tables import VisitTable

pytestmark = pytest.mark.django_db

INVALID_CHOICE = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])


@pytest.fixture
def leader_a(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", position=Official.Position.LEADERSHIP)


@pytest.fixture
def village():
    return region_chain()


def outcome_fields(prefix, **values):
    row = {
        "businesses_helped": 0,
        "business_problems": 0,
        "financing": "0",
        "migrant_cases": 0,
        "difficulties": 0,
        "note": "",
    }
    row.update(values)
    return {f"{prefix}-{name}": value for name, value in row.items()}


def form_data(official, place, *, outcomes=(), initial=0, **extra):
    """A visit form as the browser posts it, with `outcomes` (dicts of outcome fields) as inline rows."""
    data = {
        "official": official.pk,
        "start_date": "2014-05-06",
        "end_date": "2014-05-08",
        "is_village_stay": "on",
        "place": place.pk if place else "",
        "households": 12,
        "enterprises": 2,
        "communities": 1,
        "villager_groups": 3,
        "forums": 1,
        "opinions": 9,
        "note": "",
        "items-TOTAL_FORMS": len(outcomes),
        "items-INITIAL_FORMS": initial,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for i, values in enumerate(outcomes):
        data.update(outcome_fields(f"items-{i}", **values))
    data.update(extra)
    return data


def assert_nothing_saved():
    assert Visit.all_objects.count() == 0, "a rejected visit was saved"
    assert VisitOutcome.all_objects.count() == 0, "an outcome of a rejected visit was saved"


# --- adding -------------------------------------------------------------------------------------


def test_staff_adds_a_visit_with_two_outcomes_and_an_empty_extra_row(cast, staff_a, leader_a, village):
    outcomes = [
        {"businesses_helped": 4, "business_problems": 2, "financing": "1500000.50"},
        {"migrant_cases": 3, "difficulties": 5, "note": "欠薪"},
        {},  # the blank extra row the form always offers
    ]
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, village, outcomes=outcomes))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == visit.get_absolute_url()
    assert visit.agency == leader_a.agency and visit.created_by == staff_a
    assert visit.village_days == 3  # 6-8 May, derived from the dates
    saved = list(visit.outcomes.order_by("pk"))
    assert len(saved) == 2
    assert saved[0].financing == Decimal("1500000.50") and saved[1].migrant_cases == 3 and saved[1].note == "欠薪"
    assert {o.agency_id for o in saved} == {leader_a.agency_id}
    assert {o.created_by for o in saved} == {staff_a}


def test_add_form_offers_only_own_active_officials_and_places_below_city_level(
    cast, agency_a, agency_b, leader_a, village
):
    retired = OfficialFactory(agency=agency_a, is_active=False)
    other = OfficialFactory(agency=agency_b)
    form = cast["staff_a"].get(reverse("visits:visit_add")).context["form"]
    assert list(form.fields["official"].queryset) == [leader_a]
    assert retired not in form.fields["official"].queryset and other not in form.fields["official"].queryset
    levels = set(form.fields["place"].queryset.values_list("level", flat=True))
    assert levels == {Region.Level.COUNTY, Region.Level.TOWNSHIP, Region.Level.VILLAGE}
    assert form.fields["place"].widget.attrs.get("data-searchable") == "1"


def test_save_and_add_another_keeps_the_official_and_dates(cast, leader_a, village):
    response = cast["staff_a"].post(reverse("visits:visit_add"), {**form_data(leader_a, village), "_addanother": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("visits:visit_add") + "?")
    form = cast["staff_a"].get(response.headers["Location"]).context["form"]
    assert str(form.initial["official"]) == str(leader_a.pk)
    assert (form.initial["start_date"], form.initial["end_date"]) == ("2014-05-06", "2014-05-08")
    assert Visit.objects.count() == 1


# --- rejected input: a message, and nothing saved --------------------------------------------------

GOOD_OUTCOME = {"businesses_helped": 1, "financing": "1000"}


def test_end_before_start_is_refused_with_its_outcomes(cast, leader_a, village):
    data = form_data(leader_a, village, outcomes=[GOOD_OUTCOME], end_date="2014-05-01")
    response = cast["staff_a"].post(reverse("visits:visit_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [str(MSG_END_BEFORE_START)]
    assert_nothing_saved()


def test_negative_households_is_refused(cast, leader_a, village):
    response = cast["staff_a"].post(
        reverse("visits:visit_add"), form_data(leader_a, village, outcomes=[GOOD_OUTCOME], households=-5)
    )
    assert response.status_code == 200
    assert str(MSG_NEGATIVE_COUNT) in response.context["form"].errors["households"]
    assert_nothing_saved()


def test_another_agencys_official_tampered_into_the_post_is_refused(cast, agency_b, village):
    other = OfficialFactory(agency=agency_b)
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(other, village, outcomes=[GOOD_OUTCOME]))
    assert response.status_code == 200
    errors = response.context["form"].errors["official"]
    assert errors == [INVALID_CHOICE % {"value": other.pk}] or errors == [INVALID_CHOICE]
    assert_nothing_saved()


def test_a_city_is_not_a_place_to_visit(cast, leader_a, village):
    city = village.city
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, city))
    assert "place" in response.context["form"].errors
    assert_nothing_saved()


def test_negative_financing_on_an_outcome_row_shows_there_and_saves_nothing(cast, leader_a, village):
    outcomes = [GOOD_OUTCOME, {"businesses_helped": 2, "financing": "-300"}]
    response = cast["staff_a"].post(reverse("visits:visit_add"), form_data(leader_a, village, outcomes=outcomes))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.errors[0] == {}
    assert formset.errors[1]["financing"] == [str(MSG_NEGATIVE_MONEY)]
    assert str(MSG_NEGATIVE_MONEY) in response.content.decode()
    assert response.context["form"].is_valid()  # the visit itself was fine ...
    assert_nothing_saved()  # ... and still nothing was kept


# --- editing and deleting ----------------------------------------------------------------------


def edit_data(visit, outcomes, **extra):
    """The edit form as posted: existing outcomes first (with id and version), then new ones."""
    existing = list(visit.outcomes.order_by("pk"))
    data = form_data(
        visit.official, visit.place, outcomes=outcomes, initial=len(existing), version=visit.version, **extra
    )
    for i, outcome in enumerate(existing):
        data[f"items-{i}-id"] = outcome.pk
        data[f"items-{i}-visit"] = visit.pk
        data[f"items-{i}-version"] = outcome.version
    return data


def test_edit_changes_the_visit_updates_deletes_and_adds_outcomes(cast, staff_a, leader_a, village):
    visit = VisitFactory(agency=leader_a.agency, official=leader_a, place=village, households=12)
    kept = VisitOutcomeFactory(visit=visit, businesses_helped=1)
    dropped = VisitOutcomeFactory(visit=visit, businesses_helped=7)
    outcomes = [
        {"businesses_helped": 6},
        {"businesses_helped": 7, "DELETE": "on"},
        {"difficulties": 4},
    ]
    response = cast["staff_a"].post(
        reverse("visits:visit_edit", args=[visit.pk]), edit_data(visit, outcomes, households=30, is_village_stay="")
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    visit.refresh_from_db()
    assert visit.households == 30 and visit.village_days == 0 and visit.updated_by == staff_a
    live = list(visit.outcomes.order_by("pk"))
    assert [o.pk for o in live[:1]] == [kept.pk] and live[0].businesses_helped == 6
    assert len(live) == 2 and live[1].difficulties == 4 and live[1].agency_id == visit.agency_id
    assert VisitOutcome.all_objects.get(pk=dropped.pk).is_deleted


def test_edit_keeps_an_official_who_has_since_left_their_post(cast, leader_a, village):
    visit = VisitFactory(agency=leader_a.agency, official=leader_a, place=village)
    Official.objects.filter(pk=leader_a.pk).update(is_active=False)
    response = cast["staff_a"].post(reverse("visits:visit_edit", args=[visit.pk]), edit_data(visit, [], opinions=11))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.opinions == 11 and visit.official_id == leader_a.pk


def test_bad_outcome_on_edit_leaves_visit_and_outcomes_untouched(cast, leader_a, village):
    visit = VisitFactory(agency=leader_a.agency, official=leader_a, place=village, households=12)
    outcome = VisitOutcomeFactory(visit=visit, financing=Decimal("100.00"))
    response = cast["staff_a"].post(
        reverse("visits:visit_edit", args=[visit.pk]),
        edit_data(visit, [{"financing": "-1"}], households=99),
    )
    assert response.context["formset"].errors[0]["financing"] == [str(MSG_NEGATIVE_MONEY)]
    visit.refresh_from_db()
    outcome.refresh_from_db()
    assert visit.households == 12 and outcome.financing == Decimal("100.00")


def test_delete_takes_the_outcomes_and_leaves_lists_and_totals(cast, leader_a, village):
    gone = VisitFactory(agency=leader_a.agency, official=leader_a, households=100)
    VisitOutcomeFactory(visit=gone)
    VisitOutcomeFactory(visit=gone)
    stays = VisitFactory(agency=leader_a.agency, official=leader_a, households=7)
    response = cast["staff_a"].post(reverse("visits:visit_delete", args=[gone.pk]))
    assert response.status_code == 302 and response.headers["Location"] == reverse("visits:visit_list")
    assert VisitOutcome.objects.filter(visit=gone).count() == 0
    assert VisitOutcome.all_objects.filter(visit=gone, deleted_at__isnull=False).count() == 2
    page = cast["staff_a"].get(reverse("visits:visit_list"))
    assert [row.record for row in page.context["table"].rows] == [stays]
    assert page.context["table"].totals["households"] == 7
    assert cast["staff_a"].get(gone.get_absolute_url()).status_code == 404


# --- who may do what ---------------------------------------------------------------------------


def test_another_agencys_visit_is_404_everywhere(cast, agency_b):
    other = VisitFactory(agency=agency_b)
    VisitOutcomeFactory(visit=other)
    for name in ("detail", "edit", "delete"):
        assert cast["staff_a"].get(reverse(f"visits:visit_{name}", args=[other.pk])).status_code == 404
    assert cast["staff_a"].post(reverse("visits:visit_delete", args=[other.pk])).status_code == 404
    assert cast["staff_a"].post(reverse("visits:visit_edit", args=[other.pk]), {"households": 1}).status_code == 404
    other.refresh_from_db()
    assert not other.is_deleted and other.households == 8 and other.outcomes.count() == 1


def test_officer_reads_every_agency_but_cannot_write(cast, agency_a, agency_b, leader_a, village):
    mine = VisitFactory(agency=agency_a, official=leader_a)
    theirs = VisitFactory(agency=agency_b)
    listed = cast["officer"].get(reverse("visits:visit_list")).context["table"]
    assert {row.record for row in listed.rows} == {mine, theirs}
    assert cast["officer"].get(theirs.get_absolute_url()).context["object"] == theirs
    assert cast["officer"].get(reverse("visits:visit_add")).status_code == 403
    assert cast["officer"].post(reverse("visits:visit_add"), form_data(leader_a, village)).status_code == 403
    assert (
        cast["officer"]
        .post(reverse("visits:visit_edit", args=[mine.pk]), edit_data(mine, [], households=1))
        .status_code
        == 403
    )
    assert cast["officer"].post(reverse("visits:visit_delete", args=[mine.pk])).status_code == 403
    mine.refresh_from_db()
    assert Visit.objects.count() == 2 and mine.households == 8 and not mine.is_deleted


def test_anonymous_is_sent_to_login(cast):
    response = cast["anonymous"].get(reverse("visits:visit_list"))
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


# --- list: filters, totals, export ---------------------------------------------------------------


def test_totals_row_covers_every_filtered_row_not_just_the_page(cast, leader_a):
    for i in range(55):  # more than one page of 50
        VisitFactory(agency=leader_a.agency, official=leader_a, households=2, opinions=1, forums=i % 2)
    VisitFactory(
        agency=leader_a.agency,
        official=leader_a,
        households=1000,
        is_village_stay=False,
        start_date=datetime.date(2014, 8, 1),
        end_date=datetime.date(2014, 8, 1),
    )
    response = cast["staff_a"].get(reverse("visits:visit_list"), {"start_date_max": "2014-07-31"})
    table = response.context["table"]
    assert len(table.page.object_list) == 50 and table.paginator.count == 55
    assert table.totals["households"] == 110 and table.totals["opinions"] == 55 and table.totals["forums"] == 27
    assert table.totals["village_days"] == 55 * 3
    footer = response.content.decode()
    assert ">110<" in footer and ">165<" in footer


def test_filters_position_stay_city_official_and_search(cast, agency_a):
    head = OfficialFactory(agency=agency_a, name="王芳", position=Official.Position.DEPARTMENT_HEAD)
    leader = OfficialFactory(agency=agency_a, name="赵强", position=Official.Position.LEADERSHIP)
    bozhou = region_chain(city_name="亳州市")
    fuyang = region_chain(city_name="阜阳市")
    a = VisitFactory(agency=agency_a, official=head, place=bozhou, is_village_stay=True, note="调研秸秆禁烧")
    b = VisitFactory(agency=agency_a, official=leader, place=fuyang, is_village_stay=False)
    c = VisitFactory(agency=agency_a, official=leader, place=bozhou, is_village_stay=True)

    def rows(**params):
        table = cast["staff_a"].get(reverse("visits:visit_list"), params).context["table"]
        return {row.record for row in table.rows}

    assert rows(position=Official.Position.DEPARTMENT_HEAD) == {a}
    assert rows(is_village_stay="false") == {b}
    assert rows(is_village_stay="true") == {a, c}
    assert rows(city=bozhou.city_id) == {a, c}
    assert rows(official=leader.pk) == {b, c}
    assert rows(q="秸秆") == {a}
    assert rows(q="王芳") == {a}
    assert rows(q="亳州") == {a, c}  # the place's name (a nullable key, asked of the places table)
    assert rows(q="亳州 王芳") == {a}  # every word must match, each anywhere
    assert rows(q=b.reference.lower()) == {b}  # a record's reference finds it
    assert rows() == {a, b, c}


def test_agency_filter_is_for_officers_only(cast, agency_a, agency_b):
    mine = VisitFactory(agency=agency_a)
    theirs = VisitFactory(agency=agency_b)
    officer_page = cast["officer"].get(reverse("visits:visit_list"), {"agency": agency_b.pk})
    assert [row.record for row in officer_page.context["table"].rows] == [theirs]
    staff_page = cast["staff_a"].get(reverse("visits:visit_list"), {"agency": agency_b.pk})
    assert "agency" not in staff_page.context["filter"].form.fields
    assert [row.record for row in staff_page.context["table"].rows] == [mine]


def read_export(response):
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_export_holds_the_filtered_rows_of_every_page(cast, agency_a, agency_b, leader_a):
    stays = [VisitFactory(agency=agency_a, official=leader_a, households=3) for _ in range(52)]
    VisitFactory(agency=agency_a, official=leader_a, is_village_stay=False, households=50)
    VisitFactory(agency=agency_b, households=70)
    response = cast["staff_a"].get(reverse("visits:visit_list"), {"is_village_stay": "true", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_export(response)
    header, body, totals = rows[1], rows[2:-1], rows[-1]  # under the title line; the totals row last
    assert len(body) == 52
    assert {row[0] for row in body} == {str(v.pk) for v in stays}  # a record's number, as text
    column = {
        name: header.index(str(VisitTable.base_columns[name].verbose_name))
        for name in ("households", "is_village_stay")
    }
    # numbers stay numbers, ticks are 是/否 in Excel, and the totals row sums the filtered rows
    assert sum(row[column["households"]] for row in body) == 3 * 52 == totals[column["households"]]
    assert all(row[column["is_village_stay"]] == translation.gettext("Yes") for row in body)


# --- detail ------------------------------------------------------------------------------------


def test_detail_shows_the_fields_and_outcomes_with_their_totals(cast, leader_a, village):
    visit = VisitFactory(agency=leader_a.agency, official=leader_a, place=village, note="座谈记录")
    VisitOutcomeFactory(visit=visit, financing=Decimal("1000.00"), businesses_helped=2)
    VisitOutcomeFactory(visit=visit, financing=Decimal("250.50"), businesses_helped=3)
    response = cast["staff_a"].get(visit.get_absolute_url())
    fields = {str(label): value for label, value, _field in response.context["field_rows"]}
    assert fields[str(Visit._meta.get_field("village_days").verbose_name)] == 3
    assert fields[str(Visit._meta.get_field("place").verbose_name)] == village
    ((_title, outcomes),) = response.context["children"]
    assert len(outcomes.rows) == 2
    assert outcomes.totals["businesses_helped"] == 5 and outcomes.totals["financing"] == Decimal("1250.50")
    assert "1,250.50" in response.content.decode()
