"""Workbook values as templates see them.

A :class:`Cell` prints as Excel displays it (its number format applied: 30.0%, 1164.35,
2026年3月5日) while arithmetic, comparison and filters still see the raw value. Inside a
document, a multi-line cell (Alt+Enter) becomes line breaks.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from officekit import numfmt
from officekit.xlsx import column_letter

_BREAK = Markup('</w:t><w:br/><w:t xml:space="preserve">')


def unwrap(value: Any) -> Any:
    """The raw Python value behind a Cell (or the value itself)."""
    return value.raw if isinstance(value, Cell) else value


def plain_number_text(value: float | int) -> str:
    """A number without float noise, as Excel's General format would show it."""
    return numfmt.format_value(value, "General")


def _binary(op: Callable[[Any, Any], Any], reflected: bool = False):
    def method(self: Cell, other: Any) -> Any:
        a, b = self.raw, unwrap(other)
        return op(b, a) if reflected else op(a, b)

    return method


class Cell:
    """One workbook value with its Excel number format and its place (for messages)."""

    __slots__ = ("raw", "number_format", "_place", "_text")

    def __init__(
        self, raw: Any, number_format: str = "General", place: str | tuple[str, int, int] = ""
    ) -> None:
        self.raw = raw
        self.number_format = number_format or "General"
        # (sheet, column, row) from the workbook reader: a workbook of ten thousand units
        # has hundreds of thousands of cells, and few of their places are ever shown.
        self._place = place
        self._text: str | None = None

    @property
    def place(self) -> str:
        """Where the value comes from: 「统计数据」表 C2."""
        if isinstance(self._place, tuple):
            sheet, column, row = self._place
            return f"「{sheet}」表 {column_letter(column)}{row}"
        return self._place

    @place.setter
    def place(self, value: str | tuple[str, int, int]) -> None:
        self._place = value

    @property
    def text(self) -> str:
        """What Excel shows in the cell."""
        if self._text is None:
            self._text = numfmt.format_value(self.raw, self.number_format)
        return self._text

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> Markup:
        # Autoescaped output: escape for XML, and turn Alt+Enter breaks into <w:br/>.
        lines = self.text.replace("\r\n", "\n").split("\n")
        return _BREAK.join(escape(line) for line in lines)

    def __repr__(self) -> str:
        return f"Cell({self.raw!r}, {self.number_format!r})"

    def __bool__(self) -> bool:
        # Like the value itself: an empty cell, "" and 0 are false (a 任务数 of 0 is no task).
        return bool(self.raw)

    def __len__(self) -> int:
        return len(self.text)

    def __hash__(self) -> int:
        return hash(_hash_key(self.raw))

    # A date and a midnight datetime are the same day: the key/value sheet gives datetimes
    # where typed 日期 columns give dates.
    def __eq__(self, other: object) -> bool:
        return _sort_key(self.raw) == _sort_key(unwrap(other))

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: Any) -> bool:
        return _sort_key(self.raw) < _sort_key(unwrap(other))

    def __le__(self, other: Any) -> bool:
        return _sort_key(self.raw) <= _sort_key(unwrap(other))

    def __gt__(self, other: Any) -> bool:
        return _sort_key(self.raw) > _sort_key(unwrap(other))

    def __ge__(self, other: Any) -> bool:
        return _sort_key(self.raw) >= _sort_key(unwrap(other))

    def __float__(self) -> float:
        return float(self.raw)

    def __int__(self) -> int:
        return int(self.raw)

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(self.raw, ndigits)

    def __neg__(self) -> Any:
        return -self.raw

    def __abs__(self) -> Any:
        return abs(self.raw)

    __add__ = _binary(operator.add)
    __radd__ = _binary(operator.add, reflected=True)
    __sub__ = _binary(operator.sub)
    __rsub__ = _binary(operator.sub, reflected=True)
    __mul__ = _binary(operator.mul)
    __rmul__ = _binary(operator.mul, reflected=True)
    __truediv__ = _binary(operator.truediv)
    __rtruediv__ = _binary(operator.truediv, reflected=True)
    __floordiv__ = _binary(operator.floordiv)
    __rfloordiv__ = _binary(operator.floordiv, reflected=True)
    __mod__ = _binary(operator.mod)
    __rmod__ = _binary(operator.mod, reflected=True)
    __pow__ = _binary(operator.pow)
    __rpow__ = _binary(operator.pow, reflected=True)


def _sort_key(value: Any) -> Any:
    """Let dates and datetimes compare; leave everything else alone."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _hash_key(value: Any) -> Any:
    """Equal cells hash alike: a midnight datetime hashes as its date."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` for plain text: floats without noise (0.1 + 0.2 → 0.3), dates in
    the official form."""
    if isinstance(value, float):
        return plain_number_text(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return numfmt.format_value(value, "yyyy-mm-dd")
    return value


def finalize_xml(value: Any) -> Any:
    """Jinja ``finalize`` for document XML: as :func:`finalize`, and a filter's text that
    still holds an Alt+Enter break ("第一行\n第二行"|句子) becomes a line break too."""
    value = finalize(value)
    if isinstance(value, str) and not isinstance(value, Markup) and "\n" in value:
        lines = value.replace("\r\n", "\n").split("\n")
        return _BREAK.join(escape(line) for line in lines)
    return value
