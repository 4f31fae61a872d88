"""The service-activity forms show the fields that belong to the choice made, and the server's refusal.

A clerk (alice) adds a "five into" action: choosing a kind shows its yields only. Typing
books under publicity and then switching to culture hides the books, and the server
refuses them with a message on the books field, which the page then shows. The
volunteer team form shows the specialty for professional teams only.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from visits.models import FiveIntoAction, VolunteerTeam

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, name):
    return page.locator(f"#div_id_{name}")


def test_five_into_form_follows_the_kind_and_shows_the_servers_refusal(live_server, page, shot, staff_a):
    url = live_server.url
    log_in(page, url, "alice")
    page.goto(f"{url}/visits/five-into/add/")
    for name in FiveIntoAction.yield_fields():
        expect(field(page, name)).to_be_hidden()  # no kind chosen yet

    page.locator("#id_kind").select_option(FiveIntoAction.Kind.PUBLICITY)
    for name in FiveIntoAction.yield_fields():
        shown = name in FiveIntoAction.YIELDS[FiveIntoAction.Kind.PUBLICITY]
        (expect(field(page, name)).to_be_visible if shown else expect(field(page, name)).to_be_hidden)()
    expect(field(page, "book_recipients")).to_be_visible()
    page.locator("#id_books").fill("300")
    shot("publicity")

    page.locator("#id_kind").select_option(FiveIntoAction.Kind.CULTURE)
    expect(field(page, "books")).to_be_hidden()
    expect(field(page, "culture_trips")).to_be_visible()
    page.locator("#id_culture_trips").fill("2")
    page.locator("#id_date").fill("2014-06-02")
    page.locator("#id_title").fill("科技文化下乡")
    page.locator("button[name=_save]").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(field(page, "books")).to_be_visible()  # the refused field is shown with its message
    expect(field(page, "books").locator(".invalid-feedback")).not_to_be_empty()
    shot("refused")
    assert FiveIntoAction.objects.count() == 0


def test_team_form_shows_the_specialty_for_professional_teams(live_server, page, staff_a):
    url = live_server.url
    log_in(page, url, "alice")
    page.goto(f"{url}/visits/volunteer-teams/add/")
    expect(field(page, "specialty")).to_be_hidden()  # a new team is general
    page.locator("#id_kind").select_option(VolunteerTeam.Kind.PROFESSIONAL)
    expect(field(page, "specialty")).to_be_visible()
    page.locator("#id_kind").select_option(VolunteerTeam.Kind.GENERAL)
    expect(field(page, "specialty")).to_be_hidden()
