"""WCAG 2.1 AA in the browser: axe-core checks every main page for every role that may see it.

axe-core is vendored from npm (scripts/vendor_static.sh, static/vendor/axe-core/) and injected by the
test; no page loads it and no CDN is involved. The pages' Content-Security-Policy refuses an injected
script, so the test's browser context bypasses it (`bypass_csp`); the pages themselves are unchanged.
One browser context per role, its pages in a loop; every serious or critical violation of every page
is collected and the test fails listing them all, each with the elements it concerns.

A small world (tests/reports/data.py): two agencies with two of every record, a channel return, an
upload, a finished job and a notification for each person, a published snapshot.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from jobs.models import Job
from notices.models import Notification
from outreach.importing.services import preview_upload
from pairings.models import ContactPoint
from reports.services import publish_snapshot
from tests import factories as f
from tests.e2e.conftest import log_in
from tests.outreach.import_files import xlsx_bytes
from tests.reports.data import build
from visits.models import ChannelReturn, Visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
YEAR = "?year=2014&as_of=2014-07-31&basis=all"


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands, serious or critical only."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def described(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for node in v["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}\n        {summary[:300]}")
    return "\n".join(lines)


def world(agency_a, agency_b, staff_a, officer, admin_user) -> dict:
    """Records of both agencies, and one of each thing the pages about work in progress show."""
    build([agency_a, agency_b], 2)
    f.ChannelReturnFactory(agency=agency_a, year=2013, half=ChannelReturn.Half.SECOND)
    preview_upload(
        file=SimpleUploadedFile("notes.xlsx", xlsx_bytes({"Notes": [["hello"]]})), agency=agency_a, user=staff_a
    )
    for user, agency in ((staff_a, agency_a), (officer, None), (admin_user, None)):
        Notification.objects.create(recipient=user, agency=agency, kind=Notification.Kind.REMINDER, title="催报")
        Job.objects.create(
            kind="probe",
            status=Job.Status.DONE,
            agency=agency,
            requested_by=user,
            message="已完成",
            started_at=timezone.now(),
            finished_at=timezone.now(),
        )
    publish_snapshot(year=2014, as_of=datetime.date(2014, 7, 31), user=officer)
    return {"agency": agency_a}


def record(model, agency, action="detail") -> str:
    obj = model.objects.filter(agency=agency).order_by("pk").first()
    return reverse(f"{model._meta.app_label}:{model._meta.model_name}_{action}", args=[obj.pk])


def pages_for(role: str, agency) -> list[str]:
    """The main pages a role sees; staff see agency A's records, officers and administrators everyone's."""
    from outreach.models import ImportBatch
    from reports.models import PublishedSnapshot

    everyone = [
        reverse("home"),
        reverse("directory"),
        reverse("pairings:index"),
        reverse("visits:index"),
        reverse("reports:index"),
        reverse("pairings:contactpoint_list"),
        reverse("pairings:pairing_list"),
        reverse("visits:visit_list"),
        reverse("visits:channelreturn_list"),
        record(ContactPoint, agency),
        record(Visit, agency),
        reverse("reports:dashboard") + YEAR,
        reverse("reports:year_end") + YEAR,
        reverse("reports:completeness") + "?year=2014",
        reverse("reports:outliers") + "?year=2014",
        reverse("reports:snapshot_list"),
        reverse("reports:snapshot_detail", args=[PublishedSnapshot.objects.get().pk]),
        reverse("visits:minimums"),
        reverse("imports:index"),
        reverse("imports:detail", args=[ImportBatch.objects.get().pk]),
        reverse("jobs:list"),
        reverse("notices:list"),
    ]
    if role == "admin":  # the officer's pages; an administrator's differ only by the bar's 管理后台 link
        return [reverse("home"), reverse("visits:visit_list"), reverse("reports:dashboard") + YEAR, reverse("review")]
    if role == "staff":
        return [
            *everyone,
            reverse("visits:visit_add"),
            record(Visit, agency, "edit"),
            reverse("pairings:contactpoint_add"),
            reverse("returns") + "?year=2014",
        ]
    return [*everyone, reverse("review"), reverse("locks"), reverse("deleted_records")]


ROLES = {"staff": "alice", "officer": "olivia", "admin": "root"}


def check_pages(page, url: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        response = page.goto(f"{url}{path}")
        assert response.ok, f"{path}: HTTP {response.status}"
        found = axe_violations(page)
        if found:
            problems.append(described(path, found))
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_have_no_serious_accessibility_violations(
    live_server, new_context, role, agency_a, agency_b, staff_a, officer, admin_user
):
    setting = world(agency_a, agency_b, staff_a, officer, admin_user)
    page = new_context(bypass_csp=True).new_page()
    log_in(page, live_server.url, ROLES[role])
    user = {"staff": staff_a, "officer": officer, "admin": admin_user}[role]
    paths = pages_for(role, setting["agency"])
    paths.append(reverse("jobs:detail", args=[Job.objects.get(requested_by=user).pk]))
    problems = check_pages(page, live_server.url, paths)
    assert not problems, f"{role}: serious or critical WCAG 2.1 AA violations\n" + "\n".join(problems)


def test_the_login_page_has_no_serious_accessibility_violations(live_server, new_context):
    page = new_context(bypass_csp=True).new_page()
    problems = check_pages(page, live_server.url, [reverse("login")])
    assert not problems, "anonymous: serious or critical WCAG 2.1 AA violations\n" + "\n".join(problems)


def test_axe_reports_a_violation_it_is_shown(live_server, new_context):
    """The check is live: a page made to lack contrast is caught (otherwise a broken injection passes all)."""
    page = new_context(bypass_csp=True).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.evaluate("document.querySelector('h1, h2, label').style.color = '#eee'")
    assert "color-contrast" in [v["id"] for v in axe_violations(page)]


def test_the_first_tab_reaches_the_skip_link_and_it_leads_to_the_page_content(live_server, page, staff_a):
    """From the address bar, one Tab reaches 跳到主要内容 (shown while focused); Enter moves on past the bar, so
    the next Tab reaches the page's first control, not the navigation's dozen links."""
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}{reverse('visits:visit_list')}")
    skip = page.get_by_test_id("skip-link")
    expect(skip).not_to_be_in_viewport()  # visually hidden until reached
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到主要内容")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.closest('nav') === null")


def test_the_focus_on_the_red_bar_is_a_visible_yellow_ring(live_server, page, staff_a):
    log_in(page, live_server.url, "alice")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the bar's first link
    focused = page.locator(".site-navbar a:focus")
    expect(focused).to_have_count(1)
    ring = focused.evaluate(
        "el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert ring == ["solid", "3px", "rgb(255, 213, 79)"], ring
