"""A record that cannot change is shown read-only, with why and who can reopen it (issue 16 item 3).

Its month submitted (awaiting review), approved or locked: the edit page shows the record's values with no
input, no save and no delete button, the reason and what the clerk can do (withdraw the month's submission on
the monthly returns page while it awaits review; an approved month is final; a lock is lifted by the working
committee); the record's page offers no edit or delete; a POST to the edit or delete URL stays refused with
the same message and changes nothing. A month sent back is editable again.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import capfirst

from outreach.generic import MSG_APPROVED_FINAL, MSG_OPEN_RETURN, MSG_WITHDRAW_MONTH, MSG_WITHDRAW_RETURN
from outreach.models import MSG_PERIOD_APPROVED, MSG_PERIOD_LOCKED, MSG_PERIOD_SUBMITTED, period_label
from outreach.services import approve, lock_period, send_back, submit, submit_month
from tests.factories import ChannelReturnFactory, VisitFactory, VisitOutcomeFactory
from tests.record_specs import DATED_SPECS
from tests.visits.service_specs import FIVE_INTO
from visits.models import ChannelReturn, Visit, VisitOutcome
from visits.models.channels import MSG_RETURN_CLOSED

pytestmark = pytest.mark.django_db

MAY = period_label(datetime.date(2014, 5, 1))
RETURNS_2014 = f"{reverse('returns')}?{urlencode({'year': 2014})}"


def close(state, *, staff, officer):
    """Bring May 2014 of the clerk's agency into `state`."""
    if state == "locked":
        lock_period(user=officer, year=2014, month=5)
        return
    period = submit_month(user=staff, year=2014, month=5)
    if state == "approved":
        approve(user=officer, item=period)
    elif state == "returned":
        send_back(user=officer, item=period, comment="户数有误")


#: state → (the reason, what the clerk can do, the page where they do it)
CLOSED = {
    "submitted": (MSG_PERIOD_SUBMITTED, MSG_WITHDRAW_MONTH, RETURNS_2014),
    "approved": (MSG_PERIOD_APPROVED, MSG_APPROVED_FINAL, None),
    "locked": (MSG_PERIOD_LOCKED, None, None),
}


@pytest.fixture
def visit(agency_a):
    record = VisitFactory(agency=agency_a, households=8, note="原记录")  # 6–8 May 2014
    VisitOutcomeFactory(visit=record, financing=Decimal("2000000.00"), businesses_helped=3)
    return record


def visit_post(visit, **changes):
    """The visit's edit form as the browser would post it, with its outcome row, and `changes`."""
    outcome = visit.outcomes.get()
    data = {
        "official": visit.official_id,
        "start_date": "2014-05-06",
        "end_date": "2014-05-08",
        "is_village_stay": "on",
        "place": "",
        "households": "8",
        "enterprises": "0",
        "communities": "0",
        "villager_groups": "0",
        "forums": "0",
        "opinions": "0",
        "note": "原记录",
        "version": visit.version,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-id": outcome.pk,
        "items-0-visit": visit.pk,
        "items-0-version": outcome.version,
        "items-0-businesses_helped": "3",
        "items-0-business_problems": "1",
        "items-0-financing": "2000000.00",
        "items-0-migrant_cases": "0",
        "items-0-difficulties": "0",
        "items-0-note": "",
    }
    data.update(changes)
    return data


def stored(visit):
    return Visit.all_objects.values().get(pk=visit.pk), list(VisitOutcome.all_objects.filter(visit=visit).values())


def label_of(name):
    return capfirst(str(Visit._meta.get_field(name).verbose_name))


def url(action, record):
    return reverse(f"visits:visit_{action}", args=[record.pk])


def assert_closed_notice(html, state):
    reason, remedy, link = CLOSED[state]
    assert str(reason) % {"period": MAY} in html
    if remedy is None:
        assert 'data-testid="closed-remedy"' not in html
    else:
        assert str(remedy) in html
    assert (f'href="{link}" data-testid="closed-link"' in html.replace("&amp;", "&")) if link else True
    assert ('data-testid="closed-link"' in html) == (link is not None)


@pytest.mark.parametrize("state", CLOSED)
def test_the_edit_page_of_a_closed_month_shows_the_record_read_only_with_why(
    cast, staff_a, officer, visit, state, today
):
    close(state, staff=staff_a, officer=officer)
    page = cast["staff_a"].get(url("edit", visit))
    assert page.status_code == 200 and page.context["form"] is None
    html = page.content.decode()
    assert 'data-testid="record-form"' not in html and 'name="_save"' not in html
    assert 'name="households"' not in html and 'name="items-0-financing"' not in html  # no input at all
    assert url("delete", visit) not in html
    assert_closed_notice(html, state)
    shown = page.context["read_only"]
    fields = {str(label): value for label, value in shown["fields"]}
    assert fields[label_of("households")] == 8 and fields[label_of("note")] == "原记录"
    assert shown["items"]["rows"][0][:3] == [3, 1, Decimal("2000000.00")]
    assert 'data-testid="read-only-items"' in html


@pytest.mark.parametrize("state", CLOSED)
def test_the_record_page_of_a_closed_month_offers_no_edit_or_delete(cast, staff_a, officer, visit, state, today):
    close(state, staff=staff_a, officer=officer)
    html = cast["staff_a"].get(visit.get_absolute_url()).content.decode()
    assert url("edit", visit) not in html and url("delete", visit) not in html
    assert_closed_notice(html, state)


@pytest.mark.parametrize("state", CLOSED)
def test_saving_or_deleting_a_closed_record_stays_refused_and_changes_nothing(
    cast, staff_a, officer, visit, state, today
):
    close(state, staff=staff_a, officer=officer)
    before = stored(visit)
    reason = str(CLOSED[state][0]) % {"period": MAY}

    edit = cast["staff_a"].post(url("edit", visit), visit_post(visit, households="99", **{"items-0-financing": "1"}))
    assert edit.status_code == 200 and edit.context["form"].non_field_errors() == [reason]
    assert edit.context["read_only"] and 'name="_save"' not in edit.content.decode()
    # The page shows the record as stored, not what was posted.
    assert {str(label): value for label, value in edit.context["read_only"]["fields"]}[label_of("households")] == 8

    confirm = cast["staff_a"].get(url("delete", visit))
    assert confirm.status_code == 200 and 'type="submit" class="btn btn-danger"' not in confirm.content.decode()
    assert confirm.context["closed"].reason == reason
    assert_closed_notice(confirm.content.decode(), state)
    delete = cast["staff_a"].post(url("delete", visit))
    assert delete.status_code == 409 and reason in delete.content.decode()

    assert stored(visit) == before


def test_a_month_sent_back_is_editable_again(cast, staff_a, officer, visit, today):
    close("returned", staff=staff_a, officer=officer)
    page = cast["staff_a"].get(url("edit", visit))
    html = page.content.decode()
    assert page.context["read_only"] is None and 'name="_save"' in html and 'data-testid="closed-message"' not in html
    detail = cast["staff_a"].get(visit.get_absolute_url()).content.decode()
    assert url("edit", visit) in detail and url("delete", visit) in detail
    saved = cast["staff_a"].post(url("edit", visit), visit_post(visit, households="9"))
    assert saved.status_code == 302
    visit.refresh_from_db()
    assert visit.households == 9


def test_moving_an_open_record_into_a_locked_month_is_an_error_on_the_form_not_a_read_only_page(
    cast, staff_a, officer, visit, today
):
    lock_period(user=officer, year=2014, month=4)
    response = cast["staff_a"].post(url("edit", visit), visit_post(visit, start_date="2014-04-29"))
    day = datetime.date(2014, 4, 29)
    assert response.context["read_only"] is None
    assert response.context["form"].non_field_errors() == [str(MSG_PERIOD_LOCKED) % {"period": period_label(day)}]
    assert 'name="_save"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.start_date == datetime.date(2014, 5, 6)


@pytest.mark.parametrize("spec", DATED_SPECS, ids=str)
def test_every_record_type_in_a_locked_month_is_read_only(cast, officer, agency_a, spec):
    record = spec.make(agency_a)
    day = record.period_date
    lock_period(user=officer, year=day.year, month=day.month)
    page = cast["staff_a"].get(spec.url("edit", record.pk))
    html = page.content.decode()
    assert page.context["read_only"]["fields"] and 'name="_save"' not in html
    assert str(MSG_PERIOD_LOCKED) % {"period": period_label(day)} in html
    assert spec.url("edit", record.pk) not in cast["staff_a"].get(record.get_absolute_url()).content.decode()


def test_a_five_into_actions_read_only_page_leaves_out_the_other_kinds_figures(cast, officer, agency_a):
    record = FIVE_INTO.make(agency_a)
    lock_period(user=officer, year=record.date.year, month=record.date.month)
    page = cast["staff_a"].get(FIVE_INTO.url("edit", record.pk))
    labels = {str(label) for label, _value in page.context["read_only"]["fields"]}

    def label(name):
        return capfirst(str(record._meta.get_field(name).verbose_name))

    own = {label(name) for name in record.YIELDS[record.kind]}
    others = {label(name) for name in record.yield_fields()} - own
    assert own and others and own <= labels and not others & labels


def test_a_submitted_channel_return_points_to_its_page_to_withdraw(cast, staff_a, agency_a):
    record = ChannelReturnFactory(agency=agency_a)
    submit(user=staff_a, item=record)
    page = cast["staff_a"].get(reverse("visits:channelreturn_edit", args=[record.pk]))
    html = page.content.decode()
    status = ChannelReturn.Status.SUBMITTED.label
    assert str(MSG_RETURN_CLOSED) % {"status": status} in html and str(MSG_WITHDRAW_RETURN) in html
    assert f'href="{record.get_absolute_url()}" data-testid="closed-link">{MSG_OPEN_RETURN}' in html
    assert 'name="_save"' not in html
    # On the return's own page the Withdraw button is there: no link to the page itself.
    detail = cast["staff_a"].get(record.get_absolute_url()).content.decode()
    assert str(MSG_WITHDRAW_RETURN) in detail and 'data-testid="closed-link"' not in detail
    assert 'data-testid="withdraw"' in detail
