"""Readers that turn one raw openpyxl cell value into a clean Python value.

Each reader returns None for an empty cell (whether a value is required is the
form's business) and raises `CellError` with a message a clerk can act on; the
caller puts the place in front ("sheet 走访记录, row 12, column 开始日期: …").

Readings, decided once for every record type:

- Text: leading and trailing whitespace goes, including the full-width space
  (U+3000), NBSP, zero-width space and BOM. Full-width letters and digits become
  ASCII (ＡＢＣ１２３ → ABC123); full-width punctuation stays, because "，" and
  "（" are correct in Chinese prose.
- Numbers and dates typed as text: every full-width ASCII form (digits, "，",
  "．", "／", "－") is read as its ASCII twin first.
- Number cells: Excel shows a number to 15 significant digits, and so do we
  (``format(value, ".15g")``): binary noise such as 0.30000000000000004 reads
  0.3, never as float arithmetic. Money is Decimal from there on.
- Counts: "3,000" and "3，000" (thousands in groups of three), "30人" (a trailing
  unit of Chinese characters is dropped), "1.5万" (万 = 10,000, 亿 = 100,000,000;
  the result must be whole). Approximate figures ("300余人", "300多人") and
  negative numbers are refused.
- Money: yuan with at most 2 decimal places (more is refused, never rounded),
  an optional ¥/￥ in front and 元, 万元 or 亿元 behind; any other unit (美元, 人)
  is refused.
- Dates: date cells; text 2014-07-03, 2014/7/3, 2014.7.3, 2014年7月3日, 20140703,
  with an optional time that is dropped. A number in a date column is the date
  Excel shows when the cell lost its date format: serials from 2000-01-01 to
  2099-12-31 (36526–73050) are read as dates, 8-digit numbers as yyyymmdd; any
  other number is refused. Every date, however written, lies in the site's years (2000–2100,
  `validation.YEAR_MIN`/`YEAR_MAX`, the rule of the forms and the models).

The record forms read their counts and amounts with these same readers (`outreach.forms.NumberField`), signed: a
negative number typed on a form is refused by the field's own bounds, in the model's words.
"""

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from outreach.validation import (
    MSG_DATE_YEAR_RANGE,
    MSG_NEGATIVE_COUNT,
    MSG_NEGATIVE_MONEY,
    YEAR_MAX,
    YEAR_MIN,
    in_year_range,
)

MSG_NOT_A_NUMBER = _("Expected a number, found “%(found)s”.")
MSG_NOT_WHOLE = _("Expected a whole number, found “%(found)s”.")
MSG_APPROXIMATE = _("Enter an exact number, not an approximate one: “%(found)s”.")
MSG_MONEY_UNIT = _("Enter an amount in yuan (元, 万元 or 亿元), found “%(found)s”.")
MSG_MONEY_PLACES = _("An amount has at most 2 decimal places (fen), found “%(found)s”.")
MSG_TOO_MANY_PLACES = _("Enter at most %(places)s decimal places, found “%(found)s”.")
MSG_NOT_A_DATE = _("Expected a date such as 2014-07-03, 2014/7/3, 2014.7.3 or 2014年7月3日, found “%(found)s”.")
MSG_NO_SUCH_DATE = _("There is no such date: “%(found)s”.")
MSG_TIME_NOT_DATE = _("Expected a date, found a time of day “%(found)s”.")
MSG_NOT_YES_NO = _("Expected yes or no (是/否, Y/N, √/×), found “%(found)s”.")
MSG_UNKNOWN_CHOICE = _("Expected one of %(allowed)s, found “%(found)s”.")

FOUND_MAX = 40  # a found value longer than this is cut in messages

# Serials Excel shows for 2000-01-01 and 2099-12-31 (1900 date system).
SERIAL_MIN = 36526
SERIAL_MAX = 73050


class Problem(ValueError):
    """A message template with its parameters; str() is the text in the active language."""

    def __init__(self, message, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


class CellError(Problem):
    """One cell cannot be read."""


# What `str.strip()` and the regular expression `\s` take for whitespace (all of it lies in the BMP), and the
# zero-width space and BOM.
_EDGE_SPACE = "".join(chr(code) for code in range(0x10000) if chr(code).isspace()) + "\u200b\ufeff"
_SPACES = re.compile(r"\s+")
_FULLWIDTH_ALNUM = {
    code: code - 0xFEE0
    for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(start, end + 1)
}
_FULLWIDTH_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    0x3000: " ",
    0x2212: "-",  # minus sign
    0xFFE5: "¥",
}


def strip_spaces(text: str) -> str:
    return text.strip(_EDGE_SPACE)


def ascii_text(text: str) -> str:
    """Full-width ASCII forms as ASCII, edge spaces stripped: for numbers, dates, keys."""
    return strip_spaces(text.translate(_FULLWIDTH_ASCII))


def match_key(text) -> str:
    """The form two labels are compared in: ASCII, no whitespace at all, case-folded."""
    return _match_key(str(text))


@functools.lru_cache(maxsize=4096)  # an import compares the same few labels (officials, places, codes) row after row
def _match_key(text: str) -> str:
    return _SPACES.sub("", ascii_text(text)).casefold()


def displayed(value) -> str:
    """A raw value as Excel would show it."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return strip_spaces(str(value))


def shown(value) -> str:
    """`displayed`, cut short for a message."""
    text = displayed(value)
    return text if len(text) <= FOUND_MAX else text[: FOUND_MAX - 1] + "…"


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not strip_spaces(value))


def read_text(value) -> str | None:
    """Text with edge spaces stripped and full-width letters and digits as ASCII.

    A number or date cell reads as Excel shows it (a phone number typed as a number).
    """
    if _is_empty(value):
        return None
    if isinstance(value, str):
        return strip_spaces(value.translate(_FULLWIDTH_ALNUM))
    return displayed(value)


# --- numbers -------------------------------------------------------------------

_NUMBER = re.compile(
    r"""^(?P<currency>¥|RMB|CNY)?\s*
    (?P<sign>[+-])?\s*
    (?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?
    \s*(?P<scale>[万亿])?
    \s*(?P<unit>[\u4e00-\u9fff]*)$""",
    re.VERBOSE | re.IGNORECASE,
)
_SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_APPROXIMATE = set("余多几约左右")
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两")


def _cell_number(value) -> Decimal | None:
    """A number cell as Decimal at Excel's 15 significant digits; None if not a number cell."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(format(value, ".15g"))
        return number if number.is_finite() else None
    if isinstance(value, Decimal):
        return value
    return None


def _parse_number(value, *, money: bool, signed: bool = False) -> Decimal:
    """Any numeric cell or text as Decimal; checks shared by counts and money. A negative number is refused
    unless `signed` (a form, whose field's own bounds then say why it is refused)."""
    number = _cell_number(value)
    if number is None:
        if not isinstance(value, str):
            raise CellError(MSG_NOT_A_NUMBER, found=shown(value))
        text = ascii_text(value)
        match = _NUMBER.match(text)
        if not match:
            raise CellError(MSG_NOT_A_NUMBER, found=shown(value))
        unit = match["unit"]
        if _APPROXIMATE & set(unit):
            raise CellError(MSG_APPROXIMATE, found=shown(value))
        if _NUMERALS & set(unit):
            raise CellError(MSG_NOT_A_NUMBER, found=shown(value))
        if money and (unit not in ("", "元")):
            raise CellError(MSG_MONEY_UNIT, found=shown(value))
        if not money and match["currency"]:
            raise CellError(MSG_NOT_A_NUMBER, found=shown(value))
        digits = match["digits"].replace(",", "")
        number = Decimal(f"{match['sign'] or ''}{digits}.{match['fraction'] or '0'}")
        if match["scale"]:
            number *= _SCALES[match["scale"]]
    if number < 0 and not signed:
        raise CellError(MSG_NEGATIVE_MONEY if money else MSG_NEGATIVE_COUNT)
    return number


def read_int(value, *, signed: bool = False) -> int | None:
    if type(value) is int:  # a number cell of a whole number, as most counts are (not a bool)
        if value < 0 and not signed:
            raise CellError(MSG_NEGATIVE_COUNT)
        return value
    if _is_empty(value):
        return None
    number = _parse_number(value, money=False, signed=signed)
    if number != number.to_integral_value():
        raise CellError(MSG_NOT_WHOLE, found=shown(value))
    return int(number)


CENT = Decimal("0.01")


def read_money(value, *, signed: bool = False) -> Decimal | None:
    if _is_empty(value):
        return None
    number = _parse_number(value, money=True, signed=signed)
    try:
        rounded = number.quantize(CENT)
    except InvalidOperation:  # too many digits for the context: no amount is that large
        raise CellError(MSG_NOT_A_NUMBER, found=shown(value)) from None
    if rounded != number:
        raise CellError(MSG_MONEY_PLACES, found=shown(value))
    return rounded


def read_decimal(value, places: int, *, signed: bool = False) -> Decimal | None:
    """A non-negative number with at most `places` decimals (service hours)."""
    if _is_empty(value):
        return None
    number = _parse_number(value, money=False, signed=signed)
    quantum = Decimal(1).scaleb(-places)
    try:
        rounded = number.quantize(quantum)
    except InvalidOperation:
        raise CellError(MSG_NOT_A_NUMBER, found=shown(value)) from None
    if rounded != number:
        raise CellError(MSG_TOO_MANY_PLACES, places=places, found=shown(value))
    return rounded


# --- dates ---------------------------------------------------------------------

_TIME = r"(?:\s*[T\s]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})" + _TIME + "$"),
    re.compile(r"^(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?" + _TIME + "$"),
    re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
]


def _make_date(year, month, day, found) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(MSG_NO_SUCH_DATE, found=shown(found)) from None


def read_date(value, *, epoch=CALENDAR_WINDOWS_1900) -> datetime.date | None:
    """A date of the site's years (`validation.YEAR_MIN` … `YEAR_MAX`, the forms' rule), else CellError."""
    day = _read_any_date(value, epoch=epoch)
    if day is not None and not in_year_range(day.year):
        raise CellError(MSG_DATE_YEAR_RANGE, min=YEAR_MIN, max=YEAR_MAX)
    return day


def _read_any_date(value, *, epoch) -> datetime.date | None:
    if _is_empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        raise CellError(MSG_TIME_NOT_DATE, found=shown(value))
    number = _cell_number(value)
    if number is not None:
        if SERIAL_MIN <= number <= SERIAL_MAX:
            return from_excel(int(number), epoch).date()
        if number == number.to_integral_value() and 10_000_000 <= number <= 99_999_999:
            return _read_any_date(str(int(number)), epoch=epoch)
        raise CellError(MSG_NOT_A_DATE, found=shown(value))
    if not isinstance(value, str):
        raise CellError(MSG_NOT_A_DATE, found=shown(value))
    text = ascii_text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _make_date(match["y"], match["m"], match["d"], value)
    raise CellError(MSG_NOT_A_DATE, found=shown(value))


# --- yes/no and choices ----------------------------------------------------------

_YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "✘"}


def read_bool(value) -> bool | None:
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    number = _cell_number(value)
    key = str(int(number)) if number is not None and number in (0, 1) else match_key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(MSG_NOT_YES_NO, found=shown(value))


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            yield from _flat_choices(label)
        else:
            yield value, label


class ChoiceReader:
    """Reads a choice by its value or its label in any of the site's languages.

    Build it once per column: it renders every label in every language up front,
    so reading a row costs one dictionary lookup.
    """

    def __init__(self, choices):
        self.choices = [(value, label) for value, label in _flat_choices(choices) if value not in ("", None)]
        self.by_key = {}
        for value, _label in self.choices:
            self.by_key.setdefault(match_key(value), value)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for value, label in self.choices:
                    self.by_key.setdefault(match_key(label), value)

    def allowed(self) -> str:
        return ", ".join(f"“{label}”" for _value, label in self.choices)

    def __call__(self, value):
        if _is_empty(value):
            return None
        number = _cell_number(value)
        raw = int(number) if number is not None and number == number.to_integral_value() else value
        try:
            return self.by_key[match_key(raw)]
        except KeyError:
            raise CellError(MSG_UNKNOWN_CHOICE, allowed=self.allowed(), found=shown(value)) from None


def read_choice(value, choices):
    """`choices` is Django's [(value, label), …] or a `ChoiceReader` built from it."""
    reader = choices if isinstance(choices, ChoiceReader) else ChoiceReader(choices)
    return reader(value)
