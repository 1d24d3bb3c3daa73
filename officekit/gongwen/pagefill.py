"""How far a 公文 body fills its pages, estimated from its paragraphs: ``fill(body)``.

The 版记 must stand at the foot of the last page, and that page must be even; whether a
page break is needed before it depends on where the body ends. A .docx does not say (the
application lays it out), so this estimate counts lines the way the 公文 grid sets them:
fixed line pitches, 28 characters of 三号 a line, a paragraph's lines split across pages
(widow control is off in the 公文 styles), table rows kept whole, explicit page and
section breaks. It is exact for text set in the layout's styles and close for others;
``officekit check --pdf`` measures the real pages.

Lengths in twips.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lxml import etree

from officekit.gongwen import spec, stylesheet
from officekit.gongwen.styles import W, paragraph_style_id

PAGE_HEIGHT = spec.mm_to_twips(spec.TEXT_HEIGHT_MM.value)
TEXT_WIDTH = spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)
_BY_ID = {style.style_id: style for style in stylesheet.STYLES.values()}
_AUTO_FACTOR = spec.SINGLE_LINE_FACTOR.value


@dataclass
class Fill:
    """Pages begun so far, and the height used on the last one."""

    pages: int = 1
    used: int = 0

    def room(self) -> int:
        return PAGE_HEIGHT - self.used

    def new_page(self, parity: str | None = None) -> None:
        self.pages += 1
        if parity == "odd" and self.pages % 2 == 0 or parity == "even" and self.pages % 2:
            self.pages += 1
        self.used = 0

    def add(self, height: int) -> None:
        """Add one unbreakable piece (a line, a table row)."""
        if self.used and self.used + height > PAGE_HEIGHT:
            self.new_page()
        self.used += height


def _int(element: etree._Element | None, attr: str) -> int | None:
    if element is None:
        return None
    value = element.get(W + attr)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class _Metrics:
    line: int  # twips a line
    before: int
    after: int
    width: int  # twips available to the text
    first_line: int  # extra indent (+) or outdent (−) of the first line
    char: float  # twips a character
    keep_next: bool


def _metrics(p: etree._Element, width: int) -> _Metrics:
    style = _BY_ID.get(paragraph_style_id(p) or "", stylesheet.STYLES["body"])
    role = spec.ROLES[style.role]
    ppr = p.find(W + "pPr")
    spacing = ppr.find(W + "spacing") if ppr is not None else None
    ind = ppr.find(W + "ind") if ppr is not None else None
    size_pt = spec.SIZE_NAMES_PT[role.size]
    for sz in p.iter(W + "sz"):  # the first run's own size, when it has one
        size_pt = (_int(sz, "val") or size_pt * 2) / 2
        break
    scale = spec.CHAR_SCALE_PERCENT.value / 100 if role.size == "三号" else 1.0
    line = _int(spacing, "line") or style.line or stylesheet.PITCH
    if spacing is not None and spacing.get(W + "lineRule") == "auto":
        line = round(size_pt * spec.TWIPS_PER_PT * _AUTO_FACTOR * line / 240)
    left = _int(ind, "left") if _int(ind, "left") is not None else style.left
    right = _int(ind, "right") if _int(ind, "right") is not None else style.right
    first = _int(ind, "firstLine")
    hanging = _int(ind, "hanging")
    if hanging is not None:
        first = -hanging
    elif first is None:
        first = style.first_line - style.hanging
    keep = ppr is not None and ppr.find(W + "keepNext") is not None
    return _Metrics(
        line=line,
        before=_int(spacing, "before") if _int(spacing, "before") is not None else style.before,
        after=_int(spacing, "after") if _int(spacing, "after") is not None else style.after,
        width=max(width - (left or 0) - (right or 0), 1),
        first_line=first or 0,
        char=size_pt * spec.TWIPS_PER_PT * scale,
        keep_next=keep or style.keep_next,
    )


def _pieces(p: etree._Element) -> list[str | None]:
    """The paragraph's text cut at manual breaks; None stands for a page break."""
    pieces: list[str | None] = [""]
    for el in p.iter(W + "t", W + "br", W + "tab", W + "cr"):
        if el.tag == W + "t":
            pieces[-1] = (pieces[-1] or "") + (el.text or "")
        elif el.tag == W + "tab":
            pieces[-1] = (pieces[-1] or "") + "  "
        elif el.get(W + "type") == "page":
            pieces += [None, ""]
        else:
            pieces.append("")
    return pieces


def _units(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def paragraph_lines(p: etree._Element, width: int = TEXT_WIDTH) -> list[int | None]:
    """Each line's height (None: a page break) of paragraph ``p`` in ``width`` twips."""
    m = _metrics(p, width)
    per_line = max(int(m.width / m.char), 1)
    heights: list[int | None] = []
    for piece in _pieces(p):
        if piece is None:
            heights.append(None)
            continue
        units = _units(piece) + m.first_line / m.char if not heights else _units(piece)
        heights += [m.line] * max(1, math.ceil(units / per_line - 1e-9))
    return heights


def height(p: etree._Element, lines: bool = True) -> int:
    """Height of paragraph ``p`` on one page: spacing before, its lines, spacing after
    (``lines`` False: the spacing before only)."""
    m = _metrics(p, TEXT_WIDTH)
    if not lines:
        return m.before
    return m.before + sum(h or 0 for h in paragraph_lines(p)) + m.after


def _paragraph(fill: Fill, p: etree._Element, next_line: int) -> None:
    m = _metrics(p, TEXT_WIDTH)
    lines = paragraph_lines(p)
    if m.keep_next and lines and None not in lines:
        whole = m.before + sum(h for h in lines if h) + m.after + next_line
        if fill.used and whole > fill.room() and whole <= PAGE_HEIGHT:
            fill.new_page()  # a heading is not left alone at the foot of a page
    if fill.used:
        fill.used = min(fill.used + m.before, PAGE_HEIGHT)
    for height in lines:
        if height is None:
            fill.new_page()
        else:
            fill.add(height)
    fill.used = min(fill.used + m.after, PAGE_HEIGHT)
    section = p.find(f"{W}pPr/{W}sectPr")
    if section is not None:
        kind = section.find(W + "type")
        value = kind.get(W + "val") if kind is not None else "nextPage"
        if value != "continuous":
            fill.new_page({"oddPage": "odd", "evenPage": "even"}.get(value or ""))


def _row_height(tr: etree._Element) -> int:
    tallest = 0
    for tc in tr.findall(W + "tc"):
        width = _int(tc.find(f"{W}tcPr/{W}tcW"), "w") or TEXT_WIDTH
        height = 0
        for p in tc.findall(W + "p"):
            m = _metrics(p, width)
            height += m.before + m.after + sum(h or 0 for h in paragraph_lines(p, width))
        tallest = max(tallest, height)
    exact = _int(tr.find(f"{W}trPr/{W}trHeight"), "val")
    return max(tallest, exact or 0)


def fill(body: etree._Element) -> Fill:
    """Pages the body takes and the height used on its last page."""
    result = Fill()
    blocks = [el for el in body if el.tag in (W + "p", W + "tbl")]
    for index, el in enumerate(blocks):
        if el.tag == W + "tbl":
            for tr in el.iter(W + "tr"):
                result.add(_row_height(tr))
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        next_line = 0
        if following is not None and following.tag == W + "p":
            next_line = next((h for h in paragraph_lines(following) if h), 0)
        _paragraph(result, el, next_line)
    return result


def breaks_before_imprint(done: Fill, imprint_height: int) -> int:
    """Page breaks that put the 版记 on an even page at the foot of the body's last page:
    0 when that page is even with room to spare, 1 when it is odd, 2 (over a blank odd
    page) when it is even and full. A line of room is kept for the estimate's error."""
    fits = done.room() >= imprint_height + stylesheet.PITCH
    if done.pages % 2:
        return 1
    return 0 if fits else 2
