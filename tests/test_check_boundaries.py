"""officekit.gongwen.check at the edges of its measured rules, and its character-style layer.

Each measured rule is tried on both sides of its limit, one step (one twip) apart, so a
limit moved by one, or a ``>`` turned into ``>=``, shows: 22 lines a page (a line pitch of
580 twips still gives 22, 581 gives 21; 555 gives 22, 554 gives 23), 28 characters a line
(character spacing of +2 twips keeps 28, +3 gives 27; −8 keeps 28, −9 gives 29), and the
margins at 37 ± 1 mm and 28 ± 1 mm. The documents are the compliant one of
tests/test_layout.py with one setting changed.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from gbt9704 import W
from test_layout import _build_document

from officekit.gongwen import hints
from officekit.gongwen.check import Finding, check_docx

BODY = 5  # 今天，县委、县政府召开全县禁毒工作会议……（a body paragraph of CONTENT）


def _findings(tmp_path: Path, doc: DocumentObject) -> list[Finding]:
    path = tmp_path / "边界.docx"
    doc.save(str(path))
    return check_docx(path).findings


def _rules(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in findings]


def _line_pitch(twips: int) -> DocumentObject:
    doc = _build_document()
    ppr = doc.paragraphs[BODY]._p.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")
    ppr.append(spacing)
    return doc


@pytest.mark.parametrize(
    ("twips", "lines"),
    [(581, 21), (580, None), (579, None), (555, None), (554, 23)],
)
def test_lines_a_page_at_the_limit(tmp_path: Path, twips: int, lines: int | None) -> None:
    findings = _findings(tmp_path, _line_pitch(twips))
    assert _rules(findings) == ([] if lines is None else [("行数", "error")])
    assert [f.message.split("，")[1] for f in findings] == (
        [] if lines is None else [f"每页排 {lines} 行"]
    )
    assert all("今天，县委" in f.where for f in findings)


def _char_spacing(twips: int) -> DocumentObject:
    doc = _build_document()
    run = doc.paragraphs[BODY].runs[0]
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    run._r.get_or_add_rPr().append(spacing)
    return doc


@pytest.mark.parametrize(("twips", "chars"), [(3, 27), (2, None), (0, None), (-8, None), (-9, 29)])
def test_characters_a_line_at_the_limit(tmp_path: Path, twips: int, chars: int | None) -> None:
    findings = _findings(tmp_path, _char_spacing(twips))
    assert _rules(findings) == ([] if chars is None else [("每行字数", "error")])
    assert [f.message.split("（")[0] for f in findings] == (
        [] if chars is None else [f"每行排 {chars} 个字，应为 28 个字"]
    )


def _margin(side: str, twips: int, keep_block: str) -> DocumentObject:
    """Margin ``side`` set to ``twips``; the opposite side moved so the text block keeps
    its size (only the margin rule is at its edge)."""
    doc = _build_document()
    margins = doc.element.body.find(f"{W}sectPr/{W}pgMar")
    before = int(margins.get(qn(f"w:{side}")))
    margins.set(qn(f"w:{side}"), str(twips))
    opposite = int(margins.get(qn(f"w:{keep_block}")))
    margins.set(qn(f"w:{keep_block}"), str(opposite - (twips - before)))
    return doc


def _advised(rule: str, message: str) -> str:
    """``message`` as a clerk reads it: with what to click in Word/WPS (gongwen/hints.py)."""
    return f"{message}；{hints.HINTS[rule]}"


# twips → mm: × 25.4 / 1440. 2041 = 36.001 mm, 2040 = 35.983 mm, 2154 = 37.994 mm,
# 2155 = 38.012 mm; 1531 = 27.005 mm, 1530 = 26.988 mm, 1644 = 28.998 mm, 1645 = 29.016 mm.
@pytest.mark.parametrize(
    ("side", "keep", "twips", "flagged"),
    [
        ("top", "bottom", 2040, True),
        ("top", "bottom", 2041, False),
        ("top", "bottom", 2154, False),
        ("top", "bottom", 2155, True),
        ("left", "right", 1530, True),
        ("left", "right", 1531, False),
        ("left", "right", 1644, False),
        ("left", "right", 1645, True),
    ],
)
def test_margins_at_one_millimetre(
    tmp_path: Path, side: str, keep: str, twips: int, flagged: bool
) -> None:
    findings = _findings(tmp_path, _margin(side, twips, keep))
    name = "上边距（天头）" if side == "top" else "左边距（订口）"
    want = "37 ± 1 mm" if side == "top" else "28 ± 1 mm"
    message = f"{name}为 {twips * 25.4 / 1440:.1f} mm，应为 {want}"
    assert [(f.rule, f.severity, f.message) for f in findings] == (
        [("页边距", "error", _advised("页边距", message))] if flagged else []
    )


@pytest.mark.parametrize(
    ("right", "flagged"), [(1474, False), (1474 + 57, False), (1474 + 58, True)]
)
def test_text_block_width_at_one_millimetre(tmp_path: Path, right: int, flagged: bool) -> None:
    """156 mm wide ± 1 mm. The compliant block is 8845 twips (156.016 mm): 57 twips narrower
    (155.010 mm) still passes, 58 (154.993 mm) does not."""
    doc = _build_document()
    doc.element.body.find(f"{W}sectPr/{W}pgMar").set(qn("w:right"), str(right))
    findings = _findings(tmp_path, doc)
    assert _rules(findings) == ([("版心", "error")] if flagged else [])


# ---- the character-style layer ----------------------------------------------------------


def _character_style(doc: DocumentObject, style_id: str, name: str, **props: str) -> None:
    """A character style (w:type="character") setting the East Asian font and/or size."""
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "character")
    style.set(qn("w:styleId"), style_id)
    name_el = OxmlElement("w:name")
    name_el.set(qn("w:val"), name)
    style.append(name_el)
    if "based_on" in props:
        based = OxmlElement("w:basedOn")
        based.set(qn("w:val"), props["based_on"])
        style.append(based)
    rpr = OxmlElement("w:rPr")
    if "east_asia" in props:
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:eastAsia"), props["east_asia"])
        rpr.append(fonts)
    if "size" in props:
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), props["size"])
            rpr.append(size)
    style.append(rpr)
    doc.styles.element.append(style)


def _apply(doc: DocumentObject, paragraph: int, style_id: str) -> None:
    for run in doc.paragraphs[paragraph].runs:
        rpr = run._r.get_or_add_rPr()
        ref = OxmlElement("w:rStyle")
        ref.set(qn("w:val"), style_id)
        rpr.insert(0, ref)


def test_font_from_a_character_style_is_checked_and_named(tmp_path: Path) -> None:
    doc = _build_document()
    _character_style(doc, "Emphasis1", "强调黑体", east_asia="黑体")
    _apply(doc, BODY, "Emphasis1")
    findings = _findings(tmp_path, doc)
    assert _rules(findings) == [("字体", "error")]
    assert "今天，县委" in findings[0].where
    assert findings[0].message == _advised(
        "字体", "正文字体为 黑体（来自样式“强调黑体”），应为仿宋"
    )


def test_size_from_a_character_style_is_checked(tmp_path: Path) -> None:
    doc = _build_document()
    _character_style(doc, "Small1", "小字", size="28")  # 14 pt: 四号
    _apply(doc, BODY, "Small1")
    findings = _findings(tmp_path, doc)
    # The smaller size also packs more characters into a line (the grid rule reads the same
    # layers).
    assert _rules(findings) == [("每行字数", "error"), ("字号", "error")]
    assert findings[0].message.startswith("每行排 32 个字")  # 442.2 pt ÷ (14 pt × 98%)
    assert findings[1].message == _advised("字号", "正文字号为 四号（14 磅），应为三号（16 磅）")


def test_character_style_inherits_from_the_style_it_is_based_on(tmp_path: Path) -> None:
    doc = _build_document()
    _character_style(doc, "Base1", "基础", east_asia="楷体_GB2312")
    _character_style(doc, "Derived1", "派生", based_on="Base1", size="32")
    _apply(doc, BODY, "Derived1")
    findings = _findings(tmp_path, doc)
    assert _rules(findings) == [("字体", "error")]
    assert "楷体_GB2312（来自样式“基础”）" in findings[0].message


def test_character_style_beats_the_paragraph_style(tmp_path: Path) -> None:
    """Word's order: the run's own formatting, then its character style, then the paragraph
    style. A right font in a character style mends a wrong font in the paragraph style."""
    doc = _build_document()
    normal = doc.styles.element.find(f"{W}style[@{W}styleId='Normal']")
    normal.find(f"{W}rPr/{W}rFonts").set(qn("w:eastAsia"), "宋体")
    wrong = _findings(tmp_path, doc)
    assert ("字体", "error") in _rules(wrong)
    _character_style(doc, "Right1", "正文字", east_asia="仿宋_GB2312")
    for number, paragraph in enumerate(doc.paragraphs):
        if paragraph.style.style_id == "Normal":
            _apply(doc, number, "Right1")
    assert _findings(tmp_path, doc) == []


def test_run_font_beats_a_wrong_character_style(tmp_path: Path) -> None:
    doc = _build_document()
    _character_style(doc, "Wrong2", "错字", east_asia="黑体", size="28")
    _apply(doc, BODY, "Wrong2")
    for run in doc.paragraphs[BODY].runs:
        rpr = run._r.get_or_add_rPr()
        fonts = OxmlElement("w:rFonts")
        fonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        rpr.append(fonts)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "32")
        rpr.append(size)
    assert _findings(tmp_path, doc) == []


def test_a_document_saved_again_keeps_the_character_style_finding(tmp_path: Path) -> None:
    """python-docx reopening the file (as the checker's input would be) changes nothing."""
    doc = _build_document()
    _character_style(doc, "Emphasis2", "强调黑体", east_asia="黑体")
    _apply(doc, BODY, "Emphasis2")
    first = tmp_path / "一.docx"
    doc.save(str(first))
    again = docx.Document(str(first))
    second = tmp_path / "二.docx"
    again.save(str(second))
    assert _rules(check_docx(second).findings) == [("字体", "error")]


# ---- page set-up the checker cannot find, and the line height Word computes ---------------


def _sect(doc: DocumentObject):  # noqa: ANN202 - lxml element
    return doc.element.body.find(f"{W}sectPr")


def test_missing_paper_size_and_margins_are_errors(tmp_path: Path) -> None:
    doc = _build_document()
    _sect(doc).remove(_sect(doc).find(f"{W}pgSz"))
    assert [(f.rule, f.severity, f.where, f.message) for f in _findings(tmp_path, doc)] == [
        (
            "纸张",
            "error",
            "第 1 节（页面设置）",
            _advised("纸张", "没有设置纸张大小，应为 A4（210 × 297 mm）"),
        )
    ]
    doc = _build_document()
    _sect(doc).remove(_sect(doc).find(f"{W}pgMar"))
    assert [(f.rule, f.severity, f.message) for f in _findings(tmp_path, doc)] == [
        (
            "页边距",
            "error",
            _advised("页边距", "没有设置页边距，应为上 37 mm、左 28 mm、版心 156 × 225 mm"),
        )
    ]


@pytest.mark.parametrize(
    ("orient", "swap"), [("landscape", False), (None, True), ("landscape", True)]
)
def test_landscape_by_attribute_or_by_size(tmp_path: Path, orient: str | None, swap: bool) -> None:
    doc = _build_document()
    size = _sect(doc).find(f"{W}pgSz")
    if orient:
        size.set(qn("w:orient"), orient)
    if swap:
        width, height = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), height)
        size.set(qn("w:h"), width)
    found = [(f.rule, f.message) for f in _findings(tmp_path, doc) if f.rule == "纸张"]
    assert ("纸张", _advised("纸张", "纸张为横向，公文应为纵向")) in found


@pytest.mark.parametrize(
    ("line", "grid", "lines"),
    [
        (240, "lines", None),  # single spacing snapped to the 28.95 pt grid: 22 lines
        (240, "default", 30),  # no grid: 16 pt × 1.3 = 20.8 pt a line, 30 lines
        (360, "default", 20),  # 1.5 lines: 31.2 pt, 20 lines
    ],
)
def test_auto_line_spacing_is_measured_as_word_sets_it(
    tmp_path: Path, line: int, grid: str, lines: int | None
) -> None:
    doc = _build_document()
    ppr = doc.paragraphs[BODY]._p.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:line"), str(line))
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    _sect(doc).find(f"{W}docGrid").set(qn("w:type"), grid)
    found = [f.message.split("，")[1] for f in _findings(tmp_path, doc) if f.rule == "行数"]
    assert found == ([] if lines is None else [f"每页排 {lines} 行"])
