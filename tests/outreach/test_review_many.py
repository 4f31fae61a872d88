"""The review page, month by month: each month's records by type, several months approved at once, the status
grids opening an agency's month, and a returned month under a lock."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext

from outreach.models import PeriodReturn, period_label
from outreach.services import MSG_LOCKED_RETURNED, MSG_NOTHING_CHOSEN, lock_period, send_back, submit, submit_month
from outreach.signals import Step, review_step
from outreach.views import MSG_APPROVED_MANY, MSG_NOT_APPROVED_MANY
from tests.factories import (
    AgencyFactory,
    ChannelReturnFactory,
    ContactPointFactory,
    FourIntoEventFactory,
    VisitFactory,
)
from visits.models import ChannelReturn

pytestmark = pytest.mark.django_db

Status = PeriodReturn.Status


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def submitted(agency, month, **extra):
    return PeriodReturn.objects.create(
        agency=agency, year=2014, month=month, status=Status.SUBMITTED, submitted_at=timezone.now(), **extra
    )


def list_url(name, field, month, agency=None):
    params = {
        f"{field}_min": f"2014-{month:02d}-01",
        f"{field}_max": f"2014-{month:02d}-{[31, 28, 31, 30, 31, 30, 31][month - 1]}",
    }
    if agency is not None:
        params["agency"] = agency.pk
    return f"{reverse(name)}?{urlencode(params)}"


# --- approving several months at once ------------------------------------------------------------


def test_officer_approves_the_chosen_months_and_those_not_under_review_are_named(
    cast, today, officer, agency_a, agency_b
):
    march_a = submitted(agency_a, 3)
    march_b = submitted(agency_b, 3)
    april_a = submitted(agency_a, 4)  # not chosen: stays submitted
    approved_before = PeriodReturn.objects.create(agency=agency_b, year=2014, month=2, status=Status.APPROVED)
    returned = PeriodReturn.objects.create(agency=agency_b, year=2014, month=1, status=Status.RETURNED, comment="改")
    seen = []

    def receiver(sender, item, step, user, **kwargs):
        seen.append((item.pk, step, user))

    review_step.connect(receiver, weak=False)
    try:
        response = cast["officer"].post(
            reverse("return_approve_many"),
            {"pk": [march_a.pk, march_b.pk, approved_before.pk, returned.pk, "x"], "next": "/review/?status=submitted"},
        )
    finally:
        review_step.disconnect(receiver)

    assert response.status_code == 302 and response.headers["Location"] == "/review/?status=submitted"
    for period in (march_a, march_b, april_a, approved_before, returned):
        period.refresh_from_db()
    assert (march_a.status, march_a.reviewed_by, march_b.status, march_b.reviewed_by) == (
        Status.APPROVED,
        officer,
        Status.APPROVED,
        officer,
    )
    assert march_a.reviewed_at is not None and march_a.history.first().history_user == officer
    assert april_a.status == Status.SUBMITTED and april_a.reviewed_at is None
    assert (approved_before.status, approved_before.reviewed_by) == (Status.APPROVED, None)
    assert (returned.status, returned.comment) == (Status.RETURNED, "改")
    assert sorted(seen) == sorted([(march_a.pk, Step.APPROVED, officer), (march_b.pk, Step.APPROVED, officer)])
    assert flash(response) == [
        MSG_APPROVED_MANY % {"periods": f"{march_a}、{march_b}"},
        MSG_NOT_APPROVED_MANY
        % {"periods": f"{returned}（{Status.RETURNED.label}）、{approved_before}（{Status.APPROVED.label}）"},
    ]


def test_approving_none_chosen_is_a_message_and_changes_nothing(cast, today, agency_a):
    period = submitted(agency_a, 3)
    for data in ({}, {"pk": ["abc"]}, {"pk": [999]}):
        response = cast["officer"].post(reverse("return_approve_many"), data)
        assert response.status_code == 302 and response.headers["Location"] == reverse("review")
        assert flash(response) == [str(MSG_NOTHING_CHOSEN)]
        cast["officer"].get(response.headers["Location"])  # shows (and so clears) the message
    period.refresh_from_db()
    assert (period.status, period.reviewed_at) == (Status.SUBMITTED, None)


@pytest.mark.parametrize("who, code", [("staff_a", 403), ("admin", 403), ("anonymous", 302)])
def test_only_officers_approve_several_months(cast, today, agency_a, who, code):
    period = submitted(agency_a, 3)
    assert cast[who].post(reverse("return_approve_many"), {"pk": [period.pk]}).status_code == code
    period.refresh_from_db()
    assert (period.status, period.reviewed_at) == (Status.SUBMITTED, None)


def test_the_review_page_offers_a_checkbox_for_each_month_awaiting_review(cast, today, agency_a):
    awaiting = submitted(agency_a, 3)
    approved = PeriodReturn.objects.create(agency=agency_a, year=2014, month=2, status=Status.APPROVED)
    html = cast["officer"].get(reverse("review"), {"status": ""}).content.decode()
    assert f'action="{reverse("return_approve_many")}"' in html
    assert f'data-testid="pick-{awaiting.pk}"' in html and f'data-testid="pick-{approved.pk}"' not in html
    # Administrators read the queue without reviewing: no checkboxes, no bulk form.
    html = cast["admin"].get(reverse("review"), {"status": ""}).content.decode()
    assert 'data-testid="approve-many"' not in html and f'data-testid="pick-{awaiting.pk}"' not in html


# --- each month's records -------------------------------------------------------------------------


def test_each_month_on_the_review_page_links_to_its_records_by_type(cast, today, agency_a, agency_b):
    VisitFactory(agency=agency_a, start_date=datetime.date(2014, 3, 5), end_date=datetime.date(2014, 3, 6))
    VisitFactory(agency=agency_a, start_date=datetime.date(2014, 3, 31), end_date=datetime.date(2014, 3, 31))
    FourIntoEventFactory(agency=agency_a, date=datetime.date(2014, 3, 9))
    VisitFactory(agency=agency_a, start_date=datetime.date(2014, 4, 1), end_date=datetime.date(2014, 4, 1))  # April
    VisitFactory(agency=agency_b, start_date=datetime.date(2014, 3, 5), end_date=datetime.date(2014, 3, 5))  # B's
    march = submitted(agency_a, 3)
    april_b = submitted(agency_b, 4)

    response = cast["officer"].get(reverse("review"))

    rows = {period.pk: period for period in response.context["returns"]}
    assert rows[march.pk].records["total"] == 3
    assert [(link["model"], link["count"], link["url"]) for link in rows[march.pk].records["links"]] == [
        ("fourintoevent", 1, list_url("visits:fourintoevent_list", "date", 3, agency_a)),
        ("visit", 2, list_url("visits:visit_list", "start_date", 3, agency_a)),
    ]
    assert rows[april_b.pk].records == {"links": [], "total": 0}
    html = response.content.decode()
    assert f'href="{list_url("visits:visit_list", "start_date", 3, agency_a)}"'.replace("&", "&amp;") in html
    # The link's list shows exactly the month's records counted.
    listed = cast["officer"].get(list_url("visits:visit_list", "start_date", 3, agency_a))
    assert listed.context["table"].page.paginator.count == 2
    # The month itself opens the review page filtered to that agency and month.
    opened = f"?status=&amp;year=2014&amp;month=3&amp;agency={agency_a.pk}"
    assert f'href="{opened}" data-testid="open-month-{march.pk}"' in html


def test_the_review_page_filtered_to_one_agency_and_month_summarises_its_records(cast, today, agency_a):
    ContactPointFactory(agency=agency_a, start_date=datetime.date(2014, 5, 2))  # May, never submitted
    response = cast["officer"].get(reverse("review"), {"status": "", "year": 2014, "month": 5, "agency": agency_a.pk})
    assert list(response.context["returns"]) == []
    month = response.context["month"]
    assert (month["agency"], month["first_day"], month["total"]) == (agency_a, datetime.date(2014, 5, 1), 1)
    assert [link["url"] for link in month["links"]] == [
        list_url("pairings:contactpoint_list", "start_date", 5, agency_a)
    ]
    assert 'data-testid="month-summary"' in response.content.decode()


def test_the_clerks_returns_page_links_each_month_to_its_records(cast, today, agency_a):
    VisitFactory(agency=agency_a, start_date=datetime.date(2014, 2, 3), end_date=datetime.date(2014, 2, 3))
    response = cast["staff_a"].get(reverse("returns"))
    rows = {row.month: row for row in response.context["months"]}
    # a clerk's lists show their own agency only: no agency filter
    assert [link["url"] for link in rows[2].record_links] == [list_url("visits:visit_list", "start_date", 2)]
    assert rows[1].record_links == []
    html = response.content.decode()
    assert f'href="{list_url("visits:visit_list", "start_date", 2)}"'.replace("&", "&amp;") in html
    assert 'id="month-2"' in html


# --- the status grids ------------------------------------------------------------------------------


def test_each_cell_of_the_officers_grid_opens_that_agencys_month_on_the_review_page(cast, today, agency_a):
    submitted(agency_a, 3)
    html = cast["officer"].get(reverse("home"), {"year": 2014}).content.decode()
    url = f"{reverse('review')}?status=&amp;year=2014&amp;month=3&amp;agency={agency_a.pk}"
    assert f'href="{url}" title="{agency_a} · 2014-03" data-testid="cell-{agency_a.code}-3"' in html
    assert f'data-testid="cell-{agency_a.code}-7"' in html  # every month begun, submitted or not


def test_each_cell_of_the_clerks_grid_opens_that_month_on_the_returns_page(cast, today, agency_a):
    html = cast["staff_a"].get(reverse("home"), {"year": 2014}).content.decode()
    for month in range(1, 8):
        assert f'href="{reverse("returns")}?year=2014#month-{month}" data-testid="open-month-{month}"' in html


# --- a returned month under a lock -------------------------------------------------------------------


def test_a_returned_month_under_a_lock_offers_no_resubmit_and_says_to_ask_for_an_unlock(
    cast, today, staff_a, officer, agency_a
):
    period = submit_month(user=staff_a, year=2014, month=6)
    send_back(user=officer, item=period, comment="数额偏大")
    march = submit_month(user=staff_a, year=2014, month=3)
    send_back(user=officer, item=march, comment="三月有误")  # not locked: still offered
    lock_period(user=officer, year=2014, month=6)
    locked = gettext("This month is locked: to correct it, ask the working committee to unlock it.")

    returns = cast["staff_a"].get(reverse("returns"))
    rows = {row.month: row for row in returns.context["months"]}
    assert (rows[6].can_submit, rows[6].locked_returned, rows[3].can_submit, rows[3].locked_returned) == (
        False,
        True,
        True,
        False,
    )
    html = returns.content.decode()
    assert 'data-testid="submit-6"' not in html and 'data-testid="locked-returned-6"' in html
    assert 'data-testid="submit-3"' in html and 'data-testid="locked-returned-3"' not in html
    home = cast["staff_a"].get(reverse("home"), {"year": 2014}).content.decode()
    for page in (html, home):
        assert "数额偏大" in page  # the comment still shows ...
        assert page.count('data-testid="locked-returned"') == 1  # ... with the lock instead of "correct it"
        assert page.count('data-testid="correct-and-resubmit"') == 1  # March only
        assert locked in page
    assert 'data-testid="locked-returned-6"' in home

    # Resubmitting it anyway is refused, nothing changed.
    response = cast["staff_a"].post(reverse("return_submit"), {"year": 2014, "month": 6})
    assert flash(response) == [str(MSG_LOCKED_RETURNED) % {"period": period_label(datetime.date(2014, 6, 1))}]
    period.refresh_from_db()
    assert (period.status, period.comment) == (Status.RETURNED, "数额偏大")


def test_a_returned_channel_return_under_a_lock_says_to_ask_for_an_unlock(cast, agency_a, staff_a, officer):
    record = ChannelReturnFactory(agency=agency_a)  # 2014's first half: its period ends 30 June
    submit(user=staff_a, item=record)
    send_back(user=officer, item=record, comment="样本数有误")
    lock_period(user=officer, year=2014, month=6)
    page = cast["staff_a"].get(record.get_absolute_url())
    assert page.context["closed_message"] == str(MSG_LOCKED_RETURNED) % {"period": record.review_label()}
    assert not page.context["can_withdraw"]
    html = page.content.decode()
    assert 'data-testid="submit"' not in html and 'data-testid="edit"' not in html and "样本数有误" in html
    assert html.count('data-testid="closed-message"') == 1
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.RETURNED


# --- pinned query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_review_page_with_records_query_count_does_not_grow(n, cast, today, django_assert_num_queries):
    for i in range(n):
        agency = AgencyFactory()
        month = 1 + i % 6  # the factory's "four into" event is of the first half
        VisitFactory(agency=agency, start_date=datetime.date(2014, month, 2), end_date=datetime.date(2014, month, 2))
        FourIntoEventFactory(agency=agency, date=datetime.date(2014, month, 3))
        submitted(agency, month)
    # session, user with profile (role), the page count, the page of returns with agency and both users,
    # the page's record counts by agency, month and type (one UNION ALL), the navbar's unread
    # notifications, the agency choices of the filter; the session unchanged is not saved
    with django_assert_num_queries(7):
        response = cast["officer"].get(reverse("review"))
    assert sum(period.records["total"] for period in response.context["returns"]) == 2 * n
