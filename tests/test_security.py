"""Headers and operations (issue 14): the Content-Security-Policy, /healthz, django-axes behind a proxy,
HSTS, and the retention of uploaded workbooks (`manage.py cleanup_uploads`)."""

import datetime
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connections
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from outreach.management.commands.cleanup_uploads import cleanup_uploads
from outreach.models import ImportBatch
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
NOW = timezone.now()


# --- Content-Security-Policy -------------------------------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "staff_a"])
def test_every_page_carries_a_strict_content_security_policy(cast, role):
    response = cast[role].get(reverse("login" if role == "anonymous" else "home"))
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    assert "unsafe" not in response.headers["Content-Security-Policy"]


INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_script_handler_or_style_attribute():
    """The policy refuses them in the browser; this names the template that brings one back."""
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for pattern in (INLINE_HANDLER, INLINE_SCRIPT, STYLE_ATTRIBUTE):
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_the_template_scan_catches_what_it_looks_for():
    assert INLINE_HANDLER.search('<button onclick="return confirm(1)">')
    assert INLINE_HANDLER.search('<select onchange="this.form.submit()">')
    assert not INLINE_HANDLER.search('<form action="/x" data-confirm="是否撤回？">')
    assert INLINE_SCRIPT.search("<script>var a = 1;</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/site.js"></script>')
    assert STYLE_ATTRIBUTE.search('<div style="width: 5%">')
    assert not STYLE_ATTRIBUTE.search('<div class="w-6rem" data-width="5%">')


@pytest.mark.django_db
def test_withdraw_buttons_ask_through_data_confirm(cast, agency_a):
    from outreach.models import PeriodReturn

    PeriodReturn.objects.create(agency=agency_a, year=2014, month=6, status=PeriodReturn.Status.SUBMITTED)
    html = cast["staff_a"].get(reverse("returns"), {"year": 2014}).content.decode()
    assert 'data-testid="withdraw-6" data-confirm="' in html
    assert "onclick" not in html and "onchange" not in html
    assert re.search(r'<select name="language"[^>]* data-autosubmit', html)


# --- /healthz ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        response = Client().get(reverse("healthz"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_json_when_the_database_is_down():
    down = OperationalError('connection to server at "db.internal" failed: Connection refused')
    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = Client(raise_request_exception=False).get(reverse("healthz"))
    assert (response.status_code, response["Content-Type"]) == (503, "application/json")
    assert json.loads(response.content) == {"status": "unavailable", "database": "OperationalError"}
    assert "db.internal" not in response.content.decode()  # the error class only, no connection details


# --- django-axes behind a reverse proxy ---------------------------------------------------------------

PROXY = "10.0.0.1"


def fail_logins(client, username="alice"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def logs_in(client, username="alice") -> bool:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_two_clients_are_locked_out_separately(staff_a):
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    fail_logins(first)
    locked = first.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429 and "_auth_user_id" not in first.session
    assert logs_in(second)  # the same username from another client behind the same proxy


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_client_cannot_escape_its_lock_by_writing_x_forwarded_for_itself(staff_a):
    fail_logins(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7"))
    # The proxy appends the address it saw: the entry the client wrote stands to the left and is not read.
    spoofed = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.7")
    assert not logs_in(spoofed)


@pytest.mark.django_db
def test_without_a_proxy_count_the_forwarded_header_is_not_trusted(staff_a):
    assert settings.TRUSTED_PROXY_COUNT == 0
    fail_logins(Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.7"))
    assert not logs_in(Client(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.9"))
    assert logs_in(Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.7"))


# --- HSTS and check --deploy with the production environment ------------------------------------------

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-secret-key-for-checks",
    "ALLOWED_HOSTS": "outreach.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://outreach.example.gov.cn",
    "TRUSTED_PROXY_COUNT": "1",
}


def run_python(env_overrides, *args):
    import os

    unset = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_overrides)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def production_settings(**extra) -> list[str]:
    code = (
        "from outreach import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.TRUSTED_PROXY_COUNT)"
    )
    result = run_python({**PRODUCTION, **extra}, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_hsts_is_a_year_with_preload_and_a_shorter_age_drops_preload():
    assert production_settings() == ["31536000", "True", "1"]
    assert production_settings(SECURE_HSTS_SECONDS="2592000") == ["2592000", "False", "1"]


def test_deploy_checks_are_clean_with_the_production_environment():
    result = run_python(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


# --- uploads kept for a time and a size (cleanup_uploads) --------------------------------------------


def batch(agency, user, *, status, days_old=0, size=100, dropped=False):
    made = ImportBatch.objects.create(
        agency=agency,
        uploaded_by=user,
        file_name=f"{status}-{days_old}.xlsx",
        content=b"" if dropped else b"x" * size,
        sha256="0" * 64,
        size=size,
        status=status,
        report={"sheets": [], "problems": ["kept"]},
        content_dropped_at=NOW if dropped else None,
    )
    ImportBatch.objects.filter(pk=made.pk).update(uploaded_at=NOW - datetime.timedelta(days=days_old))
    return made


def state():
    """Every batch: (file name, status, bytes kept, dropped?, report kept?)."""
    return sorted(
        (b.file_name, b.status, len(bytes(b.content)), b.content_dropped_at is not None, bool(b.report))
        for b in ImportBatch.objects.all()
    )


S = ImportBatch.Status


@pytest.mark.django_db
def test_cleanup_empties_refused_uploads_and_removes_what_is_past_the_days(agency_a, staff_a):
    batch(agency_a, staff_a, status=S.REFUSED, days_old=1)
    batch(agency_a, staff_a, status=S.PREVIEWED, days_old=1)
    batch(agency_a, staff_a, status=S.IMPORTED, days_old=1)
    batch(agency_a, staff_a, status=S.REFUSED, days_old=31)
    batch(agency_a, staff_a, status=S.PREVIEWED, days_old=31)
    batch(agency_a, staff_a, status=S.IMPORTED, days_old=31)
    batch(agency_a, staff_a, status=S.IMPORTED, days_old=40, dropped=True)

    done = cleanup_uploads(now=NOW, keep_days=30, keep_bytes=10**9)

    assert done == {"deleted": 2, "emptied": 2, "bytes": 400}
    assert state() == [
        ("imported-1.xlsx", S.IMPORTED, 100, False, True),
        ("imported-31.xlsx", S.IMPORTED, 0, True, True),  # the record of the import stays, without the bytes
        ("imported-40.xlsx", S.IMPORTED, 0, True, True),
        ("previewed-1.xlsx", S.PREVIEWED, 100, False, True),
        ("refused-1.xlsx", S.REFUSED, 0, True, True),  # its messages stay
    ]
    assert cleanup_uploads(now=NOW, keep_days=30, keep_bytes=10**9) == {"deleted": 0, "emptied": 0, "bytes": 0}


@pytest.mark.django_db
def test_cleanup_keeps_the_workbooks_within_the_size_quota_oldest_first(agency_a, staff_a):
    batch(agency_a, staff_a, status=S.IMPORTED, days_old=5)
    batch(agency_a, staff_a, status=S.PREVIEWED, days_old=4)
    batch(agency_a, staff_a, status=S.PREVIEWED, days_old=3)
    batch(agency_a, staff_a, status=S.IMPORTED, days_old=2)

    done = cleanup_uploads(now=NOW, keep_days=30, keep_bytes=250)

    assert done == {"deleted": 1, "emptied": 1, "bytes": 200}
    assert state() == [
        ("imported-2.xlsx", S.IMPORTED, 100, False, True),
        ("imported-5.xlsx", S.IMPORTED, 0, True, True),
        ("previewed-3.xlsx", S.PREVIEWED, 100, False, True),
    ]


@pytest.mark.django_db
@override_settings(IMPORT_KEEP_DAYS=30, IMPORT_KEEP_BYTES=10**9)
def test_cleanup_command_dry_run_changes_nothing_and_the_real_run_does(agency_a, staff_a):
    batch(agency_a, staff_a, status=S.PREVIEWED, days_old=31)
    batch(agency_a, staff_a, status=S.REFUSED, days_old=0)
    before = state()
    out = io.StringIO()
    call_command("cleanup_uploads", "--dry-run", stdout=out)
    assert state() == before
    assert "would remove: 1 upload(s) deleted, 1 emptied (row kept), 200 bytes freed" in out.getvalue()

    out = io.StringIO()
    call_command("cleanup_uploads", stdout=out)
    assert "removed: 1 upload(s) deleted, 1 emptied (row kept), 200 bytes freed" in out.getvalue()
    assert state() == [("refused-0.xlsx", S.REFUSED, 0, True, True)]


@pytest.mark.django_db
def test_a_removed_workbook_is_not_offered_for_download(cast, agency_a, staff_a):
    kept = batch(agency_a, staff_a, status=S.PREVIEWED)
    gone = batch(agency_a, staff_a, status=S.REFUSED)
    cleanup_uploads(now=NOW, keep_days=30, keep_bytes=10**9)

    assert cast["staff_a"].get(reverse("imports:file", args=[kept.pk])).content == b"x" * 100
    assert cast["staff_a"].get(reverse("imports:file", args=[gone.pk])).status_code == 404
    page = cast["staff_a"].get(reverse("imports:detail", args=[gone.pk])).content.decode()
    assert 'data-testid="file-not-kept"' in page and reverse("imports:file", args=[gone.pk]) not in page


def test_gunicorn_timeout_is_the_same_in_its_config_the_readme_line_and_the_proxy_recipe():
    import runpy

    readme = (ROOT / "README.md").read_text()
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"]
    command_line = re.search(r"^gunicorn outreach\.wsgi .*--timeout (\d+)$", readme, re.MULTILINE)
    proxy = re.search(r"proxy_read_timeout (\d+)s;", readme)
    assert command_line and proxy
    assert config == int(command_line[1]) == int(proxy[1]) == 120
