"""How a sheet is laid out around its table, as offices keep their 统计表.

Few office sheets are a bare table starting in A1: a title row ("2025年青禾县…统计表",
often merged across the table), a line such as "填报单位：县禁毒办　单位：人、起" under
it, a two-row header (a "2025年" band over 本年数 / 上年数), units in the header
("本年数（起）"), a 合计 row and "注：…" / "填表人：…" lines below the data. This module
decides, from the rows alone, which row is the header, what each column is called, and
which rows after the header are not data. It reads cleaned values (texts stripped, blank
ones None) and decides nothing about types; officekit.workbook types the data rows.

Every way a sheet is read (whole, from the sheet cache, its changed rows only, in the
read-ahead helper) goes through :func:`read_head` and :class:`Tail`, so the judgement is
made once. The result travels with the table as a :class:`Shape` of plain values (the
sheet cache stores it beside the rows).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from officekit.numfmt import is_percent_format
from officekit.xlsx import column_letter

if TYPE_CHECKING:
    from officekit.tables import Table

# Changes with any change of the judgement below: part of every sheet-cache key, so a
# table cached by an earlier reading is read again.
VERSION = "sheetshape 1"
# Rows searched for the header (title block, bands and the header itself)
SEARCH_ROWS = 10
BAND_JOIN = "·"

RawRow = tuple[int, list[Any], list[str]]

_SPACES = re.compile(r"[\s\u3000]+")
_TOTALS = {"合计", "总计", "小计", "汇总", "共计", "总合计", "累计"}
_SUBTOTAL = "小计"
# Note lines: 注：/注1, or a word such sheets end with followed by its colon (a bare
# 联系人 or 负责人 is an item's or a column's name, not a note)
_NOTE = re.compile(
    r"^(注\s*\d*\s*[:：]|注\s*\d+|(说明|备注|填表人|填报人|审核人|审核|审批人|填表日期|填报日期"
    r"|报送日期|制表|制表人|制表日期|制表单位|统计人|单位负责人|负责人|联系人|联系电话|数据来源"
    r"|资料来源)\s*[:：])"
)
_NOTE_FIRST = set("注说备填审制统单负联数资")
# Lines of a title block that are not a title: who reports, in which units, when
_TITLE_LINE = re.compile(
    r"^(填报单位|报送单位|制表单位|统计单位|单位\s*[:：]|计量单位\s*[:：]|统计时间|填报时间|截至)"
)
# "本年数（起）", "缴获毒品(克)", "金额（单位：万元）": the name and its unit
_UNIT = re.compile(r"^(.+?)\s*[（(]\s*(?:单位\s*[:：]\s*)?([^（）()]{1,10}?)\s*[）)]$")
# Excel names a table's blank header cells 列1, 列2 (Column1 in English Excel)
_PLACEHOLDER = re.compile(r"^(列|Column)\d+$")


class HeaderColumn(NamedTuple):
    """One named column: its Excel number, the table's name for it, the header as the
    clerk sees it (band and unit included), and the unit its header gives ("" none)."""

    number: int
    name: str
    shown: str
    unit: str


@dataclass
class Head:
    """What :func:`read_head` found: the header's rows (one, or two with a band), the
    named columns, and the rows above the header as (row number, text)."""

    rows: tuple[int, ...]
    columns: list[HeaderColumn]
    title: tuple[tuple[int, str], ...] = ()


@dataclass
class Total:
    """A 合计/总计/小计 row: its number, its label and its cells by column name."""

    row: int
    label: str
    cells: dict[str, tuple[Any, str]]  # column name → (raw value, number format)


@dataclass
class Shape:
    """How a sheet was read: header rows, title block, totals rows, note rows, units by
    column and the columns skipped for having no header. ``loose`` counts data rows
    holding one text away from the first column (a late note line would look so): a
    sheet with any is read whole, never by its changed rows only."""

    header: tuple[int, ...] = (1,)
    title: tuple[tuple[int, str], ...] = ()
    totals: tuple[Total, ...] = ()
    notes: tuple[tuple[int, str], ...] = ()
    units: dict[str, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # column name → header as seen
    skipped: tuple[int, ...] = ()
    loose: int = 0

    @property
    def plain(self) -> bool:
        """A bare table: header in row 1, nothing above it or below the data."""
        return (
            self.header == (1,)
            and not self.title
            and not self.totals
            and not self.notes
            and not self.loose
        )

    def dump(self) -> tuple:
        """Plain values for the sheet cache and the helper process."""
        totals = tuple((t.row, t.label, tuple(t.cells.items())) for t in self.totals)
        return (
            self.header,
            self.title,
            totals,
            self.notes,
            tuple(self.units.items()),
            tuple(self.shown.items()),
            self.skipped,
            self.loose,
        )

    @classmethod
    def restore(cls, plain: tuple) -> Shape:
        header, title, totals, notes, units, shown, skipped, loose = plain
        return cls(
            tuple(header),
            tuple((int(n), str(t)) for n, t in title),
            tuple(Total(int(r), str(label), dict(cells)) for r, label, cells in totals),
            tuple((int(n), str(t)) for n, t in notes),
            dict(units),
            dict(shown),
            tuple(skipped),
            int(loose),
        )

    def free_rows(self) -> set[int]:
        """Rows that are not data and may hold merged cells: title, header, totals, notes."""
        rows = {n for n, _ in self.title} | set(self.header) | {t.row for t in self.totals}
        return rows | {n for n, _ in self.notes}

    def grand_total(self) -> Total | None:
        """The 合计 of the whole table: the last totals row that is not a 小计."""
        whole = [t for t in self.totals if _label(t.label) != _SUBTOTAL]
        return whole[-1] if whole else (self.totals[-1] if self.totals else None)


def _label(text: str) -> str:
    return _SPACES.sub("", text).rstrip(":：")


def total_label(value: Any) -> str | None:
    """ "合计" for a cell reading 合计, "合　计", "全县合计"… (None: not a totals label)."""
    if value.__class__ is not str or len(value) > 12 or ("计" not in value and "汇总" not in value):
        return None
    text = _label(value)
    if text in _TOTALS or (len(text) <= 8 and text.endswith(("合计", "总计"))):
        return text
    return None


def is_note(value: Any) -> bool:
    """Whether a row starting with ``value`` is a note line (注：, 填表人：, 制表…)."""
    return value.__class__ is str and value[:1] in _NOTE_FIRST and _NOTE.match(value) is not None


def _cells(values: list[Any]) -> list[tuple[int, Any]]:
    return [(i + 1, v) for i, v in enumerate(values) if v is not None]


def _text(values: list[Any]) -> str:
    return "\u3000".join(str(v) for _, v in _cells(values))


def _header_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return None if _PLACEHOLDER.match(text) else text


def _aliases(text: str, band: str | None) -> list[tuple[str, str]]:
    """(name, unit) a header cell answers to, best first: as written, without its unit,
    then with its band in front."""
    found = [(text, "")]
    unit = _UNIT.match(text)
    if unit:
        found.append((unit.group(1), unit.group(2)))
    if band:
        found = [(f"{band}{BAND_JOIN}{name}", u) for name, u in found] + found
    return found


class _Candidate(NamedTuple):
    rows: tuple[int, ...]
    # column → (shown text, band, lower text)
    cells: dict[int, tuple[str, str | None, str]]


def _single(row: RawRow) -> _Candidate:
    cells = {}
    for col, v in _cells(row[1]):
        text = _header_text(v)
        if text is not None:
            cells[col] = (text, None, text)
    return _Candidate((row[0],), cells)


def _double(upper: RawRow, lower: RawRow) -> _Candidate:
    """Names from a band row over a row of names: a column named only above (its cell
    merged down) keeps that name; one named below takes the band over it, which reaches
    right from where it is written until a column named only above or a blank one."""
    up = {c: t for c, v in _cells(upper[1]) if (t := _header_text(v)) is not None}
    low = {c: t for c, v in _cells(lower[1]) if (t := _header_text(v)) is not None}
    cells: dict[int, tuple[str, str | None, str]] = {}
    band: str | None = None
    for col in range(1, max([*up, *low, 0]) + 1):
        u, lo = up.get(col), low.get(col)
        if lo is None:
            band = None
            if u is not None:
                cells[col] = (u, None, u)
            continue
        if u is not None:
            band = u
        cells[col] = (f"{band}{BAND_JOIN}{lo}" if band else lo, band, lo)
    return _Candidate((upper[0], lower[0]), cells)


def _match(candidate: _Candidate, wanted: Sequence[str]) -> dict[int, tuple[str, str]]:
    """Column → (declared name, unit) for each declared name the candidate holds; a
    name below a band counts alone only when no other column has it."""
    lowers = [lo for _, _, lo in candidate.cells.values()]
    repeated = {lo for lo in lowers if lowers.count(lo) > 1}
    answers: dict[str, list[tuple[int, str]]] = {}
    for col, (_, band, lower) in candidate.cells.items():
        names = _aliases(lower, band)
        if band and lower in repeated:  # 数量 under each year: only 2025年·数量 names it
            names = names[: len(names) // 2]
        for name, unit in names:
            answers.setdefault(name, []).append((col, unit))
    found: dict[int, tuple[str, str]] = {}
    for name in wanted:
        for col, unit in answers.get(name, []):
            if col not in found:
                found[col] = (name, unit)
                break
    return found


def _titleish(row: RawRow) -> bool:
    """A title-block line: one text, or texts saying who reports and in which units."""
    cells = _cells(row[1])
    return len(cells) <= 1 or all(
        isinstance(v, str) and _TITLE_LINE.match(v) is not None for _, v in cells
    )


def _band_like(upper: RawRow, lower: RawRow) -> bool:
    """Whether ``upper`` reads as a band over ``lower`` rather than a title."""
    cells = _cells(upper[1])
    if any(isinstance(v, str) and _TITLE_LINE.match(v) for _, v in cells):
        return False
    first = min((c for c, _ in _cells(lower[1])), default=1)
    return len(cells) >= 2 or (len(cells) == 1 and cells[0][0] > first)


def _choose(first: list[RawRow], wanted: Sequence[str]) -> tuple[int, _Candidate, dict]:
    """(rows the header ends after, the header, its declared names by column)."""
    best: tuple[int, int, _Candidate, dict] | None = None
    for i, row in enumerate(first):
        single = _single(row)
        found = _match(single, wanted)
        options = [(len(found), i + 1, single, found)]
        if i + 1 < len(first):
            double = _double(row, first[i + 1])
            both = _match(double, wanted)
            below = len(_match(_single(first[i + 1]), wanted))
            if len(both) > len(found) and (len(both) > below or _band_like(row, first[i + 1])):
                options.append((len(both), i + 2, double, both))
        for option in options:
            if best is None or option[0] > best[0]:
                best = option
    if best is not None and best[0] > 0:
        return best[1], best[2], best[3]
    # Nothing declared found (or nothing declared): the first row that is not a title
    # line, unless every row is one
    start = next((i for i, row in enumerate(first) if not _titleish(row)), 0)
    if first and not any(not _titleish(r) for r in first[start + 1 :]) and start:
        start = 0
    chosen = _single(first[start]) if first else _Candidate((), {})
    return start + 1, chosen, {}


def read_head(rows: Iterator[RawRow], wanted: Sequence[str]) -> tuple[Head, Iterator[RawRow]]:
    """The header of a sheet whose cleaned non-blank rows are ``rows`` (the job's
    ``wanted`` columns decide which of the first rows it is) and the rows after it."""
    first = list(itertools.islice(rows, SEARCH_ROWS))
    used, candidate, declared = _choose(first, wanted)
    start = used - len(candidate.rows)
    lowers = [lo for _, _, lo in candidate.cells.values()]
    columns = []
    for col, (shown, band, lower) in sorted(candidate.cells.items()):
        name, unit = declared.get(col, (None, ""))
        if name is None:
            name = lower if band is None or lowers.count(lower) == 1 else shown
        columns.append(HeaderColumn(col, name, shown, unit))
    title = tuple((r[0], _text(r[1])) for r in first[:start])
    head = Head(candidate.rows, columns, title)
    return head, itertools.chain(first[used:], rows)


# What a row after the header is (Tail.kind)
DATA, TOTAL, NOTE, STRAY = "data", "total", "note", "stray"


class Tail:
    """Sorts the rows after the header: data, a totals row, a note line, or a row that
    looks like data below the notes (a problem: it would be lost). Note lines start with
    注：, 说明：, 填表人… or, after a blank row, hold one text away from the first column
    (a date, 某某办（盖章）); once they start, the table has ended."""

    def __init__(self, first_column: int, header_row: int) -> None:
        self.first_column = first_column
        self.in_notes = False
        self.last = header_row  # number of the last row seen

    def kind(self, number: int, values: list[Any]) -> tuple[str, int]:
        """(kind, the column of its first cell) of row ``number``."""
        gap = number > self.last + 1
        self.last = number
        first = values[0] if values else None
        # Most rows: one look at the first cell (what the slower sort below would say)
        if (
            first is not None
            and not gap
            and not self.in_notes
            and (
                first.__class__ is not str
                or ("计" not in first and "汇总" not in first and first[:1] not in _NOTE_FIRST)
            )
        ):
            return DATA, 1
        col = next((i + 1 for i, v in enumerate(values) if v is not None), 0)
        first = values[col - 1] if col else None
        if self.in_notes:
            if is_note(first) or _one_text(values) or total_label(first):
                return NOTE, col
            return STRAY, col
        if total_label(first):
            return TOTAL, col
        if is_note(first) or (gap and col > self.first_column and _one_text(values)):
            self.in_notes = True
            return NOTE, col
        return DATA, col

    def loose(self, col: int, values: list[Any]) -> bool:
        """Whether a data row would read as a note line after a blank row."""
        return col > self.first_column and _one_text(values)


def _one_text(values: list[Any]) -> bool:
    found = [v for v in values if v is not None]
    return len(found) == 1 and found[0].__class__ is str


def note_text(values: list[Any]) -> str:
    return _text(values)


def skipped(columns: Sequence[HeaderColumn]) -> tuple[int, ...]:
    """Columns between named ones whose header is blank (separators): not read."""
    numbers = {c.number for c in columns}
    if not numbers:
        return ()
    return tuple(n for n in range(min(numbers), max(numbers)) if n not in numbers)


def _shown_number(value: float) -> str:
    text = f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _is_number(value: Any) -> bool:
    return value.__class__ in (int, float)


def totals_warnings(book: str, table: Table, totals: Sequence[tuple[Total, int]]) -> list[str]:
    """A warning for each number of a totals row that is not the sum of its column (a
    stale 合计 is a real mistake): the whole table's data rows for a 合计, those since
    the last 小计 (or the header) for a 小计. ``totals`` pairs each row with the number
    of data rows above it. Percentages and columns holding texts are not summed."""
    warnings = []
    start = 0
    for total, above in totals:
        subtotal = _label(total.label) == _SUBTOTAL
        first, end = (start, above) if subtotal else (0, len(table))
        if subtotal:
            start = above
        if first >= end:
            continue
        for name, (value, fmt) in total.cells.items():
            if not _is_number(value) or is_percent_format(fmt):
                continue
            column = table.column(name)[first:end]
            if any(v is not None and not _is_number(v) for v in column):
                continue
            found = [v for v in column if v is not None]
            summed = sum(found)
            if not found or abs(summed - value) <= 1e-6 * max(1.0, abs(value)):
                continue
            letter = column_letter(table.positions[name])
            numbers = table.numbers
            span = f"{letter}{numbers[first]}:{letter}{numbers[end - 1]}"
            shown = table.shape.shown.get(name, name) if table.shape else name
            warnings.append(
                f"工作簿 {book} 的「{table.name}」表第 {total.row} 行{total.label}的「{shown}」"
                f"（{letter}{total.row}）是 {_shown_number(value)}，但 {span} 加起来是 "
                f"{_shown_number(summed)}；请核对{total.label}或上面的数据后重新生成"
                f"（{total.label}行不当作数据读取）。"
            )
    return warnings


def _rows(numbers: Sequence[int]) -> str:
    """ "第 3 行", "第 3–4 行", "第 3、5 行" for messages."""
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"第 {numbers[0]} 行"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"第 {numbers[0]}–{numbers[-1]} 行"
    shown = "、".join(str(n) for n in numbers[:5]) + ("等" if len(numbers) > 5 else "")
    return f"第 {shown} 行"


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(name: str, shape: Shape, numbers: Sequence[int]) -> str:
    """How sheet ``name`` was read, in one line for the clerk (officekit validate): which
    rows are the header, title, data, totals and notes, which columns were skipped."""
    kind = "（两行表头）" if len(shape.header) > 1 else ""
    parts = [f"表头{_rows(shape.header)}{kind}"]
    if shape.title:
        parts.append(f"标题{_rows([n for n, _ in shape.title])}（“{_short(shape.title[0][1])}”）")
    if numbers:
        parts.append(f"数据 {len(numbers)} 行（第 {numbers[0]}–{numbers[-1]} 行）")
    else:
        parts.append("没有数据行")
    for total in shape.totals:
        parts.append(f"{total.label}行第 {total.row} 行（不当作数据，已与各列之和核对）")
    if shape.notes:
        parts.append(
            f"表尾说明{_rows([n for n, _ in shape.notes])}（“{_short(shape.notes[0][1])}”）"
        )
    if shape.units:
        parts.append("列的单位：" + "、".join(f"{k}（{v}）" for k, v in shape.units.items()))
    if shape.skipped:
        letters = "、".join(column_letter(c) for c in shape.skipped)
        parts.append(f"跳过没有表头的 {letters} 列")
    return f"「{name}」表：" + "；".join(parts) + "。"
