"""Service activities in the browser's terms: what only one service-activity type does.

What every record type does (add, edit, delete, scoping, filters, totals, export,
sorting) is tested once for all of them in tests/test_record_behaviour.py.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from tests.factories import FourIntoEventFactory, VolunteerServiceFactory, VolunteerTeamFactory
from tests.record_checks import listed
from tests.visits.service_specs import FIVE_INTO, FOUR_INTO, SPECS, VOLUNTEER_SERVICE, VOLUNTEER_TEAM
from visits.models import FiveIntoAction, VolunteerTeam

pytestmark = pytest.mark.django_db


def test_the_posted_values_are_what_is_stored(cast, agency_a):
    cast["staff_a"].post(VOLUNTEER_SERVICE.url("add"), VOLUNTEER_SERVICE.form_data(agency_a))
    service = VOLUNTEER_SERVICE.model.objects.get()
    assert (service.person_times, service.hours, service.place) == (8, Decimal("24.5"), "王楼村小学")
    cast["staff_a"].post(FOUR_INTO.url("add"), FOUR_INTO.form_data(agency_a))
    event = FOUR_INTO.model.objects.get()
    assert (event.half, event.sites, event.family_aid) == (1, 7, Decimal("6000.00"))


def test_team_choices_are_the_users_agencys_teams(cast, agency_a, agency_b):
    mine = VolunteerTeamFactory(agency=agency_a)
    VolunteerTeamFactory(agency=agency_b)
    form = cast["staff_a"].get(VOLUNTEER_SERVICE.url("add")).context["form"]
    assert list(form.fields["team"].queryset) == [mine]
    choices = cast["staff_a"].get(VOLUNTEER_SERVICE.url("list")).context["filter"].form.fields["team"].queryset
    assert list(choices) == [mine]


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
    header, *rows, totals = export_rows_with_header(
        cast["staff_a"].get(FOUR_INTO.url("list"), {"export": "xlsx", "sort": "-sites"})
    )
    sites_at = header.index(str(table.columns["sites"].header))
    assert [row[sites_at] for row in rows] == [10, 1]
    assert totals[sites_at] == 11  # the totals row adds up the parts' totals, as the page's footer


def export_rows_with_header(response):
    """The header, the rows and the totals row of a list's download (its title line dropped)."""
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True))[1:]


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
