"""Excel import on the web: upload, preview, confirm; who may import for which agency; limits and bad files.

The upload's check and the confirm are background jobs; in the tests the job runs inside the POST
(the immediate backend), so the job page the POST leads to shows it done, linking to the batch's page.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import Job
from outreach.importing.engine import MSG_NOT_THIS_AGENCY, MSG_TOO_MANY_DATA_ROWS
from outreach.importing.forms import MSG_CHOOSE_AGENCY, MSG_CHOOSE_FILE, MSG_NOT_XLSX, MSG_TOO_LARGE
from outreach.importing.services import (
    MSG_ALREADY_IMPORTED,
    MSG_HAS_PROBLEMS,
    MSG_IMPORTED,
    MSG_REFUSED_ON_CONFIRM,
    confirm_import,
    preview_upload,
)
from outreach.importing.specs import sheet_for
from outreach.models import MSG_PERIOD_LOCKED, ImportBatch, PeriodLock, period_label
from outreach.validation import MSG_END_BEFORE_START
from tests.factories import OfficialFactory
from tests.outreach.import_files import OLE_MAGIC, xlsx_bytes
from visits.models import Visit

pytestmark = pytest.mark.django_db

VISITS = "走访基层"
INDEX = reverse("imports:index")


def visit_row(reference, official, start="2014-07-03", end="2014-07-04", agency=None):
    values = {
        "reference": reference,
        "agency": agency,
        "official": official,
        "start_date": start,
        "end_date": end,
        "is_village_stay": "是",
        "households": 12,
        "forums": 1,
        "opinions": 3,
    }
    return [values.get(column.name) for column in sheet_for(Visit).columns]


def workbook(*rows, name="走访.xlsx") -> SimpleUploadedFile:
    header = [str(column.title) for column in sheet_for(Visit).columns]
    return SimpleUploadedFile(name, xlsx_bytes({VISITS: [header, *rows]}))


@pytest.fixture
def zhang(agency_a):
    return OfficialFactory(agency=agency_a, name="张伟")


@pytest.fixture
def wang(agency_b):
    return OfficialFactory(agency=agency_b, name="王芳")


def upload(client, file, **data):
    return client.post(INDEX, {"file": file, **data})


def job_of(response, kind) -> Job:
    """The job a POST led to: its page is where the POST redirects; it has run (the immediate backend)."""
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    job = Job.objects.get(pk=int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert response.headers["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.error) == (kind, Job.Status.DONE, "")
    return job


def uploaded(client, file, **data) -> ImportBatch:
    """Upload: the check's job, done, leads to the preview; the batch it shows."""
    job = job_of(upload(client, file, **data), "import_check")
    batch = ImportBatch.objects.get(pk=job.arguments["batch"])
    assert job.result_url == batch.get_absolute_url()
    assert (job.requested_by, job.agency) == (batch.uploaded_by, batch.agency)
    return batch


def confirmed(client, batch) -> Job:
    """Confirm: the confirm's job, done, with what it did; it leads to the batch's page."""
    job = job_of(client.post(reverse("imports:confirm", args=[batch.pk])), "import_confirm")
    assert job.arguments == {"batch": batch.pk}
    assert job.result_url == batch.get_absolute_url()
    # Just asked for and already done: its page goes straight to the batch; later visits show the job.
    assert client.get(job.get_absolute_url()).headers["Location"] == batch.get_absolute_url()
    page = client.get(job.get_absolute_url())
    assert page.context["redirect_when_done"] and job.message in page.content.decode()
    return job


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def issues_of(response) -> list[tuple]:
    return [(i.sheet, i.row, i.column, i.message) for i in response.context["report"].issues]


# --- staff: preview, confirm ----------------------------------------------------------------------


def test_a_staff_preview_names_each_problem_by_sheet_row_and_column_and_saves_nothing(cast, staff_a, agency_a, zhang):
    batch = uploaded(cast["staff_a"], workbook(visit_row("ZF-1", "张伟"), visit_row("ZF-2", "张伟", end="2014-07-01")))
    assert (batch.agency, batch.uploaded_by, batch.status) == (agency_a, staff_a, ImportBatch.Status.REFUSED)
    assert (batch.rows_created, batch.problems) == (1, 1)
    assert Visit.all_objects.count() == 0

    page = cast["staff_a"].get(batch.get_absolute_url())
    assert issues_of(page) == [(VISITS, 3, "E 结束日期", str(MSG_END_BEFORE_START))]
    html = page.content.decode()
    assert str(MSG_END_BEFORE_START) in html and "E 结束日期" in html
    assert 'data-testid="confirm"' not in html
    assert [s["summary"].failed for s in page.context["sheets"]] == [1]


def test_a_clean_preview_saves_nothing_and_confirming_it_imports_every_row(cast, staff_a, agency_a, zhang):
    batch = uploaded(
        cast["staff_a"],
        workbook(visit_row("ZF-1", "张伟"), visit_row("ZF-2", "张伟", start="2014-06-10", end="2014-06-10")),
    )
    assert batch.status == ImportBatch.Status.PREVIEWED
    page = cast["staff_a"].get(batch.get_absolute_url())
    assert page.context["can_confirm"] and 'data-testid="confirm"' in page.content.decode()
    assert [(row[1], row[2]) for row in page.context["sheets"][0]["rows"]] == [("ZF-1", "create"), ("ZF-2", "create")]
    assert Visit.all_objects.count() == 0

    job = confirmed(cast["staff_a"], batch)
    assert job.message == MSG_IMPORTED % {"created": 2, "updated": 0, "unchanged": 0}
    response = cast["staff_a"].get(job.result_url)
    visits = Visit.objects.order_by("reference")
    assert [(v.reference, v.agency, v.official, v.created_by) for v in visits] == [
        ("ZF-1", agency_a, zhang, staff_a),
        ("ZF-2", agency_a, zhang, staff_a),
    ]
    assert visits[0].history.get().history_change_reason == f"import #{batch.pk}"
    batch.refresh_from_db()
    assert (batch.status, batch.imported_by, batch.rows_created) == (ImportBatch.Status.IMPORTED, staff_a, 2)
    assert batch.imported_at is not None
    assert response.context["sheets"][0]["list_url"] == reverse("visits:visit_list")
    assert f'href="{reverse("visits:visit_list")}"' in response.content.decode()
    assert 'data-testid="confirm"' not in response.content.decode()


def test_a_second_confirm_imports_nothing_again_and_starts_no_job(cast, staff_a, zhang):
    batch = uploaded(cast["staff_a"], workbook(visit_row("ZF-1", "张伟")))
    confirmed(cast["staff_a"], batch)
    jobs = Job.objects.count()
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert response.redirect_chain == [(batch.get_absolute_url(), 302)]
    batch.refresh_from_db()
    at = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
    assert messages_of(response) == [MSG_ALREADY_IMPORTED % {"at": at}]
    assert Job.objects.count() == jobs
    assert Visit.objects.count() == 1
    assert Visit.objects.get().history.count() == 1


def test_uploading_the_same_rows_again_changes_nothing(cast, staff_a, zhang):
    file = workbook(visit_row("ZF-1", "张伟"), visit_row("ZF-2", "张伟"))
    first = uploaded(cast["staff_a"], file)
    confirmed(cast["staff_a"], first)
    file.seek(0)
    again = uploaded(cast["staff_a"], file)
    assert (again.status, again.rows_created, again.rows_unchanged) == (ImportBatch.Status.PREVIEWED, 0, 2)
    assert again.sha256 == first.sha256
    job = confirmed(cast["staff_a"], again)
    assert job.message == MSG_IMPORTED % {"created": 0, "updated": 0, "unchanged": 2}
    assert Visit.objects.count() == 2
    assert all(visit.history.count() == 1 for visit in Visit.objects.all())


def test_a_problem_appearing_after_the_preview_refuses_the_whole_import(cast, staff_a, officer, zhang):
    batch = uploaded(
        cast["staff_a"],
        workbook(visit_row("ZF-1", "张伟", start="2014-06-10", end="2014-06-10"), visit_row("ZF-2", "张伟")),
    )
    assert batch.status == ImportBatch.Status.PREVIEWED
    PeriodLock.objects.create(year=2014, month=7, locked_by=officer)
    job = confirmed(cast["staff_a"], batch)
    assert job.message == str(MSG_REFUSED_ON_CONFIRM)
    response = cast["staff_a"].get(job.result_url)
    assert Visit.all_objects.count() == 0
    batch.refresh_from_db()
    assert (batch.status, batch.problems) == (ImportBatch.Status.REFUSED, 1)
    assert [(sheet, row) for sheet, row, _column, _message in issues_of(response)] == [(VISITS, 3)]
    assert issues_of(response)[0][3] == MSG_PERIOD_LOCKED % {"period": period_label(datetime.date(2014, 7, 1))}
    # and a refused batch stays refused: no job is started for it
    jobs = Job.objects.count()
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert messages_of(response) == [str(MSG_HAS_PROBLEMS)]
    assert Job.objects.count() == jobs
    assert Visit.all_objects.count() == 0


# --- agencies ----------------------------------------------------------------------------------------


def test_staff_cannot_redirect_rows_to_another_agency_with_a_tampered_field(cast, agency_a, agency_b, zhang, wang):
    batch = uploaded(
        cast["staff_a"],
        workbook(visit_row("ZF-1", "张伟"), visit_row("ZF-2", "王芳", agency="A002")),
        agency=agency_b.pk,  # not a field of the staff form: ignored
    )
    assert batch.agency == agency_a
    assert not ImportBatch.objects.filter(agency=agency_b).exists()
    page = cast["staff_a"].get(batch.get_absolute_url())
    issues = issues_of(page)
    assert (VISITS, 3, "B 单位代码", MSG_NOT_THIS_AGENCY % {"found": "A002", "agency": agency_a.name}) in issues
    assert all(issue[1] == 3 for issue in issues)  # 王芳 is no choice for agency A either
    assert Visit.all_objects.count() == 0


def test_staff_cannot_see_or_confirm_another_agencys_upload(cast, staff_a, agency_a, zhang):
    batch = preview_upload(file=workbook(visit_row("ZF-1", "张伟")), agency=agency_a, user=staff_a)
    assert cast["staff_b"].get(batch.get_absolute_url()).status_code == 404
    assert cast["staff_b"].post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert not Job.objects.exists()
    assert cast["staff_b"].get(reverse("imports:file", args=[batch.pk])).status_code == 404
    assert batch.pk not in [row.record.pk for row in cast["staff_b"].get(INDEX).context["table"].rows]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert Visit.all_objects.count() == 0


def test_an_officer_must_choose_the_agency_and_may_import_for_any(cast, officer, agency_b, wang):
    response = upload(cast["officer"], workbook(visit_row("ZF-1", "王芳")))
    assert response.status_code == 200
    assert response.context["form"].errors["agency"] == [str(MSG_CHOOSE_AGENCY)]
    assert not ImportBatch.objects.exists()

    batch = uploaded(cast["officer"], workbook(visit_row("ZF-1", "王芳")), agency=agency_b.pk)
    assert (batch.agency, batch.status) == (agency_b, ImportBatch.Status.PREVIEWED)
    job = confirmed(cast["officer"], batch)
    assert (job.requested_by, job.agency) == (officer, agency_b)
    visit = Visit.objects.get()
    assert (visit.agency, visit.official, visit.created_by) == (agency_b, wang, officer)


def test_the_service_refuses_staff_importing_for_another_agency(staff_a, agency_b, wang):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview_upload(file=workbook(visit_row("ZF-1", "王芳")), agency=agency_b, user=staff_a)
    assert not ImportBatch.objects.exists()


def test_the_service_refuses_confirming_for_another_agency(staff_a, staff_b, agency_a, zhang):
    from django.core.exceptions import PermissionDenied

    batch = preview_upload(file=workbook(visit_row("ZF-1", "张伟")), agency=agency_a, user=staff_a)
    with pytest.raises(PermissionDenied):
        confirm_import(batch=batch, user=staff_b)
    assert Visit.all_objects.count() == 0


# --- the template ------------------------------------------------------------------------------------


def workbook_text(response) -> str:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return " ".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def test_staff_download_their_own_agencys_template_whatever_they_ask_for(cast, agency_a, agency_b, zhang, wang):
    response = cast["staff_a"].get(reverse("imports:template"), {"agency": agency_b.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "A001" in response["Content-Disposition"]
    text = workbook_text(response)
    assert "张伟" in text and "王芳" not in text


def test_an_officer_chooses_the_templates_agency_and_types(cast, agency_b, wang):
    response = cast["officer"].get(reverse("imports:template"))
    assert response.status_code == 200
    assert response.context["template_form"].errors["agency"] == [str(MSG_CHOOSE_AGENCY)]

    response = cast["officer"].get(reverse("imports:template"), {"agency": agency_b.pk, "types": ["visits.visit"]})
    assert "A002" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert VISITS in book.sheetnames and "帮扶联系点" not in book.sheetnames
    assert "王芳" in workbook_text(response)


# --- limits and bad files -------------------------------------------------------------------------------


def test_a_file_too_large_is_refused_by_the_form_and_nothing_is_kept(cast, settings, zhang):
    settings.IMPORT_MAX_BYTES = 2000
    file = workbook(*[visit_row(f"ZF-{n}", "张伟") for n in range(200)])
    assert file.size > 2000
    response = upload(cast["staff_a"], file)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        MSG_TOO_LARGE % {"size": filesizeformat(file.size), "limit": filesizeformat(2000)}
    ]
    assert not ImportBatch.objects.exists()


def test_too_many_rows_are_refused_with_the_limit(cast, settings, zhang):
    settings.IMPORT_MAX_ROWS = 2
    batch = uploaded(cast["staff_a"], workbook(*[visit_row(f"ZF-{n}", "张伟") for n in range(3)]))
    assert batch.status == ImportBatch.Status.REFUSED
    page = cast["staff_a"].get(batch.get_absolute_url())
    [(_sheet, _row, _column, message)] = issues_of(page)
    assert message == MSG_TOO_MANY_DATA_ROWS % {"sheet": VISITS, "limit": 2}
    assert Visit.all_objects.count() == 0


def test_a_file_that_is_not_xlsx_by_name_is_refused_by_the_form(cast):
    response = upload(cast["staff_a"], SimpleUploadedFile("records.xls", OLE_MAGIC + bytes(600)))
    assert response.context["form"].errors["file"] == [str(MSG_NOT_XLSX)]
    response = cast["staff_a"].post(INDEX, {})
    assert response.context["form"].errors["file"] == [str(MSG_CHOOSE_FILE)]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"name,households\n\xe5\xbc\xa0\xe4\xbc\x9f,12\n", OLE_MAGIC + bytes(600), b"PK\x03\x04broken", b"\x00" * 10],
    ids=["csv", "xls", "broken-zip", "zeros"],
)
def test_a_file_that_is_no_workbook_shows_its_problem_never_a_500(cast, content):
    batch = uploaded(cast["staff_a"], SimpleUploadedFile("records.xlsx", content))
    assert batch.status == ImportBatch.Status.REFUSED and batch.problems == 1
    page = cast["staff_a"].get(batch.get_absolute_url())
    [(_sheet, _row, _column, message)] = issues_of(page)
    assert message and message in page.content.decode()
    response = cast["staff_a"].post(reverse("imports:confirm", args=[batch.pk]))
    assert response.headers["Location"] == batch.get_absolute_url()
    assert list(Job.objects.values_list("kind", flat=True)) == ["import_check"]


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.post(INDEX, {"file": workbook()})
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    assert not ImportBatch.objects.exists()


# --- pinned query count ----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who", ["staff_a", "officer"])
def test_the_import_page_query_count_does_not_grow_with_uploads(
    n, who, cast, staff_a, agency_a, django_assert_num_queries
):
    file = workbook(visit_row("ZF-1", "李四"))
    for _ in range(n):
        file.seek(0)
        preview_upload(file=file, agency=agency_a, user=staff_a)
    # session, user with profile (role and agency); the uploads counted, then a page of them with agency and
    # uploader; officers: the agencies to choose from, for the upload form, the template form and the records
    # export; the navigation's unread notifications; the session unchanged is not saved
    with django_assert_num_queries({"staff_a": 5, "officer": 8}[who]):
        response = cast[who].get(INDEX)
    assert len(response.context["table"].rows) == n


def test_the_uploaded_workbook_can_be_downloaded_as_it_was(cast, staff_a, agency_a, zhang):
    upload = workbook(visit_row("ZF-1", "张伟"))
    content = upload.read()
    upload.seek(0)
    batch = preview_upload(file=upload, agency=agency_a, user=staff_a)
    response = cast["staff_a"].get(reverse("imports:file", args=[batch.pk]))
    assert response.content == content
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        f'href="{reverse("imports:file", args=[batch.pk])}"'
        in cast["staff_a"].get(batch.get_absolute_url()).content.decode()
    )
