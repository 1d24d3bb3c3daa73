"""How wide things are on the page: the text block, tables, cells, and how many lines a
paragraph's text takes. Lengths in twips; sizes in points.

Shared by the formatter (fitting tables, :mod:`.tablelayout`) and the checker (cells too
narrow, tables too wide, a title's last line holding one character: :mod:`.blockcheck`),
so both judge a line the same way.

The line estimate counts a Chinese character or full-width mark as one character and a
Latin letter, digit or space as half of one (the CJK faces' half-width forms), and lets a
closing mark hang at a line's end as Word, WPS and LibreOffice do. It is an estimate:
``check --pdf`` measures the page itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree

from officekit.gongwen import spec
from officekit.gongwen.styles import (
    StyleSheet,
    W,
    first,
    scale_percent,
    size_pt,
    spacing_twips,
    val,
)

# Word's default cell margins (0.19 cm) where neither the table nor its style sets any.
DEFAULT_CELL_MARGIN = 108
# Marks that may hang past a line's end, and so never begin a line of their own.
HANGING = "，。、；：！？”’）》」』〕】,.;:!?)"


def text_width(sect: etree._Element | None) -> int:
    """The width of the text block of section ``sect`` (page width less the margins)."""
    if sect is None:
        return spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)
    size, margins = sect.find(W + "pgSz"), sect.find(W + "pgMar")
    width = int(val(size, "w") or spec.mm_to_twips(spec.PAPER_WIDTH_MM.value))
    if margins is None:
        return width
    return width - sum(abs(int(val(margins, side) or 0)) for side in ("left", "right", "gutter"))


def _half(ch: str) -> bool:
    return ord(ch) < 0x2E80 and ch not in "—…“”‘’"


def units(text: str, half: float = 0.5) -> float:
    """Width of ``text`` in characters: a half-width character counts ``half``."""
    return sum(half if _half(ch) else 1.0 for ch in text)


def lines_of(text: str, first_cap: float, cap: float, half: float = 0.5) -> list[float]:
    """The widths (in characters) of the lines ``text`` breaks into, when the first line
    holds ``first_cap`` characters and every other ``cap`` (a half-width character
    taking ``half`` of one)."""
    if cap <= 0 or first_cap <= 0:
        return [units(text, half)]
    widths: list[float] = []
    room, used = first_cap, 0.0
    for ch in text:
        w = half if _half(ch) else 1.0
        if used + w > room + 1e-6 and used > 0 and ch not in HANGING:
            widths.append(used)
            room, used = cap, 0.0
        used += w
    widths.append(used)
    return widths


@dataclass(frozen=True)
class Measure:
    """Where a paragraph's lines run: how wide a character is and how many fit."""

    advance: float  # twips per full-width character
    first_cap: float  # characters on the first line
    cap: float  # characters on every other line
    indented: bool = False  # a first-line indent

    def fits(self, text: str) -> bool:
        """Whether ``text`` surely takes one line (digits at their widest)."""
        return units(text, 0.6) <= self.first_cap

    def lines(self, text: str, half: float = 0.5) -> list[float]:
        return lines_of(text, self.first_cap, self.cap, half)

    def lone(self, text: str) -> int | None:
        """The number of lines when ``text``'s last line holds one character whatever
        the width of its digits and Latin letters (a face draws them 0.4–0.6 of a
        character wide); None otherwise. Only a sure case is reported."""
        counts = set()
        for half in (0.4, 0.5, 0.6):
            lines = self.lines(text, half)
            if len(lines) < 2 or lines[-1] > 1.0:
                return None
            counts.add(len(lines))
        return counts.pop() if len(counts) == 1 else None


def measure(styles: StyleSheet, p: etree._Element, width: int) -> Measure | None:
    """The line capacity of paragraph ``p`` in a block ``width`` twips wide, from its
    first run's size, scale and spacing and the paragraph's indents.

    Kept per stylesheet by what decides it (the paragraph's own properties, its first
    run's, its table's style, the width): the cells of a table are mostly alike, and
    walking the style layers for each was half the time of checking a letter."""
    run = next((r for r in p.iter(W + "r") if r.find(W + "t") is not None), None)
    rpr = run.find(W + "rPr") if run is not None else None
    ppr = p.find(W + "pPr")
    tbl = next(p.iterancestors(W + "tbl"), None)
    key = (
        width,
        etree.tostring(ppr) if ppr is not None else b"",
        etree.tostring(rpr) if rpr is not None else b"",
        val(tbl.find(f"{W}tblPr/{W}tblStyle")) if tbl is not None else None,
        tbl is not None,
    )
    kept: dict = styles.__dict__.setdefault("_measures", {})
    if key not in kept:
        kept[key] = _measure(styles, p, run, width)
    return kept[key]


def _measure(
    styles: StyleSheet, p: etree._Element, run: etree._Element | None, width: int
) -> Measure | None:
    layers = styles.run_layers(p, run)
    size = size_pt(layers) or 10.5
    advance = size * spec.TWIPS_PER_PT * scale_percent(layers) / 100 + spacing_twips(layers)
    if advance <= 0:
        return None
    playout = styles.paragraph_layers(p)

    def indent(*names: str) -> int:
        return max(int(first(playout, "ind", name) or 0) for name in names)

    def chars_indent(name: str, points: float) -> int:
        hundredths = first(playout, "ind", name)
        return round(int(hundredths) / 100 * points * spec.TWIPS_PER_PT) if hundredths else 0

    left = indent("left", "start") or chars_indent("leftChars", size)
    right = indent("right", "end") or chars_indent("rightChars", size)
    first_line = int(first(playout, "ind", "firstLine") or 0) or chars_indent(
        "firstLineChars", size
    )
    hanging = int(first(playout, "ind", "hanging") or 0) or chars_indent("hangingChars", size)
    block = width - left - right
    first_cap = (block - first_line + hanging) / advance
    return Measure(advance, first_cap, block / advance, first_line > 0)


def grid_widths(tbl: etree._Element) -> list[int]:
    return [int(val(col, "w") or 0) for col in tbl.findall(f"{W}tblGrid/{W}gridCol")]


def table_width(tbl: etree._Element) -> int:
    """The table's width as drawn: its grid, or its stated width when it has no grid."""
    grid = grid_widths(tbl)
    if any(grid):
        return sum(grid)
    width = tbl.find(f"{W}tblPr/{W}tblW")
    return int(val(width, "w") or 0) if val(width, "type") == "dxa" else 0


def _table_props(styles: StyleSheet, tbl: etree._Element) -> list[etree._Element]:
    """The table's own tblPr, then its style chain's (the default table style if none)."""
    own = tbl.find(W + "tblPr")
    found = [own] if own is not None else []
    style_id = val(tbl.find(f"{W}tblPr/{W}tblStyle"))
    for style in styles.chain(style_id, "table"):
        found.extend(style.findall(W + "tblPr"))
    return found


def cell_margins(styles: StyleSheet, tbl: etree._Element) -> tuple[int, int]:
    """(left, right) cell margins of ``tbl`` in twips."""
    result = []
    for sides in (("left", "start"), ("right", "end")):
        margin = None
        for props in _table_props(styles, tbl):
            for side in sides:
                el = props.find(f"{W}tblCellMar/{W}{side}")
                if el is not None and margin is None:
                    margin = int(val(el, "w") or 0)
        result.append(DEFAULT_CELL_MARGIN if margin is None else margin)
    return result[0], result[1]


def _drawn(borders: etree._Element) -> bool:
    return any(val(el) not in (None, "nil", "none") for el in borders)


def has_borders(styles: StyleSheet, tbl: etree._Element) -> bool:
    """Whether the table draws any rule: its own borders, else its style's, or its cells'
    (LibreOffice writes a ruled table's borders on every cell)."""
    ruled = False
    for props in _table_props(styles, tbl):
        borders = props.find(W + "tblBorders")
        if borders is not None:
            ruled = _drawn(borders)
            break
    if ruled:
        return True
    cell_borders = tbl.iterfind(f"{W}tr/{W}tc/{W}tcPr/{W}tcBorders")
    return any(_drawn(borders) for borders in cell_borders)


def cells(tbl: etree._Element) -> list[tuple[int, int, etree._Element, int]]:
    """(row, column, w:tc, width) of every cell, 1-based, the width from the grid
    columns it spans (or its own tcW when the grid is missing)."""
    grid = grid_widths(tbl)
    found = []
    for r, tr in enumerate(tbl.findall(W + "tr"), start=1):
        col = 0
        for c, tc in enumerate(tr.findall(W + "tc"), start=1):
            span = int(val(tc.find(f"{W}tcPr/{W}gridSpan")) or 1)
            width = sum(grid[col : col + span]) if col + span <= len(grid) else 0
            if not width:
                own = tc.find(f"{W}tcPr/{W}tcW")
                width = int(val(own, "w") or 0) if val(own, "type") in (None, "dxa") else 0
            found.append((r, c, tc, width))
            col += span
    return found


def chars_fit(width: int, size_points: float) -> int:
    """Whole characters of ``size_points`` that fit in ``width`` twips."""
    return math.floor(width / (size_points * spec.TWIPS_PER_PT) + 1e-6)
