"""The home page and the area pages: each role sees its own scope."""

import pytest
from django.urls import reverse

from tests.factories import ContactPointFactory, VisitFactory


def counts(response):
    return {str(row["label"]): row["count"] for row in response.context["counts"]}


@pytest.mark.django_db
def test_staff_home_names_their_agency_and_counts_only_its_records(cast, agency_a, agency_b):
    ContactPointFactory(agency=agency_a)
    ContactPointFactory(agency=agency_b)
    ContactPointFactory(agency=agency_b)
    VisitFactory(agency=agency_b)

    response = cast["staff_a"].get(reverse("home"))
    html = response.content.decode()
    assert "安徽省发展和改革委员会机关党委" in html
    assert counts(response)["帮扶联系点"] == 1
    assert counts(response)["走访基层"] == 0

    response = cast["staff_b"].get(reverse("home"))
    assert counts(response)["帮扶联系点"] == 2
    assert counts(response)["走访基层"] == 1


@pytest.mark.django_db
def test_officer_home_counts_the_whole_province(cast, agency_a, agency_b):
    ContactPointFactory(agency=agency_a)
    ContactPointFactory(agency=agency_b)
    response = cast["officer"].get(reverse("home"))
    assert "工作总览" in response.content.decode()
    assert counts(response)["帮扶联系点"] == 2


@pytest.mark.django_db
def test_admin_home_links_to_the_directory_admin(cast):
    html = cast["admin"].get(reverse("home")).content.decode()
    assert reverse("admin:index") in html
    assert "系统管理" in html


@pytest.mark.django_db
def test_staff_directory_page_shows_only_their_agency(cast, agency_a, agency_b):
    response = cast["staff_a"].get(reverse("directory"))
    assert counts(response)["省直单位"] == 1
    response = cast["officer"].get(reverse("directory"))
    assert counts(response)["省直单位"] == 2


@pytest.mark.django_db
def test_staff_cannot_open_the_admin_site(cast):
    response = cast["staff_a"].get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


@pytest.mark.django_db
def test_unknown_page_uses_the_site_404(cast):
    response = cast["staff_a"].get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
