"""A clerk logs in, sees the home page in Chinese, switches to English and logs out."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_sees_chinese_switches_to_english_and_logs_out(live_server, page, shot, staff_a):
    page.goto(f"{live_server.url}/")
    # Anonymous: sent to the login page, in Chinese.
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.locator("h1")).to_have_text("登录")
    shot("login")

    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("安徽省发展和改革委员会机关党委")
    expect(page.get_by_role("link", name="结对共建")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shot("home-zh")

    page.locator("#language-form select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Pairings")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    shot("home-en")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Log in")
    shot("logged-out")


def test_wrong_password_shows_a_chinese_message(live_server, page, shot, staff_a):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("alice")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .alert-block")).to_contain_text("用户名或密码不正确")
    shot("wrong-password")
