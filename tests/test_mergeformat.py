"""Word's field switches on workbook values (officekit.mergeformat)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from officekit.mergeformat import known_format, merge_compare, merge_value, word_date, word_number
from officekit.values import Cell

DAY = dt.datetime(2026, 3, 5, 14, 7, 9)


@pytest.mark.parametrize(
    ("picture", "shown"),
    [
        ("yyyy年M月d日", "2026年3月5日"),
        ("yyyy'年'MM'月'dd'日'", "2026年03月05日"),
        ("yy.M.d", "26.3.5"),
        ("yyyy年MMMM", "2026年三月"),
        ("dddd", "星期四"),
        ("ddd", "周四"),
        ("H:mm:ss", "14:07:09"),
        ("AM/PM h时", "下午 2时"),
        ("'第'd'天'", "第5天"),
    ],
)
def test_date_pictures(picture: str, shown: str) -> None:
    assert word_date(DAY, picture) == shown


@pytest.mark.parametrize(
    ("number", "picture", "shown"),
    [
        ("96.2", "0.0%", "96.2%"),
        ("96.25", "0.0%", "96.3%"),
        ("1164.35", "#,##0.00", "1,164.35"),
        ("1234567", "#,##0", "1,234,567"),
        ("5", "00", "05"),
        ("0.5", "0.00", "0.50"),
        ("-3", "0", "-3"),
        ("-3", "0;(0)", "(3)"),
        ("0", "0;-0;'无'", "无"),
        ("12.5", "¥#,##0.00元", "¥12.50元"),
        ("492.1", "x##", "492"),
        ("3.10", "0.##", "3.1"),
    ],
)
def test_number_pictures(number: str, picture: str, shown: str) -> None:
    assert word_number(Decimal(number), picture) == shown


@pytest.mark.parametrize(
    ("value", "arguments", "shown"),
    [
        (Cell(dt.datetime(2026, 3, 5), "yyyy-mm-dd"), {"日期": "yyyy年M月d日"}, "2026年3月5日"),
        (Cell(0.962, "0.0%"), {"数字": "0.0%"}, "96.2%"),  # the number Excel shows: 96.2
        (Cell(96.2, "General"), {"数字": "0.0%"}, "96.2%"),
        (Cell(0.962, "0.0%"), {}, "96.2%"),  # no switch: as Excel shows it
        (Cell("县公安局"), {"日期": "yyyy"}, "县公安局"),  # a picture for dates leaves text alone
        (Cell("2026-3-5"), {"日期": "yyyy年M月d日"}, "2026年3月5日"),  # a date typed as text
        (Cell(12), {"格式": ("CHINESENUM1",)}, "十二"),
        (Cell(12), {"格式": ("CHINESENUM2",)}, "壹拾贰"),
        (Cell(2026), {"格式": ("CHINESENUM3",)}, "二〇二六"),
        (Cell(105), {"格式": ("DBNUM1",)}, "一百零五"),
        (Cell(4), {"格式": ("ROMAN",)}, "IV"),
        (Cell(4), {"格式": ("roman",)}, "iv"),
        (Cell(28), {"格式": ("ALPHABETIC",)}, "BB"),
        (Cell("ga unit"), {"格式": ("Upper",)}, "GA UNIT"),
        (Cell("GA Unit"), {"格式": ("Lower",)}, "ga unit"),
        (Cell("ga unit"), {"格式": ("FirstCap",)}, "Ga unit"),
        (Cell("ga unit"), {"格式": ("Caps",)}, "Ga Unit"),
        (Cell(12.5), {"格式": ("CHINESENUM1",)}, "12.5"),  # not a whole number: untouched
        (Cell("张三"), {"前": "负责人：", "后": "同志"}, "负责人：张三同志"),
        (Cell(None), {"前": "负责人：", "后": "同志"}, ""),  # \b \f only around a value
    ],
)
def test_merge_value(value: Cell, arguments: dict, shown: str) -> None:
    assert merge_value(value, **arguments) == shown


@pytest.mark.parametrize(
    ("left", "operator", "right", "expected"),
    [
        (Cell("牵头"), "=", "牵头", True),
        (Cell("配合"), "=", "牵头", False),
        (Cell("配合"), "<>", "牵头", True),
        (Cell(91), ">", "89", True),
        (Cell(91), "<=", "100", True),
        (Cell(0.962, "0.0%"), ">=", "96.2", True),  # as Excel shows it
        (Cell("县公安局"), "=", "县*局", True),
        (Cell("县公安局"), "<>", "乡*", True),
        (Cell(9), "<", "10", True),  # numbers, not texts ("9" > "10")
    ],
)
def test_if_comparisons(left: Cell, operator: str, right: str, expected: bool) -> None:
    assert merge_compare(left, operator, right) is expected


def test_known_formats() -> None:
    assert known_format("MERGEFORMAT") and known_format("mergeformat") and known_format("Upper")
    assert known_format("CHINESENUM3") and known_format("ROMAN")
    assert not known_format("CardText") and not known_format("GB1")
