"""The jobs' pages: 我的任务, a job's page, its JSON, cancel, download, and the navigation's badge."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from jobs.context_processors import SESSION_KEY, watch
from jobs.models import Job
from jobs.runner import MSG_WORKER_LOST
from jobs.services import MSG_ALREADY_FINISHED
from jobs.views import MSG_CANCEL_ASKED, MSG_CANCELLED, to_job
from outreach.roles import Role
from tests.conftest import make_user
from tests.factories import AgencyFactory
from tests.jobs.conftest import english_client, make_job, with_file

pytestmark = pytest.mark.django_db

#: what the issue names for /jobs/<id>.json, and what the page's script reads besides
ISSUE_KEYS = {"status", "progress", "step", "result_url", "error"}
EXTRA_KEYS = {
    "id",
    "kind",
    "kind_label",
    "status_label",
    "done",
    "total",
    "seconds_left",
    "result_name",
    "message",
    "created_at",
    "started_at",
    "finished_at",
    "url",
}


def status_json(client, job):
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def running(user, agency, *, done=12_000, total=50_000, seconds=30, step="check", **fields):
    started = timezone.now() - datetime.timedelta(seconds=seconds)
    return make_job(
        user, agency=agency, status=Job.Status.RUNNING, done=done, total=total, step=step, started_at=started, **fields
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- the JSON ----------------------------------------------------------------------------------------


def test_the_json_of_a_running_job(staff_a, agency_a):
    job = running(staff_a, agency_a)
    data = status_json(english_client(staff_a), job)
    assert set(data) == ISSUE_KEYS | EXTRA_KEYS
    assert data["status"] == "running"
    assert data["progress"] == 0.24
    assert data["step"] == "Checking row 12,000 of 50,000"  # thousands separated
    assert data["result_url"] is None
    assert data["error"] is None
    assert isinstance(data["seconds_left"], int)
    assert 90 <= data["seconds_left"] <= 100  # 30 s for 24 %: about 95 s for the other 76 %
    assert (data["done"], data["total"]) == (12_000, 50_000)
    assert data["url"] == reverse("jobs:detail", args=[job.pk])
    assert data["finished_at"] is None


def test_the_step_is_in_the_readers_language(staff_a, agency_a):
    job = running(staff_a, agency_a, language="en")  # asked in English, read in Chinese
    data = status_json(english_client(staff_a), job)
    assert data["step"] == "Checking row 12,000 of 50,000"
    client = Client()
    client.force_login(staff_a)  # no language picked: the site's Chinese
    assert status_json(client, job)["step"] == "正在检查第 12,000 / 50,000 行"


def test_the_step_names_its_sheet(staff_a, agency_a):
    job = running(staff_a, agency_a, step="sheet", done=1500, total=208_497, step_params={"sheet": "走访"})
    assert status_json(english_client(staff_a), job)["step"] == "Writing “走访”: row 1,500 of 208,497"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Job.Status.QUEUED},
        {"status": Job.Status.RUNNING, "done": 0, "total": 50_000},  # no pace yet
        {"status": Job.Status.RUNNING, "done": 0, "total": 0},
        {"status": Job.Status.DONE, "done": 50_000, "total": 50_000},
        {"status": Job.Status.FAILED, "done": 100, "total": 50_000},
    ],
    ids=["queued", "running-no-pace", "running-no-total", "done", "failed"],
)
def test_no_time_left_is_guessed_without_a_pace(fields, staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, **fields)
    assert status_json(english_client(staff_a), job)["seconds_left"] is None


def test_the_json_of_a_queued_job(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)
    data = status_json(english_client(staff_a), job)
    assert (data["status"], data["progress"], data["step"]) == ("queued", 0.0, "Waiting for a worker")
    assert (data["result_url"], data["error"], data["started_at"]) == (None, None, None)


def test_the_json_of_a_done_job_with_a_file(staff_a, agency_a):
    job = with_file(make_job(staff_a, agency=agency_a, status=Job.Status.DONE, message="6,720 行"))
    data = status_json(english_client(staff_a), job)
    assert (data["status"], data["progress"], data["step"]) == ("done", 1.0, "Done")
    assert data["result_url"] == reverse("jobs:download", args=[job.pk])
    assert data["result_name"] == "访问记录.xlsx"
    assert data["message"] == "6,720 行"
    assert data["error"] is None


def test_the_json_of_a_done_job_with_a_page(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.DONE, result_link="/imports/7/")
    data = status_json(english_client(staff_a), job)
    assert (data["result_url"], data["result_name"]) == ("/imports/7/", None)


def test_the_json_of_a_failed_job(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.FAILED, error="工作簿已损坏", done=10, total=40)
    data = status_json(english_client(staff_a), job)
    assert (data["status"], data["error"], data["result_url"]) == ("failed", "工作簿已损坏", None)
    assert data["progress"] == 0.25  # how far it came
    assert data["step"] == "Failed"


def test_the_json_and_page_of_a_job_whose_worker_was_lost_show_it_failed(settings, staff_a, agency_a, job_kind):
    settings.JOBS_STALE_SECONDS = 60
    kind = job_kind("test_never_again", lambda context: None, retries=0)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    job = running(staff_a, agency_a, kind=kind, heartbeat_at=long_ago, language="en")
    data = status_json(english_client(staff_a), job)
    assert (data["status"], data["error"]) == ("failed", str(MSG_WORKER_LOST))
    other = running(staff_a, agency_a, kind=kind, heartbeat_at=long_ago, language="en")
    response = english_client(staff_a).get(reverse("jobs:detail", args=[other.pk]))
    assert response.context["status"]["status"] == "failed"
    assert str(MSG_WORKER_LOST) in response.content.decode()
    assert Job.objects.get(pk=other.pk).status == Job.Status.FAILED


def test_a_job_heard_of_recently_stays_running_on_its_page(settings, staff_a, agency_a):
    settings.JOBS_STALE_SECONDS = 60
    job = running(staff_a, agency_a, heartbeat_at=timezone.now() - datetime.timedelta(seconds=10))
    assert status_json(english_client(staff_a), job)["status"] == "running"


@pytest.mark.parametrize("role", ["staff_b", "anonymous"])
def test_the_json_of_another_agencys_job_is_hidden(role, staff_a, staff_b, agency_a):
    job = running(staff_a, agency_a)
    client = english_client(staff_b) if role == "staff_b" else Client()
    response = client.get(reverse("jobs:status", args=[job.pk]))
    if role == "staff_b":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# --- the job's page ----------------------------------------------------------------------------------


def test_the_owner_sees_the_bar_the_step_and_a_cancel_button(staff_a, agency_a):
    job = running(staff_a, agency_a)
    html = english_client(staff_a).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-progress"' in html
    assert 'aria-valuenow="24"' in html
    assert "Checking row 12,000 of 50,000" in html
    assert 'data-testid="job-cancel"' in html
    assert reverse("jobs:status", args=[job.pk]) in html


@pytest.mark.parametrize("who", ["colleague", "officer"])
def test_others_who_see_the_job_get_no_cancel_button(who, django_user_model, staff_a, agency_a, officer):
    viewer = officer if who == "officer" else make_user(django_user_model, "carol", Role.STAFF, agency_a)
    job = running(staff_a, agency_a)
    response = english_client(viewer).get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 200
    assert response.context["may_cancel"] is False
    assert 'data-testid="job-cancel"' not in response.content.decode()


def test_a_done_job_offers_its_download(staff_a, agency_a):
    job = with_file(make_job(staff_a, agency=agency_a, status=Job.Status.DONE))
    response = english_client(staff_a).get(reverse("jobs:detail", args=[job.pk]))
    html = response.content.decode()
    assert f'href="{reverse("jobs:download", args=[job.pk])}"' in html
    assert response.context["may_cancel"] is False
    assert 'data-testid="job-cancel"' not in html


def start(client, job):
    """What a page that has just started `job` does: `to_job` in its request, with this client's session."""
    request = RequestFactory().post("/")
    request.session = client.session
    response = to_job(request, job)
    request.session.save()
    return response


def test_a_just_started_job_already_done_goes_to_its_result_page(staff_a, agency_a, job_kind):
    kind = job_kind("test_preview", lambda context: None, redirect=True)
    job = make_job(staff_a, agency=agency_a, kind=kind, status=Job.Status.DONE, result_link="/imports/7/")
    client = english_client(staff_a)
    response = start(client, job)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert client.session[SESSION_KEY] is True  # counted in the navigation
    response = client.get(response["Location"])
    assert (response.status_code, response["Location"]) == (302, "/imports/7/")
    # seen once: the job's page afterwards (from 我的任务, the back button) shows the job
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 200
    assert 'href="/imports/7/"' in response.content.decode()


@pytest.mark.parametrize("case", ["still-running", "failed", "no-redirect-kind", "another-job"])
def test_a_job_page_stays_when_there_is_no_result_page_to_go_to(case, staff_a, agency_a, job_kind):
    redirecting = job_kind("test_preview", lambda context: None, redirect=True)
    fields = {
        "still-running": {"kind": redirecting, "status": Job.Status.RUNNING},
        "failed": {"kind": redirecting, "status": Job.Status.FAILED, "error": "工作簿已损坏"},
        "no-redirect-kind": {"kind": "probe", "status": Job.Status.DONE},
        "another-job": {"kind": redirecting, "status": Job.Status.DONE},
    }[case]
    job = make_job(staff_a, agency=agency_a, result_link="/imports/7/", **fields)
    client = english_client(staff_a)
    start(client, make_job(staff_a, agency=agency_a) if case == "another-job" else job)
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    assert response.status_code == 200
    assert response.context["job"] == job


# --- cancel ------------------------------------------------------------------------------------------


def test_the_owner_cancels_a_queued_job_from_its_page(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)
    response = english_client(staff_a).post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert messages_of(response) == [str(MSG_CANCELLED)]
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


def test_the_owner_cancels_a_running_job_from_its_page(staff_a, agency_a):
    job = running(staff_a, agency_a)
    response = english_client(staff_a).post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    assert messages_of(response) == [str(MSG_CANCEL_ASKED)]
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Job.Status.RUNNING, True)


def test_cancelling_a_finished_job_says_so_and_changes_nothing(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.DONE)
    response = english_client(staff_a).post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 302
    assert messages_of(response) == ["This job has already finished; there is nothing to cancel."]
    assert messages_of(response) == [str(MSG_ALREADY_FINISHED)]
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Job.Status.DONE, False)


@pytest.mark.parametrize("who", ["colleague", "officer", "admin"])
def test_someone_elses_job_cannot_be_cancelled(who, django_user_model, staff_a, agency_a, officer, admin_user):
    users = {"officer": officer, "admin": admin_user}
    viewer = users.get(who) or make_user(django_user_model, "carol", Role.STAFF, agency_a)
    job = running(staff_a, agency_a)
    response = english_client(viewer).post(reverse("jobs:cancel", args=[job.pk]))
    assert response.status_code == 403  # services.cancel: PermissionDenied(MSG_NOT_YOURS), see test_services
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Job.Status.RUNNING, False)


def test_another_agencys_job_cannot_be_cancelled_or_seen(staff_a, staff_b, agency_a):
    job = running(staff_a, agency_a)
    client = english_client(staff_b)
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Job.Status.RUNNING, False)


# --- download ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "colleague", "officer", "admin"])
def test_the_result_file_is_downloaded_by_those_who_see_the_job(
    who, django_user_model, staff_a, agency_a, officer, admin_user
):
    users = {"owner": staff_a, "officer": officer, "admin": admin_user}
    viewer = users.get(who) or make_user(django_user_model, "carol", Role.STAFF, agency_a)
    job = with_file(make_job(staff_a, agency=agency_a, status=Job.Status.DONE), b"PK\x03\x04\x00\xff")
    response = english_client(viewer).get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert response.content == b"PK\x03\x04\x00\xff"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "%E8%AE%BF%E9%97%AE%E8%AE%B0%E5%BD%95.xlsx" in response["Content-Disposition"]  # 访问记录.xlsx


def test_another_agencys_result_file_is_a_404(staff_a, staff_b, agency_a):
    job = with_file(make_job(staff_a, agency=agency_a, status=Job.Status.DONE))
    assert english_client(staff_b).get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_province_wide_result_is_not_for_agency_staff(officer, staff_a):
    job = with_file(make_job(officer, status=Job.Status.DONE))  # the officer's year-end workbook
    assert english_client(staff_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert english_client(officer).get(reverse("jobs:download", args=[job.pk])).status_code == 200


def test_an_expired_result_file_is_a_404_before_and_after_the_cleanup(staff_a, agency_a):
    job = with_file(make_job(staff_a, agency=agency_a, status=Job.Status.DONE), days=-0.01)
    client = english_client(staff_a)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert status_json(client, job)["result_url"] is None
    call_command("cleanup_jobs", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.result_size, job.result_content) == (0, None)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200  # the job's row stays


@pytest.mark.parametrize("status", [Job.Status.FAILED, Job.Status.CANCELLED, Job.Status.RUNNING])
def test_a_job_not_done_offers_no_file_even_if_one_was_stored(status, staff_a, agency_a):
    job = with_file(make_job(staff_a, agency=agency_a, status=status))
    assert english_client(staff_a).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert status_json(english_client(staff_a), job)["result_url"] is None


# --- 我的任务 ------------------------------------------------------------------------------------------


def listed(response) -> set[int]:
    return {job.pk for job in response.context["jobs"]}


def test_the_list_shows_mine_by_default_and_my_agencys_with_all(django_user_model, staff_a, agency_a, staff_b, officer):
    colleague = make_user(django_user_model, "carol", Role.STAFF, agency_a)
    mine = make_job(staff_a, agency=agency_a)
    colleagues = make_job(colleague, agency=agency_a)
    officers_for_a = make_job(officer, agency=agency_a)  # an officer's job for agency A: A's
    make_job(staff_b, agency=staff_b.profile.agency)
    make_job(officer)  # province-wide: not an agency's
    client = english_client(staff_a)
    assert listed(client.get(reverse("jobs:list"))) == {mine.pk}
    assert listed(client.get(reverse("jobs:list"), {"all": "1"})) == {mine.pk, colleagues.pk, officers_for_a.pk}


def test_officers_see_every_job_with_all(staff_a, agency_a, staff_b, officer):
    jobs = {make_job(staff_a, agency=agency_a).pk, make_job(staff_b, agency=staff_b.profile.agency).pk}
    own = make_job(officer)
    client = english_client(officer)
    assert listed(client.get(reverse("jobs:list"))) == {own.pk}
    assert listed(client.get(reverse("jobs:list"), {"all": "1"})) == jobs | {own.pk}


def test_the_next_page_of_all_jobs_is_still_all_jobs(django_user_model, staff_a, agency_a):
    colleague = make_user(django_user_model, "carol", Role.STAFF, agency_a)
    for _ in range(30):
        make_job(colleague, agency=agency_a)
    make_job(staff_a, agency=agency_a)
    client = english_client(staff_a)
    first = client.get(reverse("jobs:list"), {"all": "1"})
    assert 'href="?all=1&amp;page=2"' in first.content.decode()
    second = client.get(reverse("jobs:list"), {"all": "1", "page": "2"})
    assert len(second.context["jobs"]) == 6  # 31 jobs, 25 a page
    assert 'href="?all=1&amp;page=1"' in second.content.decode()
    mine = client.get(reverse("jobs:list"))
    assert not mine.context["is_paginated"]


def make_jobs(user, agency, count):
    """Jobs of every kind of ending, of several agencies' staff and officers."""
    statuses = [Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.DONE, Job.Status.FAILED, Job.Status.CANCELLED]
    for index in range(count):
        status = statuses[index % len(statuses)]
        job = make_job(user, agency=agency, status=status, done=index, total=count, step="rows")
        if status == Job.Status.DONE and index % 2:
            with_file(job)


# session, user with profile and agency (2); the page's count and its rows (2); unread notices (1); the session
# unchanged is not saved again. No query for the badge: nobody here started a job in this session.
LIST_QUERIES = {"staff_a": 5, "officer": 5}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("role", ["staff_a", "officer"])
@pytest.mark.parametrize("show_all", [False, True], ids=["mine", "all"])
def test_the_list_takes_the_same_queries_for_5_and_50_jobs(
    role, rows, show_all, django_user_model, staff_a, agency_a, officer, django_assert_num_queries
):
    user = {"staff_a": staff_a, "officer": officer}[role]
    make_jobs(user, agency_a if role == "staff_a" else None, rows)
    colleague = make_user(django_user_model, "carol", Role.STAFF, agency_a)
    for _ in range(rows):  # others' jobs, shown with ?all=1 (an officer's: of many agencies)
        make_job(colleague, agency=AgencyFactory() if role == "officer" else agency_a, status=Job.Status.DONE)
    client = english_client(user)
    with django_assert_num_queries(LIST_QUERIES[role]):
        response = client.get(reverse("jobs:list"), {"all": "1"} if show_all else {})
    assert response.status_code == 200
    assert len(response.context["jobs"]) == min(25, rows * (2 if show_all else 1))


# --- the navigation's badge ----------------------------------------------------------------------------


def test_the_badge_costs_nothing_until_a_job_is_started_and_forgets_when_none_runs(
    staff_a, agency_a, django_assert_num_queries
):
    make_job(staff_a, agency=agency_a, status=Job.Status.DONE)  # a row to list
    client = english_client(staff_a)
    page = reverse("jobs:list")
    client.get(page)  # the session exists
    with django_assert_num_queries(LIST_QUERIES["staff_a"]):
        response = client.get(page)
    assert 'data-testid="running-jobs-badge"' not in response.content.decode()

    make_job(staff_a, agency=agency_a, status=Job.Status.RUNNING)
    make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)
    session = client.session

    class Request:  # what a view that started a job passes
        pass

    request = Request()
    request.session = session
    watch(request)
    session.save()
    with django_assert_num_queries(LIST_QUERIES["staff_a"] + 1):  # the count
        response = client.get(page)
    html = response.content.decode()
    assert response.context["running_jobs"] == 2
    assert 'data-testid="running-jobs-badge"' in html
    assert "In progress: </span>2</span>" in html
    assert client.session.get(SESSION_KEY) is True

    Job.objects.filter(status__in=Job.ACTIVE).update(status=Job.Status.DONE)
    # counts once more, finds none and forgets: the session changed, saved (savepoint, update, release)
    with django_assert_num_queries(LIST_QUERIES["staff_a"] + 1 + 3):
        response = client.get(page)
    assert 'data-testid="running-jobs-badge"' not in response.content.decode()
    assert client.session.get(SESSION_KEY) is None  # forgotten
    with django_assert_num_queries(LIST_QUERIES["staff_a"]):
        client.get(page)


def test_the_badge_counts_only_my_own_jobs(django_user_model, staff_a, agency_a):
    colleague = make_user(django_user_model, "carol", Role.STAFF, agency_a)
    make_job(colleague, agency=agency_a, status=Job.Status.RUNNING)
    client = english_client(staff_a)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    response = client.get(reverse("jobs:list"))
    assert response.context["running_jobs"] == 0
    assert 'data-testid="running-jobs-badge"' not in response.content.decode()
