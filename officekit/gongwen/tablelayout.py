"""Table text set for tables, a step of :mod:`officekit.gongwen.formatter`.

A table inserted in Word takes the body's style: 三号 with a 2-character first-line
indent, so a unit's name breaks one character a line ("城 / 关镇"). Here every cell
paragraph not already in a table style of ours gets 「表格文字」 (仿宋小四, centred, no
indent; the first row of a ruled table 「表格标题行」, 黑体, repeated on each page), and a
borderless table (a signature block) 「落款」 (仿宋三号, no indent). Columns are fitted
to the text block: a table wider than the block, or one of Word's equal columns sized
for another page, is scaled to the block's width, and a column too narrow for its
heading takes the room from the others.
"""

from __future__ import annotations

import math
import re

from lxml import etree

from officekit.gongwen import geometry, spec
from officekit.gongwen.normalise import OUR_STYLES, _own_runs, _set_style
from officekit.gongwen.styles import StyleSheet, W, paragraph_style_id, text_of
from officekit.gongwen.stylesheet import STYLES

TABLE_STYLES = {STYLES[k].style_id for k in ("table", "table_head", "table_note", "signature")}
_TAG = re.compile(r"\{\{|\{%|\{#")
_TABLE_SIZES = {str(spec.half_points(s)) for s in ("小四", "四号")}
_TABLE_FACES = {"仿宋", "黑体", "楷体"}
_LOOK = {
    "table": "仿宋小四号，居中，不缩进",
    "table_head": "黑体小四号，居中，每页重复",
    "signature": "无框线表格按落款排：仿宋三号，不缩进",
}
# A table this close to the block's width is taken as meant to fill it (1 mm).
_SLACK = 57


def _strip_cell_paragraph(p: etree._Element, key: str) -> bool:
    """Indents, line spacing, sizes and faces set directly on a cell paragraph that fight
    table text; True when anything went."""
    changed = False
    ppr = p.find(W + "pPr")
    if ppr is not None:
        for tag in ("ind", "spacing"):
            el = ppr.find(W + tag)
            if el is not None and (tag == "ind" or el.get(W + "line")):
                ppr.remove(el)
                changed = True
    sizes = {str(spec.half_points("三号"))} if key == "signature" else _TABLE_SIZES
    for r in _own_runs(p):
        rpr = r.find(W + "rPr")
        if rpr is None:
            continue
        size = rpr.find(W + "sz")
        if size is not None and size.get(W + "val") not in sizes:
            for tag in ("sz", "szCs"):
                el = rpr.find(W + tag)
                if el is not None:
                    rpr.remove(el)
            changed = True
        fonts = rpr.find(W + "rFonts")
        if fonts is not None:
            name = fonts.get(W + "eastAsia")
            if name and spec.face_of(name) not in _TABLE_FACES:
                del fonts.attrib[W + "eastAsia"]
                changed = True
    return changed


def _header_row(tbl: etree._Element, ruled: bool) -> etree._Element | None:
    rows = tbl.findall(W + "tr")
    if not ruled or len(rows) < 2:
        return None
    texts = [text_of(p) for p in rows[0].iter(W + "p")]
    if any(_TAG.search(t) for t in texts) or not any(t.strip() for t in texts):
        return None
    return rows[0]


def _set_cells(tbl: etree._Element, sheet: StyleSheet) -> tuple[dict[str, int], int]:
    """Cell paragraphs restyled (by style key), and those with direct formatting removed."""
    ruled = geometry.has_borders(sheet, tbl)
    header = _header_row(tbl, ruled)
    restyled: dict[str, int] = {}
    stripped = 0
    for tr in tbl.findall(W + "tr"):
        key = "table_head" if tr is header else "table" if ruled else "signature"
        if tr is header and tr.find(f"{W}trPr/{W}tblHeader") is None:
            tr_pr = tr.find(W + "trPr")
            if tr_pr is None:
                tr_pr = etree.Element(W + "trPr")
                tr.insert(1 if tr.find(W + "tblPrEx") is not None else 0, tr_pr)
            etree.SubElement(tr_pr, W + "tblHeader")
        for tc in tr.findall(W + "tc"):
            for p in tc.findall(W + "p"):
                current = paragraph_style_id(p) or "Normal"
                if current not in TABLE_STYLES and (
                    current not in OUR_STYLES or current == "Normal"
                ):
                    _set_style(p, STYLES[key].style_id)
                    restyled[key] = restyled.get(key, 0) + 1
                if _strip_cell_paragraph(p, key):
                    stripped += 1
    return restyled, stripped


def _has_field(p: etree._Element) -> bool:
    """A Word field (a mail-merge «名称»): its shown text is a stand-in, not the entry."""
    return p.find(f".//{W}fldSimple") is not None or p.find(f".//{W}instrText") is not None


def _needed(tbl: etree._Element, margins: int, columns: int) -> list[int]:
    """For each grid column, the width its widest text without tags or fields needs on
    one line (小四), cells spanning several columns left out."""
    need = [0] * columns
    for tr in tbl.findall(W + "tr"):
        col = 0
        for tc in tr.findall(W + "tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_el.get(W + "val") or 1) if span_el is not None else 1
            if span == 1 and col < columns:
                for p in tc.findall(W + "p"):
                    text = text_of(p).strip()
                    if text and not _TAG.search(text) and not _has_field(p):
                        width = geometry.units(text) * spec.half_points("小四") * 10 + margins
                        need[col] = max(need[col], math.ceil(width))
            col += span
    return need


def _spread(block: int, need: list[int], narrow: list[bool], margins: int) -> list[int]:
    """Word's equal columns, as the author never set them: a column of short entries
    (序号, 分值) as wide as its heading and four characters need, the others sharing the
    rest equally."""
    least = 4 * spec.half_points("小四") * 10 + margins
    fixed = {i: max(n, least) for i, n in enumerate(need) if narrow[i]}
    others = [i for i in range(len(need)) if i not in fixed]
    rest = block - sum(fixed.values())
    if not fixed or not others or rest < sum(need[i] for i in others):
        return [block // len(need)] * len(need)
    widths = [fixed.get(i, rest // len(others)) for i in range(len(need))]
    widths[others[-1]] += block - sum(widths)
    return widths


def fitted(
    grid: list[int], block: int, need: list[int], narrow: list[bool] | None = None, margins: int = 0
) -> list[int]:
    """Column widths: ``grid`` scaled to ``block`` when wider than it, Word's equal columns
    spread over ``block`` (:func:`_spread`), then each column raised to what it ``need``s,
    taken from the others' room in proportion."""
    total = sum(grid)
    widths = list(grid)
    if len(set(grid)) == 1 and len(grid) > 1 and abs(total - block) > _SLACK // 2:
        widths = _spread(block, need, narrow or [False] * len(grid), margins)
    elif total > block + _SLACK:
        widths = [round(w * block / total) for w in grid]
        widths[-1] += block - sum(widths)
    short = [max(0, n - w) for w, n in zip(widths, need, strict=True)]
    room = [max(0, w - n) for w, n in zip(widths, need, strict=True)]
    if not any(short) or sum(room) < sum(short):
        return widths
    target, take, spare = sum(widths), sum(short), sum(room)
    widths = [w + s - round(take * r / spare) for w, s, r in zip(widths, short, room, strict=True)]
    widths[-1] += target - sum(widths)
    return widths


_NARROW_HEADS = {"序号", "编号", "分值", "得分", "分数", "权重", "数量", "单位", "年份"}


def _narrow(tbl: etree._Element, columns: int) -> list[bool]:
    """Columns of short entries, told by their heading in the first row."""
    rows = tbl.findall(W + "tr")
    if not rows:
        return [False] * columns
    cells = rows[0].findall(W + "tc")
    if len(cells) != columns:
        return [False] * columns
    heads = ["".join(text_of(p) for p in tc.findall(W + "p")).strip() for tc in cells]
    return [h in _NARROW_HEADS or (0 < len(h) <= 2) for h in heads]


def _centre_cells(tbl: etree._Element) -> bool:
    """Cells of a ruled table centred vertically, as table text is; True when any was not."""
    changed = False
    for _, _, tc, _ in geometry.cells(tbl):
        tc_pr = tc.find(W + "tcPr")
        if tc_pr is None:
            tc_pr = etree.Element(W + "tcPr")
            tc.insert(0, tc_pr)
        if tc_pr.find(W + "vAlign") is None:
            align = etree.Element(W + "vAlign")
            align.set(W + "val", "center")
            # schema order: vAlign comes after tcW, gridSpan, vMerge, borders, shading …
            later = [tc_pr.find(W + t) for t in ("hideMark", "headers", "cellIns", "cellDel")]
            later = [el for el in later if el is not None]
            if later:
                later[0].addprevious(align)
            else:
                tc_pr.append(align)
            changed = True
    return changed


def _apply_widths(tbl: etree._Element, widths: list[int]) -> None:
    for col, width in zip(tbl.findall(f"{W}tblGrid/{W}gridCol"), widths, strict=True):
        col.set(W + "w", str(width))
    for _, _, tc, _ in geometry.cells(tbl):
        tc_pr = tc.find(W + "tcPr")
        if tc_pr is None:
            tc_pr = etree.Element(W + "tcPr")
            tc.insert(0, tc_pr)
        own = tc_pr.find(W + "tcW")
        if own is None:
            own = etree.Element(W + "tcW")
            tc_pr.insert(0 if tc_pr.find(W + "cnfStyle") is None else 1, own)
    for _, _, tc, width in geometry.cells(tbl):
        own = tc.find(f"{W}tcPr/{W}tcW")
        own.set(W + "w", str(width))
        own.set(W + "type", "dxa")
    tbl_pr = tbl.find(W + "tblPr")
    tbl_w = tbl_pr.find(W + "tblW")
    if tbl_w is None:
        tbl_w = etree.SubElement(tbl_pr, W + "tblW")
        style = tbl_pr.find(W + "tblStyle")
        if style is not None:
            style.addnext(tbl_w)
    tbl_w.set(W + "w", str(sum(widths)))
    tbl_w.set(W + "type", "dxa")


def tables(doc, profile: str, changes: list[str]) -> None:  # noqa: ANN001, ARG001
    """Every table of the body: cell text and column widths; see the module docstring."""
    body = doc.element.body
    sheet = StyleSheet(doc.styles.element)
    # 156 mm: the margins in whole twips leave one twip more, which no table needs.
    block = min(
        geometry.text_width(body.find(W + "sectPr")), spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)
    )
    for number, tbl in enumerate(body.iter(W + "tbl"), start=1):
        what: list[str] = []
        restyled, stripped = _set_cells(tbl, sheet)
        for key, count in restyled.items():
            what.append(f"{count} 个单元格段落改用「{STYLES[key].name}」（{_LOOK[key]}）")
        if stripped:
            what.append(f"{stripped} 个单元格去掉了直接设置的缩进、行距或字号")
        if geometry.has_borders(sheet, tbl) and _centre_cells(tbl):
            what.append("单元格文字上下居中")
        grid = geometry.grid_widths(tbl)
        if grid and all(grid) and tbl.find(W + "tblPr") is not None:
            left, right = geometry.cell_margins(sheet, tbl)
            need = _needed(tbl, left + right, len(grid))
            widths = fitted(grid, block, need, _narrow(tbl, len(grid)), left + right)
            if widths != grid:
                _apply_widths(tbl, widths)
                what.append(
                    f"列宽按版心重新分配（共 {sum(widths) / spec.TWIPS_PER_MM:.0f} mm，"
                    f"原为 {sum(grid) / spec.TWIPS_PER_MM:.0f} mm）"
                )
        if what:
            changes.append(f"表格 {number}：{'；'.join(what)}")
