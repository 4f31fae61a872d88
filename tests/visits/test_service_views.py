"""Service activities in the browser's terms: add, edit, delete, scoping, filters, totals, export.

"Four into" events, volunteer teams, volunteer services and "five into" actions
differ only in what `tests/visits/service_specs.py` says about them; each test
runs once per type (the test id names it).
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from tests.factories import FourIntoEventFactory, VolunteerServiceFactory, VolunteerTeamFactory
from tests.pairings.specs import export_rows, form_errors
from tests.record_checks import check_every_sortable_column_sorts, check_totals_over_every_filtered_row, listed
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, SPECS, VOLUNTEER_SERVICE, VOLUNTEER_TEAM
from visits.models import FiveIntoAction, VolunteerTeam

pytestmark = pytest.mark.django_db

INVALID_CHOICE = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
NUMERIC_SPECS = [spec for spec in SPECS if spec.sums]


def edit_data(client, spec, record, **changes):
    """The edit form's current values as POST data, with `changes` applied."""
    form = client.get(spec.url("edit", record.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_staff_adds_a_record_that_belongs_to_their_agency(cast, staff_a, agency_a, agency_b, spec):
    # A posted agency id is ignored: the record belongs to the clerk's agency.
    response = cast["staff_a"].post(spec.url("add"), {**spec.form_data(agency_a), "agency": agency_b.pk})
    record = spec.model.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == record.get_absolute_url()
    assert record.agency == agency_a and record.created_by == staff_a and record.version == 1
    assert listed(cast["staff_a"].get(spec.url("list"))) == [record]


def test_the_posted_values_are_what_is_stored(cast, agency_a):
    cast["staff_a"].post(VOLUNTEER_SERVICE.url("add"), VOLUNTEER_SERVICE.form_data(agency_a))
    service = VOLUNTEER_SERVICE.model.objects.get()
    assert (service.person_times, service.hours, service.place) == (8, Decimal("24.5"), "王楼村小学")
    cast["staff_a"].post(FOUR_INTO.url("add"), FOUR_INTO.form_data(agency_a))
    event = FOUR_INTO.model.objects.get()
    assert (event.half, event.sites, event.family_aid) == (1, 7, Decimal("6000.00"))


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_save_and_add_another_keeps_the_date_and_team(cast, agency_a, spec):
    data = spec.form_data(agency_a)
    response = cast["staff_a"].post(spec.url("add"), {**data, "_addanother": "1"})
    assert response.status_code == 302 and response.headers["Location"].startswith(spec.url("add") + "?")
    form = cast["staff_a"].get(response.headers["Location"]).context["form"]
    assert {name: str(form.initial[name]) for name in spec.keep} == {name: str(data[name]) for name in spec.keep}
    assert spec.model.objects.count() == 1


def test_another_agencys_team_tampered_into_the_post_is_refused(cast, agency_a, agency_b):
    spec = VOLUNTEER_SERVICE
    theirs = VolunteerTeamFactory(agency=agency_b)
    errors = form_errors(cast["staff_a"].post(spec.url("add"), {**spec.form_data(agency_a), "team": theirs.pk}))
    assert errors["team"] == [INVALID_CHOICE]
    assert spec.model.all_objects.count() == 0


def test_team_choices_are_the_users_agencys_teams(cast, agency_a, agency_b):
    mine = VolunteerTeamFactory(agency=agency_a)
    VolunteerTeamFactory(agency=agency_b)
    form = cast["staff_a"].get(VOLUNTEER_SERVICE.url("add")).context["form"]
    assert list(form.fields["team"].queryset) == [mine]
    choices = cast["staff_a"].get(VOLUNTEER_SERVICE.url("list")).context["filter"].form.fields["team"].queryset
    assert list(choices) == [mine]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_staff_edits_their_record_and_the_change_is_in_its_history(cast, staff_a, agency_a, spec):
    record = spec.make(agency_a)
    field, value = spec.change
    response = cast["staff_a"].post(
        spec.url("edit", record.pk), edit_data(cast["staff_a"], spec, record, **{field: value})
    )
    assert response.status_code == 302, form_errors(response)
    record.refresh_from_db()
    assert getattr(record, field) == value and record.version == 2 and record.updated_by == staff_a
    history = cast["staff_a"].get(record.get_absolute_url()).context["history"]
    assert [change["field"] for change in history[0]["changes"]] == [spec.model._meta.get_field(field).verbose_name]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_a_deleted_record_leaves_the_list_the_totals_and_the_export(cast, agency_a, spec):
    parent = spec.make_parent(agency_a)
    kept, gone = spec.make(agency_a, parent), spec.make(agency_a, parent)
    response = cast["staff_a"].post(spec.url("delete", gone.pk))
    assert response.status_code == 302
    assert spec.model.objects.filter(pk=gone.pk).count() == 0 and spec.model.all_objects.filter(pk=gone.pk).count() == 1

    page = cast["staff_a"].get(spec.url("list"))
    assert listed(page) == [kept]
    assert page.context["table"].totals == {name: getattr(kept, name) for name in spec.sums}
    assert [row[0] for row in export_rows(cast["staff_a"].get(spec.url("list") + "?export=xlsx"))] == [kept.pk]
    assert cast["staff_a"].get(gone.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_another_agencys_record_is_404_and_stays_unchanged(cast, agency_b, spec):
    record = spec.make(agency_b)
    for action in ("detail", "edit", "delete"):
        assert cast["staff_a"].get(spec.url(action, record.pk)).status_code == 404, action
    assert cast["staff_a"].post(spec.url("edit", record.pk), spec.form_data(agency_b)).status_code == 404
    assert cast["staff_a"].post(spec.url("delete", record.pk)).status_code == 404
    record.refresh_from_db()
    assert record.version == 1 and not record.is_deleted
    assert listed(cast["staff_a"].get(spec.url("list"))) == []


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_officer_reads_every_agency_but_cannot_write(cast, agency_a, spec):
    record = spec.make(agency_a)
    page = cast["officer"].get(record.get_absolute_url())
    assert page.status_code == 200 and page.context["object"] == record and not page.context["can_write"]
    assert cast["officer"].get(spec.url("add")).status_code == 403
    assert cast["officer"].post(spec.url("add"), spec.form_data(agency_a)).status_code == 403
    assert (
        cast["officer"].post(spec.url("edit", record.pk), edit_data(cast["staff_a"], spec, record)).status_code == 403
    )
    assert cast["officer"].post(spec.url("delete", record.pk)).status_code == 403
    record.refresh_from_db()
    assert spec.model.objects.count() == 1 and record.version == 1


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_list_filter_and_export_give_the_same_rows(cast, agency_a, agency_b, spec):
    parent = spec.make_parent(agency_a)
    inside = {spec.make(agency_a, parent, **spec.inside()).pk for _ in range(3)}
    for _i in range(2):
        spec.make(agency_a, parent, **spec.outside())
    spec.make(agency_b, **spec.inside())  # matches the filter, but not ours

    page = cast["staff_a"].get(spec.url("list"), spec.filter_params)
    assert {record.pk for record in listed(page)} == inside
    export = cast["staff_a"].get(spec.url("list"), {**spec.filter_params, "export": "xlsx"})
    assert {row[0] for row in export_rows(export)} == inside


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_free_text_and_agency_filters(cast, agency_a, agency_b, spec):
    mine, theirs = spec.make(agency_a), spec.make(agency_b)
    page = cast["officer"].get(spec.url("list"), {"agency": agency_b.pk})
    assert listed(page) == [theirs]
    assert "agency" not in cast["staff_a"].get(spec.url("list")).context["filter"].form.fields
    word = str(mine).split(" ")[0]
    assert mine in listed(cast["officer"].get(spec.url("list"), {"q": word}))
    assert listed(cast["officer"].get(spec.url("list"), {"q": "不存在的词"})) == []


@pytest.mark.parametrize("spec", NUMERIC_SPECS, ids=str)
def test_totals_row_is_the_sum_over_every_filtered_row_not_the_page(cast, agency_a, spec):
    # Only the first sum varies: a "five into" action may fill only its own kind's figures.
    check_totals_over_every_filtered_row(cast["staff_a"], agency_a, spec, vary=spec.sums[:1])


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_every_sortable_column_sorts(cast, agency_a, agency_b, spec):
    check_every_sortable_column_sorts(cast["officer"], agency_a, agency_b, spec)


# --- what differs ----------------------------------------------------------------------------


def test_four_into_list_shows_the_sites_and_sorts_and_totals_them(cast, agency_a):
    small = FourIntoEventFactory(agency=agency_a, enterprises=1, villages=0, schools=0)
    big = FourIntoEventFactory(agency=agency_a, enterprises=2, villages=5, schools=3)
    page = cast["staff_a"].get(FOUR_INTO.url("list"), {"sort": "-sites"})
    table = page.context["table"]
    assert listed(page) == [big, small]
    assert [row.get_cell_value("sites") for row in table.page.object_list] == [10, 1]
    assert table.columns["sites"].column.render_footer(table.columns["sites"], table) == "11"
    assert listed(cast["staff_a"].get(FOUR_INTO.url("list"), {"sort": "sites"})) == [small, big]
    header, *rows = export_rows_with_header(
        cast["staff_a"].get(FOUR_INTO.url("list"), {"export": "xlsx", "sort": "-sites"})
    )
    sites_at = header.index(str(table.columns["sites"].header))
    assert [row[sites_at] for row in rows] == [10, 1]


def export_rows_with_header(response):
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))


def test_four_into_detail_shows_the_sites(cast, agency_a):
    event = FourIntoEventFactory(agency=agency_a, enterprises=2, villages=3, schools=4)
    rows = cast["staff_a"].get(event.get_absolute_url()).context["field_rows"]
    labels = [str(label) for label, _value, _field in rows]
    assert dict(zip(labels, [value for _label, value, _field in rows]))[_("sites visited")] == 9
    assert labels.index(_("sites visited")) == labels.index(str(event._meta.get_field("schools").verbose_name)) + 1


def test_team_page_lists_its_services_with_totals(cast, agency_a):
    team = VolunteerTeamFactory(agency=agency_a)
    other = VolunteerTeamFactory(agency=agency_a)
    services = [
        VolunteerServiceFactory(team=team, person_times=4, hours=Decimal("10.5")),
        VolunteerServiceFactory(team=team, person_times=6, hours=Decimal("12.0")),
    ]
    VolunteerServiceFactory(team=other, person_times=100)
    page = cast["staff_a"].get(team.get_absolute_url())
    ((_title, child),) = page.context["children"]
    assert [row.record for row in child.rows] == sorted(services, key=lambda s: (-s.date.toordinal(), s.pk))
    assert child.totals == {"person_times": 10, "hours": Decimal("22.5")}
    assert "team" not in [column.name for column in child.columns] and "agency" not in [c.name for c in child.columns]
    html = page.content.decode()
    assert ">10<" in html and ">22.5<" in html


def test_a_team_with_services_cannot_be_deleted_until_they_are(cast, agency_a):
    service = VolunteerServiceFactory(team=VolunteerTeamFactory(agency=agency_a))
    response = cast["staff_a"].post(VOLUNTEER_TEAM.url("delete", service.team.pk))
    assert response.status_code == 409 and response.context["errors"]
    assert not VolunteerTeam.all_objects.get(pk=service.team.pk).is_deleted


def test_team_form_shows_the_specialty_for_professional_teams_only(cast):
    form = cast["staff_a"].get(VOLUNTEER_TEAM.url("add")).context["form"]
    assert form.fields["specialty"].widget.attrs["data-show-when"] == f"kind={VolunteerTeam.Kind.PROFESSIONAL}"


def test_five_into_form_shows_each_kinds_yields_for_that_kind(cast):
    page = cast["staff_a"].get(FIVE_INTO.url("add"))
    form = page.context["form"]
    for kind, names in FiveIntoAction.YIELDS.items():
        for name in names:
            assert form.fields[name].widget.attrs["data-show-when"] == f"kind={kind}"
    assert 'data-show-when="kind=culture"' in page.content.decode()


def test_five_into_detail_shows_only_what_its_kind_yields(cast, agency_a):
    action = FIVE_INTO.make(agency_a, kind=FiveIntoAction.Kind.HEALTH, books=0, book_boxes=0, consultations=80)
    fields = [
        field.name for _label, _value, field in cast["staff_a"].get(action.get_absolute_url()).context["field_rows"]
    ]
    assert "consultations" in fields
    assert not {"books", "book_boxes", "book_recipients", "culture_trips", "legal_points"} & set(fields)


def test_visits_index_links_every_service_list(cast, agency_a):
    FourIntoEventFactory(agency=agency_a)
    page = cast["staff_a"].get(reverse("visits:index"))
    urls = [link["url"] for link in page.context["links"]]
    for spec in SPECS:
        assert spec.url("list") in urls
    counts = {str(row["label"]): row["count"] for row in page.context["counts"]}
    assert counts[str(FOUR_INTO.model._meta.verbose_name_plural)] == 1


def test_a_new_four_into_event_starts_in_the_current_half_year(cast):
    today = datetime.date.today()
    form = cast["staff_a"].get(FOUR_INTO.url("add")).context["form"]
    assert (form["year"].value(), form["half"].value()) == (today.year, 1 if today.month <= 6 else 2)
