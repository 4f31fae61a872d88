"""The year-end statistics page: article order, cut-off, scope by role, breakdowns, consistency panel."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reports import consistency, numbers
from reports.catalogue import BY_CODE
from reports.forms import MSG_BAD_AS_OF
from reports.indicators import CATALOGUE, SECTIONS, empty_figures
from reports.selectors import year_end_figures
from reports.services import publish_snapshot
from reports.templatetags.figures import display
from tests import factories as f
from tests.reports.data import build
from visits.models import ChannelReturn

pytestmark = pytest.mark.django_db

URL = reverse("reports:year_end")
#: every record entered counts here (the records are in no monthly return): the basis per role is test_basis.py's
PARAMS = {"year": 2014, "as_of": "2014-07-31", "basis": "all"}


def page_values(content: str) -> dict:
    """{code: shown value} from the figure tables of the page."""
    rows = re.findall(r'<tr data-code="([a-z_.]+)">.*?data-testid="value">([^<]*)</td>', content, flags=re.S)
    return dict(rows)


def page_figures(content: str) -> dict:
    """{code: (shown value, its unit, the exact value on hover)} from the figure tables of the page."""
    rows = re.findall(
        r'<tr data-code="([a-z_.]+)">.*?title="([^"]*)" data-testid="value">([^<]*)</td>\s*<td data-testid="unit">([^<]*)<',
        content,
        flags=re.S,
    )
    return {code: (text, unit, exact) for code, exact, text, unit in rows}


def test_every_code_in_article_order_with_the_json_value(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    response = cast["officer"].get(URL, PARAMS)
    content = response.content.decode()
    shown = page_values(content)
    assert list(shown) == [i.code for i in CATALOGUE]
    data = cast["officer"].get(reverse("reports:year_end_json"), PARAMS).json()["figures"]
    figures = page_figures(content)
    for code, value in data.items():
        expected = numbers.figure(code, value)
        assert shown[code] == expected.text and figures[code] == (expected.text, expected.unit, expected.exact), code
    # amounts from 1万 in 万元 with the exact yuan on hover; counts with their unit
    assert figures["cp.points"] == ("4", str(BY_CODE["cp.points"].unit), f"4 {BY_CODE['cp.points'].unit}")
    assert figures["pair.funds"] == ("40.00", "万元", "400,000.00 元")
    # the label comes first; the code is a small badge after it, and still the row's key
    row = content[content.index('<tr data-code="pair.funds">') :]
    assert (
        row.index(str(BY_CODE["pair.funds"].label)) < row.index('data-testid="code"') < row.index(">pair.funds</span>")
    )
    titles = [str(title) for title in SECTIONS.values()]
    positions = [content.index(title) for title in titles]
    assert positions == sorted(positions)  # 三大延伸, 三大渠道, 三大活动


def test_cut_off_in_chinese(cast):
    with translation.override("zh-hans"):
        content = cast["officer"].get(URL, PARAMS).content.decode()
    assert "截至2014年7月31日" in content


def test_staff_see_their_agency_only_and_another_agency_is_a_404(cast, agency_a, agency_b):
    build([agency_a], 1)
    build([agency_b], 3)
    response = cast["staff_a"].get(URL, PARAMS)
    assert page_values(response.content.decode())["cp.points"] == "1"
    assert [row.unit for row in response.context["agency_breakdown"].rows] == [agency_a]
    assert cast["staff_a"].get(URL, {**PARAMS, "agency": agency_b.code}).status_code == 404
    officer = cast["officer"].get(URL, {**PARAMS, "agency": agency_b.code})
    assert page_values(officer.content.decode())["cp.points"] == "3"
    assert cast["anonymous"].get(URL, PARAMS).status_code == 302


def test_bad_filters_show_the_message_and_no_figures(cast):
    response = cast["officer"].get(URL, {"year": 2014, "as_of": "2015-02-01"})
    assert response.status_code == 400
    assert str(MSG_BAD_AS_OF) in response.content.decode()
    assert "sections" not in response.context


def test_breakdowns_list_agencies_without_records_and_the_target_cities(cast, agency_a, agency_b):
    build([agency_a], 1)
    response = cast["officer"].get(URL, PARAMS)
    rows = {row.unit: row for row in response.context["agency_breakdown"].rows}
    assert rows[agency_b].figures == empty_figures() and not rows[agency_b].has_records
    cities = [row.unit for row in response.context["city_breakdown"].rows]
    assert all(city is None or city.level == "city" for city in cities)
    assert sum(1 for c in cities if c is not None and c.is_target_city) >= 1
    content = response.content.decode()
    assert 'data-testid="by-agency"' in content and 'data-testid="by-city"' in content
    assert agency_b.short_name in content


def test_city_filter_narrows_city_figures_only(cast, agency_a):
    build([agency_a], 2)
    point = f.ContactPointFactory(agency=agency_a)
    city = point.village.city
    response = cast["officer"].get(URL, {**PARAMS, "city": city.code})
    figures = response.context["figures"]
    assert figures == year_end_figures(year=2014, as_of=datetime.date(2014, 7, 31), city=city)
    assert [row.unit for row in response.context["city_breakdown"].rows] == [city]
    assert response.context["consistency"].ok


def test_consistency_panel_agrees_on_valid_data(cast, agency_a, agency_b):
    build([agency_a, agency_b], 2)
    response = cast["officer"].get(URL, PARAMS)
    report = response.context["consistency"]
    assert report.ok and report.checked > 100
    assert 'class="alert alert-success' in response.content.decode()


def test_consistency_panel_names_a_part_larger_than_its_whole(cast, agency_a):
    build([agency_a], 1)
    # A row written past the forms (as an import or a database fix might): 9 enterprise fees of 3.
    ChannelReturn.objects.update(fees_cancelled_enterprise=9)
    response = cast["officer"].get(URL, PARAMS)
    findings = response.context["consistency"].findings
    assert [finding.code for finding in findings] == ["approval.fees_cancelled_enterprise"]
    assert (
        'data-code="approval.fees_cancelled_enterprise"'
        in response.content.decode().split('data-testid="consistency"')[1]
    )


def test_consistency_checks_rates_and_breakdown_sums():
    figures = empty_figures()
    figures.update(
        {"approval.items_before": 100, "approval.items_after": 40, "approval.items_cut_rate": Decimal("50.00")}
    )
    figures.update({"cp.points": 5, "pair.village_orgs": 3})
    agency_rows = [empty_figures(), empty_figures()]
    agency_rows[0].update(
        {"cp.points": 2, "pair.village_orgs": 2, "approval.items_before": 100, "approval.items_after": 40}
    )
    agency_rows[1].update({"cp.points": 2, "pair.village_orgs": 2})
    report = consistency.check(figures, agency_rows)
    found = {(finding.code, finding.rule) for finding in report.findings}
    assert ("approval.items_cut_rate", str(consistency.RULE_RATE)) in found  # 60.00 computed, 50.00 shown
    assert ("cp.points", str(consistency.RULE_AGENCIES_SUM)) in found  # 2 + 2 ≠ 5
    assert not any(code == "pair.village_orgs" for code, _rule in found)  # shared: 4 ≥ 3 is fine
    agency_rows[1]["pair.village_orgs"] = 0
    report = consistency.check(figures, agency_rows)
    assert ("pair.village_orgs", str(consistency.RULE_AGENCIES_AT_LEAST)) in {(x.code, x.rule) for x in report.findings}


# Session, user with profile (2); the figures (15 sources); per agency (15) and the agencies (1); per
# city (the 8 sources with a city) and the cities (1); the filter form's agency and city choices (2);
# the year's latest published snapshot (1); the session saved (3: the year and as-of date asked for kept).
PAGE_QUERIES = 2 + 15 + 16 + 9 + 2 + 1 + 3 + 1  # + 1: the navigation's unread-notification badge (notices)


@pytest.mark.parametrize("scale", [1, 5])
def test_query_count_is_fixed(cast, agency_a, agency_b, django_assert_num_queries, scale):
    build([agency_a, agency_b, f.AgencyFactory()], scale)
    with django_assert_num_queries(PAGE_QUERIES):
        response = cast["officer"].get(URL, PARAMS)
    assert response.context["figures"]["cp.points"] == 3 * scale


def test_each_section_has_its_drafted_chinese_summary(cast, agency_a):
    build([agency_a], 1)
    response = cast["staff_a"].get(URL, PARAMS)
    summaries = [section.summary for section in response.context["sections"]]
    assert len(summaries) == 3 and all(summaries)
    assert summaries[0].startswith("截至2014年7月31日，" + agency_a.name)
    assert response.content.decode().count('data-testid="summary"') == 3


def test_every_figure_links_to_its_records_and_the_count_matches(cast, agency_a):
    build([agency_a], 2)
    response = cast["officer"].get(URL, PARAMS)
    rows = {
        row.indicator.code: row
        for section in response.context["sections"]
        for part in section.parts
        for row in part.rows
    }
    assert all(row.records_url for row in rows.values())
    listed = cast["officer"].get(rows["cp.points"].records_url)
    assert listed.context["table"].paginator.count == 2
    assert response.content.decode().count('data-testid="records-link"') == len(rows)


def test_downloads_and_publish_button_by_role(cast, agency_a):
    officer = cast["officer"].get(URL, PARAMS).content.decode()
    staff = cast["staff_a"].get(URL, PARAMS).content.decode()
    assert 'data-testid="download-xlsx"' in officer and 'data-testid="download-xlsx"' in staff
    assert 'data-testid="publish"' in officer and 'data-testid="publish"' not in staff
    assert "as_of=2014-07-31" in officer.split('data-testid="publish"')[0].rsplit("<a", 1)[1]


def test_published_figures_beside_current_with_changes_marked(cast, officer, agency_a):
    build([agency_a], 1)
    snapshot = publish_snapshot(year=2014, as_of=datetime.date(2014, 7, 31), user=officer, basis="all")
    f.ContactPointFactory(agency=agency_a)  # after publication
    response = cast["officer"].get(URL, PARAMS)
    assert response.context["compared"] and response.context["snapshot"] == snapshot
    changed = [
        row.indicator.code
        for s in response.context["sections"]
        for p in s.parts
        for row in p.rows
        if row.published and row.published.changed
    ]
    assert "cp.points" in changed and "pair.funds" not in changed
    assert response.context["changed_since_publication"] == len(changed)
    content = response.content.decode()
    assert 'data-testid="snapshot-banner"' in content
    assert content.count('data-testid="changed-marker"') == len(changed)
    row = next(
        r for s in response.context["sections"] for p in s.parts for r in p.rows if r.indicator.code == "cp.points"
    )
    assert row.published.published == 1 and row.value == 2
    listed = cast["officer"].get(row.published.records_url)
    assert listed.context["table"].paginator.count == 1  # only the contact point added since
    # Another cut-off is not compared inline, only pointed to.
    other = cast["officer"].get(URL, {"year": 2014, "as_of": "2014-06-30"})
    assert other.context["snapshot"] == snapshot and not other.context["compared"]


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("cp.points", 16904, "16,904"),
        ("pair.funds", Decimal("80123456.00"), "80,123,456.00"),
        ("zero.satisfaction", Decimal("99.98"), "99.98%"),
        ("zero.satisfaction", None, "—"),
        ("volunteer.hours", Decimal("1234.5"), "1,234.5"),
        ("cp.points", 0, "0"),
    ],
)
def test_figures_are_shown_with_separators_yuan_cents_and_percent(code, value, shown):
    assert display(code, value) == shown
