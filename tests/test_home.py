"""The home page and the area pages: each role sees its own scope."""

import re

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

    response = cast["staff_b"].get(reverse("home"), {"year": 2014})  # the factories' records are of 2014
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


# --- the monthly-return overview on the home page ---------------------------------------------

import datetime  # noqa: E402

from outreach.models import PeriodReturn  # noqa: E402
from outreach.services import lock_period  # noqa: E402
from tests.factories import AgencyFactory  # noqa: E402

Status = PeriodReturn.Status


def month_return(agency, month, status, **extra):
    return PeriodReturn.objects.create(agency=agency, year=2014, month=month, status=status, **extra)


def non_reporters(html: str) -> dict[str, str]:
    """The officer's panel of non-reporters: agency code → the periods it has not submitted."""
    rows = re.findall(
        r'data-testid="non-reporter-(A\d+)"><strong>[^<]*</strong>\s*<span class="text-muted small">[^<]*?[:：]\s*([^<]*)</span>',
        html,
    )
    assert len(rows) == html.count('data-testid="non-reporter-')
    return {code: periods.strip() for code, periods in rows}


@pytest.mark.django_db
def test_staff_home_shows_this_years_months_and_the_returned_ones_prominently(cast, today, officer, agency_a, agency_b):
    month_return(agency_a, 1, Status.APPROVED)
    month_return(agency_a, 2, Status.RETURNED, comment="二月走访户数与台账不符")
    month_return(agency_a, 3, Status.SUBMITTED)
    month_return(agency_b, 4, Status.RETURNED, comment="别的单位的意见")
    lock_period(user=officer, year=2014, month=1)

    response = cast["staff_a"].get(reverse("home"))

    months = {row.month: row for row in response.context["months"]}
    assert list(months) == [1, 2, 3, 4, 5, 6, 7]
    assert [months[m].status for m in (1, 2, 3, 4)] == [Status.APPROVED, Status.RETURNED, Status.SUBMITTED, Status.OPEN]
    assert months[1].lock is not None and months[2].lock is None
    assert [row.month for row in response.context["returned"]] == [2]
    html = response.content.decode()
    assert 'data-testid="returned-months"' in html and "二月走访户数与台账不符" in html
    assert "别的单位的意见" not in html
    assert counts(response)["帮扶联系点"] == 0  # the count cards are still there


@pytest.mark.django_db
def test_officer_home_shows_the_matrix_awaiting_reviews_and_non_reporters(cast, today, agency_a, agency_b):
    silent = AgencyFactory(code="A003", name="安徽省财政厅")  # no records, no returns: still listed
    AgencyFactory(code="A004", name="已撤并单位", is_active=False)  # inactive: not expected to report
    for month in range(1, 7):
        month_return(agency_a, month, Status.APPROVED if month < 6 else Status.SUBMITTED)
    for month in range(1, 6):
        month_return(agency_b, month, Status.SUBMITTED)
    month_return(agency_b, 6, Status.RETURNED, comment="请更正")

    response = cast["officer"].get(reverse("home"))

    overview = response.context["overview"]
    assert overview.months == [1, 2, 3, 4, 5, 6, 7]
    assert [row.agency for row in overview.rows] == [agency_a, agency_b, silent]
    assert [cell.status for cell in overview.rows[1].cells] == [Status.SUBMITTED] * 5 + [Status.RETURNED, Status.OPEN]
    # Submitted and awaiting review, per month: A's June and B's January to May.
    assert overview.awaiting_by_month == [1, 1, 1, 1, 1, 1, 0] and overview.awaiting_total == 6
    # The non-reporters (reports.completeness): July is not due yet (5 August), June was due on 5 July; B's
    # June is sent back, not missing; no channel return was ever filed, so no half-year is owed.
    html = response.content.decode()
    assert non_reporters(html) == {"A003": "2014年1月, 2014年2月, 2014年3月, 2014年4月, 2014年5月, 2014年6月"}
    assert str(silent) in html and "已撤并单位" not in html
    link = reverse("reports:completeness") + "?year=2014&amp;as_of=2014-07-15&amp;sort=missing"
    assert f'<a href="{link}" class="small" data-testid="completeness-link">' in html
    assert counts(response)["帮扶联系点"] == 0


@pytest.mark.django_db
def test_nav_links_follow_the_role(cast):
    staff = cast["staff_a"].get(reverse("home")).content.decode()
    assert reverse("returns") in staff and reverse("review") not in staff and reverse("locks") not in staff
    officer = cast["officer"].get(reverse("home")).content.decode()
    for name in ("review", "locks", "deleted_records"):
        assert reverse(name) in officer
    assert reverse("returns") not in officer


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_officer_home_query_count_does_not_grow_with_agencies(n, cast, today, officer, django_assert_num_queries):
    for i in range(n):
        agency = AgencyFactory()
        ContactPointFactory(agency=agency)
        month_return(agency, 1 + i % 6, Status.SUBMITTED)
    lock_period(user=officer, year=2014, month=1)
    # session, user with profile (role), four count cards (contact points, pairings, joint activities,
    # visits), active agencies, the year's returns, the year's locks, the years holding returns or
    # records for the year selector (one UNION); the non-reporters (reports.completeness: the year's
    # settings, active agencies, monthly returns, channel returns); the navigation's unread notifications;
    # the default year (the latest campaign year begun) and the configured years for the selector; the
    # open send-backs of any year (returned months; returned channel returns); the session unchanged is not
    # saved
    with django_assert_num_queries(19):
        response = cast["officer"].get(reverse("home"))
    assert len(response.context["overview"].rows) == n + 2  # agency_a and agency_b of the cast


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_staff_home_query_count_does_not_grow_with_records(n, cast, today, agency_a, django_assert_num_queries):
    for i in range(n):
        ContactPointFactory(agency=agency_a, start_date=datetime.date(2014, 1 + i % 7, 1))
    month_return(agency_a, 2, Status.RETURNED, comment="请更正")
    # session, user with profile (role and agency, also the navbar's), four count cards, the agency's returns
    # of the year, the year's locks, record counts (one UNION ALL), the agency's years holding returns or
    # records for the year selector (one UNION), the navigation's unread notifications; the default year and
    # the configured years for the selector; the open send-backs of any year (returned months and their
    # years' locks; returned channel returns); the session unchanged is not saved
    with django_assert_num_queries(16):
        response = cast["staff_a"].get(reverse("home"))
    assert sum(row.records for row in response.context["months"]) == n


# --- another year: ?year= and the year selector ----------------------------------------------


def selector_years(response):
    return [int(a.removeprefix("year-")) for a in re.findall(r'data-testid="(year-\d+)"', response.content.decode())]


@pytest.mark.django_db
def test_staff_home_shows_the_year_asked_for_and_offers_the_years_with_data(cast, today, agency_a, agency_b):
    month_return(agency_a, 3, Status.APPROVED)  # 2014, this (pinned) year
    PeriodReturn.objects.create(agency=agency_a, year=2012, month=11, status=Status.RETURNED, comment="十一月请更正")
    ContactPointFactory(agency=agency_a, start_date=datetime.date(2013, 4, 1))
    ContactPointFactory(agency=agency_b, start_date=datetime.date(2011, 4, 1))  # another agency's year: not offered

    response = cast["staff_a"].get(reverse("home"), {"year": 2012})

    assert response.context["year"] == 2012
    months = response.context["months"]
    assert [row.month for row in months] == list(range(1, 13))  # a past year: every month has begun
    assert [(row.month, row.status) for row in months if row.status != Status.OPEN] == [(11, Status.RETURNED)]
    assert [row.month for row in response.context["returned"]] == [11]
    assert selector_years(response) == [2014, 2013, 2012]
    html = response.content.decode()
    assert "十一月请更正" in html and "2012年月度报送" in html
    assert 'href="?year=2012" data-testid="year-2012" class="btn btn-primary active" aria-current="page"' in html

    # An open send-back shows whatever year is chosen (issue 13: "a send-back of 2014-08 is invisible").
    response = cast["staff_a"].get(reverse("home"), {"year": 2013})
    assert [(row.year, row.month) for row in response.context["returned"]] == [(2012, 11)]
    assert "十一月请更正" in response.content.decode()
    assert sum(row.records for row in response.context["months"]) == 1  # the 2013 contact point


@pytest.mark.django_db
def test_officer_home_shows_the_matrix_and_non_reporters_of_the_year_asked_for(cast, today, agency_a, agency_b):
    for month in range(1, 13):
        PeriodReturn.objects.create(agency=agency_a, year=2013, month=month, status=Status.APPROVED)
    PeriodReturn.objects.create(agency=agency_b, year=2013, month=12, status=Status.SUBMITTED)
    month_return(agency_b, 1, Status.APPROVED)

    response = cast["officer"].get(reverse("home"), {"year": 2013})

    overview = response.context["overview"]
    assert overview.year == 2013 and overview.months == list(range(1, 13))
    # as of 31 December 2013: December is due on 5 January 2014, not yet missing
    assert non_reporters(response.content.decode()) == {"A002": ", ".join(f"2013年{m}月" for m in range(1, 12))}
    assert overview.awaiting_by_month == [0] * 11 + [1]
    assert selector_years(response) == [2014, 2013]
    assert "2013年各单位月度报送" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "1999", ""])
def test_home_without_a_valid_year_shows_this_year(value, cast, today, agency_a):
    month_return(agency_a, 2, Status.SUBMITTED)
    response = cast["staff_a"].get(reverse("home"), {"year": value})
    assert response.context["year"] == 2014
    assert [row.month for row in response.context["months"]] == [1, 2, 3, 4, 5, 6, 7]
    assert response.context["months"][1].status == Status.SUBMITTED
    assert selector_years(response) == [2014]


@pytest.mark.django_db
def test_admin_home_has_no_year_selector(cast, today, agency_a):
    month_return(agency_a, 2, Status.SUBMITTED)
    response = cast["admin"].get(reverse("home"), {"year": 2014})
    assert "years" not in response.context and 'data-testid="year-selector"' not in response.content.decode()
