"""Contact points in the browser's terms: list, filter, totals, export, add, edit, delete, history."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from outreach.forms import MSG_STALE
from outreach.models import MSG_PERIOD_LOCKED, Official
from outreach.services import lock_period
from pairings.models import ContactPoint
from tests.factories import ContactPointFactory, OfficialFactory, poor_village, region_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_a(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", rank=Official.Rank.DEPARTMENT)


def form_data(official, village, **extra):
    return {
        "official": official.pk,
        "village": village.pk,
        "start_date": "2014-03-01",
        "end_date": "",
        "note": "",
        **extra,
    }


def test_staff_adds_a_contact_point_for_their_agency(cast, staff_a, leader_a):
    village = poor_village()
    response = cast["staff_a"].post(reverse("pairings:contactpoint_add"), form_data(leader_a, village))
    point = ContactPoint.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == point.get_absolute_url()
    assert point.agency == leader_a.agency and point.created_by == staff_a


def test_save_and_add_another_keeps_the_official_and_date(cast, leader_a):
    response = cast["staff_a"].post(
        reverse("pairings:contactpoint_add"), {**form_data(leader_a, poor_village()), "_addanother": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("pairings:contactpoint_add") + "?")
    form = cast["staff_a"].get(response.headers["Location"]).context["form"]
    assert str(form.initial["official"]) == str(leader_a.pk) and form.initial["start_date"] == "2014-03-01"


def test_bad_village_gives_a_chinese_field_message_and_saves_nothing(cast, leader_a):
    not_poor = region_chain(poor=False)
    response = cast["staff_a"].post(reverse("pairings:contactpoint_add"), form_data(leader_a, not_poor))
    assert response.status_code == 200
    # The village is not even offered, so the form refuses it as an invalid choice.
    assert "village" in response.context["form"].errors
    assert ContactPoint.objects.count() == 0


def test_posting_another_agencys_official_is_refused(cast, agency_b):
    other = OfficialFactory(agency=agency_b)
    response = cast["staff_a"].post(reverse("pairings:contactpoint_add"), form_data(other, poor_village()))
    assert response.status_code == 200
    assert "official" in response.context["form"].errors
    assert ContactPoint.objects.count() == 0


def test_end_before_start_is_a_field_message(cast, leader_a):
    response = cast["staff_a"].post(
        reverse("pairings:contactpoint_add"), form_data(leader_a, poor_village(), end_date="2014-02-01")
    )
    assert response.context["form"].errors["end_date"] == ["结束日期不能早于开始日期。"]
    assert ContactPoint.objects.count() == 0


def test_malformed_date_and_overlong_note_never_500(cast, leader_a):
    response = cast["staff_a"].post(
        reverse("pairings:contactpoint_add"),
        form_data(leader_a, poor_village(), start_date="2014-13-45", note="字" * 5000),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "start_date" in errors and "note" in errors
    assert ContactPoint.objects.count() == 0


def test_list_shows_only_own_agency_and_exports_the_same_rows(cast, agency_a, agency_b):
    mine = ContactPointFactory(agency=agency_a)
    ContactPointFactory(agency=agency_b)
    response = cast["staff_a"].get(reverse("pairings:contactpoint_list"))
    assert [row.record for row in response.context["table"].rows] == [mine]

    export = cast["staff_a"].get(reverse("pairings:contactpoint_list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    _title, _header, *rows, _totals = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 and rows[0][0] == str(mine.pk)


def test_another_agencys_contact_point_is_404_everywhere(cast, agency_b):
    other = ContactPointFactory(agency=agency_b)
    for name in ("detail", "edit", "delete"):
        assert cast["staff_a"].get(reverse(f"pairings:contactpoint_{name}", args=[other.pk])).status_code == 404
    assert cast["staff_a"].post(reverse("pairings:contactpoint_delete", args=[other.pk])).status_code == 404
    assert ContactPoint.objects.count() == 1


def test_officer_reads_but_cannot_write(cast, agency_a):
    point = ContactPointFactory(agency=agency_a)
    assert cast["officer"].get(point.get_absolute_url()).status_code == 200
    assert cast["officer"].get(reverse("pairings:contactpoint_add")).status_code == 403
    assert cast["officer"].post(reverse("pairings:contactpoint_edit", args=[point.pk]), {}).status_code == 403


def test_concurrent_edit_is_refused_not_overwritten(cast, staff_a, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, note="原始")
    url = reverse("pairings:contactpoint_edit", args=[point.pk])
    seen = cast["staff_a"].get(url).context["form"]["version"].value()
    # Someone else saves first.
    point.note = "同事的修改"
    point.save(user=staff_a)
    response = cast["staff_a"].post(url, {**form_data(leader_a, point.village, note="我的修改"), "version": seen})
    assert response.status_code == 200
    assert str(MSG_STALE) in response.context["form"].non_field_errors()
    point.refresh_from_db()
    assert point.note == "同事的修改"


def test_locked_period_refuses_add_edit_and_delete(cast, officer, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, start_date=datetime.date(2014, 3, 1))
    lock_period(user=officer, year=2014, month=3)
    edit = cast["staff_a"].post(
        reverse("pairings:contactpoint_edit", args=[point.pk]),
        {**form_data(leader_a, point.village, note="改"), "version": point.version},
    )
    assert "已锁定" in " ".join(edit.context["form"].non_field_errors())
    add = cast["staff_a"].post(reverse("pairings:contactpoint_add"), form_data(leader_a, poor_village()))
    assert str(MSG_PERIOD_LOCKED).split("%")[0][:4] in " ".join(add.context["form"].non_field_errors())
    delete = cast["staff_a"].post(reverse("pairings:contactpoint_delete", args=[point.pk]))
    assert delete.status_code == 409
    assert ContactPoint.objects.count() == 1
    point.refresh_from_db()
    assert point.note == "" and not point.is_deleted


def test_delete_then_officer_restores_with_history(cast, staff_a, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a)
    cast["staff_a"].post(reverse("pairings:contactpoint_delete", args=[point.pk]))
    assert ContactPoint.objects.count() == 0 and ContactPoint.all_objects.count() == 1
    assert cast["staff_a"].get(point.get_absolute_url()).status_code == 404

    page = cast["officer"].get(reverse("deleted_records"))
    assert (
        point
        in page.context["sections"][[s["opts"].model_name for s in page.context["sections"]].index("contactpoint")][
            "rows"
        ]
    )
    cast["officer"].post(reverse("record_restore", args=["pairings", "contactpoint", point.pk]))
    assert ContactPoint.objects.count() == 1
    events = [e["event"] for e in cast["officer"].get(point.get_absolute_url()).context["history"]]
    assert events[:2] == ["已恢复", "已删除"]


def test_history_names_related_objects_and_choice_labels(cast, staff_a, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a)
    other_leader = OfficialFactory(agency=leader_a.agency, name="王强")
    point.official = other_leader
    point.save(user=staff_a)
    entries = cast["staff_a"].get(point.get_absolute_url()).context["history"]
    change = entries[0]["changes"][0]
    assert (change["old"], change["new"]) == (str(leader_a), str(other_leader))
    assert entries[0]["version"].history_user == staff_a
