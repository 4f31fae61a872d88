"""Cell readers: every reading the import documents, and every refusal with its exact message."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from outreach.importing import cells
from outreach.importing.cells import (
    MSG_APPROXIMATE,
    MSG_MONEY_PLACES,
    MSG_MONEY_UNIT,
    MSG_NO_SUCH_DATE,
    MSG_NOT_A_DATE,
    MSG_NOT_A_NUMBER,
    MSG_NOT_WHOLE,
    MSG_NOT_YES_NO,
    MSG_TIME_NOT_DATE,
    MSG_UNKNOWN_CHOICE,
    CellError,
    ChoiceReader,
    read_bool,
    read_choice,
    read_date,
    read_int,
    read_money,
    read_text,
)
from outreach.models import Region
from outreach.validation import MSG_DATE_YEAR_RANGE, MSG_NEGATIVE_COUNT, MSG_NEGATIVE_MONEY, YEAR_MAX, YEAR_MIN


def refused(reader, value, *args):
    with pytest.raises(CellError) as excinfo:
        reader(value, *args)
    return excinfo.value


def assert_refused(reader, value, message, *args, **params):
    error = refused(reader, value, *args)
    assert error.message is message, f"{reader.__name__}({value!r}): {error}"
    assert error.params == params
    assert str(error) == str(message) % params if params else str(message)


EMPTY = [None, "", "   ", "\u3000", "\xa0 \u3000"]


@pytest.mark.parametrize("reader", [read_text, read_int, read_money, read_date, read_bool])
@pytest.mark.parametrize("value", EMPTY)
def test_empty_cells_read_as_none(reader, value):
    assert reader(value) is None


# --- text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("  张三  ", "张三"),
        ("\u3000张三\u3000", "张三"),  # full-width space
        ("\xa0张三\xa0", "张三"),  # NBSP from web pages
        ("\ufeff\u200b张三", "张三"),  # BOM, zero-width space
        ("ＡＢＣ１２３", "ABC123"),
        ("张 三", "张 三"),  # inner spaces stay
        ("走访，座谈（二次）", "走访，座谈（二次）"),  # Chinese punctuation stays
        (13800000000, "13800000000"),  # a phone typed as a number
        (3.0, "3"),
        (0.1, "0.1"),
        (datetime.date(2014, 7, 3), "2014-07-03"),
        (True, "TRUE"),
    ],
)
def test_read_text(value, expected):
    assert read_text(value) == expected


# --- counts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, 3),
        (0, 0),
        (3.0, 3),
        (2.9999999999999996, 3),  # binary noise below Excel's 15 digits
        (Decimal("7"), 7),
        ("3000", 3000),
        ("3,000", 3000),
        ("3，000", 3000),
        ("1,234,567", 1234567),
        ("３０００", 3000),
        ("３，０００", 3000),
        ("  42 ", 42),
        ("+5", 5),
        ("3.0", 3),
        ("30人", 30),
        ("5户", 5),
        ("12次", 12),
        ("3个", 3),
        ("30 人", 30),
        ("３０人", 30),
        ("1.5万", 15000),
        ("1.5 万人", 15000),
        ("2亿", 200_000_000),
        ("3,000元", 3000),
    ],
)
def test_read_int(value, expected):
    assert read_int(value) == expected
    assert type(read_int(value)) is int


@pytest.mark.parametrize("value", [-1, -3.0, "-3", "－3", "\u22123", "-1.5万"])
def test_read_int_refuses_negative(value):
    assert_refused(read_int, value, MSG_NEGATIVE_COUNT)


@pytest.mark.parametrize(
    "value, found",
    [(3.5, "3.5"), ("3.5", "3.5"), ("1.00001万", "1.00001万"), ("１．５", "１．５")],
)
def test_read_int_refuses_fractions(value, found):
    assert_refused(read_int, value, MSG_NOT_WHOLE, found=found)


@pytest.mark.parametrize(
    "value, found",
    [
        ("abc", "abc"),
        ("三十", "三十"),
        ("3,00", "3,00"),  # not groups of three: a typo, not thousands
        ("1.2.3", "1.2.3"),
        ("30 people", "30 people"),
        ("约30", "约30"),
        ("3千", "3千"),  # numerals other than 万 and 亿 are not units
        ("5万亿", "5万亿"),
        ("¥30", "¥30"),
        (True, "TRUE"),
        (datetime.datetime(2014, 7, 3, 0, 0), "2014-07-03 00:00:00"),
        ("x" * 60, "x" * 39 + "…"),  # long values are cut in the message
    ],
)
def test_read_int_refuses_non_numbers_naming_them(value, found):
    assert_refused(read_int, value, MSG_NOT_A_NUMBER, found=found)


@pytest.mark.parametrize("value", ["300余人", "300多人", "30左右"])
def test_read_int_refuses_approximate_figures(value):
    assert_refused(read_int, value, MSG_APPROXIMATE, found=value)


# --- money -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (3000, "3000.00"),
        (3000.5, "3000.50"),
        (0.1 + 0.2, "0.30"),  # 0.30000000000000004: read as Excel shows it
        (1234567.89, "1234567.89"),
        ("3000", "3000.00"),
        ("3,000元", "3000.00"),
        ("3，000.50元", "3000.50"),
        ("1.5万元", "15000.00"),
        ("1.5万", "15000.00"),
        ("1.2345万元", "12345.00"),
        ("0.5亿元", "50000000.00"),
        ("￥3,000.50", "3000.50"),
        ("¥3000", "3000.00"),
        ("RMB 300", "300.00"),
        ("３，０００．５０元", "3000.50"),
        ("12.50", "12.50"),
        ("12.500", "12.50"),  # trailing zeros are no extra precision
    ],
)
def test_read_money(value, expected):
    amount = read_money(value)
    assert amount == Decimal(expected)
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value, found", [(12.345, "12.345"), ("12.345", "12.345"), ("1.2345678万元", "1.2345678万元")])
def test_read_money_refuses_more_than_two_places(value, found):
    assert_refused(read_money, value, MSG_MONEY_PLACES, found=found)


@pytest.mark.parametrize("value", ["100美元", "30人", "5块"])
def test_read_money_refuses_other_units(value):
    assert_refused(read_money, value, MSG_MONEY_UNIT, found=value)


@pytest.mark.parametrize("value", [-1, "-3,000元", "－5"])
def test_read_money_refuses_negative(value):
    assert_refused(read_money, value, MSG_NEGATIVE_MONEY)


@pytest.mark.parametrize("value", ["abc", "3,00元", "1e5"])
def test_read_money_refuses_non_numbers(value):
    assert_refused(read_money, value, MSG_NOT_A_NUMBER, found=value)


# --- dates -------------------------------------------------------------------------

JULY_3 = datetime.date(2014, 7, 3)


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2014, 7, 3, 15, 30),  # the time is dropped
        JULY_3,
        "2014-07-03",
        "2014-7-3",
        "2014/7/3",
        "2014/07/03",
        "2014.7.3",
        "2014. 7. 3",
        "2014年7月3日",
        "2014年07月03日",
        "2014 年 7 月 3 日",
        "2014年7月3号",
        "20140703",
        "２０１４年７月３日",
        "２０１４－０７－０３",
        "２０１４．７．３",
        " 2014-07-03 ",
        "2014-07-03 10:30",
        "2014-07-03 10:30:15",
        "2014-07-03T10:30:15",
        "2014/7/3 8:05",
        41823,  # Excel's serial for 2014-07-03 in a cell without a date format
        41823.75,
        20140703,  # typed as a number
    ],
)
def test_read_date(value):
    assert read_date(value) == JULY_3


def test_read_date_serial_in_the_1904_system():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    assert read_date(40361, epoch=CALENDAR_MAC_1904) == JULY_3


@pytest.mark.parametrize("value", ["2014-02-30", "2014年2月29日", "20141301", "2014/4/31", 20140230])
def test_read_date_refuses_impossible_dates(value):
    found = str(value)
    assert_refused(read_date, value, MSG_NO_SUCH_DATE, found=found)


@pytest.mark.parametrize(
    "value, found",
    [
        ("7/3/2014", "7/3/2014"),  # month/day order is a guess: refused
        ("14.7.3", "14.7.3"),
        ("2014-07/03", "2014-07/03"),
        ("7月3日", "7月3日"),
        ("二〇一四年七月三日", "二〇一四年七月三日"),
        ("tomorrow", "tomorrow"),
        (3, "3"),  # a day number, not a serial
        (100000, "100000"),
        (True, "TRUE"),
    ],
)
def test_read_date_refuses_other_text_and_numbers(value, found):
    assert_refused(read_date, value, MSG_NOT_A_DATE, found=found)


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1999, 12, 31),
        datetime.datetime(1900, 1, 1, 0, 0),
        datetime.date(9999, 12, 31),
        "0001-01-01",
        "1999年12月31日",
        "2101.1.1",
        21010101,  # an 8-digit number read as yyyymmdd
        "19991231",
    ],
)
def test_read_date_refuses_dates_outside_the_sites_years(value):
    """The forms' and models' rule (validation.YEAR_MIN … YEAR_MAX), so no year 1 or 9999 reaches a record."""
    assert_refused(read_date, value, MSG_DATE_YEAR_RANGE, min=YEAR_MIN, max=YEAR_MAX)


@pytest.mark.parametrize("value", ["2000-01-01", "2100-12-31", datetime.date(2100, 12, 31), 20000101])
def test_read_date_takes_the_first_and_last_days_of_the_sites_years(value):
    assert read_date(value).year in (YEAR_MIN, YEAR_MAX)


def test_read_date_refuses_a_time_of_day():
    assert_refused(read_date, datetime.time(10, 30), MSG_TIME_NOT_DATE, found="10:30:00")


# --- yes/no ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, 1, 1.0, "是", "Y", "y", "Yes", "TRUE", "true", "1", "√", "✓", "Ｙ", " 是 "])
def test_read_bool_yes(value):
    assert read_bool(value) is True


@pytest.mark.parametrize("value", [False, 0, 0.0, "否", "N", "no", "FALSE", "0", "×", "✗", "ｎｏ"])
def test_read_bool_no(value):
    assert read_bool(value) is False


@pytest.mark.parametrize("value, found", [("maybe", "maybe"), (2, "2"), ("有", "有"), ("x", "x")])
def test_read_bool_refuses_anything_else(value, found):
    assert_refused(read_bool, value, MSG_NOT_YES_NO, found=found)


# --- choices -----------------------------------------------------------------------

LEVELS = Region.Level.choices  # labels are lazy: "Village" is 村 in Chinese


@pytest.mark.parametrize("value", ["村", " 村\u3000", "Village", "village", "VILLAGE", "Ｖｉｌｌａｇｅ", "village"])
def test_read_choice_by_label_in_either_language_or_by_value(value):
    assert read_choice(value, LEVELS) == Region.Level.VILLAGE


def test_read_choice_ignores_spaces_inside_labels():
    assert read_choice("县（市、区）", LEVELS) == Region.Level.COUNTY
    assert read_choice("County/district", LEVELS) == Region.Level.COUNTY
    assert read_choice("county", LEVELS) == Region.Level.COUNTY  # the value


def test_read_choice_refuses_unknown_listing_the_labels_in_the_active_language():
    with translation.override("zh-hans"):
        error = refused(read_choice, "镇", LEVELS)
        assert error.message is MSG_UNKNOWN_CHOICE
        assert error.params["found"] == "镇"
        assert error.params["allowed"] == "“省”, “市”, “县（市、区）”, “乡镇（街道）”, “村”, “社区”"
    with translation.override("en"):
        error = refused(read_choice, "Town", LEVELS)
        assert error.params["allowed"] == (
            "“Province”, “City”, “County / district”, “Township / subdistrict”, “Village”, “Community”"
        )


def test_choice_reader_matches_integer_values_and_option_groups():
    reader = ChoiceReader([("Numbers", [(1, "one"), (2, "two")]), (3, "three")])
    assert reader(2) == 2
    assert reader(2.0) == 2
    assert reader("２") == 2
    assert reader("Three") == 3
    assert reader(None) is None
    assert_refused(reader, 4, MSG_UNKNOWN_CHOICE, allowed="“one”, “two”, “three”", found="4")


def test_read_choice_accepts_a_prebuilt_reader():
    reader = ChoiceReader(LEVELS)
    assert read_choice("社区", reader) == Region.Level.COMMUNITY


def test_cell_error_renders_in_the_active_language():
    error = refused(read_int, "abc")
    assert str(error) == str(MSG_NOT_A_NUMBER) % {"found": "abc"}
    assert cells.shown("  abc  ") == "abc"
