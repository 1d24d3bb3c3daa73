"""Cell values → typed values by a column rule."""

from __future__ import annotations

import datetime as dt

import pytest

from officekit.convert import typed
from officekit.job import ColumnRule

NUMBER, INTEGER, DATE, TEXT = (ColumnRule(t, True) for t in ("数字", "整数", "日期", "文本"))


@pytest.mark.parametrize(
    ("value", "rule", "raw", "shown"),
    [
        (91, NUMBER, 91, "91"),
        ("91", NUMBER, 91, "91"),
        ("1,046", NUMBER, 1046, "1046"),
        ("1164.35", NUMBER, 1164.35, "1164.35"),
        ("96.2%", NUMBER, 0.962, "96.2%"),
        ("96.2％", NUMBER, 0.962, "96.2%"),
        (12.0, INTEGER, 12, "12"),
        ("2026-3-5", DATE, dt.date(2026, 3, 5), "2026年3月5日"),
        ("2026.3.5", DATE, dt.date(2026, 3, 5), "2026年3月5日"),
        ("2026年3月5日", DATE, dt.date(2026, 3, 5), "2026年3月5日"),
        (dt.datetime(2026, 3, 5), DATE, dt.date(2026, 3, 5), "2026年3月5日"),
        (7, TEXT, "7", "7"),
        ("T01", TEXT, "T01", "T01"),
    ],
)
def test_accepted(value: object, rule: ColumnRule, raw: object, shown: str) -> None:
    cell, problem, hint = typed(value, "General", rule)
    assert problem == "" and hint == ""
    assert cell is not None and cell.raw == raw and cell.text == shown


@pytest.mark.parametrize(
    ("value", "rule", "problem", "hint"),
    [
        ("九十一", NUMBER, "应填数字，现在是“九十一”", "阿拉伯数字"),
        ("91起", NUMBER, "应填数字", "不要带单位"),
        (True, NUMBER, "应填数字", "阿拉伯数字"),
        (2.5, INTEGER, "应填整数，现在是“2.5”", "不带小数"),
        ("三月五日", DATE, "应填日期", "2026-3-5"),
        ("2026-2-30", DATE, "应填日期", "2026-3-5"),
    ],
)
def test_refused_with_what_to_type(
    value: object, rule: ColumnRule, problem: str, hint: str
) -> None:
    cell, found, advice = typed(value, "General", rule)
    assert cell is None
    assert problem in found and hint in advice


def test_date_cell_reset_to_general_is_still_a_date() -> None:
    cell, problem, _ = typed(46086, "General", DATE)
    assert problem == "" and cell is not None and cell.text == "2026年3月5日"


def test_integer_hint_uses_an_integer_example() -> None:
    _, _, hint = typed("三十", "General", INTEGER)
    assert "如 30" in hint and "1164.35" not in hint


def test_hint_suggests_the_number_inside_the_text() -> None:
    _, _, hint = typed("2025年", "General", INTEGER)
    assert "如 2025）" in hint
