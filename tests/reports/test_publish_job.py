"""Publishing the year-end figures as a background job (reports.publish_jobs): the page checks, then queues;
the job publishes what publishing directly would, reports its stages, and leaves nothing when it fails.

The tests' backend is `immediate` (outreach/settings_test.py): the job has run when the POST returns.
"""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from jobs.models import Job
from jobs.runner import MSG_NOT_ALLOWED, MSG_UNEXPECTED, execute
from jobs.services import MSG_TOO_MANY
from outreach.models import Basis
from outreach.progress import STEPS
from reports.forms import MSG_BAD_BASIS
from reports.models import PublishedSnapshot
from reports.publish_jobs import KIND, MSG_PUBLISHED
from reports.services import MSG_AS_OF_IN_FUTURE, MSG_AS_OF_OUTSIDE_YEAR, publish_snapshot
from tests.jobs.conftest import make_job
from tests.reports.data import build

pytestmark = pytest.mark.django_db

YEAR, AS_OF = 2014, datetime.date(2014, 7, 31)
PUBLISH = reverse("reports:snapshot_publish")
FORM = {"year": YEAR, "as_of": "2014-07-31", "basis": Basis.ALL, "note": "上半年"}
#: what a snapshot holds that two publications of the same figures share
FROZEN = ("year", "as_of", "basis", "note", "catalogue_version", "published_by_id", "figures", "agency_figures")


def frozen(snapshot) -> dict:
    return PublishedSnapshot.objects.filter(pk=snapshot.pk).values(*FROZEN).get()


@pytest.fixture
def records(agency_a, agency_b):
    build([agency_a, agency_b], 2)


def busy(user, count):
    """`count` jobs of `user`'s running (province-wide work: they count against the person)."""
    for _i in range(count):
        make_job(user, status=Job.Status.RUNNING)


def test_the_page_queues_the_job_and_its_snapshot_equals_one_published_directly(cast, officer, records):
    response = cast["officer"].post(PUBLISH, FORM)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.requested_by, job.agency) == (KIND, officer, None)
    assert job.arguments == {"year": YEAR, "as_of": "2014-07-31", "basis": "all", "note": "上半年"}
    assert job.status == Job.Status.DONE and job.error == ""
    through_job = PublishedSnapshot.objects.get()
    assert through_job.figures["cp.points"] == 4  # two agencies, two contact points each: something to compare

    direct = publish_snapshot(year=YEAR, as_of=AS_OF, user=officer, note="上半年", basis=Basis.ALL)
    assert frozen(through_job) == frozen(direct)
    assert set(through_job.agency_figures) == {"A001", "A002"}


def test_the_job_page_shows_the_message_and_goes_on_to_the_snapshot(cast, officer, records):
    cast["officer"].post(PUBLISH, FORM)
    job, snapshot = Job.objects.get(), PublishedSnapshot.objects.get()
    with translation.override(job.language):
        assert job.message == str(MSG_PUBLISHED) % {"snapshot": snapshot}
    assert job.result_link == snapshot.get_absolute_url()
    # Just asked for and already done: its page goes straight to the snapshot; later visits show the job.
    assert cast["officer"].get(job.get_absolute_url()).headers["Location"] == snapshot.get_absolute_url()
    page = cast["officer"].get(job.get_absolute_url())
    assert page.context["redirect_when_done"] is True  # static/js/jobs.js goes to the snapshot when done
    assert page.context["status"]["result_url"] == snapshot.get_absolute_url()
    assert page.context["status"]["progress"] == 1.0
    assert job.message in page.content.decode()
    assert page.context["running_jobs"] == 0  # the navigation's count: nothing left running


def test_the_navigation_counts_the_job_once_it_is_asked_for(cast, officer):
    """`watch`: the session remembers the officer has jobs; while one runs the navigation counts it."""
    busy(officer, 1)
    cast["officer"].post(PUBLISH, {"year": YEAR, "as_of": "2014-07-31"})
    assert cast["officer"].session.get("jobs_watch") is True
    assert cast["officer"].get(reverse("reports:snapshot_list")).context["running_jobs"] == 1


def test_publishing_reports_its_three_stages_before_it_writes(officer, records):
    calls = []

    def progress(done, total, step="", **params):
        calls.append((done, total, step, PublishedSnapshot.objects.count()))

    publish_snapshot(year=YEAR, as_of=AS_OF, user=officer, basis=Basis.ALL, progress=progress)
    assert calls == [(0, 3, "figures", 0), (1, 3, "figures", 0), (2, 3, "save", 0)]
    assert all(step in STEPS for _d, _t, step, _n in calls)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": YEAR, "as_of": "2015-01-01"}, "as_of", MSG_AS_OF_OUTSIDE_YEAR),
        ({"year": YEAR, "as_of": "2014-07-31", "basis": "vouched"}, "basis", MSG_BAD_BASIS),
        (None, "as_of", MSG_AS_OF_IN_FUTURE),
    ],
)
def test_a_bad_form_is_shown_again_with_the_message_and_nothing_is_queued(cast, data, field, message):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = data or {"year": tomorrow.year, "as_of": tomorrow.isoformat()}
    response = cast["officer"].post(PUBLISH, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(message)]
    assert str(message) in response.content.decode()
    assert not Job.objects.exists() and not PublishedSnapshot.objects.exists()


def test_over_the_cap_of_jobs_at_once_the_form_says_so_and_nothing_is_queued(cast, officer, admin_user):
    limit = settings.JOBS_MAX_PER_AGENCY
    busy(officer, limit)
    busy(admin_user, 1)  # another person's jobs do not count against the officer
    response = cast["officer"].post(PUBLISH, FORM)
    assert response.status_code == 200
    expected = str(MSG_TOO_MANY) % {"count": limit, "limit": limit}
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in response.content.decode()
    assert Job.objects.count() == limit + 1  # only the ones already there
    assert not PublishedSnapshot.objects.exists()


def test_a_failure_while_publishing_fails_the_job_with_a_message_and_leaves_no_snapshot(
    cast, officer, records, monkeypatch
):
    """All or nothing: the snapshot's row is written, then the work fails: the row goes with it."""
    manager = PublishedSnapshot.objects
    real_create = manager.create

    def create_then_fail(**fields):
        real_create(**fields)
        assert PublishedSnapshot.objects.count() == 1
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(manager, "create", create_then_fail)
    response = cast["officer"].post(PUBLISH, FORM)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.FAILED
    with translation.override(job.language):
        assert job.error == str(MSG_UNEXPECTED) % {"error": "RuntimeError"}
    assert (job.result_link, job.message) == ("", "")
    assert not PublishedSnapshot.objects.exists()
    page = cast["officer"].get(job.get_absolute_url())
    assert page.context["status"]["result_url"] is None
    assert job.error in page.content.decode()


def job_for(user, **arguments) -> Job:
    """A publication taken by a worker (running), in the language the test compares messages in."""
    arguments = {"year": YEAR, "as_of": "2014-07-31", "basis": "all", "note": "", **arguments}
    return make_job(user, kind=KIND, status=Job.Status.RUNNING, arguments=arguments, language=get_language())


def test_the_job_publishes_as_the_person_who_asked_who_must_still_be_allowed_to(staff_a, records):
    """A job queued for someone who may no longer publish (their role changed meanwhile) fails, nothing published."""
    ending = execute(job_for(staff_a))
    assert (ending.status, ending.error) == (Job.Status.FAILED, str(MSG_NOT_ALLOWED))
    assert not PublishedSnapshot.objects.exists()


def test_a_job_cancelled_while_it_computes_stops_and_publishes_nothing(officer, records):
    job = job_for(officer)
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # its owner cancelled it: the next report stops it
    ending = execute(job)
    assert ending.status == Job.Status.CANCELLED
    assert not PublishedSnapshot.objects.exists()


def test_arguments_as_of_outside_the_year_fail_the_job_with_the_message_not_the_worker(officer):
    """Arguments the page would refuse (a job row written by hand, a stale one): the job fails with the message."""
    ending = execute(job_for(officer, as_of="2015-01-01"))
    assert (ending.status, ending.error) == (Job.Status.FAILED, str(MSG_AS_OF_OUTSIDE_YEAR))
    assert not PublishedSnapshot.objects.exists()
