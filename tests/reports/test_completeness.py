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
