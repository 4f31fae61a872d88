"""Monthly returns in the browser: a clerk submits, an officer approves or returns with a comment."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from outreach.models import MSG_PERIOD_APPROVED, MSG_PERIOD_SUBMITTED, Official, PeriodReturn, period_label
from outreach.services import (
    MSG_COMMENT_REQUIRED,
    MSG_FUTURE_MONTH,
    MSG_NOT_SUBMITTABLE,
    MSG_NOT_UNDER_REVIEW,
    lock_period,
)
from tests.factories import (
    AgencyFactory,
    ContactPointFactory,
    JointActivityFactory,
    OfficialFactory,
    VisitFactory,
    VisitOutcomeFactory,
)

pytestmark = pytest.mark.django_db

Status = PeriodReturn.Status


@pytest.fixture
def leader_a(agency_a):
    return OfficialFactory(agency=agency_a, name="李明", rank=Official.Rank.DEPARTMENT)


def label(month: int) -> str:
    return str(period_label(datetime.date(2014, month, 1)))


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def submitted(agency, month, user=None, **extra):
    return PeriodReturn.objects.create(
        agency=agency,
        year=2014,
        month=month,
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
        **extra,
    )


# --- the clerk's returns page -------------------------------------------------------------


def test_returns_page_shows_each_begun_month_with_status_comment_lock_and_count(
    cast, today, officer, agency_a, agency_b, leader_a
):
    ContactPointFactory(agency=agency_a, official=leader_a, start_date=datetime.date(2014, 3, 1))
    JointActivityFactory(pairing__agency=agency_a, date=datetime.date(2014, 3, 9))  # its pairing begins in January
    VisitOutcomeFactory(
        visit__agency=agency_a, visit__start_date=datetime.date(2014, 5, 6)
    )  # a visit in May (its outcome goes with it)
    ContactPointFactory(agency=agency_b, start_date=datetime.date(2014, 3, 1))  # another agency's: not counted
    deleted = ContactPointFactory(agency=agency_a, official=leader_a, start_date=datetime.date(2014, 3, 2))
    deleted.delete()  # deleted records are out of every count
    PeriodReturn.objects.create(agency=agency_a, year=2014, month=2, status=Status.APPROVED)
    PeriodReturn.objects.create(
        agency=agency_a, year=2014, month=3, status=Status.RETURNED, comment="三月的联系点村名有误"
    )
    submitted(agency_a, 4)
    PeriodReturn.objects.create(agency=agency_b, year=2014, month=1, status=Status.APPROVED)
    lock_period(user=officer, year=2014, month=6)

    response = cast["staff_a"].get(reverse("returns"))

    rows = {row.month: row for row in response.context["months"]}
    assert list(rows) == [1, 2, 3, 4, 5, 6, 7]  # up to the current month, no further
    assert {m: row.status for m, row in rows.items()} == {
        1: Status.OPEN,
        2: Status.APPROVED,
        3: Status.RETURNED,
        4: Status.SUBMITTED,
        5: Status.OPEN,
        6: Status.OPEN,
        7: Status.OPEN,
    }
    assert {m: row.records for m, row in rows.items()} == {1: 1, 2: 0, 3: 2, 4: 0, 5: 1, 6: 0, 7: 0}
    assert [m for m, row in rows.items() if row.lock] == [6]
    assert [m for m, row in rows.items() if row.can_submit] == [1, 3, 5, 6, 7]
    html = response.content.decode()
    assert "三月的联系点村名有误" in html  # the officer's comment, in the table and in the returned list
    assert 'data-testid="returned-months"' in html
    assert 'data-testid="submit-3"' in html and 'data-testid="submit-4"' not in html
    assert 'data-testid="locked"' in html


def test_returns_page_shows_a_chosen_past_year_in_full(cast, today, agency_a):
    PeriodReturn.objects.create(agency=agency_a, year=2013, month=12, status=Status.APPROVED)
    response = cast["staff_a"].get(reverse("returns"), {"year": 2013})
    assert response.context["year"] == 2013
    assert [row.month for row in response.context["months"]] == list(range(1, 13))
    assert response.context["months"][-1].status == Status.APPROVED
    # A nonsense year falls back to the year kept for the session (2013, chosen above) instead of failing.
    assert cast["staff_a"].get(reverse("returns"), {"year": "abc"}).context["year"] == 2013


def test_staff_submits_a_month(cast, today, staff_a, agency_a):
    response = cast["staff_a"].post(reverse("return_submit"), {"year": 2014, "month": 5})
    assert response.status_code == 302 and response.headers["Location"] == reverse("returns") + "?year=2014"
    period = PeriodReturn.objects.get()
    assert (period.agency, period.month, period.status, period.submitted_by) == (agency_a, 5, Status.SUBMITTED, staff_a)
    page = cast["staff_a"].get(response.headers["Location"])
    assert {row.month: row.status for row in page.context["months"]}[5] == Status.SUBMITTED


def test_submitting_a_future_month_is_a_message_not_an_error_page(cast, today):
    response = cast["staff_a"].post(reverse("return_submit"), {"year": 2014, "month": 8})
    assert response.status_code == 302
    assert str(MSG_FUTURE_MONTH) in flash(response)
    assert PeriodReturn.objects.count() == 0


def test_submitting_a_month_under_review_again_is_refused_with_a_message(cast, today, agency_a):
    submitted(agency_a, 5)
    response = cast["staff_a"].post(reverse("return_submit"), {"year": 2014, "month": 5})
    expected = str(MSG_NOT_SUBMITTABLE) % {"period": label(5), "status": Status.SUBMITTED.label}
    assert flash(response) == [expected]
    assert PeriodReturn.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize("data", [{"year": 2014, "month": 13}, {"year": "x", "month": "y"}, {}])
def test_malformed_submit_is_a_message_and_saves_nothing(cast, today, data):
    response = cast["staff_a"].post(reverse("return_submit"), data)
    assert response.status_code == 302
    assert len(flash(response)) == 1
    assert PeriodReturn.objects.count() == 0


def test_officer_cannot_submit_nor_open_the_clerks_page(cast, today):
    assert cast["officer"].post(reverse("return_submit"), {"year": 2014, "month": 5}).status_code == 403
    assert cast["officer"].get(reverse("returns")).status_code == 403
    assert cast["admin"].post(reverse("return_submit"), {"year": 2014, "month": 5}).status_code == 403
    assert PeriodReturn.objects.count() == 0


def test_anonymous_is_sent_to_login(cast):
    for name in ("returns", "review"):
        response = cast["anonymous"].get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    response = cast["anonymous"].post(reverse("return_submit"), {"year": 2014, "month": 5})
    assert response.status_code == 302 and PeriodReturn.objects.count() == 0


# --- the whole workflow, through the pages -------------------------------------------------


def contact_point_form(point, **extra):
    return {
        "official": point.official_id,
        "village": point.village_id,
        "start_date": point.start_date.isoformat(),
        "end_date": "",
        "note": point.note,
        "version": point.version,
        **extra,
    }


def test_submit_return_correct_resubmit_approve(cast, today, staff_a, officer, leader_a):
    point = ContactPointFactory(agency=leader_a.agency, official=leader_a, start_date=datetime.date(2014, 3, 1))
    edit_url = reverse("pairings:contactpoint_edit", args=[point.pk])
    clerk, reviewer = cast["staff_a"], cast["officer"]

    # The clerk submits March.
    clerk.post(reverse("return_submit"), {"year": 2014, "month": 3})
    period = PeriodReturn.objects.get()
    assert period.status == Status.SUBMITTED

    # While it is under review, the clerk's edit is refused and nothing is saved.
    point.refresh_from_db()
    response = clerk.post(edit_url, contact_point_form(point, note="审核中的修改"))
    assert response.status_code == 200
    assert str(MSG_PERIOD_SUBMITTED) % {"period": label(3)} in response.context["form"].non_field_errors()
    point.refresh_from_db()
    assert point.note == ""

    # The officer sees it in the queue and returns it with a comment.
    queue = reviewer.get(reverse("review"))
    assert list(queue.context["returns"]) == [period]
    response = reviewer.post(reverse("return_send_back", args=[period.pk]), {"comment": "村名填错了，请更正"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.status, period.comment, period.reviewed_by) == (Status.RETURNED, "村名填错了，请更正", officer)

    # The clerk sees the comment on their home page and their returns page ...
    assert "村名填错了，请更正" in clerk.get(reverse("home")).content.decode()
    assert "村名填错了，请更正" in clerk.get(reverse("returns")).content.decode()
    # ... corrects the record (allowed again) ...
    response = clerk.post(edit_url, contact_point_form(point, note="已更正村名"))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.note == "已更正村名"
    # ... and submits again.
    clerk.post(reverse("return_submit"), {"year": 2014, "month": 3})
    period.refresh_from_db()
    assert period.status == Status.SUBMITTED

    # The officer approves.
    response = reviewer.post(reverse("return_approve", args=[period.pk]), {"next": reverse("review")})
    assert response.status_code == 302 and response.headers["Location"] == reverse("review")
    period.refresh_from_db()
    assert period.status == Status.APPROVED

    # Now the month is final: the clerk's edit is refused with the approved message, nothing saved.
    point.refresh_from_db()
    response = clerk.post(edit_url, contact_point_form(point, note="批准后的修改"))
    assert response.status_code == 200
    assert str(MSG_PERIOD_APPROVED) % {"period": label(3)} in response.context["form"].non_field_errors()
    point.refresh_from_db()
    assert point.note == "已更正村名"
    # Resubmitting an approved month is refused too.
    response = clerk.post(reverse("return_submit"), {"year": 2014, "month": 3})
    assert flash(response) == [str(MSG_NOT_SUBMITTABLE) % {"period": label(3), "status": Status.APPROVED.label}]


# --- the officers' review page --------------------------------------------------------------


def test_review_lists_submitted_returns_by_default_and_filters(cast, today, agency_a, agency_b):
    march_a = submitted(agency_a, 3)
    march_b = submitted(agency_b, 3)
    april_a = submitted(agency_a, 4)
    approved = PeriodReturn.objects.create(agency=agency_b, year=2014, month=2, status=Status.APPROVED)
    reviewer = cast["officer"]

    assert set(reviewer.get(reverse("review")).context["returns"]) == {march_a, march_b, april_a}
    by_agency = reviewer.get(reverse("review"), {"status": "submitted", "agency": agency_a.pk})
    assert set(by_agency.context["returns"]) == {march_a, april_a}
    by_month = reviewer.get(reverse("review"), {"status": "", "year": 2014, "month": 3})
    assert set(by_month.context["returns"]) == {march_a, march_b}
    by_status = reviewer.get(reverse("review"), {"status": "approved"})
    assert list(by_status.context["returns"]) == [approved]
    html = reviewer.get(reverse("review")).content.decode()
    assert f'data-testid="approve-{march_a.pk}"' in html


def test_returning_without_a_comment_is_a_field_error_and_changes_nothing(cast, today, agency_a):
    period = submitted(agency_a, 3)
    for comment in ("", "   "):
        response = cast["officer"].post(reverse("return_send_back", args=[period.pk]), {"comment": comment})
        assert response.status_code == 200
        assert response.context["form"].errors["comment"] == [str(MSG_COMMENT_REQUIRED)]
    period.refresh_from_db()
    assert (period.status, period.comment, period.reviewed_at) == (Status.SUBMITTED, "", None)


def test_reviewing_a_month_not_under_review_is_refused(cast, today, officer, agency_a):
    period = PeriodReturn.objects.create(agency=agency_a, year=2014, month=3, status=Status.RETURNED, comment="原意见")
    expected = str(MSG_NOT_UNDER_REVIEW) % {"period": label(3), "status": Status.RETURNED.label}
    response = cast["officer"].post(reverse("return_approve", args=[period.pk]))
    assert flash(response) == [expected]
    response = cast["officer"].post(reverse("return_send_back", args=[period.pk]), {"comment": "再退回"})
    assert response.status_code == 200 and expected in response.context["form"].non_field_errors()
    period.refresh_from_db()
    assert (period.status, period.comment) == (Status.RETURNED, "原意见")


def test_staff_cannot_review(cast, today, agency_a):
    period = submitted(agency_a, 3)
    assert cast["staff_a"].get(reverse("review")).status_code == 403
    assert cast["staff_a"].post(reverse("return_approve", args=[period.pk])).status_code == 403
    assert cast["staff_a"].post(reverse("return_send_back", args=[period.pk]), {"comment": "x"}).status_code == 403
    # Administrators read the queue but do not review.
    assert cast["admin"].get(reverse("review")).status_code == 200
    assert cast["admin"].post(reverse("return_approve", args=[period.pk])).status_code == 403
    period.refresh_from_db()
    assert period.status == Status.SUBMITTED and period.reviewed_at is None


def test_approve_ignores_a_foreign_next_url(cast, today, agency_a):
    period = submitted(agency_a, 3)
    response = cast["officer"].post(reverse("return_approve", args=[period.pk]), {"next": "https://evil.example/"})
    assert response.headers["Location"] == reverse("review")


# --- pinned query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_returns_page_query_count_does_not_grow_with_records(n, cast, today, agency_a, django_assert_num_queries):
    for i in range(n):
        VisitFactory(
            agency=agency_a, start_date=datetime.date(2014, 1 + i % 7, 1), end_date=datetime.date(2014, 1 + i % 7, 2)
        )
    for month in (1, 2, 3):
        submitted(agency_a, month)
    # session, user with profile (role and agency), the configured campaign years (the default year), the
    # agency's returns of the year with both users, the year's active locks, record counts by type (one
    # UNION ALL over every record model), the navbar's unread notifications; the session unchanged, not saved
    with django_assert_num_queries(7):
        response = cast["staff_a"].get(reverse("returns"))
    assert sum(row.records for row in response.context["months"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_review_page_query_count_does_not_grow_with_returns(n, cast, today, staff_a, django_assert_num_queries):
    for i in range(n):
        submitted(AgencyFactory(), 1 + i % 7, user=staff_a)
    # session, user with profile (role), the page count, the page of returns with agency and both
    # users, the page's record counts by agency, month and type (one UNION ALL), the navbar's unread
    # notifications, the agency choices of the filter; the session unchanged is not saved
    with django_assert_num_queries(7):
        response = cast["officer"].get(reverse("review"))
    assert response.context["paginator"].count == n


def test_the_second_page_of_the_default_queue_still_shows_only_submitted_returns(cast, today):
    for i in range(55):
        submitted(AgencyFactory(), 1 + i % 7)
    PeriodReturn.objects.create(agency=AgencyFactory(), year=2014, month=1, status=Status.APPROVED)
    response = cast["officer"].get(reverse("review"), {"page": 2})
    assert response.context["paginator"].count == 55
    assert len(response.context["returns"]) == 5
    assert {period.status for period in response.context["returns"]} == {Status.SUBMITTED}
