"""Table-driven tests for officekit.numfmt (Excel display rendering)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from officekit.numfmt import (
    decimal_places,
    excel_serial_to_datetime,
    format_value,
    general_number,
    is_date_format,
    is_percent_format,
    is_time_format,
)

ACCOUNTING = '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ '


@dataclass
class FakeCell:
    """Stand-in for the workbook wrapper: only .raw and .number_format."""

    raw: object
    number_format: str = "General"


GENERAL_CASES = [
    (3.0, "3"),
    (3, "3"),
    (0.1 + 0.2, "0.3"),
    (1164.35, "1164.35"),
    (-2.5, "-2.5"),
    (-0.0, "0"),
    (0, "0"),
    (123456789.123, "123456789.1"),  # 10 significant digits
    (1 / 3, "0.3333333333"),
    (2 / 3, "0.6666666667"),  # rounded, not truncated
    (12345678901234567890, "12345678901234567890"),  # Python ints stay exact
    (1e20, "1E+20"),
    (1.5e-12, "1.5E-12"),
    (Decimal("12.50"), "12.5"),
]


@pytest.mark.parametrize(("value", "expected"), GENERAL_CASES)
def test_general(value: object, expected: str) -> None:
    assert format_value(value, "General") == expected
    assert general_number(value) == expected  # type: ignore[arg-type]


NUMBER_CASES = [
    # fixed decimals and integers
    (2025, "0", "2025"),
    (12.6, "0", "13"),
    (12.4, "0", "12"),
    (12.5, "0", "13"),  # half away from zero, not banker's rounding
    (1164.35, "0.0", "1164.4"),
    (1164.35, "0.00", "1164.35"),
    (800, "0.00", "800.00"),
    (1.2345, "0.000", "1.235"),
    (2.675, "0.00", "2.68"),  # binary 2.67499999... must not leak in
    (-2.675, "0.00", "-2.68"),
    (1.005, "0.00", "1.01"),
    (0.1 + 0.2, "0.00", "0.30"),
    (Decimal("2.675"), "0.00", "2.68"),
    (1046, "#,##0", "1,046"),
    (0, "#,##0", "0"),
    (999, "#,##0", "999"),
    (1234567.891, "#,##0.00", "1,234,567.89"),
    (12345.67, "#,##0.0", "12,345.7"),
    (-1234567, "#,##0", "-1,234,567"),
    (5, "0_ ", "5"),
    (5.5, "0.00_ ", "5.50"),
    (5, "0_)", "5"),
    (5, "#,##0.00_);(#,##0.00)", "5.00"),
    # leading zeros
    (7, "00", "07"),
    (7, "000", "007"),
    (1234, "00", "1234"),
    (0, "00", "00"),
    (5, "0,000", "0,005"),
    # literal text
    (91, '0"起"', "91起"),
    (1234.5, '#,##0.00"克"', "1,234.50克"),
    (3, '"共"0"人"', "共3人"),
    (12, "0\\h", "12h"),  # escaped letter is a literal, not an hour
    (12, "0!元", "12元"),
    (12.5, "0.0元", "12.5元"),  # unquoted CJK text is literal
    (7, '"第"00"号"', "第07号"),
    # percent
    (0.138, "0%", "14%"),
    (0.138, "0.0%", "13.8%"),
    (0.3, "0.0%", "30.0%"),
    (0.962, "0.0%", "96.2%"),
    (0.12345, "0.00%", "12.35%"),
    (1, "0.0%", "100.0%"),
    (-0.05, "0.0%", "-5.0%"),
    (0.5, "0.0\\%", "0.5%"),  # escaped % does not multiply
    # sections
    (-5, "0;(0)", "(5)"),
    (-5, '0;"减少"0', "减少5"),
    (5, '0;"减少"0', "5"),
    (0, '0;-0;"零"', "零"),
    (0, "0;-0", "0"),
    (-5, "0.00", "-5.00"),
    (-0.001, "0.00", "0.00"),  # no negative zero
    (-0.004, "0", "0"),
    (0, "0;-0;;@", ""),  # empty zero section hides zeros
    (-1234.5, "#,##0.00_ ;[Red]\\-#,##0.00\\ ", "-1,234.50"),
    (-1.23, "0.00_);[Red]\\(0.00\\)", "(1.23)"),
    (-3, ACCOUNTING, "-3.00"),
    (1234.5, ACCOUNTING, "1,234.50"),
    (0, ACCOUNTING, "-"),
    # colours, conditions, currency/locale brackets
    (5, "[Red]0.00", "5.00"),
    (5, "[Blue][>=100]0.0", "5.0"),
    (1234.5, "[$¥-804]#,##0.00", "¥1,234.50"),
    (1234.5, "[$-804]#,##0.00", "1,234.50"),
    (1234.5, "[$USD] #,##0", "USD 1,235"),
    (1234.5, "¥#,##0.00;¥\\-#,##0.00", "¥1,234.50"),
    (-1234.5, "¥#,##0.00;¥\\-#,##0.00", "¥-1,234.50"),
    (-5, '"¥"0', "-¥5"),  # default minus goes in front of everything
    # scaling commas, odd placeholders
    (12345678, "#,##0,", "12,346"),
    (12345678, '0.0,,"百万"', "12.3百万"),
    (0.5, "#.00", ".50"),
    (3.5, ".00", "3.50"),
    (1.5, "#.##", "1.5"),
    (1.25, "0.0#", "1.25"),
    (1.2, "0.0#", "1.2"),
    # scientific
    (12345, "0.00E+00", "1.23E+04"),
    (0.000123, "0.00E+00", "1.23E-04"),
    (0, "0.00E+00", "0.00E+00"),
    (99999, "0.0E+0", "1.0E+5"),  # mantissa rounding bumps the exponent
    (12345.678, "##0.0E+0", "12.3E+3"),
    # General inside a section, text format with numbers
    (-5, '"+"General;"-"General', "-5"),
    (3.0, "@", "3"),
    (0.1 + 0.2, "@", "0.3"),
    # value types
    (True, "General", "是"),
    (False, "0.00", "否"),
    (None, "0.00", ""),
    (None, "General", ""),
]


@pytest.mark.parametrize(("value", "fmt", "expected"), NUMBER_CASES)
def test_numbers(value: object, fmt: str, expected: str) -> None:
    assert format_value(value, fmt) == expected


TEXT_CASES = [
    ("abc", "General", "abc"),
    ("abc", "@", "abc"),
    ("12.5", "0.00", "12.5"),  # a text cell is shown as typed, like Excel
    ("abc", '0;0;0;"文本："@', "文本：abc"),
    ("abc", ACCOUNTING, "abc"),
    ("#DIV/0!", "0.00", "#DIV/0!"),
]


@pytest.mark.parametrize(("value", "fmt", "expected"), TEXT_CASES)
def test_text(value: str, fmt: str, expected: str) -> None:
    assert format_value(value, fmt) == expected


DATE_CASES = [
    (dt.datetime(2026, 3, 5), 'yyyy"年"m"月"d"日"', "2026年3月5日"),
    (dt.datetime(2026, 3, 5), "yyyy-mm-dd", "2026年3月5日"),
    (dt.date(2026, 3, 5), "yyyy/m/d", "2026年3月5日"),
    (dt.date(2026, 3, 5), "m/d/yy", "2026年3月5日"),
    (dt.date(2026, 3, 5), "mm-dd-yy", "2026年3月5日"),
    (dt.date(2026, 3, 5), "[$-804]yyyy年m月d日", "2026年3月5日"),
    (dt.date(2026, 12, 31), "yyyy-mm-dd", "2026年12月31日"),
    # a date value always prints as a date, whatever the format
    (dt.date(2026, 3, 5), "General", "2026年3月5日"),
    (dt.date(2026, 3, 5), "0.00", "2026年3月5日"),
    (dt.datetime(2026, 3, 5, 14, 30), "General", "2026年3月5日"),
    # time is appended only when the format shows one and it is not midnight
    (dt.datetime(2026, 3, 5, 14, 30), "yyyy-mm-dd hh:mm", "2026年3月5日 14:30"),
    (dt.datetime(2026, 3, 5, 9, 5), "yyyy-m-d h:mm", "2026年3月5日 09:05"),
    (dt.datetime(2026, 3, 5, 14, 30, 15), "yyyy-mm-dd hh:mm:ss", "2026年3月5日 14:30:15"),
    (dt.datetime(2026, 3, 5, 14, 30), "yyyy-mm-dd", "2026年3月5日"),
    (dt.datetime(2026, 3, 5, 0, 0), "yyyy-mm-dd hh:mm", "2026年3月5日"),
    # Excel serials, 1900 system with the phantom 1900-02-29
    (46086, "mm-dd-yy", "2026年3月5日"),
    (46086.0, 'yyyy"年"m"月"d"日"', "2026年3月5日"),
    (46086, "[$-804]yyyy年m月d日", "2026年3月5日"),
    (46086, "e年m月d日", "2026年3月5日"),
    (46086, 'yyyy"年"m"月"d"日" aaaa', "2026年3月5日"),
    (46086.6041666667, "yyyy/m/d h:mm", "2026年3月5日 14:30"),
    (46086.6041666667, "yyyy/m/d", "2026年3月5日"),
    (1, "yyyy-mm-dd", "1900年1月1日"),
    (59, "yyyy-mm-dd", "1900年2月28日"),
    (60, "yyyy-mm-dd", "1900年2月29日"),
    (61, "yyyy-mm-dd", "1900年3月1日"),
    (0, "yyyy-mm-dd", "1900年1月0日"),
    (Decimal(46086), "yyyy-mm-dd", "2026年3月5日"),
    # time-only formats
    (0.6041666667, "h:mm", "14:30"),
    (0.6041666667, "hh:mm", "14:30"),
    (0.6043402778, "h:mm:ss", "14:30:15"),
    (0.6041666667, "h:mm AM/PM", "14:30"),
    (0.6041666667, '上午/下午h"时"mm"分"', "14:30"),
    (0.9999999, "h:mm", "00:00"),  # rounds up to the next midnight
    (dt.time(14, 30), "h:mm", "14:30"),
    (dt.time(9, 5, 7), "hh:mm:ss", "09:05:07"),
    (dt.datetime(2026, 3, 5, 14, 30), "h:mm", "14:30"),
    (1.5, "[h]:mm", "36:00"),
    (dt.timedelta(hours=37, minutes=30), "[h]:mm", "37:30"),
    (dt.timedelta(minutes=-90), "[h]:mm", "-01:30"),
]


@pytest.mark.parametrize(("value", "fmt", "expected"), DATE_CASES)
def test_dates_and_times(value: object, fmt: str, expected: str) -> None:
    assert format_value(value, fmt) == expected


FALLBACK_CASES = [
    (5, 'weird[["\\', "5"),  # unknown letters: General, not a date
    (5, "0 pcs", "5"),
    (1.5, "# ?/?", "1.5"),  # fractions are not supported
    (-1, "yyyy-mm-dd", "-1"),  # Excel shows ####
    (3000000, "yyyy-mm-dd", "3000000"),  # beyond 9999-12-31
    (5, None, "5"),
    (5, "", "5"),
    (5, "   ", "5"),
    (0.1 + 0.2, "[", "0.3"),  # unterminated bracket
    (0.1 + 0.2, '0"abc', "0.3"),  # unterminated quote
    (float("nan"), "0.00", "#NUM!"),
    (float("inf"), "General", "#NUM!"),
    (dt.date(2026, 3, 5), "xyz", "2026年3月5日"),
]


@pytest.mark.parametrize(("value", "fmt", "expected"), FALLBACK_CASES)
def test_weird_formats_fall_back_without_raising(
    value: object, fmt: str | None, expected: str
) -> None:
    assert format_value(value, fmt) == expected  # type: ignore[arg-type]


def test_huge_float_with_fixed_format_does_not_raise() -> None:
    text = format_value(1e300, "0.00")
    assert text.startswith("1") and text.endswith(".00") and len(text) == 304


WRAPPER_CASES = [
    (FakeCell(1164.35, "0.00"), None, "1164.35"),
    (FakeCell(0.962, "0.0%"), None, "96.2%"),
    (FakeCell(dt.datetime(2026, 3, 5), 'yyyy"年"m"月"d"日"'), None, "2026年3月5日"),
    (FakeCell(0.962, "0.0%"), "0.00", "0.96"),  # explicit format wins
    (FakeCell(None, "0.00"), None, ""),
]


@pytest.mark.parametrize(("cell", "fmt", "expected"), WRAPPER_CASES)
def test_wrapper_is_unwrapped(cell: FakeCell, fmt: str | None, expected: str) -> None:
    assert format_value(cell, fmt) == expected


FORMAT_PREDICATES = [
    # fmt, percent, date, time, decimal places
    ("General", False, False, False, None),
    ("0", False, False, False, 0),
    ("0.00", False, False, False, 2),
    ("#,##0.0_ ", False, False, False, 1),
    ("0%", True, False, False, 0),
    ("0.0%", True, False, False, 1),
    ("0.00%", True, False, False, 2),
    ("[Red]0.0%;-0.0%", True, False, False, 1),
    ("0.0\\%", False, False, False, 1),
    ('0.0"%"', False, False, False, 1),
    ("yyyy-mm-dd", False, True, False, None),
    ('yyyy"年"m"月"d"日"', False, True, False, None),
    ("mm-dd-yy", False, True, False, None),
    ("[$-804]yyyy年m月d日", False, True, False, None),
    ("yyyy-mm-dd hh:mm", False, True, True, None),
    ("h:mm", False, False, True, None),
    ("mm:ss", False, False, True, None),  # m before s is minutes
    ("[h]:mm", False, False, True, None),
    ('0.00"d"', False, False, False, 2),  # quoted letters are no tokens
    ("@", False, False, False, None),
    ("0.00E+00", False, False, False, 2),
    ("", False, False, False, None),
]


@pytest.mark.parametrize(("fmt", "percent", "date", "time", "places"), FORMAT_PREDICATES)
def test_format_predicates(
    fmt: str, percent: bool, date: bool, time: bool, places: int | None
) -> None:
    assert is_percent_format(fmt) is percent
    assert is_date_format(fmt) is date
    assert is_time_format(fmt) is time
    assert decimal_places(fmt) == places


SERIALS = [
    (1, dt.datetime(1900, 1, 1)),
    (59, dt.datetime(1900, 2, 28)),
    (61, dt.datetime(1900, 3, 1)),
    (46086, dt.datetime(2026, 3, 5)),
    (46086.5, dt.datetime(2026, 3, 5, 12, 0)),
    (2958465, dt.datetime(9999, 12, 31)),
]


@pytest.mark.parametrize(("serial", "expected"), SERIALS)
def test_excel_serial_to_datetime(serial: float, expected: dt.datetime) -> None:
    assert excel_serial_to_datetime(serial) == expected


@pytest.mark.parametrize("serial", [0, 0.5, 60, -3, 2958466, float("nan")])
def test_excel_serial_without_calendar_date(serial: float) -> None:
    with pytest.raises(ValueError, match="serial"):
        excel_serial_to_datetime(serial)


# Excel's General format at its edges (survivors of the mutation run): a float shows plainly
# up to 15 integer digits and from 1E-09 on, in scientific notation past either end.
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (100000000000000.0, "100000000000000"),
        (1e15, "1E+15"),
        (-1e15, "-1E+15"),
        (1e-9, "0.000000001"),
        (1e-10, "1E-10"),
        (-1e-10, "-1E-10"),
        (0.0, "0"),
        (1.0, "1"),
    ],
)
def test_general_switches_to_scientific_at_excels_limits(value: float, shown: str) -> None:
    from officekit.numfmt import format_value

    assert format_value(value, "General") == shown


@pytest.mark.parametrize(
    ("serial", "day"),
    [(59, dt.datetime(1900, 2, 28)), (61, dt.datetime(1900, 3, 1)), (1, dt.datetime(1900, 1, 1))],
)
def test_serials_around_excels_phantom_leap_day(serial: int, day: dt.datetime) -> None:
    """Excel counts a 1900-02-29 that never was (serial 60): days before it are one off."""
    from officekit.numfmt import excel_serial_to_datetime

    assert excel_serial_to_datetime(serial) == day
