"""Browser tests: pytest-playwright driving Debian's Chromium against live_server.

Never `playwright install`: the browser is /usr/bin/chromium from apt. Where it
is missing these tests are skipped with instructions, except under CI=true,
where a missing browser fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "e2e"
HOW_TO_GET_IT = (
    f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install -y chromium fonts-wqy-microhei`."
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not chromium_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(HOW_TO_GET_IT + " (CI=true: browser tests may not be skipped)")
        pytest.skip(HOW_TO_GET_IT)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def shot(page, request):
    """Save a full-page screenshot per step under artifacts/e2e/ (not committed)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(step: str, target=None) -> Path:
        """`target`: another page (say, a second user's browser context); default the test's page."""
        counter["n"] += 1
        path = ARTIFACTS / f"{request.node.name}-{counter['n']:02d}-{step}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(page, url, username):
    """Log in through the login page as one of the cast (tests/conftest.py) and land on the home page."""
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{url}/")
