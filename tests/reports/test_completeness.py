"""Completeness and timeliness (reports/completeness.py; docs/indicators.md "Completeness and timeliness")."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from outreach.models import CampaignYear, PeriodReturn
from reports.completeness import (
    Status,
    completeness,
    period_by_key,
    periods_of,
    unsubmitted,
)
from tests import factories as f
from visits.models import ChannelReturn

SHANGHAI = ZoneInfo("Asia/Shanghai")
JUNE_DUE = datetime.date(2014, 7, 5)  # the built-in due day: the 5th of the next month
Status_ = PeriodReturn.Status


def at(day: datetime.date, hh: int, mm: int = 0, ss: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=SHANGHAI)


def month_return(agency, month, status, submitted_at=None, year=2014):
    return PeriodReturn.objects.create(agency=agency, year=year, month=month, status=status, submitted_at=submitted_at)


def cell(agency, key, *, as_of, year=2014):
    result = completeness(year=year, as_of=as_of)
    row = next(r for r in result.rows if r.agency == agency)
    return row.cells[key]


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_periods_of_a_year_read_the_years_settings():
    CampaignYear.objects.create(
        year=2014,
        start_date=datetime.date(2014, 1, 1),
        end_date=datetime.date(2014, 12, 31),
        monthly_due_day=10,
        first_half_due=datetime.date(2014, 7, 20),
        second_half_due=datetime.date(2015, 1, 20),
    )
    periods = periods_of(2014)
    assert [p.key for p in periods] == [f"2014-{m:02d}" for m in range(1, 13)] + ["2014-H1", "2014-H2"]
    by_key = {p.key: p for p in periods}
    assert by_key["2014-06"].due == datetime.date(2014, 7, 10)
    assert by_key["2014-12"].due == datetime.date(2015, 1, 10)
    assert (by_key["2014-H1"].kind, by_key["2014-H1"].number, by_key["2014-H1"].due) == (
        "half",
        1,
        datetime.date(2014, 7, 20),
    )
    assert by_key["2014-H2"].due == datetime.date(2015, 1, 20)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["2014-13", "2014-00", "2014-H3", "2014-6", "abc", "", "1999-01", "2014-06x"])
def test_period_by_key_refuses_malformed_keys(key):
    assert period_by_key(key) is None


@pytest.mark.django_db
def test_period_by_key_parses_months_and_halves():
    june = period_by_key("2014-06")
    assert (june.kind, june.year, june.number, june.due) == ("month", 2014, 6, JUNE_DUE)
    h2 = period_by_key("2014-H2")
    assert (h2.kind, h2.number, h2.due) == ("half", 2, datetime.date(2015, 1, 15))


# --- statuses at the edges ----------------------------------------------------------------------


@pytest.mark.django_db
def test_due_today_is_not_yet_missing_and_the_next_day_is(agency_a):
    assert cell(agency_a, "2014-06", as_of=JUNE_DUE).status == Status.NOT_DUE
    assert cell(agency_a, "2014-06", as_of=JUNE_DUE + datetime.timedelta(days=1)).status == Status.MISSING


@pytest.mark.django_db
def test_submitted_at_the_last_minute_of_the_due_day_is_on_time_a_minute_later_late(agency_a, agency_b):
    month_return(agency_a, 6, Status_.APPROVED, at(JUNE_DUE, 23, 59, 59))
    month_return(agency_b, 6, Status_.APPROVED, at(JUNE_DUE, 23, 59) + datetime.timedelta(minutes=1))
    as_of = datetime.date(2014, 7, 31)
    on_time, late = cell(agency_a, "2014-06", as_of=as_of), cell(agency_b, "2014-06", as_of=as_of)
    assert (on_time.status, on_time.on_time) == (Status.ON_TIME, True)
    assert (late.status, late.on_time) == (Status.LATE, False)


@pytest.mark.django_db
def test_awaiting_review_says_whether_it_came_in_on_time(agency_a, agency_b):
    month_return(agency_a, 6, Status_.SUBMITTED, at(JUNE_DUE, 9))
    month_return(agency_b, 6, Status_.SUBMITTED, at(JUNE_DUE + datetime.timedelta(days=1), 0, 0))
    as_of = datetime.date(2014, 7, 31)
    assert (cell(agency_a, "2014-06", as_of=as_of).status, cell(agency_a, "2014-06", as_of=as_of).on_time) == (
        Status.AWAITING,
        True,
    )
    assert (cell(agency_b, "2014-06", as_of=as_of).status, cell(agency_b, "2014-06", as_of=as_of).on_time) == (
        Status.AWAITING,
        False,
    )


@pytest.mark.django_db
def test_returned_missing_and_a_draft(agency_a, agency_b):
    month_return(agency_a, 6, Status_.RETURNED, at(JUNE_DUE, 9))
    month_return(agency_b, 6, Status_.OPEN)  # withdrawn, or never submitted: not in
    as_of = datetime.date(2014, 7, 31)
    returned = cell(agency_a, "2014-06", as_of=as_of)
    assert (returned.status, returned.on_time) == (Status.RETURNED, None)
    assert cell(agency_b, "2014-06", as_of=as_of).status == Status.MISSING


@pytest.mark.django_db
def test_a_resubmission_after_a_send_back_takes_the_new_submitted_at(agency_a, officer, staff_a):
    from outreach import services

    with_clock = datetime.datetime(2014, 7, 3, 10, tzinfo=SHANGHAI)
    period = month_return(agency_a, 6, Status_.SUBMITTED, with_clock)
    services.send_back(user=officer, item=period, comment="请更正")
    as_of = datetime.date(2014, 7, 31)
    assert cell(agency_a, "2014-06", as_of=as_of).status == Status.RETURNED
    resubmitted = at(datetime.date(2014, 7, 8), 15)
    PeriodReturn.objects.filter(pk=period.pk).update(status=Status_.SUBMITTED, submitted_at=resubmitted)
    again = cell(agency_a, "2014-06", as_of=as_of)
    assert (again.status, again.submitted_at, again.on_time) == (Status.AWAITING, resubmitted, False)


@pytest.mark.django_db
def test_a_submission_after_the_as_of_date_is_not_in_yet(agency_a):
    month_return(agency_a, 6, Status_.APPROVED, at(datetime.date(2014, 7, 4), 9))
    assert cell(agency_a, "2014-06", as_of=datetime.date(2014, 7, 3)).status == Status.NOT_DUE
    assert cell(agency_a, "2014-06", as_of=datetime.date(2014, 7, 4)).status == Status.ON_TIME


# --- channel returns -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_half_years_from_channel_returns_a_yearly_return_standing_for_the_second_half(agency_a, agency_b):
    f.ChannelReturnFactory(
        agency=agency_a, year=2014, half=1, status=Status_.APPROVED, submitted_at=at(datetime.date(2014, 7, 15), 18)
    )
    f.ChannelReturnFactory(
        agency=agency_b,
        year=2014,
        period_kind=ChannelReturn.PeriodKind.YEAR,
        half=None,
        status=Status_.SUBMITTED,
        submitted_at=at(datetime.date(2015, 1, 10), 9),
    )
    result = completeness(year=2014, as_of=datetime.date(2015, 1, 31))
    cells = {row.agency.code: row.cells for row in result.rows}
    assert cells["A001"]["2014-H1"].status == Status.ON_TIME
    assert cells["A001"]["2014-H2"].status == Status.MISSING
    assert cells["A002"]["2014-H1"].status == Status.MISSING
    assert (cells["A002"]["2014-H2"].status, cells["A002"]["2014-H2"].on_time) == (Status.AWAITING, True)


@pytest.mark.django_db
def test_half_years_before_the_first_channel_return_were_not_collected(agency_a):
    f.ChannelReturnFactory(
        agency=agency_a, year=2013, half=2, status=Status_.APPROVED, submitted_at=at(datetime.date(2014, 1, 5), 9)
    )
    keys_2013 = [p.key for p in completeness(year=2013, as_of=datetime.date(2014, 1, 31)).periods]
    assert "2013-H1" not in keys_2013 and "2013-H2" in keys_2013
    assert unsubmitted(period_by_key("2013-H1"), as_of=datetime.date(2014, 1, 31)) == []
    assert "2014-H1" in [p.key for p in completeness(year=2014, as_of=datetime.date(2014, 7, 31)).periods]


@pytest.mark.django_db
def test_a_deleted_channel_return_is_not_in(agency_a):
    row = f.ChannelReturnFactory(
        agency=agency_a, year=2014, half=1, status=Status_.APPROVED, submitted_at=at(datetime.date(2014, 7, 1), 9)
    )
    ChannelReturn.all_objects.filter(pk=row.pk).update(deleted_at=at(datetime.date(2014, 7, 2), 9))
    f.ChannelReturnFactory(agency=f.AgencyFactory(), year=2013, half=2)  # the collection began before
    assert cell(agency_a, "2014-H1", as_of=datetime.date(2014, 7, 31)).status == Status.MISSING


# --- who is expected, unsubmitted -----------------------------------------------------------------


@pytest.mark.django_db
def test_inactive_agencies_are_not_expected(agency_a):
    gone = f.AgencyFactory(is_active=False)
    codes = [row.agency.code for row in completeness(year=2014, as_of=datetime.date(2014, 7, 31)).rows]
    assert codes == [agency_a.code]
    assert gone not in unsubmitted(period_by_key("2014-06"), as_of=datetime.date(2014, 7, 31))


@pytest.mark.django_db
def test_unsubmitted_are_those_without_a_return_in(agency_a, agency_b):
    c, d, e = f.AgencyFactory(code="A003"), f.AgencyFactory(code="A004"), f.AgencyFactory(code="A005")
    month_return(agency_a, 6, Status_.APPROVED, at(JUNE_DUE, 9))
    month_return(agency_b, 6, Status_.SUBMITTED, at(JUNE_DUE, 9))
    month_return(c, 6, Status_.RETURNED, at(JUNE_DUE, 9))
    month_return(d, 6, Status_.OPEN)
    june = period_by_key("2014-06")
    assert unsubmitted(june, as_of=datetime.date(2014, 7, 31)) == [c, d, e]
    # whatever the day asked about: never one whose return is in now
    assert unsubmitted(june, as_of=datetime.date(2014, 7, 1)) == [c, d, e]
    assert unsubmitted(
        june, as_of=datetime.date(2014, 7, 31), agencies=type(c).objects.filter(code__in=["A001", "A004"])
    ) == [d]


# --- rates ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rates_by_hand(agency_a, agency_b):
    """Four agencies at 10 July 2014: May and June due (5 June, 5 July), July not (5 August).

    May: A on time, B late, C returned, D missing → expected 4, submitted 2, on time 1.
    June: A awaiting (on time), B on time, C missing, D missing → expected 4, submitted 2, on time 2.
    July: A submitted early (9 July, awaiting) → expected 1 (only the early one), submitted 1, on time 1.
    The other months before May: all missing (expected 4 each, nothing in).
    """
    c = f.AgencyFactory(code="A003")
    f.AgencyFactory(code="A004")  # nothing in
    may_due, as_of = datetime.date(2014, 6, 5), datetime.date(2014, 7, 10)
    month_return(agency_a, 5, Status_.APPROVED, at(may_due, 10))
    month_return(agency_b, 5, Status_.APPROVED, at(may_due + datetime.timedelta(days=2), 10))
    month_return(c, 5, Status_.RETURNED, at(may_due, 10))
    month_return(agency_a, 6, Status_.SUBMITTED, at(JUNE_DUE, 10))
    month_return(agency_b, 6, Status_.APPROVED, at(JUNE_DUE, 8))
    month_return(agency_a, 7, Status_.SUBMITTED, at(datetime.date(2014, 7, 9), 10))
    result = completeness(year=2014, as_of=as_of)
    rates = {key: rate.as_dict() for key, rate in result.rates.items()}
    assert rates["2014-05"] == {
        "expected": 4,
        "submitted": 2,
        "on_time": 1,
        "submitted_rate": Decimal("50.00"),
        "on_time_rate": Decimal("25.00"),
    }
    assert rates["2014-06"] == {
        "expected": 4,
        "submitted": 2,
        "on_time": 2,
        "submitted_rate": Decimal("50.00"),
        "on_time_rate": Decimal("50.00"),
    }
    assert rates["2014-07"]["expected"] == 1 and rates["2014-07"]["submitted_rate"] == Decimal("100.00")
    assert rates["2014-08"] == {
        "expected": 0,
        "submitted": 0,
        "on_time": 0,
        "submitted_rate": None,
        "on_time_rate": None,
    }
    # the year: Jan–Jun due (6 × 4 = 24) + July's early one = 25; submitted 2 + 2 + 1 = 5; on time 1 + 2 + 1 = 4
    assert rates["year"] == {
        "expected": 25,
        "submitted": 5,
        "on_time": 4,
        "submitted_rate": Decimal("20.00"),
        "on_time_rate": Decimal("16.00"),
    }
    # no channel return was ever filed: the half-years are not collected, not listed
    assert [p.key for p in result.periods][-1] == "2014-12"
    worst = [(row.agency.code, row.missing, row.returned) for row in result.worst()]
    assert worst == [("A004", 6, 0), ("A003", 5, 1), ("A001", 4, 0), ("A002", 4, 0)]


# --- the page, its JSON and its workbook -----------------------------------------------------------

import io  # noqa: E402
import re  # noqa: E402

import openpyxl  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils.http import content_disposition_header  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from reports.forms import MSG_BAD_AS_OF, MSG_BAD_YEAR  # noqa: E402
from reports.views import completeness as views  # noqa: E402

AS_OF = datetime.date(2014, 7, 31)
URL = reverse("reports:completeness")


@pytest.fixture
def site_today(settings):
    settings.SITE_TODAY = "2014-07-31"
    return AS_OF


@pytest.fixture
def dataset(agency_a, agency_b):
    """A (A001): January–June approved on time, June's channel return approved; B (A002): June sent back,
    the rest missing; C (A003, no records at all): nothing. The channel returns began with 2013's second half."""
    c = f.AgencyFactory(code="A003", name="安徽省财政厅", short_name="省财政厅")
    for month in range(1, 7):
        due = datetime.date(2014, month + 1, 5)
        month_return(agency_a, month, Status_.APPROVED, at(due, 10))
    month_return(agency_b, 6, Status_.RETURNED, at(JUNE_DUE, 10))
    f.ChannelReturnFactory(
        agency=agency_a, year=2013, half=2, status=Status_.APPROVED, submitted_at=at(datetime.date(2014, 1, 6), 9)
    )
    f.ChannelReturnFactory(
        agency=agency_a, year=2014, half=1, status=Status_.APPROVED, submitted_at=at(datetime.date(2014, 7, 16), 9)
    )
    return agency_a, agency_b, c


def statuses(html: str, code: str) -> dict[str, str]:
    return dict(re.findall(rf'data-testid="cell-{code}-([\dH-]+)" data-status="(\w+)"', html))


def row_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-testid="row-(A\d+)">', html)


@pytest.mark.django_db
def test_officer_sees_every_agency_with_statuses_rates_and_links(cast, site_today, dataset, monkeypatch):
    monkeypatch.setattr(views, "remind_url", lambda: None)  # before the notices app: no reminder forms
    b = dataset[1]
    response = cast["officer"].get(URL, {"year": 2014, "as_of": "2014-07-31"})
    assert response.status_code == 200
    html = response.content.decode()
    assert row_codes(html) == ["A001", "A002", "A003"]
    a_cells = statuses(html, "A001")
    assert [a_cells[f"2014-{m:02d}"] for m in range(1, 7)] == ["on_time"] * 6
    assert (a_cells["2014-07"], a_cells["2014-H1"], a_cells["2014-H2"]) == ("not_due", "late", "not_due")
    b_cells = statuses(html, "A002")
    assert (b_cells["2014-05"], b_cells["2014-06"], b_cells["2014-H1"]) == ("missing", "returned", "missing")
    # the year: 3 agencies × 6 months + 3 first halves = 21 expected; A's 7 are in, 6 on time
    year = response.context["year_rate"]
    assert (year.expected, year.submitted, year.on_time) == (21, 7, 6)
    assert 'data-testid="year-submitted-rate">33.33%' in html and 'data-testid="year-on-time-rate">28.57%' in html
    # each cell opens the agency's period: the review queue of its month, the channel returns of its half
    june = reverse("review") + f"?status=&amp;year=2014&amp;month=6&amp;agency={b.pk}"
    half = reverse("visits:channelreturn_list") + f"?year=2014&amp;half=1&amp;agency={b.pk}"
    assert f'href="{june}"' in html and f'href="{half}"' in html
    assert "remind-" not in html
    assert f'href="{reverse("reports:completeness_xlsx")}?year=2014&amp;as_of=2014-07-31"' in html


@pytest.mark.django_db
def test_the_grid_sorts_by_code_rate_and_missing(cast, site_today, dataset):
    def order(sort):
        return row_codes(cast["officer"].get(URL, {"year": 2014, "as_of": "2014-07-31", "sort": sort}).content.decode())

    assert order("code") == ["A001", "A002", "A003"]
    assert order("rate") == ["A002", "A003", "A001"]  # 0 %, 0 % (by code), 100 %
    # missing + sent back: B 5 + 1 (and H1) = 7, C 7 missing: equal, C has more missing
    assert order("missing") == ["A003", "A002", "A001"]


@pytest.mark.django_db
def test_officers_get_a_remind_control_per_late_cell_and_per_period(cast, site_today, dataset, monkeypatch):
    monkeypatch.setattr(views, "remind_url", lambda: "/notices/remind/")
    html = cast["officer"].get(URL, {"year": 2014, "as_of": "2014-07-31"}).content.decode()
    forms_ = re.findall(r'data-testid="remind-(A\d+)-([\dH-]+)"', html)
    assert ("A002", "2014-06") in forms_ and ("A003", "2014-H1") in forms_
    assert ("A001", "2014-06") not in forms_ and ("A001", "2014-07") not in forms_  # in, or not yet due
    panel = re.findall(r'data-testid="remind-all-([\dH-]+)"', html)
    assert panel == [f"2014-{m:02d}" for m in range(1, 7)] + ["2014-H1"]
    form = html[html.index('data-testid="remind-A002-2014-06"') :]
    form = form[: form.index("</form>")]
    assert 'action="/notices/remind/"' in html
    assert 'name="period" value="2014-06"' in form and 'name="agency" value="A002"' in form
    assert 'name="next" value="/reports/completeness/?year=2014&amp;as_of=2014-07-31"' in form
    # an administrator sees the grid but does not remind
    admin = cast["admin"].get(URL, {"year": 2014, "as_of": "2014-07-31"}).content.decode()
    assert row_codes(admin) == ["A001", "A002", "A003"] and "remind-" not in admin


@pytest.mark.django_db
def test_staff_see_only_their_own_agency(cast, site_today, dataset):
    response = cast["staff_b"].get(URL, {"year": 2014, "as_of": "2014-07-31"})
    html = response.content.decode()
    assert row_codes(html) == ["A002"]
    assert response.context["year_rate"].expected == 7
    # a clerk's month opens their months of the year
    assert f'href="{reverse("returns")}?year=2014#month-6"' in html
    assert cast["staff_b"].get(URL, {"year": 2014, "agency": "A001"}).status_code == 404
    payload = cast["staff_b"].get(reverse("reports:completeness_json"), {"year": 2014}).json()
    assert [agency["code"] for agency in payload["agencies"]] == ["A002"]


@pytest.mark.django_db
def test_an_officer_may_narrow_to_one_agency(cast, site_today, dataset):
    html = cast["officer"].get(URL, {"year": 2014, "as_of": "2014-07-31", "agency": "A002"}).content.decode()
    assert row_codes(html) == ["A002"]


@pytest.mark.django_db
def test_the_page_follows_the_kept_year_and_as_of_date(cast, site_today, dataset):
    cast["officer"].get(reverse("reports:dashboard"), {"year": 2014, "as_of": "2014-06-30"})
    response = cast["officer"].get(URL)
    assert (response.context["result"].year, response.context["result"].as_of) == (2014, datetime.date(2014, 6, 30))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"year": 2014, "as_of": "2013-12-31"}, "as_of", MSG_BAD_AS_OF),
        ({"year": 2014, "as_of": "2014-13-01"}, "as_of", MSG_BAD_AS_OF),
        ({"year": "abc"}, "year", MSG_BAD_YEAR),
    ],
)
def test_bad_input_is_refused_with_the_message_and_no_figures(cast, site_today, dataset, query, field, message):
    response = cast["officer"].get(URL, query)
    assert response.status_code == 400
    assert response.context["result"] is None and "rows" not in response.context
    html = response.content.decode()
    # under the field, in the shared filter card (open on a phone: there is a mistake to read)
    assert f'id="error_1_id_{field}"><strong>{message}</strong>' in html and "completeness-grid" not in html
    assert 'class="collapse d-md-block show" id="filters-panel"' in html
    json = cast["officer"].get(reverse("reports:completeness_json"), query)
    assert json.status_code == 400 and json.json() == {"errors": {field: [str(message)]}}
    xlsx = cast["officer"].get(reverse("reports:completeness_xlsx"), query)
    assert xlsx.status_code == 400 and xlsx.content.decode() == str(message)


@pytest.mark.django_db
def test_json_shape(cast, site_today, dataset):
    response = cast["officer"].get(reverse("reports:completeness_json"), {"year": 2014, "as_of": "2014-07-31"})
    payload = response.json()
    assert list(payload) == ["year", "as_of", "periods", "agencies", "rates"]
    assert (payload["year"], payload["as_of"]) == (2014, "2014-07-31")
    assert payload["periods"][5] == {"key": "2014-06", "kind": "month", "due": "2014-07-05", "label": "2014年6月"}
    assert [p["key"] for p in payload["periods"]][-2:] == ["2014-H1", "2014-H2"]
    assert payload["periods"][-2]["kind"] == "half" and payload["periods"][-2]["due"] == "2014-07-15"
    agencies = {agency["code"]: agency for agency in payload["agencies"]}
    assert list(agencies) == ["A001", "A002", "A003"] and agencies["A003"]["name"] == "安徽省财政厅"
    assert agencies["A001"]["periods"]["2014-06"] == {
        "status": "on_time",
        "submitted_at": "2014-07-05T10:00:00+08:00",
        "due": "2014-07-05",
        "on_time": True,
    }
    assert agencies["A002"]["periods"]["2014-06"] == {
        "status": "returned",
        "submitted_at": "2014-07-05T10:00:00+08:00",
        "due": "2014-07-05",
        "on_time": None,
    }
    assert agencies["A003"]["periods"]["2014-07"] == {
        "status": "not_due",
        "submitted_at": None,
        "due": "2014-08-05",
        "on_time": None,
    }
    assert payload["rates"]["2014-06"] == {
        "expected": 3,
        "submitted": 1,
        "on_time": 1,
        "submitted_rate": "33.33",
        "on_time_rate": "33.33",
    }
    assert payload["rates"]["year"] == {
        "expected": 21,
        "submitted": 7,
        "on_time": 6,
        "submitted_rate": "33.33",
        "on_time_rate": "28.57",
    }
    assert payload["rates"]["2014-08"]["submitted_rate"] is None


@pytest.mark.django_db
def test_workbook_cells(cast, site_today, dataset):
    response = cast["officer"].get(reverse("reports:completeness_xlsx"), {"year": 2014, "as_of": "2014-07-31"})
    assert response.status_code == 200
    name = f"{gettext('Completeness and timeliness')}-2014-2014-07-31.xlsx"
    assert response["Content-Disposition"] == content_disposition_header(True, name)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[3]
    assert header[:2] == [gettext("Agency code"), gettext("Agency")]
    assert header[2:16] == [f"2014年{m}月" for m in range(1, 13)] + [str(p.label) for p in periods_of(2014)[12:]]
    assert header[16:] == [gettext(h) for h in ("Submitted rate (%)", "On-time rate (%)", "Missing", "Sent back")]
    by_code = {row[0]: row for row in rows[4:7]}
    assert list(by_code) == ["A001", "A002", "A003"]
    assert by_code["A002"][1] == "安徽省教育厅"
    assert by_code["A002"][2:9] == [str(Status.MISSING.label)] * 5 + [
        str(Status.RETURNED.label),
        str(Status.NOT_DUE.label),
    ]
    assert by_code["A001"][7] == str(Status.ON_TIME.label) and by_code["A001"][14] == str(Status.LATE.label)
    assert by_code["A001"][16:20] == [100.0, pytest.approx(85.71), 0, 0]
    assert by_code["A003"][16:20] == [0.0, 0.0, 7, 0]
    expected, submitted_rates = rows[7], rows[10]
    assert (expected[1], submitted_rates[1]) == (gettext("Returns expected"), gettext("Submitted rate (%)"))
    assert expected[2:9] == [3, 3, 3, 3, 3, 3, 0]
    assert submitted_rates[7] == pytest.approx(33.33) and submitted_rates[16] == pytest.approx(33.33)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [5, 50])
def test_query_counts_do_not_grow_with_agencies(n, cast, site_today, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(views, "remind_url", lambda: "/notices/remind/")
    for i in range(n):
        agency = f.AgencyFactory()
        month_return(
            agency, 1 + i % 6, Status_.SUBMITTED if i % 2 else Status_.APPROVED, at(datetime.date(2014, 7, 1), 9)
        )
        f.ChannelReturnFactory(
            agency=agency, year=2014, half=1, status=Status_.SUBMITTED, submitted_at=at(datetime.date(2014, 7, 2), 9)
        )
    query = {"year": 2014, "as_of": "2014-07-31"}
    # session, user with profile (role); the year's settings, active agencies, the year's monthly returns, the
    # year's channel returns (with the first ever); the navigation's unread notifications, the agency filter's
    # choices; the session save (savepoint, update, release: the year and as-of date asked for are kept)
    with django_assert_num_queries(11):
        response = cast["officer"].get(URL, query)
    assert len(response.context["rows"]) == n + 2  # and the cast's agencies A and B
    # the same without the page: no notifications, no filter form, and the session already keeps the year
    with django_assert_num_queries(6):
        response = cast["officer"].get(reverse("reports:completeness_json"), query)
    assert len(response.json()["agencies"]) == n + 2


@pytest.mark.django_db
def test_a_return_in_without_a_submission_time_counts_as_submitted_not_on_time(agency_a, agency_b):
    month_return(agency_a, 6, Status_.APPROVED)
    month_return(agency_b, 6, Status_.SUBMITTED)
    result = completeness(year=2014, as_of=AS_OF)
    cells = {row.agency.code: row.cells["2014-06"] for row in result.rows}
    assert (cells["A001"].status, cells["A001"].on_time) == (Status.LATE, None)
    assert (cells["A002"].status, cells["A002"].on_time) == (Status.AWAITING, None)
    rate = result.rates["2014-06"]
    assert (rate.expected, rate.submitted, rate.on_time) == (2, 2, 0)


@pytest.mark.django_db
def test_the_home_panel_follows_the_chosen_as_of_date_worst_first(cast, site_today, dataset):
    """At 31 July: C (7 missing) before B (6 missing, 1 sent back: equal, fewer missing); A is not listed. As of
    5 June (May due that day, not yet missing): B and C owe January–April only."""
    html = cast["officer"].get(reverse("home"), {"year": 2014}).content.decode()
    assert re.findall(r'data-testid="non-reporter-(A\d+)"', html) == ["A003", "A002"]
    assert "截至2014年7月31日" in html[html.index('data-testid="non-reporters"') :]
    cast["officer"].get(URL, {"year": 2014, "as_of": "2014-06-05"})  # chosen on the completeness page
    html = cast["officer"].get(reverse("home")).content.decode()
    panel = html[html.index('data-testid="non-reporters"') :]
    assert re.findall(r'data-testid="non-reporter-(A\d+)"', panel) == ["A002", "A003"]
    assert "2014年4月" in panel and "2014年5月" not in panel and "截至2014年6月5日" in panel
