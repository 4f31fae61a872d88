"""No 500 from input (issue 14): empty required import lookups, years outside 2000–2100, NUL and over-long
parameters, bodies over Django's limits, text lengths on every path, and stale edits.

Each refusal is asserted with its message and with nothing saved or changed.
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from outreach.forms import MSG_STALE
from outreach.importing.engine import MSG_REQUIRED, run_import
from outreach.importing.specs import AGENCY, REFERENCE, record_sheets, sheet_for
from outreach.middleware import MAX_QUERY_VALUE, MSG_NUL, MSG_QUERY_TOO_LONG, MSG_TOO_BIG
from outreach.models import Basis
from outreach.validation import MSG_DATE_YEAR_RANGE, YEAR_MAX, YEAR_MIN
from outreach.window import KEPT_AS_OF, KEPT_YEAR
from reports.services import publish_snapshot
from tests.factories import ChannelReturnFactory, FourIntoEventFactory, OfficialFactory, VisitFactory
from tests.outreach.import_files import xlsx, xlsx_bytes
from tests.record_checks import edit_data, form_errors
from tests.record_specs import DATED_SPECS, SPECS
from tests.visits.service_specs import four_into_data
from tests.visits.test_channel_returns import form_data as channel_data
from visits.models import ChannelReturn, FourIntoEvent, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def date_range_message() -> str:
    return str(MSG_DATE_YEAR_RANGE) % {"min": YEAR_MIN, "max": YEAR_MAX}


# --- 1. import: an empty required lookup is "required" on its column -------------------------------------


def book(model, *rows: dict) -> io.BytesIO:
    """A workbook of one record sheet: its header, and a row per dict of column name → cell value."""
    columns = sheet_for(model).columns
    table = [[str(column.title) for column in columns]]
    table += [[row.get(column.name) for column in columns] for row in rows]
    return io.BytesIO(xlsx_bytes({str(sheet_for(model).title): table}))


def issues_by_column(report) -> dict[str, str]:
    return {
        issue.column.split(" ", 1)[1] if " " in issue.column else issue.column: issue.message for issue in report.issues
    }


@pytest.mark.parametrize("sheet", record_sheets(), ids=lambda sheet: sheet.label)
def test_every_required_column_left_empty_is_required_on_its_column(sheet, agency_a, staff_a):
    """Every record type, every required column (lookups of an official, a pairing, a team… included)."""
    report = run_import(book(sheet.model, {REFERENCE: "R-1"}), agency=agency_a, user=staff_a, commit=True)
    required = [c for c in sheet.columns if c.required and c.name not in (REFERENCE, AGENCY)]
    assert required, "every record type has a required column"
    found = issues_by_column(report)
    for column in required:
        assert found.get(str(column.title)) == str(MSG_REQUIRED), (column.name, report.lines())
    assert all(issue.row == 2 for issue in report.issues)
    assert not report.committed
    assert sheet.model.all_objects.count() == 0


def visit_cells(official="张伟", **extra) -> dict:
    return {
        REFERENCE: "ZF-1",
        "official": official,
        "start_date": "2014-07-03",
        "end_date": "2014-07-04",
        "is_village_stay": "是",
        "households": 12,
        **extra,
    }


def test_an_empty_official_is_one_required_problem_where_the_column_is(agency_a, staff_a):
    OfficialFactory(agency=agency_a, name="张伟")
    report = run_import(book(Visit, visit_cells(official=None)), agency=agency_a, user=staff_a, commit=True)
    assert [str(issue) for issue in report.issues] == [f"走访基层 · 第2行 · C 干部: {MSG_REQUIRED}"]
    assert Visit.all_objects.count() == 0


def test_an_empty_required_cell_of_an_existing_record_is_required_and_the_record_stays(agency_a, staff_a):
    official = OfficialFactory(agency=agency_a, name="张伟")
    visit = VisitFactory(agency=agency_a, official=official, reference="ZF-1")
    report = run_import(
        book(Visit, visit_cells(official=None, start_date=None)), agency=agency_a, user=staff_a, commit=True
    )
    assert issues_by_column(report) == {"干部": str(MSG_REQUIRED), "开始日期": str(MSG_REQUIRED)}
    stored = Visit.objects.get()
    assert (stored.official_id, stored.start_date, stored.version) == (official.pk, visit.start_date, visit.version)


def test_the_command_dry_run_reports_an_empty_lookup_without_a_traceback(agency_a, tmp_path, capsys):
    sheet = sheet_for(Visit)
    columns = sheet.columns
    row = {**visit_cells(official=None), AGENCY: agency_a.code}
    path = xlsx(
        tmp_path / "empty-official.xlsx",
        {str(sheet.title): [[str(c.title) for c in columns], [row.get(c.name) for c in columns]]},
    )
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(path), "--dry-run")
    assert raised.value.returncode == 1
    assert f"走访基层 · 第2行 · C 干部: {MSG_REQUIRED}" in capsys.readouterr().err
    assert Visit.all_objects.count() == 0


# --- 2. years and dates outside 2000–2100 -------------------------------------------------------------


@pytest.mark.parametrize("year", ["10000", "2147483648", "99999999999999999999", "1999", "-2014"])
def test_a_four_into_event_of_a_year_out_of_range_is_a_field_error(cast, year):
    response = cast["staff_a"].post(reverse("visits:fourintoevent_add"), {**four_into_data(None), "year": year})
    errors = form_errors(response)
    assert list(errors) == ["year"], errors
    assert FourIntoEvent.all_objects.count() == 0


@pytest.mark.parametrize("year", ["10000", "2147483648", "1999"])
def test_a_channel_return_of_a_year_out_of_range_is_a_field_error(cast, year):
    response = cast["staff_a"].post(reverse("visits:channelreturn_add"), channel_data(year=year))
    errors = form_errors(response)
    assert list(errors) == ["year"], errors
    assert ChannelReturn.all_objects.count() == 0


@pytest.mark.parametrize("year", ["10000", "2147483648"])
def test_the_channel_return_form_opened_for_a_year_out_of_range_shows_no_last_period(cast, year):
    """The form reads the year before saving (last period's values): an out-of-range year is no period."""
    response = cast["staff_a"].get(f"{reverse('visits:channelreturn_add')}?year={year}&period_kind=half&half=1")
    assert response.status_code == 200
    assert response.context["form"].period is None


@pytest.mark.parametrize("year", [10000, 2147483648, 1999])
def test_the_shell_refuses_a_year_out_of_range_on_the_year(agency_a, year):
    event = FourIntoEventFactory.build(agency=agency_a, year=year)
    returned = ChannelReturnFactory.build(agency=agency_a, year=year)
    for record in (event, returned):
        with pytest.raises(ValidationError) as raised:
            record.save()
        assert "year" in raised.value.message_dict
    assert FourIntoEvent.all_objects.count() == ChannelReturn.all_objects.count() == 0


@pytest.mark.parametrize("spec", [s for s in DATED_SPECS if "__" not in s.date_field], ids=str)
@pytest.mark.parametrize("day", ["1999-12-31", "0001-01-01", "1900-02-28"])
def test_a_date_outside_the_years_is_a_field_error_on_every_form(cast, agency_a, spec, day):
    data = spec.form_data(agency_a)
    before = spec.model.all_objects.count()
    errors = form_errors(cast["staff_a"].post(spec.url("add"), {**data, spec.date_field: day}))
    assert date_range_message() in errors.get(spec.date_field, []), errors
    assert spec.model.all_objects.count() == before


def test_a_date_of_year_10000_on_a_form_is_an_invalid_date(cast, agency_a):
    spec = next(s for s in DATED_SPECS if s.model is FourIntoEvent)
    errors = form_errors(cast["staff_a"].post(spec.url("add"), {**four_into_data(agency_a), "date": "10000-01-01"}))
    assert list(errors) == ["date"]
    assert FourIntoEvent.all_objects.count() == 0


def test_the_import_refuses_years_and_dates_out_of_range_on_their_columns(agency_a, staff_a):
    rows = [
        {REFERENCE: "S-1", "year": 10000, "half": "上半年", "date": "2014-04-15", "title": "四走进"},
        {REFERENCE: "S-2", "year": 2147483648, "half": "上半年", "date": "2014-04-15", "title": "四走进"},
        {REFERENCE: "S-3", "year": 2014, "half": "上半年", "date": datetime.datetime(1999, 4, 15), "title": "四走进"},
        {REFERENCE: "S-4", "year": 2014, "half": "上半年", "date": "10000-01-01", "title": "四走进"},
    ]
    report = run_import(book(FourIntoEvent, *rows), agency=agency_a, user=staff_a, commit=True)
    by_row = {issue.row: (issue.column.split(" ", 1)[1], issue.message) for issue in report.issues}
    year, date = (
        str(FourIntoEvent._meta.get_field("year").verbose_name),
        str(FourIntoEvent._meta.get_field("date").verbose_name),
    )
    assert by_row[2][0] == by_row[3][0] == year
    assert by_row[4] == (date, date_range_message())
    assert by_row[5][0] == date
    assert report.issue_count == 4
    assert FourIntoEvent.all_objects.count() == 0


def test_an_as_of_date_outside_the_years_is_not_kept_and_the_page_answers(cast):
    client = cast["staff_a"]
    for day in ("0001-01-01", "9999-12-31"):
        response = client.get(reverse("visits:visit_list"), {"as_of": day})
        assert response.status_code == 200
        assert client.session.get(KEPT_YEAR) is None and client.session.get(KEPT_AS_OF) is None


# --- 3. NUL characters and over-long values: 400 before any view ---------------------------------------


def assert_bad_request(response, message):
    assert response.status_code == 400, response.status_code
    assert response.templates[0].name == "400.html"
    assert str(message) in response.content.decode()
    assert '<html lang="zh-hans">' in response.content.decode()


@override_settings(DEBUG=False)
def test_a_nul_in_a_snapshot_pages_filter_is_a_400_page(cast, officer):
    """Was a ValueError on PostgreSQL ("A string literal cannot contain NUL characters")."""
    snapshot = publish_snapshot(year=2014, as_of=datetime.date(2014, 7, 31), user=officer, basis=Basis.ALL)
    url = reverse("reports:snapshot_detail", args=[snapshot.pk])
    assert_bad_request(cast["officer"].get(f"{url}?agency=%00"), MSG_NUL)
    assert_bad_request(cast["officer"].get(f"{url}?%00=1"), MSG_NUL)
    assert cast["officer"].get(f"{url}?agency=A001").status_code == 200


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    "url", ["visits:visit_list", "pairings:contactpoint_list", "reports:year_end", "reports:dashboard", "review"]
)
def test_a_nul_in_any_query_is_a_400_page(cast, url):
    for query in ("q=%00", "year=2014%00", "agency=1%00", "page=%00", "sort=%00"):
        assert_bad_request(cast["officer"].get(f"{reverse(url)}?{query}"), MSG_NUL)


@override_settings(DEBUG=False)
def test_a_nul_in_a_posted_field_is_a_400_and_nothing_is_saved(cast, agency_a):
    response = cast["staff_a"].post(
        reverse("visits:fourintoevent_add"), {**four_into_data(agency_a), "title": "四走进\x00"}
    )
    assert_bad_request(response, MSG_NUL)
    assert FourIntoEvent.all_objects.count() == 0


@override_settings(DEBUG=False)
def test_a_nul_in_the_path_is_a_400(cast):
    assert_bad_request(cast["staff_a"].get("/choices/visits%00/official/"), MSG_NUL)


@override_settings(DEBUG=False)
def test_an_over_long_query_value_is_a_400_and_one_at_the_limit_is_read(cast):
    url = reverse("visits:visit_list")
    too_long = cast["staff_a"].get(url, {"q": "走" * (MAX_QUERY_VALUE + 1)})
    assert_bad_request(too_long, str(MSG_QUERY_TOO_LONG) % {"limit": MAX_QUERY_VALUE})
    assert cast["staff_a"].get(url, {"q": "走" * MAX_QUERY_VALUE}).status_code == 200


@override_settings(DEBUG=False)
def test_the_400_page_costs_what_any_pages_navigation_does(cast, django_assert_num_queries):
    """The session (read; unchanged, so not saved again), the user with their profile and agency (one query),
    the unread notifications: the navigation's queries, and nothing of the page refused."""
    with django_assert_num_queries(3):
        assert cast["staff_a"].get(reverse("visits:visit_list"), {"q": "\x00"}).status_code == 400
    with django_assert_num_queries(0):
        assert cast["anonymous"].get(reverse("visits:visit_list"), {"q": "\x00"}).status_code == 400


# --- 4. bodies over Django's limits and other refused requests: the site's 400.html ---------------------


@override_settings(DEBUG=False)
def test_a_ten_megabyte_text_field_is_a_413_page_in_chinese_and_nothing_is_saved(cast, agency_a):
    response = cast["staff_a"].post(
        reverse("visits:fourintoevent_add"), {**four_into_data(agency_a), "note": "走" * (10 * 1024 * 1024 // 3)}
    )
    assert response.status_code == 413
    assert response.templates[0].name == "400.html"
    content = response.content.decode()
    assert str(MSG_TOO_BIG) in content and '<html lang="zh-hans">' in content
    assert "Bad Request (400)" not in content
    assert FourIntoEvent.all_objects.count() == 0


@override_settings(DEBUG=False)
def test_a_request_django_refuses_gets_the_sites_400_page_even_before_login(client):
    """A bad Host header (DisallowedHost, a SuspiciousOperation) is refused before the user is known."""
    response = client.get(reverse("home"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.templates[0].name == "400.html"
    assert "Bad Request (400)" not in response.content.decode()


# --- 5. text maximum lengths on every path ------------------------------------------------------------


def long_texts(model):
    return [f for f in model._meta.concrete_fields if f.get_internal_type() == "TextField" and f.max_length]


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_the_shell_refuses_a_text_longer_than_its_field_allows(agency_a, spec):
    """The form's maximum length holds in the model: a shell save (and so the admin and the import) refuses it."""
    assert long_texts(spec.model), "every record type has a note"
    record = spec.make(agency_a)
    version = record.version
    for field in long_texts(spec.model):
        setattr(record, field.name, "x" * (field.max_length + 1))
        with pytest.raises(ValidationError) as raised:
            record.save()
        assert list(raised.value.message_dict) == [field.name]
        assert str(field.max_length) in raised.value.message_dict[field.name][0]
        setattr(record, field.name, "x" * field.max_length)
    record.save()
    stored = spec.model.objects.get(pk=record.pk)
    assert stored.version == version + 1
    assert all(len(getattr(stored, f.name)) == f.max_length for f in long_texts(spec.model))


def test_the_import_refuses_a_megabyte_note_where_the_form_allows_2000(agency_a, staff_a):
    OfficialFactory(agency=agency_a, name="张伟")
    report = run_import(book(Visit, visit_cells(note="走" * 1_048_576)), agency=agency_a, user=staff_a, commit=True)
    assert list(issues_by_column(report)) == [str(Visit._meta.get_field("note").verbose_name)]
    assert "2000" in report.issues[0].message
    assert Visit.all_objects.count() == 0


# --- 6. stale edits: a missing, empty, unreadable or old version is refused -----------------------------


@pytest.mark.parametrize("spec", SPECS[:1] + [s for s in SPECS if s.model is FourIntoEvent], ids=str)
@pytest.mark.parametrize("version", [None, "", "abc", "old"])
def test_an_edit_without_the_version_it_was_opened_at_is_refused(cast, agency_a, staff_a, spec, version):
    record = spec.make(agency_a)
    field, value = spec.change
    data = edit_data(cast["staff_a"], spec, record, **{field: value})
    if version is None:
        del data["version"]
    elif version == "old":
        data["version"] = record.version
        record.save(user=staff_a)  # someone else saved since the form was opened
    else:
        data["version"] = version
    stored = spec.model.objects.get(pk=record.pk)
    response = cast["staff_a"].post(spec.url("edit", record.pk), data)
    assert response.status_code == 200
    assert str(MSG_STALE) in response.context["form"].non_field_errors()
    after = spec.model.objects.get(pk=record.pk)
    assert (after.version, getattr(after, field)) == (stored.version, getattr(stored, field))
    assert getattr(after, field) != value
