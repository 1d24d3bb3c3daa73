"""Tests for officekit.values: Cell prints as Excel shows, computes like its raw value."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

import pytest
from markupsafe import Markup

from officekit.values import Cell, finalize, plain_number_text, unwrap

BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
CHINESE_DATE = 'yyyy"年"m"月"d"日"'

# ---- display -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number_format", "shown"),
    [
        (0.962, "0.0%", "96.2%"),
        (0.3, "0%", "30%"),
        (1164.35, "0.00", "1164.35"),
        (402.1, "0.00", "402.10"),
        (12.6, "0.0", "12.6"),
        (2025, "0", "2025"),
        (-1234.5, "#,##0.00", "-1,234.50"),
        (91, "General", "91"),
        (0.1 + 0.2, "General", "0.3"),
        (dt.datetime(2026, 3, 5), CHINESE_DATE, "2026年3月5日"),
        (dt.date(2026, 3, 5), "yyyy-m-d", "2026年3月5日"),
        (dt.date(2026, 12, 31), "General", "2026年12月31日"),
        ("青禾县", "General", "青禾县"),
        ("青禾县", "@", "青禾县"),
        (None, "0", ""),
        (None, "General", ""),
    ],
)
def test_cell_prints_as_excel_shows(raw: Any, number_format: str, shown: str) -> None:
    cell = Cell(raw, number_format)
    assert cell.text == shown
    assert str(cell) == shown
    assert f"{cell}" == shown
    assert len(cell) == len(shown)


def test_cell_defaults() -> None:
    cell = Cell(5, "")
    assert cell.number_format == "General"
    assert cell.place == ""
    assert repr(Cell(0.962, "0.0%")) == "Cell(0.962, '0.0%')"


def test_unwrap() -> None:
    assert unwrap(Cell(91, "0")) == 91
    assert type(unwrap(Cell(91, "0"))) is int
    assert unwrap("牵头") == "牵头"
    assert unwrap(None) is None


# ---- arithmetic --------------------------------------------------------------------------

# (operation, left, right, expected) — a Cell on either side, or both.
ARITHMETIC = [
    (operator.add, Cell(91), 80, 171),
    (operator.add, 80, Cell(91), 171),
    (operator.add, Cell(91), Cell(80), 171),
    (operator.sub, Cell(91), 80, 11),
    (operator.sub, 100, Cell(91), 9),
    (operator.sub, Cell(91), Cell(80), 11),
    (operator.mul, Cell(0.5), 4, 2.0),
    (operator.mul, 4, Cell(0.5), 2.0),
    (operator.mul, Cell(3), Cell(4), 12),
    (operator.truediv, Cell(1), 4, 0.25),
    (operator.truediv, 1, Cell(4), 0.25),
    (operator.truediv, Cell(98), Cell(126), 98 / 126),
    (operator.floordiv, Cell(7), 2, 3),
    (operator.floordiv, Cell(7), Cell(2), 3),
    (operator.mod, Cell(7), 2, 1),
    (operator.mod, Cell(7), Cell(2), 1),
    (operator.add, Cell("青禾"), "县", "青禾县"),
    (operator.add, "青禾", Cell("县"), "青禾县"),
    # Jinja's // % ** with the Cell on the right, or ** at all
    (operator.floordiv, 7, Cell(2), 3),
    (operator.mod, 7, Cell(2), 1),
    (operator.pow, Cell(3), 2, 9),
    (operator.pow, 2, Cell(3), 8),
]


SYMBOLS = {
    operator.add: "+",
    operator.sub: "-",
    operator.mul: "*",
    operator.truediv: "/",
    operator.floordiv: "//",
    operator.mod: "%",
    operator.pow: "**",
}


def _side(value: Any) -> str:
    return "Cell" if isinstance(value, Cell) else type(value).__name__


@pytest.mark.parametrize(
    ("op", "left", "right", "expected"),
    ARITHMETIC,
    ids=[f"{_side(a)}{SYMBOLS[op]}{_side(b)}" for op, a, b, _ in ARITHMETIC],
)
def test_arithmetic(op: Callable[[Any, Any], Any], left: Any, right: Any, expected: Any) -> None:
    result = op(left, right)
    assert result == expected
    assert not isinstance(result, Cell)  # computing gives plain values


@pytest.mark.parametrize(
    ("func", "cell", "expected"),
    [
        (operator.neg, Cell(3), -3),
        (abs, Cell(-3.5), 3.5),
        (float, Cell(91), 91.0),
        (int, Cell(91.0), 91),
        (lambda c: round(c, 2), Cell(2.567), 2.57),
        (round, Cell(2.6), 3),
    ],
)
def test_unary(func: Callable[[Cell], Any], cell: Cell, expected: Any) -> None:
    assert func(cell) == expected


def test_sum_over_cells() -> None:
    cells = [Cell(30, "0"), Cell(25, "0"), Cell(20.5, "0.0"), Cell(24.5, "0.0")]
    assert sum(cells) == 100
    assert sum(cells, 0.0) == 100.0
    assert sum([Cell(0.1), Cell(0.2)]) == pytest.approx(0.3)


# ---- comparison and truthiness -----------------------------------------------------------

# (left, op, right, expected)
COMPARISONS = [
    (Cell(91), operator.gt, 89, True),
    (Cell(91), operator.lt, 89, False),
    (89, operator.lt, Cell(91), True),
    (Cell(91), operator.ge, Cell(91), True),
    (Cell(91), operator.le, Cell(90), False),
    (Cell(0.962, "0.0%"), operator.ge, 0.95, True),
    (Cell(0.931, "0.0%"), operator.ge, Cell(0.95, "0.0%"), False),
    (Cell(dt.date(2026, 3, 5)), operator.lt, dt.datetime(2026, 3, 6), True),
    (Cell(dt.datetime(2026, 3, 5, 9)), operator.gt, Cell(dt.date(2026, 3, 5)), True),
    (Cell(dt.date(2026, 1, 1)), operator.le, dt.date(2026, 1, 1), True),
    (Cell("牵头"), operator.eq, "牵头", True),
    ("牵头", operator.eq, Cell("牵头"), True),
    (Cell("牵头"), operator.eq, Cell("牵头", "@"), True),
    (Cell("牵头"), operator.ne, "配合", True),
    ("配合", operator.ne, Cell("牵头"), True),
    (Cell("牵头"), operator.eq, "配合", False),
    (Cell(91, "0"), operator.eq, 91.0, True),
    (Cell(None), operator.eq, None, True),
    (Cell(0.5, "0%"), operator.eq, Cell(0.5, "0.00"), True),  # format does not matter
]


@pytest.mark.parametrize(("left", "op", "right", "expected"), COMPARISONS)
def test_comparisons(left: Any, op: Callable[[Any, Any], bool], right: Any, expected: bool) -> None:
    assert op(left, right) is expected


def test_sorting_cells() -> None:
    cells = [Cell(126), Cell(12), Cell(91.5)]
    assert [c.raw for c in sorted(cells)] == [12, 91.5, 126]
    assert max(cells).raw == 126


def test_dates_compare_consistently_with_midnight_datetimes() -> None:
    """A date column gives ``date``; the variables sheet gives ``datetime`` at midnight.

    Ordering already treats them as the same day; equality and hashing must agree.
    """
    day = Cell(dt.date(2026, 3, 5))
    midnight = Cell(dt.datetime(2026, 3, 5, 0, 0))
    assert day <= midnight
    assert day >= midnight
    assert day == midnight
    assert hash(day) == hash(midnight)


@pytest.mark.parametrize(
    ("cell", "truthy"),
    [
        (Cell(None), False),
        (Cell(""), False),
        (Cell(None, "0.00"), False),
        (Cell("牵头"), True),
        (Cell(91, "0"), True),
        (Cell(dt.date(2026, 3, 5)), True),
    ],
)
def test_truthiness(cell: Cell, truthy: bool) -> None:
    assert bool(cell) is truthy
    assert (cell or "（空）") == (cell if truthy else "（空）")


# ---- hashing -----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["牵头", 91, 0.962, None, dt.date(2026, 3, 5)])
def test_hash_matches_raw(raw: Any) -> None:
    cell = Cell(raw, "0.0%")
    assert hash(cell) == hash(raw)
    assert {raw: "found"}[cell] == "found"
    assert {cell: "found"}[raw] == "found"


def test_cells_deduplicate_in_sets() -> None:
    units = {Cell("县公安局"), Cell("县公安局", "@"), Cell("县委政法委"), "县公安局"}
    assert len(units) == 2
    assert Cell("县委政法委") in units


# ---- HTML / XML --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "xml"),
    [
        ("a<b & c>d", "a&lt;b &amp; c&gt;d"),
        ("第一行\n第二行", f"第一行{BREAK}第二行"),
        ("第一行\r\n第二行", f"第一行{BREAK}第二行"),
        ("<甲>\n&乙", f"&lt;甲&gt;{BREAK}&amp;乙"),
        ("一\n\n三", f"一{BREAK}{BREAK}三"),
        ("普通文字", "普通文字"),
    ],
)
def test_html_escapes_and_breaks(raw: str, xml: str) -> None:
    markup = Cell(raw).__html__()
    assert isinstance(markup, Markup)
    assert str(markup) == xml


def test_html_uses_displayed_text() -> None:
    assert str(Cell(0.962, "0.0%").__html__()) == "96.2%"
    assert str(Cell(None).__html__()) == ""


def test_markup_escape_uses_cell_html() -> None:
    assert str(Markup("<w:t>{}</w:t>").format(Cell("A&B"))) == "<w:t>A&amp;B</w:t>"


# ---- finalize ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1 + 0.2, "0.3"),
        (91 / 126 * 100, "72.22222222"),
        (3.0, "3"),
        (1164.35 - 817.2, "347.15"),
        (dt.date(2026, 3, 5), "2026年3月5日"),
        (dt.datetime(2026, 3, 5), "2026年3月5日"),
        (7, 7),
        ("文字", "文字"),
        (None, None),
    ],
)
def test_finalize(value: Any, expected: Any) -> None:
    assert finalize(value) == expected


def test_finalize_leaves_cells_alone() -> None:
    cell = Cell(0.962, "0.0%")
    assert finalize(cell) is cell


@pytest.mark.parametrize(
    ("number", "text"), [(0.1 + 0.2, "0.3"), (2025, "2025"), (-0.0, "0"), (1 / 3, "0.3333333333")]
)
def test_plain_number_text(number: float, text: str) -> None:
    assert plain_number_text(number) == text


def test_cell_arithmetic_sees_the_number_on_either_side() -> None:
    """Survivors of the mutation run: a cell on the right of an operator, and comparisons
    at equality."""
    this_year, last_year = Cell(91, "0"), Cell(80, "0")
    assert this_year - last_year == 11
    assert 100 - this_year == 9  # the cell on the right
    assert 2 ** Cell(3) == 8
    assert this_year / 2 == 45.5
    assert not Cell(5) < Cell(5) and not Cell(5) > Cell(5)
    assert Cell(5) <= Cell(5) and Cell(4) < Cell(5) and Cell(6) > Cell(5)


@pytest.mark.parametrize(("raw", "text"), [(91.0, "91"), (0.1 + 0.2, "0.3"), (1e15, "1E+15")])
def test_plain_number_text_is_excels_general(raw: float, text: str) -> None:
    assert plain_number_text(raw) == text
