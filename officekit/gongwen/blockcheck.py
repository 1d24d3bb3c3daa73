"""Checker rules on how text sits in its block: tables and their cells, and titles whose
last line holds one character. Part of :func:`officekit.gongwen.check.check_docx`.

* A table wider than the text block (156 mm) runs into the margin: an error.
* Cell text indented (the body's 2-character first-line indent carried into a table) is a
  warning; cell text too large for its cell, so that a word breaks ("城 / 关镇") or a
  last line holds one character ("抓获毒品犯罪嫌疑 / 人"), is an error.
* A title whose last line holds one character breaks a word, which GB/T 9704 7.2.3
  forbids ("回行时要做到词意完整"): an error; the same in a heading is a warning.

Lines are estimated from the block width and the characters (:mod:`.geometry`);
``check --pdf`` measures them on the page (:mod:`.pdfcheck`).
"""

from __future__ import annotations

from lxml import etree

from officekit.gongwen import geometry, patterns, spec
from officekit.gongwen.roles import Para
from officekit.gongwen.styles import StyleSheet, W, text_of
from officekit.gongwen.words import Collector

# Roles whose one-character last line is reported, with the severity.
LAST_LINE_ROLES = {
    "title": "error",
    "attach_title": "error",
    "h1": "warning",
    "h2": "warning",
    "h3": "warning",
}
# A cell entry this short (characters) that still breaks is a name cut in two.
_SHORT_ENTRY = 6
_FIX_CELL = (
    "请在 Word/WPS 中把这一列拉宽（拖动表格竖线，或「表格属性 → 列」设置宽度），"
    "或把表格文字改为小四号、取消首行缩进；也可以改用 officekit format 排好的模板"
)


def _shown(text: str) -> str:
    return text if len(text) <= 16 else text[:16] + "……"


class _Blocks:
    """The text width of the section each body element is in, found in one pass."""

    def __init__(self, body: etree._Element) -> None:
        self.body = body
        self.width: dict[etree._Element, int] = {}
        current = geometry.text_width(body.find(W + "sectPr"))
        for child in reversed(body):
            sect = child.find(f"{W}pPr/{W}sectPr") if child.tag == W + "p" else None
            if sect is not None:  # the paragraph carrying a section break ends that section
                current = geometry.text_width(sect)
            self.width[child] = current

    def of(self, element: etree._Element) -> int:
        top = element
        while top.getparent() is not None and top.getparent() is not self.body:
            top = top.getparent()
        return self.width.get(top) or geometry.text_width(None)


def _segments(p: etree._Element) -> list[str]:
    """The paragraph's text cut at its line breaks (Shift+Enter)."""
    pieces = [""]
    for el in p.iter(W + "t", W + "br", W + "cr", W + "tab"):
        if el.tag == W + "t":
            pieces[-1] += el.text or ""
        elif el.tag == W + "tab":
            pieces[-1] += "  "
        elif el.get(W + "type") in (None, "textWrapping"):
            pieces.append("")
    return [piece.strip() for piece in pieces if piece.strip()]


def _lone(measure: geometry.Measure, text: str) -> tuple[int, str] | None:
    """(lines, the lone character) when ``text``'s last line holds one character."""
    lines = measure.lone(text)
    if lines is None:
        return None
    tail = text.rstrip(geometry.HANGING)
    return lines, tail[-1:] or text[-1]


def check_tables(
    out: Collector, styles: StyleSheet, body: etree._Element, allow_tags: bool
) -> None:
    """Tables wider than the block; cell text indented or too large for its cell."""
    blocks = _Blocks(body)
    for number, tbl in enumerate(body.iter(W + "tbl"), start=1):
        block = blocks.of(tbl)
        indent = tbl.find(f"{W}tblPr/{W}tblInd")
        width = geometry.table_width(tbl) + max(
            0, int(indent.get(W + "w", 0) or 0) if indent is not None else 0
        )
        if width > block + spec.mm_to_twips(spec.TEXT_BLOCK_TOLERANCE_MM.value):
            out.add(
                "表格宽度",
                "error",
                f"表格 {number}",
                f"表格宽 {width / spec.TWIPS_PER_MM:.0f} mm，超出版心（{block / spec.TWIPS_PER_MM:.0f} mm）；"
                "请在 Word/WPS 中选中表格，「表格属性 → 表格」把「指定宽度」改为 15.6 厘米以内"
                "（或右键「自动调整 → 根据窗口调整表格」）",
            )
        left, right = geometry.cell_margins(styles, tbl)
        for row, col, tc, cell_width in geometry.cells(tbl):
            if not cell_width:
                continue
            where = f"表格 {number} 第 {row} 行第 {col} 列"
            for p in tc.findall(W + "p"):
                _check_cell_paragraph(out, styles, p, where, cell_width - left - right, allow_tags)


def _check_cell_paragraph(
    out: Collector,
    styles: StyleSheet,
    p: etree._Element,
    where: str,
    inner: int,
    allow_tags: bool,
) -> None:
    text = text_of(p).strip()
    if not text or (allow_tags and patterns.TEMPLATE_TAG.search(text)):
        return
    measure = geometry.measure(styles, p, inner)
    if measure is None:
        return
    place = f"{where}「{_shown(text)}」"
    if measure.indented:
        out.add(
            "表格文字",
            "warning",
            place,
            "表格里的文字首行缩进了（沿用了正文的缩进 2 字）；请选中表格，在「段落」中把"
            "「特殊格式」改为「无」",
        )
    if measure.fits(text):
        return  # one line, the usual cell: nothing to estimate
    for segment in _segments(p):
        lone = _lone(measure, segment)
        broken = (
            len(measure.lines(segment, half=0.4)) > 1  # breaks however narrow its digits
            and geometry.units(segment) <= _SHORT_ENTRY
            and not any(ch in "，。；、" for ch in segment)
        )
        if lone or broken:
            lines = lone[0] if lone else len(measure.lines(segment))
            said = f"，最后一行只有“{lone[1]}”一个字" if lone else ""
            out.add(
                "表格文字",
                "error",
                place,
                f"单元格太窄或文字太大：“{_shown(segment)}”排成 {lines} 行{said}；{_FIX_CELL}",
            )
            return


def check_last_lines(
    out: Collector, styles: StyleSheet, body: etree._Element, paras: list[Para], allow_tags: bool
) -> None:
    """Titles and headings whose last line holds one character (estimated)."""
    blocks = _Blocks(body)
    for para in paras:
        severity = LAST_LINE_ROLES.get(para.role)
        if severity is None or para.in_table or para.heading_end is not None:
            continue
        if allow_tags and patterns.TEMPLATE_TAG.search(para.text):
            continue
        measure = geometry.measure(styles, para.element, blocks.of(para.element))
        if measure is None or measure.fits(para.text):
            continue
        for segment in _segments(para.element):
            lone = _lone(measure, segment)
            if lone is None:
                continue
            kind = "标题" if para.role in ("title", "attach_title") else "小标题"
            out.add(
                "标题回行",
                severity,  # type: ignore[arg-type]
                para.where,
                f"{kind}排成 {lone[0]} 行，最后一行只有“{lone[1]}”一个字，词意被拆开；"
                "请在合适的词后按 Shift+Enter 换行，使各行词意完整、长短适宜（梯形或菱形）",
            )
            break


def heading_texts(paras: list[Para]) -> list[tuple[str, str]]:
    """(text, severity) of the titles and headings, for measuring them on the page."""
    return [
        (para.text.strip(), LAST_LINE_ROLES[para.role])
        for para in paras
        if para.role in LAST_LINE_ROLES and not para.in_table and para.text.strip()
    ]
