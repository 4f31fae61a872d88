"""Every URL of the site × every role × GET and POST, generated from the URLconf.

A URL with no entry here fails `test_every_url_has_an_entry`, so a new view cannot
be forgotten. Record URLs (`<app>:<model>_list/_add/_detail/_edit/_delete`) follow
one rule set; every other URL has an explicit row. For writes the test also checks
the effect: a refused POST changes nothing, an allowed one really happened.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jobs.models import Job
from notices.models import Notification, Reminder
from outreach.importing.services import preview_upload
from outreach.models import ImportBatch, PeriodLock, PeriodReturn
from outreach.roles import Role
from pairings.models import (
    ContactPoint,
    ContactPointActivity,
    JointActivity,
    NeedyPairing,
    NeedyPerson,
    Pairing,
    Support,
)
from reports.models import PublishedSnapshot
from reports.services import publish_snapshot
from tests import factories as f
from tests.conftest import make_user
from tests.outreach.import_files import xlsx_bytes
from visits.models import ChannelReturn, FiveIntoAction, FourIntoEvent, Visit, VolunteerService, VolunteerTeam

ROLES = ("anonymous", "staff_a", "staff_b", "officer", "admin")
METHODS = ("GET", "POST")

RECORD_FACTORIES = {
    ContactPoint: f.ContactPointFactory,
    ContactPointActivity: f.ContactPointActivityFactory,
    NeedyPerson: f.NeedyPersonFactory,
    NeedyPairing: f.NeedyPairingFactory,
    Pairing: f.PairingFactory,
    JointActivity: f.JointActivityFactory,
    Support: f.SupportFactory,
    Visit: f.VisitFactory,
    FourIntoEvent: f.FourIntoEventFactory,
    VolunteerTeam: f.VolunteerTeamFactory,
    VolunteerService: f.VolunteerServiceFactory,
    FiveIntoAction: f.FiveIntoActionFactory,
    ChannelReturn: f.ChannelReturnFactory,  # a complete draft of 2014's first half: submittable
}
MODELS_BY_NAME = {(m._meta.app_label, m._meta.model_name): m for m in RECORD_FACTORIES}

LOGIN = "login"  # a redirect to the login page

# Record URLs: action → {role: (GET, POST)}; the record belongs to agency A.
RECORD_RULES = {
    "list": {"staff_a": (200, 405), "staff_b": (200, 405), "officer": (200, 405), "admin": (200, 405)},
    "detail": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    "add": {"staff_a": (200, 200), "staff_b": (200, 200), "officer": (403, 403), "admin": (403, 403)},
    "edit": {"staff_a": (200, 200), "staff_b": (404, 404), "officer": (403, 403), "admin": (403, 403)},
    "delete": {"staff_a": (200, 302), "staff_b": (404, 404), "officer": (403, 403), "admin": (403, 403)},
}

READ_ALL = {"staff_a": (200, 405), "staff_b": (200, 405), "officer": (200, 405), "admin": (200, 405)}
OFFICER_PAGE = {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (200, 405), "admin": (200, 405)}

# Every other URL: name → {role: (GET, POST)}; anonymous is always sent to login unless listed.
EXPLICIT = {
    "home": READ_ALL,
    "directory": READ_ALL,
    "pairings:index": READ_ALL,
    "visits:index": READ_ALL,
    "reports:index": READ_ALL,
    # Year-end figures as JSON: staff get their own agency's, officers and administrators the province's.
    "reports:year_end_json": READ_ALL,
    # The year-end page: the same scoping (staff see their own agency's statistics).
    "reports:year_end": READ_ALL,
    # The dashboard and the year-end workbook: the same scoping again (staff: their own agency).
    "reports:dashboard": READ_ALL,
    "reports:year_end_xlsx": READ_ALL,
    # Published snapshots: everyone with a role lists them; staff see a snapshot's figures for their
    # own agency, officers and administrators the province's. Only officers and administrators publish
    # (an empty POST re-shows the form with its messages, nothing published).
    "reports:snapshot_list": READ_ALL,
    "reports:snapshot_detail": READ_ALL,
    "reports:snapshot_publish": {
        "staff_a": (403, 403),
        "staff_b": (403, 403),
        "officer": (200, 200),
        "admin": (200, 200),
    },
    "pairings:one_plus_two_compliance": READ_ALL,
    "pairings:five_ones_compliance": READ_ALL,
    "visits:minimums": READ_ALL,
    "deleted_records": OFFICER_PAGE,
    # POST restores agency A's deleted contact point (officers), GET is not allowed.
    "record_restore": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (405, 302), "admin": (405, 302)},
    "returns": {"staff_a": (200, 405), "staff_b": (200, 405), "officer": (403, 403), "admin": (403, 403)},
    # POST submits the current month (empty form data → a message, nothing submitted).
    "return_submit": {"staff_a": (405, 302), "staff_b": (405, 302), "officer": (403, 403), "admin": (403, 403)},
    "review": OFFICER_PAGE,
    "return_approve": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (405, 302), "admin": (403, 403)},
    "return_send_back": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (200, 200), "admin": (403, 403)},
    "locks": {"staff_a": (200, 403), "staff_b": (200, 403), "officer": (200, 200), "admin": (200, 403)},
    "lock_unlock": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (200, 200), "admin": (403, 403)},
    # Channel returns: the agency's clerk submits its own draft (POST only); an officer approves or sends
    # back a submitted one (approve: POST only; send back: GET shows the comment form, an empty POST
    # re-shows it with the message). Administrators do not review.
    "visits:channelreturn_submit": {
        "staff_a": (405, 302),
        "staff_b": (405, 404),
        "officer": (403, 403),
        "admin": (403, 403),
    },
    "visits:channelreturn_approve": {
        "staff_a": (403, 403),
        "staff_b": (403, 403),
        "officer": (405, 302),
        "admin": (403, 403),
    },
    "visits:channelreturn_send_back": {
        "staff_a": (403, 403),
        "staff_b": (403, 403),
        "officer": (200, 200),
        "admin": (403, 403),
    },
    # Excel import: everyone with a role uploads (an empty POST re-shows the form: nothing uploaded) and
    # downloads the template (staff their own agency's; officers and administrators must choose the agency,
    # so a bare GET re-shows the page). Agency A's upload is a 404 for agency B's staff; confirming it (it
    # has problems) is refused with a message.
    "imports:index": {"staff_a": (200, 200), "staff_b": (200, 200), "officer": (200, 200), "admin": (200, 200)},
    "imports:template": READ_ALL,
    "imports:detail": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    "imports:file": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    "imports:confirm": {"staff_a": (405, 302), "staff_b": (405, 404), "officer": (405, 302), "admin": (405, 302)},
    # The search of a record form's choices (JSON): everyone with a role, within their own scope.
    "choice_search": READ_ALL,
    # Public and account pages.
    "login": {
        "anonymous": (200, 200),
        "staff_a": (302, 302),
        "staff_b": (302, 302),
        "officer": (302, 302),
        "admin": (302, 302),
    },
    "logout": {"staff_a": (405, 302), "staff_b": (405, 302), "officer": (405, 302), "admin": (405, 302)},
    "set_language": dict.fromkeys(ROLES, (302, 302)),
    "healthz": dict.fromkeys(ROLES, (200, 200)),
    # --- jobs (issue 15) ---
    # 我的任务 and a job's page, JSON and result file: staff see their own agency's jobs (another agency's: 404),
    # officers and administrators every job. Only the person who started a job cancels it (POST only): agency
    # A's clerk's job is finished, so their cancel is a message (302, nothing changed); anyone else's is a 403.
    "jobs:list": READ_ALL,
    "jobs:detail": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    "jobs:status": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    "jobs:cancel": {"staff_a": (405, 302), "staff_b": (405, 404), "officer": (405, 403), "admin": (405, 403)},
    "jobs:download": {"staff_a": (200, 405), "staff_b": (404, 405), "officer": (200, 405), "admin": (200, 405)},
    # --- end jobs ---
    # --- completeness and timeliness (issue 13) ---
    # every role sees the grid (staff: their own agency's row); GET only
    "reports:completeness": READ_ALL,
    "reports:completeness_json": READ_ALL,
    "reports:completeness_xlsx": READ_ALL,
    # --- end completeness ---
    # values far above the usual (issue 16 item 11): staff see their own agency's
    "reports:outliers": READ_ALL,
    # --- notifications and reminders (issue 13) ---
    # Everyone with a role reads their own notifications and marks them read (POST only); agency A's clerk's
    # notification is a 404 for anyone else. Only officers remind (POST only: an empty POST is a message, nothing
    # sent; no GET page — the form is on the reminder log and the completeness page); officers and
    # administrators read the reminder log.
    "notices:list": READ_ALL,
    "notices:read": {"staff_a": (405, 302), "staff_b": (405, 404), "officer": (405, 404), "admin": (405, 404)},
    "notices:read_all": {"staff_a": (405, 302), "staff_b": (405, 302), "officer": (405, 302), "admin": (405, 302)},
    "notices:remind": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (405, 302), "admin": (403, 403)},
    "notices:reminders": OFFICER_PAGE,
    # --- end notifications ---
    # --- the month end to end: withdraw, bulk approve (issue 13) ---
    # A clerk withdraws their own agency's month (POST year+month; an empty POST is a message, nothing changed).
    "return_withdraw": {"staff_a": (405, 302), "staff_b": (405, 302), "officer": (403, 403), "admin": (403, 403)},
    # Officers approve several months at once (POST pk repeated; none chosen is a message, nothing changed).
    "return_approve_many": {"staff_a": (403, 403), "staff_b": (403, 403), "officer": (405, 302), "admin": (403, 403)},
    # The agency's clerk withdraws its own channel return (a draft: refused with a message, nothing changed);
    # another agency's is a 404.
    "visits:channelreturn_withdraw": {
        "staff_a": (405, 302),
        "staff_b": (405, 404),
        "officer": (403, 403),
        "admin": (403, 403),
    },
    # --- end month ---
    # --- jobs: exports (issue 15) ---
    # The year-end workbook as a background job (POST only; an empty POST is the kept or default year's workbook
    # of the user's own scope: queued, done at once with the immediate backend, then the job's page).
    "reports:workbook_job": {
        "staff_a": (405, 302),
        "staff_b": (405, 302),
        "officer": (405, 302),
        "admin": (405, 302),
    },
    # The records of a year in the import format as a background job: everyone with a role (staff their own
    # agency's); GET shows the form, an empty POST re-shows it with the year's message, nothing queued.
    "imports:export": {"staff_a": (200, 200), "staff_b": (200, 200), "officer": (200, 200), "admin": (200, 200)},
    # --- end exports ---
    # --- campaign years and the kept year (issue 13) ---
    # --- end year ---
}


def site_urls(resolver=None, namespace=None):
    """Every named URL outside the Django admin (the admin has its own permission system)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from site_urls(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


URL_NAMES = sorted(set(site_urls()))


def record_action(name):
    if ":" not in name:
        return None, None
    app, rest = name.split(":", 1)
    model_name, _sep, action = rest.rpartition("_")
    model = MODELS_BY_NAME.get((app, model_name))
    return (model, action) if model is not None and action in RECORD_RULES else (None, None)


def expected(name, role, method):
    model, action = record_action(name)
    rules = RECORD_RULES[action] if model is not None else EXPLICIT.get(name)
    if rules is None:
        return None
    if role not in rules:
        return LOGIN if role == "anonymous" else None
    return rules[role][METHODS.index(method)]


def test_every_url_has_an_entry():
    missing = [name for name in URL_NAMES if expected(name, "staff_a", "GET") is None]
    assert missing == [], f"add these URLs to the permission matrix: {missing}"


def url_for(name, world):
    model, action = record_action(name)
    if model is not None:
        return (
            reverse(name, args=[world["objects"][model].pk])
            if action in ("detail", "edit", "delete")
            else reverse(name)
        )
    if name == "record_restore":
        return reverse(name, args=["pairings", "contactpoint", world["deleted"].pk])
    if name in ("return_approve", "return_send_back"):
        return reverse(name, args=[world["return"].pk])
    if name == "lock_unlock":
        return reverse(name, args=[world["lock"].pk])
    if name in ("visits:channelreturn_submit", "visits:channelreturn_withdraw"):
        return reverse(name, args=[world["objects"][ChannelReturn].pk])
    if name in ("visits:channelreturn_approve", "visits:channelreturn_send_back"):
        return reverse(name, args=[world["submitted_channel_return"].pk])
    if name == "reports:snapshot_detail":
        return reverse(name, args=[world["published_snapshot"].pk])
    if name == "choice_search":
        return reverse(name, args=["visits.forms.VisitForm", "official"])
    if name in ("imports:detail", "imports:file", "imports:confirm"):
        return reverse(name, args=[world["import_batch"].pk])
    if name == "notices:read":
        return reverse(name, args=[world["notification"].pk])
    if name in ("jobs:detail", "jobs:status", "jobs:cancel", "jobs:download"):
        return reverse(name, args=[world["job"].pk])
    return reverse(name)


def snapshot():
    """What a refused POST must leave untouched."""
    return (
        {m: sorted(m.all_objects.values_list("pk", "version", "deleted_at")) for m in RECORD_FACTORIES},
        sorted(PeriodReturn.objects.values_list("pk", "status")),
        sorted(PeriodLock.objects.values_list("pk", "unlocked_at")),
        sorted(ChannelReturn.all_objects.values_list("pk", "status")),
        sorted(PublishedSnapshot.objects.values_list("pk", flat=True)),  # insert-only: only new rows can differ
        sorted(ImportBatch.objects.values_list("pk", "status")),
        sorted(Notification.objects.values_list("pk", "read_at")),
        sorted(Reminder.objects.values_list("pk", flat=True)),
        sorted(Job.objects.values_list("pk", "status", "cancel_requested", "result_size")),
    )


class PermissionMatrix(TestCase):
    """One world per class (setUpTestData); each generated test runs in its own savepoint."""

    @classmethod
    def setUpTestData(cls):
        agency_a = f.AgencyFactory(code="A001")
        agency_b = f.AgencyFactory(code="A002")
        cls.users = {
            "staff_a": make_user(User, "alice", Role.STAFF, agency_a),
            "staff_b": make_user(User, "bob", Role.STAFF, agency_b),
            "officer": make_user(User, "olivia", Role.OFFICER),
            "admin": make_user(User, "root", Role.ADMIN, is_superuser=True),
        }
        owner = {  # child records take their agency from their parent
            ContactPointActivity: {"contact_point__agency": agency_a},
            JointActivity: {"pairing__agency": agency_a},
            Support: {"pairing__agency": agency_a},
            VolunteerService: {"team__agency": agency_a},
        }
        objects = {m: factory(**owner.get(m, {"agency": agency_a})) for m, factory in RECORD_FACTORIES.items()}
        assert {record.agency for record in objects.values()} == {agency_a}
        deleted = f.ContactPointFactory(agency=agency_a)
        deleted.delete(user=cls.users["staff_a"])
        today = datetime.date.today()
        submitted = PeriodReturn.objects.create(
            agency=agency_a, year=today.year, month=today.month, status=PeriodReturn.Status.SUBMITTED
        )
        lock = PeriodLock.objects.create(year=2000, month=1, locked_by=cls.users["officer"])
        submitted_channel_return = f.ChannelReturnFactory(
            agency=agency_a, year=2013, half=ChannelReturn.Half.SECOND, status=ChannelReturn.Status.SUBMITTED
        )
        published_snapshot = publish_snapshot(
            year=f.YEAR, as_of=datetime.date(f.YEAR, 12, 31), user=cls.users["officer"]
        )
        import_batch = preview_upload(  # a workbook without a sheet of records: refused
            file=SimpleUploadedFile("notes.xlsx", xlsx_bytes({"Notes": [["hello"]]})),
            agency=agency_a,
            user=cls.users["staff_a"],
        )
        cls.world = {
            "objects": objects,
            "deleted": deleted,
            "return": submitted,
            "lock": lock,
            "submitted_channel_return": submitted_channel_return,
            "published_snapshot": published_snapshot,
            "import_batch": import_batch,
            "notification": Notification.objects.create(
                recipient=cls.users["staff_a"], agency=agency_a, kind=Notification.Kind.REMINDER, title="催报"
            ),
            "job": Job.objects.create(  # agency A's clerk's list download, done, its file kept
                kind="probe",
                status=Job.Status.DONE,
                agency=agency_a,
                requested_by=cls.users["staff_a"],
                result_name="visits.xlsx",
                result_content=b"PK\x03\x04",
                result_size=4,
                result_expires_at=timezone.now() + datetime.timedelta(days=7),
                finished_at=timezone.now(),
            ),
        }

    def check(self, name, role, method):
        want = expected(name, role, method)
        self.assertIsNotNone(want, f"no permission-matrix entry for {name}")
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        url = url_for(name, self.world)
        before = snapshot()
        response = client.get(url) if method == "GET" else client.post(url, {})
        if want == LOGIN:
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response.headers["Location"])
        else:
            self.assertEqual(response.status_code, want, f"{method} {url} as {role}")
        reshown_form = want == 200 and (
            name.endswith(("_add", "_edit")) or name in ("reports:snapshot_publish", "imports:index")
        )
        refused = want in (LOGIN, 403, 404, 405) or reshown_form
        if method == "POST" and refused:
            self.assertEqual(snapshot(), before, f"a refused POST to {url} as {role} changed data")


def _make_case(name, role, method):
    def test(self):
        self.check(name, role, method)

    return test


for _name in URL_NAMES:
    for _role in ROLES:
        for _method in METHODS:
            _test_name = f"test_{_name.replace(':', '__')}__{_role}__{_method.lower()}"
            setattr(PermissionMatrix, _test_name, _make_case(_name, _role, _method))


@pytest.mark.django_db
def test_allowed_deletes_and_restores_really_happen(cast, agency_a, staff_a):
    point = f.ContactPointFactory(agency=agency_a)
    cast["staff_a"].post(reverse("pairings:contactpoint_delete", args=[point.pk]))
    point.refresh_from_db()
    assert point.is_deleted
    cast["officer"].post(reverse("record_restore", args=["pairings", "contactpoint", point.pk]))
    point.refresh_from_db()
    assert not point.is_deleted
