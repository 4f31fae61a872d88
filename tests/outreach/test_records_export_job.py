"""The records of a year in the import format as a background job (kind `records_export`, POST /imports/export/,
the imports page's card): the job's file is `export_records`' for the same year and agency; staff always get
their own agency's; a bad year or agency is a message and no job; a full disk leaves nothing to download;
the command draws a bar on a terminal."""

import errno
import io
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.models import Job
from jobs.runner import MSG_DISK_FULL
from jobs.services import MSG_TOO_MANY
from outreach.importing import writer
from outreach.importing.records_export import MSG_BAD_YEAR, MSG_UNKNOWN_AGENCY
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("imports:export")


@pytest.fixture
def records(agency_a, agency_b):
    """2014: agency A two visits (one with an outcome) and a contact point; agency B one visit."""
    for _ in range(2):
        visit = f.VisitFactory(agency=agency_a)
    f.VisitOutcomeFactory(visit=visit)
    f.ContactPointFactory(agency=agency_a)
    f.VisitFactory(agency=agency_b)


def cells(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def command_output(tmp_path, **options) -> bytes:
    path = tmp_path / "records.xlsx"
    call_command("export_records", year=2014, output=str(path), stdout=io.StringIO(), stderr=io.StringIO(), **options)
    return path.read_bytes()


def result(client, job) -> bytes:
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return response.content


def visits_in(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return sum(1 for _row in book["走访基层"].iter_rows(min_row=2))


def test_an_officers_export_of_every_agency_equals_the_commands(cast, officer, records, tmp_path):
    response = cast["officer"].post(URL, {"year": 2014})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.agency, job.requested_by) == ("records_export", Job.Status.DONE, None, officer)
    assert job.arguments == {"year": 2014, "agency": None} and job.result_name == "records-2014-all.xlsx"
    from_job = result(cast["officer"], job)
    assert cells(from_job) == cells(command_output(tmp_path))
    assert visits_in(from_job) == 3


def test_an_officers_export_of_one_agency(cast, records, agency_b, tmp_path):
    cast["officer"].post(URL, {"year": 2014, "agency": agency_b.code})
    job = Job.objects.get()
    assert job.agency == agency_b and job.result_name == "records-2014-A002.xlsx"
    from_job = result(cast["officer"], job)
    assert cells(from_job) == cells(command_output(tmp_path, agency=agency_b.code))
    assert visits_in(from_job) == 1


def test_staff_always_export_their_own_agency(cast, staff_a, records, agency_a, agency_b, tmp_path):
    cast["staff_a"].post(URL, {"year": 2014, "agency": agency_b.code})  # the agency asked for is ignored
    job = Job.objects.get()
    assert job.agency == agency_a and job.arguments == {"year": 2014, "agency": agency_a.code}
    from_job = result(cast["staff_a"], job)
    assert cells(from_job) == cells(command_output(tmp_path, agency=agency_a.code))
    assert visits_in(from_job) == 2
    assert cast["staff_b"].get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("year", ["", "20x4", "1999", "2101"])
def test_a_bad_year_is_the_form_again_with_its_message_and_no_job(cast, year):
    response = cast["officer"].post(URL, {"year": year})
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [str(MSG_BAD_YEAR)]
    assert not Job.objects.exists()


def test_an_unknown_agency_is_the_form_again_and_no_job(cast):
    response = cast["officer"].post(URL, {"year": 2014, "agency": "X999"})
    assert response.context["form"].errors["agency"] == [str(MSG_UNKNOWN_AGENCY)]
    assert not Job.objects.exists()


def test_too_many_jobs_is_a_message_and_nothing_queued(cast, settings):
    settings.JOBS_MAX_PER_AGENCY = 0
    response = cast["staff_a"].post(URL, {"year": 2014})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(MSG_TOO_MANY) % {"count": 0, "limit": 0}]
    assert not Job.objects.exists()


def test_the_imports_page_has_the_card(cast, agency_a, today):
    officer = cast["officer"].get(reverse("imports:index")).content.decode()
    card = officer.split('data-testid="records-export-form"')[1].split("</form>")[0]
    assert f'action="{URL}"' in officer.split('data-testid="records-export-form"')[0].rsplit("<form", 1)[1]
    assert f'name="year" value="{today.year}"' in card
    assert f'<option value="{agency_a.code}">' in card and '<option value="" selected>' in card  # by code; all
    staff = cast["staff_a"].get(reverse("imports:index")).content.decode()
    card = staff.split('data-testid="records-export-form"')[1].split("</form>")[0]
    assert 'name="year"' in card and 'name="agency"' not in card


def test_progress_ends_on_every_row_written(cast, records):
    cast["officer"].post(URL, {"year": 2014})
    job = Job.objects.get()
    rows = sum(len(sheet) - 1 for sheet in cells(result(cast["officer"], job)).values())
    assert rows > 3 and (job.done, job.total) == (rows, rows)


def test_a_full_disk_fails_the_job_and_offers_nothing(cast, records):
    with mock.patch.object(writer, "write_header", side_effect=OSError(errno.ENOSPC, "No space left")):
        cast["officer"].post(URL, {"year": 2014})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.error == str(MSG_DISK_FULL)
    assert job.result_size == 0
    assert cast["officer"].get(reverse("jobs:download", args=[job.pk])).status_code == 404


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_command_draws_a_bar_on_a_terminal_only(records, tmp_path):
    terminal, piped = Terminal(), io.StringIO()
    call_command("export_records", year=2014, output=str(tmp_path / "a.xlsx"), stdout=io.StringIO(), stderr=terminal)
    call_command("export_records", year=2014, output=str(tmp_path / "b.xlsx"), stdout=io.StringIO(), stderr=piped)
    assert "\r[" in terminal.getvalue() and "100.0%" in terminal.getvalue()
    assert "\r[" not in piped.getvalue()
    assert cells((tmp_path / "a.xlsx").read_bytes()) == cells((tmp_path / "b.xlsx").read_bytes())
