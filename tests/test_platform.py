"""Platform promises of the foundation: login everywhere, Chinese first, nothing from outside, security basics."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PASSWORD
from tests.record_specs import SPECS
from tests.test_permission_matrix import URL_NAMES, expected

ROOT = Path(settings.BASE_DIR)
# Pages anonymous users may reach.
PUBLIC = {"login", "set_language", "healthz", "admin:login"}


def iter_patterns(resolver=None, prefix="", namespace=None):
    """(name, example path) for every named URL of the project, admin included."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from iter_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            # Fill converters and regex groups with a plausible value.
            path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
            path = re.sub(r"<path:\w+>", "x", path)
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path).replace("^", "").replace("$", "").replace("\\", "")
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, "/" + path


ALL_URLS = sorted(set(iter_patterns()), key=lambda item: item[1])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), ALL_URLS, ids=[p for _n, p in ALL_URLS])
def test_anonymous_users_are_sent_to_login_from_every_page(name, path):
    response = Client().get(path)
    if name in PUBLIC:
        # Reachable without logging in (set_language answers GET with a redirect back).
        assert "/login/" not in response.headers.get("Location", ""), path
        return
    assert response.status_code in (302, 404), (path, response.status_code)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert "/login/" in location, location
    # A 404 for an anonymous user is allowed only for admin URLs whose object does not exist.
    else:
        assert path.startswith("/admin/"), path


@pytest.mark.django_db
def test_login_page_is_chinese_by_default():
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "用户名" in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back(staff_a):
    client = Client()
    client.force_login(staff_a)
    assert "首页" in client.get(reverse("home")).content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "首页" not in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "首页" in client.get(reverse("home")).content.decode()


EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""", re.I
)


def template_files() -> list[Path]:
    files = list((ROOT / "templates").rglob("*.html"))
    for app in ("outreach", "pairings", "visits", "reports"):
        files += list((ROOT / app).rglob("templates/**/*.html"))
    return files


def test_no_template_or_stylesheet_loads_anything_from_outside():
    files = template_files() + list((ROOT / "static" / "css").rglob("*.css"))
    assert files
    offenders = [(str(f), m.group(0)) for f in files for m in EXTERNAL.finditer(f.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.django_db
def test_rendered_pages_load_nothing_from_outside(cast):
    for role, client in cast.items():
        for name in ("home", "login", "pairings:index", "visits:index", "reports:index", "directory"):
            response = client.get(reverse(name), follow=True)
            html = response.content.decode()
            assert not EXTERNAL.search(html), (role, name, EXTERNAL.search(html).group(0))


# --- CSRF: every form carries the token, and every URL that takes a POST refuses one without it ------------

POST_FORM = re.compile(r"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b.*?</form>", re.I | re.S)
PATHS = dict(ALL_URLS)
ORDER_OF_ROLES = ("anonymous", "staff_a", "officer", "admin")  # the first the matrix lets in is used


def first_role(name, method, allowed) -> str | None:
    return next((role for role in ORDER_OF_ROLES if expected(name, role, method) in allowed), None)


def test_every_post_form_in_a_template_has_the_csrf_token():
    files = template_files()
    forms = [(str(f), form) for f in files for form in POST_FORM.findall(f.read_text(encoding="utf-8"))]
    assert len(forms) >= 15, "the templates' POST forms were not found"
    assert [path for path, form in forms if "{% csrf_token %}" not in form] == []


# Every URL the permission matrix lets some role POST to (tests/test_permission_matrix.py, from the URLconf).
POSTED = sorted((name, role) for name in URL_NAMES if (role := first_role(name, "POST", (200, 302))) is not None)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), POSTED, ids=[name for name, _role in POSTED])
def test_a_post_without_the_csrf_token_is_refused(request, name, role):
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    # The check runs before the view, so the example path's ids need no records behind them.
    data = {"username": "alice", "password": PASSWORD} if name == "login" else {}
    response = client.post(PATHS[name], data)
    assert response.status_code == 403, (name, response.status_code)
    assert ("_auth_user_id" in client.session) == (role != "anonymous"), "logged in or out without the token"


def test_every_url_taking_a_post_is_checked():
    assert {"login", "logout", "set_language", "return_submit", "imports:index", "lock_unlock"} <= {
        name for name, _role in POSTED
    }
    assert {name for name in URL_NAMES if name.endswith(("_add", "_edit", "_delete"))} <= {name for name, _r in POSTED}


def post_forms(response) -> list[str] | None:
    """The page's POST forms (None: not a page but a download or JSON)."""
    if not response["Content-Type"].startswith("text/html"):
        return None
    return POST_FORM.findall(response.content.decode())


def takes_no_arguments(name) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# Pages without arguments, each as the first role the matrix shows it to.
PLAIN_PAGES = sorted(
    (name, role)
    for name in URL_NAMES
    if takes_no_arguments(name) and (role := first_role(name, "GET", (200,))) is not None
)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), PLAIN_PAGES, ids=[name for name, _role in PLAIN_PAGES])
def test_every_post_form_on_a_page_carries_the_csrf_token(cast, name, role):
    forms = post_forms(cast[role].get(reverse(name)))
    if forms is None:
        return
    assert all('name="csrfmiddlewaretoken"' in form for form in forms), name
    if role != "anonymous":
        assert forms, f"{name}: no POST form (the navigation bar's log-out and language forms are on every page)"


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["add", "edit", "delete", "detail"])
@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_every_record_form_carries_the_csrf_token(cast, agency_a, spec, action):
    url = spec.url(action) if action == "add" else spec.url(action, spec.make(agency_a).pk)
    forms = post_forms(cast["staff_a"].get(url))
    # the navigation bar's log-out and language forms, and the page's own (a detail page has none)
    assert len(forms) >= (2 if action == "detail" else 3) and all(
        'name="csrfmiddlewaretoken"' in form for form in forms
    ), (url, len(forms))


def test_password_validators_refuse_weak_passwords():
    for weak in ("12345678", "password", "short1"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Stronger-Pass-2014")


@pytest.mark.django_db
def test_session_expires_after_thirty_minutes_of_inactivity(staff_a):
    client = Client()
    client.force_login(staff_a)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 30 * 60
    # a request pushes the expiry forward once SESSION_REFRESH_SECONDS have passed (tests/outreach/test_sessions.py)
    assert 0 < settings.SESSION_REFRESH_SECONDS <= 60


@pytest.mark.django_db
def test_failed_logins_lock_the_username_at_one_address_not_the_whole_office(staff_a, staff_b):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong-password"})
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "登录已暂停" in locked.content.decode()

    # A colleague behind the same office address still logs in.
    colleague = Client(REMOTE_ADDR="10.1.2.3")
    ok = colleague.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert ok.status_code == 302
    assert colleague.session["_auth_user_id"] == str(staff_b.pk)


def run_settings(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_settings({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_deploy_checks_are_clean_with_debug_off():
    result = run_settings(
        {
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-secret-key-for-checks",
            "ALLOWED_HOSTS": "example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(staff_a):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(staff_a)
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
