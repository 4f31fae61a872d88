"""jobs.services: asking for a job (the cap, bad arguments), cancelling it, reaping lost workers, cleaning up.

The suite's task backend is the immediate one with JOBS_ISOLATION = "inline": `enqueue` runs the job
before it returns.
"""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django_tasks.backends.immediate import ImmediateBackend

from jobs.kinds import Outcome
from jobs.models import Job
from jobs.runner import MSG_WORKER_LOST, run_job
from jobs.services import (
    MSG_ALREADY_FINISHED,
    MSG_BAD_ARGUMENTS,
    MSG_NOT_YOURS,
    MSG_QUEUE_DOWN,
    MSG_TOO_MANY,
    cancel,
    drop_expired_results,
    enqueue,
    prune_finished,
    reap_stale,
)
from outreach.models import Agency
from outreach.roles import Role
from tests.conftest import make_user
from tests.jobs.conftest import make_job, with_file

pytestmark = pytest.mark.django_db


def stale(user, *, kind="probe", attempts=1, seconds=600, **fields) -> Job:
    """A job left RUNNING by a worker not heard of for `seconds`."""
    heard = timezone.now() - datetime.timedelta(seconds=seconds)
    return make_job(
        user, status=Job.Status.RUNNING, kind=kind, attempts=attempts, heartbeat_at=heard, started_at=heard, **fields
    )


def job_rows():
    return sorted(Job.objects.values_list("pk", "status", "cancel_requested", "finished_at"))


# --- enqueue -----------------------------------------------------------------------------------------


def test_a_probe_job_runs_and_records_who_asked_what_and_when(staff_a, agency_a, english):
    before = timezone.now()
    job = enqueue("probe", user=staff_a, agency=agency_a, arguments={"steps": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.fraction == 1.0
    assert (job.done, job.total) == (3, 3)  # the last progress report is always written
    assert job.message == "ok"
    assert job.requested_by == staff_a
    assert job.agency == agency_a
    assert job.arguments == {"steps": 3}
    assert job.language == "en"
    assert job.attempts == 1
    assert job.task_id  # the task the backend ran
    assert before <= job.created_at <= job.started_at <= job.finished_at <= timezone.now()
    assert job.error == ""


def test_the_job_keeps_the_language_of_the_person_who_asked(staff_a, agency_a):
    job = enqueue("probe", user=staff_a, agency=agency_a)
    assert job.language == "zh-hans"  # the suite's default language


def test_the_agency_cap_refuses_a_job_and_queues_nothing(settings, staff_a, staff_b, agency_a, agency_b, english):
    settings.JOBS_MAX_PER_AGENCY = 2
    colleague = make_user(type(staff_a), "carol", Role.STAFF, agency_a)
    make_job(colleague, agency=agency_a, status=Job.Status.RUNNING)  # the agency's jobs count, whoever asked
    make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)
    make_job(staff_a, agency=agency_a, status=Job.Status.DONE)  # finished jobs do not count
    make_job(staff_b, agency=agency_b, status=Job.Status.RUNNING)  # nor another agency's
    before = job_rows()
    with pytest.raises(ValidationError) as refused:
        enqueue("probe", user=staff_a, agency=agency_a)
    assert refused.value.messages == [
        "2 jobs of yours are already queued or running (the limit is 2 at once). "
        "Wait for one to finish, or cancel one, and try again."
    ]
    assert refused.value.messages == ValidationError(MSG_TOO_MANY, params={"count": 2, "limit": 2}).messages
    assert job_rows() == before
    # agency B has room
    assert enqueue("probe", user=staff_b, agency=agency_b).status == Job.Status.DONE


def test_an_officers_province_wide_jobs_count_against_their_own_cap(settings, officer, staff_a, agency_a, english):
    settings.JOBS_MAX_PER_AGENCY = 1
    other_officer = make_user(type(officer), "oscar", Role.OFFICER)
    make_job(other_officer, status=Job.Status.RUNNING)  # another officer's province-wide job
    make_job(officer, agency=agency_a, status=Job.Status.RUNNING)  # an agency's job started by this officer
    assert enqueue("probe", user=officer).status == Job.Status.DONE
    make_job(officer, status=Job.Status.QUEUED)
    before = job_rows()
    with pytest.raises(ValidationError) as refused:
        enqueue("probe", user=officer)
    assert refused.value.messages == ValidationError(MSG_TOO_MANY, params={"count": 1, "limit": 1}).messages
    assert job_rows() == before


def test_arguments_that_are_not_json_are_refused_before_a_job_exists(staff_a, agency_a, english):
    with pytest.raises(ValidationError) as refused:
        enqueue("probe", user=staff_a, agency=agency_a, arguments={"day": datetime.date(2014, 7, 15)})
    assert refused.value.messages == [str(MSG_BAD_ARGUMENTS)]
    assert refused.value.messages == ["The job's settings could not be stored; nothing was started."]
    assert not Job.objects.exists()


def test_an_unknown_kind_is_a_programming_error_and_queues_nothing(staff_a, agency_a):
    with pytest.raises(LookupError):
        enqueue("no_such_kind", user=staff_a, agency=agency_a)
    assert not Job.objects.exists()


def queue_down(monkeypatch):
    def unreachable(self, task, args, kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(ImmediateBackend, "enqueue", unreachable)


def test_a_job_the_queue_cannot_take_fails_with_a_message_and_frees_its_place(
    settings, monkeypatch, staff_a, agency_a, english
):
    settings.JOBS_MAX_PER_AGENCY = 1
    queue_down(monkeypatch)
    with pytest.raises(ValidationError) as refused:
        enqueue("probe", user=staff_a, agency=agency_a)
    message = "The job could not be queued: the job queue is not available. Nothing was started; try again later."
    assert refused.value.messages == [message] == [str(MSG_QUEUE_DOWN)]
    job = Job.objects.get()
    assert (job.status, job.error, job.attempts) == (Job.Status.FAILED, message, 0)
    assert job.finished_at is not None
    monkeypatch.undo()  # the queue is back: the failed job does not hold the agency's only place
    assert enqueue("probe", user=staff_a, agency=agency_a).status == Job.Status.DONE


def test_a_lost_job_the_queue_cannot_take_again_fails_with_a_message(monkeypatch, staff_a, agency_a, english):
    job = stale(staff_a, agency=agency_a, kind="probe", attempts=1, language="en")
    queue_down(monkeypatch)
    assert reap_stale() == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, str(MSG_QUEUE_DOWN))


# --- cancel ------------------------------------------------------------------------------------------


def test_the_owner_cancels_a_queued_job_at_once_and_no_worker_runs_it(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)
    job = cancel(job, user=staff_a)
    assert job.status == Job.Status.CANCELLED
    assert job.cancel_requested
    assert job.finished_at is not None
    assert run_job.call(job.pk) == "skipped"  # the task still in the queue finds nothing to do
    job.refresh_from_db()
    assert (job.status, job.attempts, job.started_at) == (Job.Status.CANCELLED, 0, None)


def test_the_owner_cancelling_a_running_job_asks_it_to_stop(staff_a, agency_a):
    job = make_job(staff_a, agency=agency_a, status=Job.Status.RUNNING)
    job = cancel(job, user=staff_a)
    assert job.status == Job.Status.RUNNING  # its worker stops it
    assert job.cancel_requested
    assert job.finished_at is None


def test_work_cancelled_by_its_owner_stops_at_its_next_progress_report_and_is_rolled_back(staff_a, agency_a, job_kind):
    reached = []

    def writes_then_reports(context):
        with transaction.atomic():
            Agency.objects.create(code="Z999", name="写了一半的单位")
            cancel(Job.objects.get(pk=context.job.pk), user=context.user)  # the owner, from the job's page
            context(1, 10, "rows")
            reached.append("after the cancel")
        return Outcome(message="never")

    job = enqueue(job_kind("test_cancelled", writes_then_reports), user=staff_a, agency=agency_a)
    assert job.status == Job.Status.CANCELLED
    assert job.finished_at is not None
    assert job.message == ""
    assert reached == []
    assert not Agency.objects.filter(code="Z999").exists()


@pytest.mark.parametrize("who", ["colleague", "officer", "admin"])
def test_only_the_owner_cancels(who, django_user_model, staff_a, agency_a, officer, admin_user, english):
    others = {
        "colleague": make_user(django_user_model, "carol", Role.STAFF, agency_a),
        "officer": officer,
        "admin": admin_user,
    }
    job = make_job(staff_a, agency=agency_a, status=Job.Status.RUNNING)
    before = job_rows()
    with pytest.raises(PermissionDenied) as refused:
        cancel(job, user=others[who])
    assert str(refused.value) == "Only the person who started a job can cancel it."
    assert str(refused.value) == str(MSG_NOT_YOURS)
    assert job_rows() == before


def test_a_job_whose_owner_is_gone_cannot_be_cancelled_by_nobody(staff_a, agency_a, english):
    from django.contrib.auth.models import AnonymousUser

    job = make_job(None, agency=agency_a, status=Job.Status.QUEUED)
    before = job_rows()
    with pytest.raises(PermissionDenied):
        cancel(job, user=AnonymousUser())
    assert job_rows() == before


@pytest.mark.parametrize("status", Job.FINISHED)
def test_a_finished_job_has_nothing_to_cancel(status, staff_a, agency_a, english):
    job = make_job(staff_a, agency=agency_a, status=status)
    before = job_rows()
    with pytest.raises(ValidationError) as refused:
        cancel(job, user=staff_a)
    assert refused.value.messages == ["This job has already finished; there is nothing to cancel."]
    assert refused.value.messages == [str(MSG_ALREADY_FINISHED)]
    assert job_rows() == before


# --- lost workers ------------------------------------------------------------------------------------


def test_a_lost_job_of_a_kind_safe_to_retry_is_run_again(staff_a, agency_a):
    job = stale(staff_a, agency=agency_a, kind="probe", attempts=1)  # probe: retries=1
    assert reap_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert job.error == ""
    assert job.fraction == 1.0


def test_a_lost_job_out_of_retries_fails_with_the_message(staff_a, agency_a):
    job = stale(staff_a, agency=agency_a, kind="probe", attempts=2, language="en")
    assert reap_stale() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 2
    assert job.error == (
        "The worker running this job stopped (restarted or killed). Nothing was changed; please start the job again."
    )
    assert job.finished_at is not None


def test_a_lost_job_of_a_kind_never_retried_fails_in_its_askers_language(staff_a, agency_a, job_kind):
    ran = []
    kind = job_kind("test_writes_records", lambda context: ran.append(context.job.pk), retries=0)
    job = stale(staff_a, agency=agency_a, kind=kind, attempts=1, language="en")
    chinese = stale(staff_a, agency=agency_a, kind=kind, attempts=1, language="zh-hans")
    with translation.override("zh-hans"):  # the cleanup's own language does not matter
        assert reap_stale() == 2
        in_chinese = str(MSG_WORKER_LOST)
    job.refresh_from_db()
    chinese.refresh_from_db()
    assert (job.status, chinese.status) == (Job.Status.FAILED, Job.Status.FAILED)
    assert job.error == (
        "The worker running this job stopped (restarted or killed). Nothing was changed; please start the job again."
    )
    assert chinese.error == in_chinese
    assert ran == []  # never run twice


def test_a_lost_job_its_owner_cancelled_is_not_run_again(staff_a, agency_a):
    job = stale(staff_a, agency=agency_a, kind="probe", attempts=1, cancel_requested=True)
    assert reap_stale() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 1)


def test_a_job_heard_of_recently_is_left_alone(settings, staff_a, agency_a):
    settings.JOBS_STALE_SECONDS = 60
    job = stale(staff_a, agency=agency_a, kind="probe", attempts=2, seconds=30)
    queued = make_job(staff_a, agency=agency_a, status=Job.Status.QUEUED)  # not started: not stale
    before = job_rows()
    assert reap_stale() == 0
    assert job_rows() == before
    assert reap_stale(seconds=10) == 1  # a shorter patience finds it
    job.refresh_from_db()
    queued.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert queued.status == Job.Status.QUEUED


def test_reaping_some_jobs_leaves_the_others(staff_a, agency_a):
    first = stale(staff_a, agency=agency_a, kind="probe", attempts=2)
    second = stale(staff_a, agency=agency_a, kind="probe", attempts=2)
    assert reap_stale(job_ids=[first.pk]) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Job.Status.FAILED, Job.Status.RUNNING)


# --- result files and old jobs -----------------------------------------------------------------------


def test_expired_result_files_are_dropped_and_the_job_kept(staff_a, agency_a):
    expired = with_file(make_job(staff_a, agency=agency_a, message="6,720 行"), days=-1)
    kept = with_file(make_job(staff_a, agency=agency_a), days=1)
    assert drop_expired_results() == 1
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert (expired.result_content, expired.result_size, expired.has_file) == (None, 0, False)
    assert (expired.status, expired.message) == (Job.Status.DONE, "6,720 行")
    assert expired.result_url is None
    assert kept.has_file
    assert bytes(kept.result_content) == b"PK\x03\x04 a workbook"
    assert drop_expired_results() == 0


def test_old_finished_jobs_are_pruned_and_recent_or_running_ones_kept(staff_a, agency_a):
    long_ago = timezone.now() - datetime.timedelta(days=100)
    old = make_job(staff_a, agency=agency_a, status=Job.Status.FAILED, finished_at=long_ago)
    recent = make_job(staff_a, agency=agency_a, status=Job.Status.DONE)
    running = make_job(staff_a, agency=agency_a, status=Job.Status.RUNNING, created_at=long_ago)
    assert prune_finished(0) == 0  # 0: keep them all
    assert prune_finished(90) == 1
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not Job.objects.filter(pk=old.pk).exists()


def test_cleanup_jobs_reaps_drops_and_prunes(settings, staff_a, agency_a):
    settings.JOBS_STALE_SECONDS = 60
    settings.JOBS_PRUNE_DAYS = 90
    lost = stale(staff_a, agency=agency_a, kind="probe", attempts=2)
    expired = with_file(make_job(staff_a, agency=agency_a), days=-1)
    kept = with_file(make_job(staff_a, agency=agency_a), days=6)
    old = make_job(
        staff_a, agency=agency_a, status=Job.Status.CANCELLED, finished_at=timezone.now() - datetime.timedelta(days=91)
    )
    out = io.StringIO()
    call_command("cleanup_jobs", stdout=out)
    assert out.getvalue().strip() == "lost jobs dealt with: 1; result files removed: 1; old jobs deleted: 1"
    lost.refresh_from_db()
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert lost.status == Job.Status.FAILED
    assert (expired.result_size, expired.result_content) == (0, None)
    assert kept.result_size > 0
    assert not Job.objects.filter(pk=old.pk).exists()


def test_cleanup_jobs_takes_its_limits_from_the_command_line(settings, staff_a, agency_a):
    settings.JOBS_PRUNE_DAYS = 0  # keep by default
    old = make_job(
        staff_a, agency=agency_a, status=Job.Status.DONE, finished_at=timezone.now() - datetime.timedelta(days=11)
    )
    lost = stale(staff_a, agency=agency_a, kind="probe", attempts=2, seconds=20)
    call_command("cleanup_jobs", stdout=io.StringIO())
    assert Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.get(pk=lost.pk).status == Job.Status.RUNNING
    call_command("cleanup_jobs", "--prune-days", "10", "--stale-seconds", "10", stdout=io.StringIO())
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Job.objects.get(pk=lost.pk).status == Job.Status.FAILED
