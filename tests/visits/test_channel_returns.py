"""Channel returns: the model's rules, rates from their parts, drafts, submission and review, in the browser's terms."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import MSG_PERIOD_LOCKED, period_label
from outreach.services import MSG_COMMENT_REQUIRED, MSG_NOT_UNDER_REVIEW, lock_period, submit
from outreach.validation import MSG_NEGATIVE_COUNT
from tests.factories import AgencyFactory, ChannelReturnFactory
from tests.helpers import assert_rejected
from visits.forms import MSG_LAST_PERIOD, MSG_NO_PREVIOUS, MSG_UNANSWERED, last_value
from visits.models import ChannelReturn
from visits.models.channels import (
    MSG_AFTER_ABOVE_BEFORE,
    MSG_CHIEF_ABOVE_ITEMS,
    MSG_DUPLICATE_RETURN,
    MSG_ENTERPRISE_ABOVE_FEES,
    MSG_HALF_FOR_YEAR,
    MSG_HALF_NEEDED,
    MSG_INCOMPLETE,
    MSG_PERIOD_NOT_ENDED,
    MSG_RETURN_CLOSED,
    MSG_SATISFIED_ABOVE_RESPONSES,
    MSG_TIME_AFTER_ABOVE_BEFORE,
)
from visits.tables import MSG_FILLED, ChannelReturnTable

pytestmark = pytest.mark.django_db

LIST = reverse("visits:channelreturn_list")
ADD = reverse("visits:channelreturn_add")
SWITCHES = ChannelReturn.QUESTIONS


def label(field: str) -> str:
    """A field's label in the active language (the page's)."""
    return str(ChannelReturn._meta.get_field(field).verbose_name)


def url(name, record):
    return reverse(f"visits:channelreturn_{name}", args=[record.pk])


def form_data(**overrides):
    """What the form posts for a complete 2014 first-half return (the factory's figures)."""
    data = {"year": 2014, "period_kind": "half", "half": 1, "cleanup_round": "", "note": ""}
    for name in ChannelReturn.REQUIRED + SWITCHES + ("cleanup_round",):
        data[name] = getattr(ChannelReturnFactory, name)
    data.update(overrides)
    posted = {}
    for name, value in data.items():
        if name in ChannelReturn.QUESTIONS:  # 是 / 否 / 未填, as the radio buttons post them
            posted[name] = {True: "true", False: "false", None: "unknown"}[value]
        elif value is True:
            posted[name] = "on"
        elif value is False or value is None:
            if name not in SWITCHES:
                posted[name] = ""
        else:
            posted[name] = str(value)
    return posted


def follow_messages(client, response):
    """The flash messages shown on the page a POST redirected to."""
    assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form")
    return [str(m) for m in client.get(response.headers["Location"]).context["messages"]]


def column(sheet, name):
    """The index of a table column in an exported sheet, by its (translated) heading."""
    return sheet[0].index(str(ChannelReturnTable.base_columns[name].verbose_name))


def closed(status):
    return str(MSG_RETURN_CLOSED) % {"status": ChannelReturn.Status(status).label}


def last(value):
    return f">{MSG_LAST_PERIOD % {'value': last_value(value)}}<"


def incomplete_message(record):
    labels = "、".join(str(ChannelReturn._meta.get_field(name).verbose_name) for name in record.missing_fields())
    return str(MSG_INCOMPLETE) % {"fields": labels}


# --- the model's rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, field, message, params",
    [
        (
            {"survey_responses": 100, "survey_satisfied": 101},
            "survey_satisfied",
            MSG_SATISFIED_ABOVE_RESPONSES,
            {"responses": 100},
        ),
        ({"items_before": 40, "items_after": 41}, "items_after", MSG_AFTER_ABOVE_BEFORE, {"before": 40}),
        (
            {"time_limit_before": 600, "time_limit_after": 601},
            "time_limit_after",
            MSG_TIME_AFTER_ABOVE_BEFORE,
            {"before": 600},
        ),
        (
            {"fees_cancelled": 3, "fees_cancelled_enterprise": 4},
            "fees_cancelled_enterprise",
            MSG_ENTERPRISE_ABOVE_FEES,
            {"fees": 3},
        ),
        (
            {"convenience_items": 6, "convenience_with_chief": 7},
            "convenience_with_chief",
            MSG_CHIEF_ABOVE_ITEMS,
            {"items": 6},
        ),
        ({"period_kind": "half", "half": None}, "half", MSG_HALF_NEEDED, None),
        ({"period_kind": "year", "half": 1}, "half", MSG_HALF_FOR_YEAR, None),
    ],
)
def test_model_refuses_a_part_above_its_whole_and_a_wrong_half(agency_a, changes, field, message, params):
    assert_rejected(ChannelReturnFactory.build(agency=agency_a, **changes), field, message, params)
    assert ChannelReturn.all_objects.count() == 0


def test_the_form_puts_the_rule_on_its_field_and_saves_nothing(cast):
    response = cast["staff_a"].post(ADD, form_data(survey_responses=100, survey_satisfied=101))
    assert response.status_code == 200
    assert response.context["form"].errors["survey_satisfied"] == [
        str(MSG_SATISFIED_ABOVE_RESPONSES) % {"responses": 100}
    ]
    assert ChannelReturn.all_objects.count() == 0


def test_a_negative_figure_is_refused_on_its_field(cast):
    response = cast["staff_a"].post(ADD, form_data(licences=-1))
    assert response.context["form"].errors["licences"] == [str(MSG_NEGATIVE_COUNT)]
    assert ChannelReturn.all_objects.count() == 0


# --- rates from their parts -----------------------------------------------------------------


def test_rates_are_computed_from_their_parts(agency_a):
    record = ChannelReturnFactory(agency=agency_a)  # 4999 of 5000 satisfied; 40 → 12 items; 600 → 290 days
    assert record.satisfaction_rate == Decimal("99.98")
    assert record.items_cut_rate == Decimal("70.00")
    assert record.time_cut_rate == Decimal("51.67")


ZERO_PARTS = dict(
    survey_responses=0, survey_satisfied=0, items_before=0, items_after=0, time_limit_before=0, time_limit_after=0
)


def test_a_zero_or_missing_denominator_gives_no_rate(agency_a):
    zero = ChannelReturnFactory(agency=agency_a, **ZERO_PARTS)
    assert (zero.satisfaction_rate, zero.items_cut_rate, zero.time_cut_rate) == (None, None, None)
    empty = ChannelReturnFactory(agency=agency_a, half=2, **dict.fromkeys(ZERO_PARTS))
    assert (empty.satisfaction_rate, empty.items_cut_rate, empty.time_cut_rate) == (None, None, None)


def test_undefined_rates_show_a_dash_on_the_pages_and_an_empty_cell_in_excel(cast, agency_a):
    record = ChannelReturnFactory(agency=agency_a, **ZERO_PARTS)
    listing = cast["staff_a"].get(LIST)
    row = listing.context["table"].rows[0]
    assert [row.get_cell(name) for name in ("satisfaction_rate", "items_cut_rate", "time_cut_rate")] == ["—"] * 3
    detail = cast["staff_a"].get(record.get_absolute_url())
    rates = {
        row["name"]: row["value"] for group in detail.context["groups"] for row in group["rows"] if row.get("computed")
    }
    assert rates == {"satisfaction_rate": "—", "items_cut_rate": "—", "time_cut_rate": "—"}
    assert 'data-testid="value-satisfaction_rate">—<' in detail.content.decode()

    sheet = export(cast["staff_a"])
    for name in ("satisfaction_rate", "items_cut_rate", "time_cut_rate"):
        assert sheet[1][column(sheet, name)] is None


def export(client, query=""):
    response = client.get(f"{LIST}?{query}&export=xlsx" if query else f"{LIST}?export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    _title, *rows, _totals = [list(row) for row in book.active.iter_rows(values_only=True)]
    return rows  # the header and the returns


def test_list_shows_rates_completeness_and_flow_totals_and_excel_has_rates_as_numbers(cast, agency_a):
    ChannelReturnFactory(agency=agency_a)
    ChannelReturnFactory(agency=agency_a, half=2, opinions=80, licences=None)
    response = cast["staff_a"].get(LIST)
    table = response.context["table"]
    assert table.totals["opinions"] == 200 and table.totals["licences"] == 1500
    cells = {row.record.half: row for row in table.rows}
    assert cells[1].get_cell("satisfaction_rate") == "99.98%"
    total = len(ChannelReturn.REQUIRED)  # 22 figures
    assert cells[1].get_cell_value("completeness") == MSG_FILLED % {"filled": total, "total": total}
    assert cells[2].get_cell_value("completeness") == MSG_FILLED % {"filled": total - 1, "total": total}
    assert cells[2].get_cell("licences") == "—"

    sheet = export(cast["staff_a"], "half=1")
    assert len(sheet) == 2
    assert sheet[1][column(sheet, "satisfaction_rate")] == pytest.approx(99.98)
    assert sheet[1][column(sheet, "items_cut_rate")] == pytest.approx(70.0)
    assert sheet[1][column(sheet, "time_cut_rate")] == pytest.approx(51.67)
    assert sheet[1][column(sheet, "opinions")] == 120


def test_list_filters_by_year_period_half_and_status(cast, agency_a):
    first = ChannelReturnFactory(agency=agency_a)
    second = ChannelReturnFactory(agency=agency_a, half=2, status=ChannelReturn.Status.SUBMITTED)
    yearly = ChannelReturnFactory(agency=agency_a, period_kind="year", half=None, year=2013)

    def shown(query):
        return {row.record for row in cast["staff_a"].get(LIST, query).context["table"].rows}

    assert shown({"year": 2014}) == {first, second}
    assert shown({"period_kind": "year"}) == {yearly}
    assert shown({"half": 2}) == {second}
    assert shown({"status": "submitted"}) == {second}
    assert shown({"status": "open"}) == {first, yearly}


def test_officers_filter_by_agency_and_staff_see_only_their_own(cast, agency_a, agency_b):
    mine = ChannelReturnFactory(agency=agency_a)
    theirs = ChannelReturnFactory(agency=agency_b)
    assert [row.record for row in cast["staff_a"].get(LIST).context["table"].rows] == [mine]
    rows = cast["officer"].get(LIST, {"agency": agency_b.pk}).context["table"].rows
    assert [row.record for row in rows] == [theirs]


# --- drafts, submission and review ---------------------------------------------------------


def test_a_draft_is_saved_with_figures_missing(cast, staff_a):
    later = [name for name in ChannelReturn.REQUIRED if name not in ChannelReturn.OPINION_FLOWS]
    response = cast["staff_a"].post(ADD, form_data(**dict.fromkeys(later)))
    record = ChannelReturn.objects.get()
    assert response.headers["Location"] == record.get_absolute_url()
    assert record.status == ChannelReturn.Status.OPEN and record.created_by == staff_a
    assert record.missing_fields() == later
    assert record.opinions == 120 and record.period_end == datetime.date(2014, 6, 30)


def test_submitting_an_incomplete_return_lists_what_is_missing_and_keeps_the_draft(cast, agency_a):
    record = ChannelReturnFactory(agency=agency_a, licences=None, survey_satisfied=None)
    shown = follow_messages(cast["staff_a"], cast["staff_a"].post(url("submit", record)))
    assert shown == [incomplete_message(record)]
    assert label("licences") in shown[0] and label("survey_satisfied") in shown[0]
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.OPEN and record.submitted_at is None


def test_a_return_cannot_be_submitted_before_its_period_ends(cast, agency_a):
    record = ChannelReturnFactory(agency=agency_a, year=timezone.localdate().year + 1)
    shown = follow_messages(cast["staff_a"], cast["staff_a"].post(url("submit", record)))
    assert shown == [str(MSG_PERIOD_NOT_ENDED)]
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.OPEN


def test_submit_return_correct_resubmit_approve_then_closed(cast, agency_a, staff_a, officer):
    record = ChannelReturnFactory(agency=agency_a)
    clerk, reviewer = cast["staff_a"], cast["officer"]

    clerk.post(url("submit", record), follow=True)
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.SUBMITTED and record.submitted_by == staff_a

    # Submitted: the clerk can no longer change it; the page offers no edit.
    refused = clerk.post(url("edit", record), form_data(opinions=1, version=record.version))
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [closed("submitted")]
    assert not clerk.get(record.get_absolute_url()).context["can_edit"]

    # Returning needs a comment.
    empty = reviewer.post(url("send_back", record), {"comment": "  "})
    assert empty.status_code == 200 and empty.context["form"].errors["comment"] == [str(MSG_COMMENT_REQUIRED)]
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.SUBMITTED

    reviewer.post(url("send_back", record), {"comment": "满意度调查样本数有误，请核实。"}, follow=True)
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.RETURNED and record.reviewed_by == officer
    page = clerk.get(record.get_absolute_url())
    assert page.context["can_edit"] and "满意度调查样本数有误" in page.content.decode()

    # Returned: editable again; the clerk corrects and resubmits.
    corrected = clerk.post(
        url("edit", record), form_data(survey_responses=4800, survey_satisfied=4790, version=record.version)
    )
    assert corrected.status_code == 302
    clerk.post(url("submit", record), follow=True)
    record.refresh_from_db()
    assert (record.status, record.survey_responses) == (ChannelReturn.Status.SUBMITTED, 4800)

    reviewer.post(url("approve", record), {"comment": ""}, follow=True)
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.APPROVED

    # Approved: closed for good (edit, its form, delete), and it cannot be approved twice.
    version = record.version
    refused = clerk.post(url("edit", record), form_data(opinions=1, version=version))
    assert refused.context["form"].non_field_errors() == [closed("approved")]
    assert clerk.post(url("delete", record)).status_code == 409
    again = follow_messages(reviewer, reviewer.post(url("approve", record)))
    assert again == [
        str(MSG_NOT_UNDER_REVIEW) % {"period": record.period_name(), "status": record.get_status_display()}
    ]
    record.refresh_from_db()
    assert (record.version, record.opinions, record.is_deleted) == (version, 120, False)
    # The history tells the story, newest first: approved, resubmitted, corrected, returned, submitted, created.
    history = clerk.get(record.get_absolute_url()).context["history"]
    assert [entry["version"].status for entry in history] == [
        "approved",
        "submitted",
        "returned",
        "returned",
        "submitted",
        "open",
    ]
    assert [entry["version"].history_user for entry in history] == [officer, staff_a, staff_a, officer, staff_a, None]


def test_a_second_return_for_the_same_period_is_refused(cast, agency_a, agency_b):
    ChannelReturnFactory(agency=agency_a)
    response = cast["staff_a"].post(ADD, form_data(note="第二份"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(MSG_DUPLICATE_RETURN)]
    assert ChannelReturn.objects.count() == 1
    # Another agency's return for the same period is no clash.
    ChannelReturnFactory(agency=agency_b)
    assert ChannelReturn.objects.count() == 2


def test_a_second_yearly_return_is_refused_too(cast, agency_a):
    # A yearly return's half is NULL, which a unique constraint cannot compare: the model checks it.
    ChannelReturnFactory(agency=agency_a, period_kind="year", half=None)
    response = cast["staff_a"].post(ADD, form_data(period_kind="year", half=None))
    assert response.context["form"].non_field_errors() == [str(MSG_DUPLICATE_RETURN)]
    assert ChannelReturn.objects.count() == 1


def test_a_deleted_return_cannot_be_restored_over_a_new_one(cast, agency_a, staff_a):
    old = ChannelReturnFactory(agency=agency_a)
    old.delete(user=staff_a)
    ChannelReturnFactory(agency=agency_a)
    shown = follow_messages(
        cast["officer"], cast["officer"].post(reverse("record_restore", args=["visits", "channelreturn", old.pk]))
    )
    assert shown == [str(MSG_DUPLICATE_RETURN)]
    old.refresh_from_db()
    assert old.is_deleted


def test_a_lock_on_the_periods_end_refuses_edits(cast, agency_a, officer):
    record = ChannelReturnFactory(agency=agency_a)
    lock_period(user=officer, year=2014, month=6)
    response = cast["staff_a"].post(url("edit", record), form_data(opinions=1, version=record.version))
    assert response.context["form"].non_field_errors() == [
        str(MSG_PERIOD_LOCKED) % {"period": period_label(datetime.date(2014, 6, 1))}
    ]
    record.refresh_from_db()
    assert record.opinions == 120
    # A lock on another month leaves the second half alone.
    second = ChannelReturnFactory(agency=agency_a, half=2)
    ok = cast["staff_a"].post(url("edit", second), form_data(half=2, opinions=1, version=second.version))
    assert ok.status_code == 302


def test_a_lock_refuses_submitting_a_return_but_not_reviewing_one(cast, agency_a, staff_a, officer):
    # Submitting is the agency's change, which a lock refuses; a review changes the status only, locked or not.
    draft = ChannelReturnFactory(agency=agency_a)
    submitted = ChannelReturnFactory(agency=agency_a, half=2)
    submit(user=staff_a, item=submitted)
    lock_period(user=officer, year=2014)
    shown = follow_messages(cast["staff_a"], cast["staff_a"].post(url("submit", draft)))
    assert shown == [str(MSG_PERIOD_LOCKED) % {"period": period_label(datetime.date(2014, 6, 1))}]
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (ChannelReturn.Status.OPEN, 1)
    cast["officer"].post(url("approve", submitted), {"comment": ""})
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version, submitted.updated_by) == (ChannelReturn.Status.APPROVED, 3, officer)
    assert submitted.history.first().history_user == officer


def test_another_agencys_return_is_404_everywhere(cast, agency_b):
    other = ChannelReturnFactory(agency=agency_b)
    for name in ("detail", "edit", "delete"):
        assert cast["staff_a"].get(url(name, other)).status_code == 404
    for name in ("edit", "delete", "submit"):
        assert cast["staff_a"].post(url(name, other), form_data()).status_code == 404
    other.refresh_from_db()
    assert (other.status, other.version, other.is_deleted) == (ChannelReturn.Status.OPEN, 1, False)


def test_officers_review_but_never_edit(cast, agency_a):
    record = ChannelReturnFactory(agency=agency_a)
    assert cast["officer"].post(url("submit", record)).status_code == 403
    assert cast["officer"].post(url("edit", record), form_data()).status_code == 403
    assert cast["admin"].post(url("approve", record)).status_code == 403
    record.refresh_from_db()
    assert (record.status, record.version) == (ChannelReturn.Status.OPEN, 1)
    # Nothing to review yet: the officer's page offers no review buttons.
    assert not cast["officer"].get(record.get_absolute_url()).context["can_review"]


# --- last period's values beside each field ------------------------------------------------


def test_previous_is_the_agencys_return_for_the_period_before_of_the_same_kind(agency_a, agency_b):
    second_2013 = ChannelReturnFactory(agency=agency_a, year=2013, half=2)
    first_2014 = ChannelReturnFactory(agency=agency_a)
    second_2014 = ChannelReturnFactory(agency=agency_a, half=2)
    year_2013 = ChannelReturnFactory(agency=agency_a, year=2013, period_kind="year", half=None)
    year_2014 = ChannelReturnFactory(agency=agency_a, period_kind="year", half=None)
    ChannelReturnFactory(agency=agency_b, year=2012, half=2)  # another agency's: never anyone else's previous
    assert first_2014.previous() == second_2013 and second_2014.previous() == first_2014
    assert year_2014.previous() == year_2013 and year_2013.previous() is None
    assert second_2013.previous() is None


def test_the_edit_form_shows_last_periods_value_beside_each_field(cast, agency_a):
    ChannelReturnFactory(agency=agency_a, year=2013, half=2, opinions=1234, has_hotline=False, licences=None)
    record = ChannelReturnFactory(agency=agency_a)
    html = cast["staff_a"].get(url("edit", record)).content.decode()
    assert (
        f'data-testid="last-opinions"{last(1234)}' in html
        and last(1234) == f">{_('Last period: %(value)s') % {'value': '1,234'}}<"
    )
    assert f'data-testid="last-has_hotline"{last(False)}' in html
    assert (
        f'data-testid="last-licences"{last(None)}' in html
        and last(None) == f">{_('Last period: %(value)s') % {'value': '—'}}<"
    )
    assert f'data-testid="last-burden_reduced"{last(Decimal("250000"))}' in html
    assert ChannelReturn(year=2013, half=2).period_name() in html


def test_a_new_return_shows_last_periods_values_for_the_period_asked_for(cast, agency_a):
    ChannelReturnFactory(agency=agency_a, opinions=777)  # 2014, first half
    html = cast["staff_a"].get(ADD, {"year": 2014, "period_kind": "half", "half": 2}).content.decode()
    assert f'data-testid="last-opinions"{last(777)}' in html
    form = cast["staff_a"].get(ADD, {"year": 2014, "period_kind": "half", "half": 2}).context["form"]
    assert (form["year"].value(), form["half"].value()) == ("2014", "2") and form.previous.opinions == 777
    # For a period with nothing before it the form says so, and shows no stale figures.
    empty = cast["staff_a"].get(ADD, {"year": 2010, "period_kind": "half", "half": 1}).content.decode()
    assert 'data-testid="last-opinions"' not in empty
    assert str(MSG_NO_PREVIOUS % {"period": ChannelReturn(year=2009, half=2).period_name()}) in empty


def test_the_detail_page_groups_the_figures_beside_last_periods(cast, agency_a):
    ChannelReturnFactory(agency=agency_a, year=2013, half=2, opinions=1234)
    record = ChannelReturnFactory(agency=agency_a, licences=None)
    context = cast["staff_a"].get(record.get_absolute_url()).context
    assert [len(group["rows"]) for group in context["groups"]] == [
        6 + 5,
        1 + 6 + 1,
        1 + 11 + 2,
    ]  # switches + figures + computed rates
    rows = {row["name"]: row for group in context["groups"] for row in group["rows"]}
    assert (rows["opinions"]["value"], rows["opinions"]["previous"]) == ("120", "1,234")
    assert rows["licences"]["missing"] and rows["items_cut_rate"]["value"] == "70.00%"
    assert context["filled"] == len(ChannelReturn.REQUIRED) - 1 and [str(name) for name in context["missing"]] == [
        label("licences")
    ]


def test_links_from_the_visits_area_and_the_review_page(cast):
    index = cast["staff_a"].get(reverse("visits:index")).content.decode()
    assert f'href="{LIST}"' in index
    review = cast["officer"].get(reverse("review")).content.decode()
    assert f'href="{LIST}?status=submitted"' in review


# --- pinned query counts ----------------------------------------------------------------------
# Every page of a logged-in user starts with four queries and ends with one (tests/visits/test_query_counts.py):
# session, user with profile and agency, user's permissions, groups' permissions; ... page ...; the navbar's
# unread notifications (once per page). The session unchanged is not saved again.
FRAME = 4 + 1


def build_returns(n, agencies):
    """n returns spread over the agencies, each agency's in consecutive half-years."""
    for i in range(n):
        agency = agencies[i % len(agencies)]
        k = i // len(agencies)
        ChannelReturnFactory(agency=agency, year=2000 + k // 2, half=k % 2 + 1, opinions=i)


# list: the configured campaign years (the 年度 filter's kept year and choices), totals (1 aggregate),
# paginator count, the page's rows (with their agency), and officers: the agency filter's choices.
@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who", ["staff_a", "officer"])
def test_channel_return_list_query_count(cast, agency_a, agency_b, django_assert_num_queries, n, who):
    build_returns(n, [agency_a, agency_b])
    with django_assert_num_queries(FRAME + 4 + (1 if who == "officer" else 0)):
        response = cast[who].get(LIST)
    rows = response.context["table"].page.object_list
    assert len(rows) == (n if who == "officer" else (n + 1) // 2)


@pytest.mark.parametrize("n", [5, 50])
def test_channel_return_export_query_count(cast, agency_a, django_assert_num_queries, n):
    build_returns(n, [agency_a])
    # the count (a long list is a background job instead), the rows, the flows' totals (the totals row)
    with django_assert_num_queries(FRAME + 3):
        response = cast["staff_a"].get(LIST, {"export": "xlsx"})
    rows = len(list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.rows))
    assert rows == 1 + 1 + n + 1  # the title line, the header, the returns, the totals


# detail: the return (with agency and its users), the return before it, its history; staff only: whether they
# may still change it (a lock on its period's end, its stored status).
@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("who, page_queries", [("staff_a", 3 + 2), ("officer", 3)])
def test_channel_return_detail_query_count(cast, agency_a, staff_a, django_assert_num_queries, n, who, page_queries):
    build_returns(n, [agency_a, AgencyFactory()])
    record = ChannelReturn.objects.filter(agency=agency_a).order_by("-period_end").first()
    for i in range(n // 5):  # a longer history for more returns
        record.note = f"第{i}次修改"
        record.save(user=staff_a)
    with django_assert_num_queries(FRAME + page_queries):
        response = cast[who].get(record.get_absolute_url())
    assert response.context["previous"] is not None and len(response.context["history"]) == n // 5 + 1


# --- the channel questions: 是 / 否 / 未填 (an unanswered question is not a silent 否) ----------


def channel_radios(html: str, name: str) -> dict[str, bool]:
    """The channel question's radio buttons on the page: {posted value: checked}."""
    found = {}
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        assert 'type="radio"' in tag, tag
        found[re.search(r'value="([^"]*)"', tag)[1]] = " checked" in tag
    return found


def test_a_new_return_asks_each_channel_question_with_none_answered(cast):
    html = cast["staff_a"].get(ADD, {"year": 2014, "period_kind": "half", "half": 1}).content.decode()
    for name in ChannelReturn.QUESTIONS:  # the six channels and whether the agency runs service windows
        assert channel_radios(html, name) == {"true": False, "false": False, "unknown": True}, name
    assert str(MSG_UNANSWERED) in html


def test_a_draft_left_unanswered_keeps_the_questions_unanswered_and_counts_them_as_not_filled(cast, staff_a):
    answered = {"has_leader_mailbox": True, "has_hotline": False}
    posted = form_data(**{**dict.fromkeys(ChannelReturn.CHANNELS), **answered})
    assert cast["staff_a"].post(ADD, posted).status_code == 302
    record = ChannelReturn.objects.get()
    assert {name: getattr(record, name) for name in ChannelReturn.CHANNELS} == {
        **dict.fromkeys(ChannelReturn.CHANNELS),
        **answered,
    }
    unanswered = [name for name in ChannelReturn.CHANNELS if name not in answered]
    assert record.missing_fields() == unanswered  # 否 is an answer; 未填 is not
    total = len(ChannelReturn.REQUIRED)
    page = cast["staff_a"].get(record.get_absolute_url())
    assert page.context["completeness"] == MSG_FILLED % {"filled": total - 4, "total": total}
    assert [str(name) for name in page.context["missing"]] == [label(name) for name in unanswered]
    rows = {row["name"]: row for group in page.context["groups"] for row in group["rows"]}
    assert rows["has_online_hall"]["missing"] and not rows["has_hotline"]["missing"]
    assert (rows["has_leader_mailbox"]["value"], rows["has_hotline"]["value"]) == (_("Yes"), _("No"))
    # Reopened, the form shows the answers as given and the rest still unanswered.
    html = cast["staff_a"].get(url("edit", record)).content.decode()
    assert channel_radios(html, "has_leader_mailbox") == {"true": True, "false": False, "unknown": False}
    assert channel_radios(html, "has_hotline") == {"true": False, "false": True, "unknown": False}
    assert channel_radios(html, "has_online_hall") == {"true": False, "false": False, "unknown": True}


@pytest.mark.parametrize("question", ["has_online_hall", "is_window_unit"])
def test_a_return_with_an_unanswered_channel_question_cannot_be_submitted(cast, agency_a, question):
    record = ChannelReturnFactory(agency=agency_a, **{question: None})
    shown = follow_messages(cast["staff_a"], cast["staff_a"].post(url("submit", record)))
    assert shown == [str(MSG_INCOMPLETE) % {"fields": label(question)}]
    record.refresh_from_db()
    assert record.status == ChannelReturn.Status.OPEN and record.submitted_at is None
    # Answered 否, it is complete and goes.
    answered = cast["staff_a"].post(url("edit", record), form_data(**{question: False}, version=record.version))
    assert answered.status_code == 302
    cast["staff_a"].post(url("submit", record))
    record.refresh_from_db()
    assert (record.status, getattr(record, question)) == (ChannelReturn.Status.SUBMITTED, False)


def test_last_periods_answer_is_shown_beside_each_question_unanswered_included(cast, agency_a):
    ChannelReturnFactory(agency=agency_a, year=2013, half=2, has_hotline=False, has_disclosure=None)
    html = cast["staff_a"].get(ADD, {"year": 2014, "period_kind": "half", "half": 1}).content.decode()
    assert f'data-testid="last-has_leader_mailbox"{last(True)}' in html and last(True).strip("><").endswith(_("Yes"))
    assert f'data-testid="last-has_hotline"{last(False)}' in html and last(False).strip("><").endswith(_("No"))
    assert f'data-testid="last-has_disclosure"{last(None)}' in html


def test_unanswered_channels_do_not_make_a_full_inventory_and_answers_count_as_before(agency_a, agency_b):
    from reports.selectors import year_end_figures

    ChannelReturnFactory(agency=agency_a)  # all six 是
    ChannelReturnFactory(agency=agency_b, has_hotline=None)  # a draft not finished: not all six
    got = year_end_figures(year=2014, as_of=datetime.date(2014, 7, 31), basis="all")
    assert got["channel.full_inventory"] == 1
    ChannelReturn.objects.filter(agency=agency_b).update(has_hotline=True)
    got = year_end_figures(year=2014, as_of=datetime.date(2014, 7, 31), basis="all")
    assert got["channel.full_inventory"] == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_existing_answers_as_they_were():
    """0005 makes the questions nullable: returns entered before it keep 是 as 是 and 否 as 否, none become 未填."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("visits", "0004_record_references")], [("visits", "0005_channels_yes_no_unanswered")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    agency = old_apps.get_model("outreach", "Agency").objects.create(code="Z001", name="迁移测试单位")
    old = old_apps.get_model("visits", "ChannelReturn")
    answers = {name: index % 2 == 0 for index, name in enumerate(ChannelReturn.CHANNELS)}
    row = old.objects.create(
        agency=agency, year=2013, period_kind="half", half=2, period_end=datetime.date(2013, 12, 31), **answers
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("visits", "ChannelReturn")
    assert new.objects.filter(pk=row.pk).values(*ChannelReturn.CHANNELS).get() == answers
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_the_import_reads_an_empty_channel_cell_as_unanswered_and_是_否_as_answers(agency_a, staff_a):
    from openpyxl import load_workbook

    from outreach.importing.engine import run_import
    from outreach.importing.specs import sheet_for
    from outreach.importing.writer import write_template

    buffer = io.BytesIO()
    write_template(buffer, agency=agency_a, user=staff_a, models=[ChannelReturn])
    buffer.seek(0)
    book = load_workbook(buffer)
    title = str(sheet_for(ChannelReturn).title)
    sheet = book[title]
    headers = [cell.value for cell in sheet[1]]
    row = {"year": 2014, "period_kind": "半年报", "half": "上半年", "has_leader_mailbox": "是", "has_hotline": "否"}
    for column in sheet_for(ChannelReturn).columns:
        if column.name in row:
            sheet.cell(row=2, column=headers.index(column.title) + 1, value=row[column.name])
    sheet.cell(row=2, column=headers.index(sheet_for(ChannelReturn).column("reference").title) + 1, value="QD-1")
    filled = io.BytesIO()
    book.save(filled)
    filled.seek(0)
    report = run_import(filled, agency=agency_a, user=staff_a, commit=True)
    assert report.ok, report.lines()
    record = ChannelReturn.objects.get(reference="QD-1")
    assert (record.has_leader_mailbox, record.has_hotline, record.has_online_hall) == (True, False, None)
    assert "has_online_hall" in record.missing_fields() and "has_hotline" not in record.missing_fields()
