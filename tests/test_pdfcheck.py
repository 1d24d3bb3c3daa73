"""officekit.gongwen.pdfcheck: measurements on pages LibreOffice really drew.

One compliant document and one document per planted layout defect are rendered in a
single LibreOffice batch; each defect must show up in the measurements of its own PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from gbt9704 import W

from officekit.gongwen import layout, oxml
from officekit.gongwen.check import Report
from officekit.gongwen.pdfcheck import (
    PT_PER_MM,
    Block,
    Page,
    Word,
    measure,
    measure_pages,
    measure_reports,
    read_pages,
)


def _long_document() -> DocumentObject:
    """Title, greeting and enough body text for three full pages."""
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "在全县禁毒工作会议上的讲话")
    layout.add_paragraph(doc, "body", "")
    layout.add_paragraph(doc, "greeting", "同志们：")
    sentence = "全县上下要坚持严打方针不动摇，紧盯重点地区和重点人员，持续保持高压态势。"
    for n in range(1, 25):
        layout.add_paragraph(
            doc, "h2" if n % 6 == 1 else "body", sentence * (1 if n % 6 == 1 else 3)
        )
    return doc


def _letter_paper(doc: DocumentObject) -> None:
    size = doc.element.body.find(f"{W}sectPr/{W}pgSz")
    size.set(qn("w:w"), "12240")
    size.set(qn("w:h"), "15840")


def _narrow_margins(doc: DocumentObject) -> None:
    margins = doc.element.body.find(f"{W}sectPr/{W}pgMar")
    for side in ("left", "right", "top", "bottom"):
        margins.set(qn(f"w:{side}"), "720")


def _tight_lines(doc: DocumentObject) -> None:
    normal = doc.styles.element.find(f"{W}style[@{W}styleId='Normal']")
    normal.find(f"{W}pPr/{W}spacing").set(qn("w:line"), "440")  # 22 pt: 29 lines a page
    # LibreOffice snaps lines to the document's line grid; without it the 22 pt show.
    doc.element.body.find(f"{W}sectPr/{W}docGrid").set(qn("w:type"), "default")


def _odd_number_left(doc: DocumentObject) -> None:
    oxml.set_justification(doc.sections[0].footer.paragraphs[0]._p.get_or_add_pPr(), "left")


def _no_footer(doc: DocumentObject) -> None:
    sect = doc.element.body.find(f"{W}sectPr")
    for ref in sect.findall(f"{W}footerReference"):
        sect.remove(ref)


DEFECTS: dict[str, tuple[Callable[[DocumentObject], None], str]] = {
    "letter": (_letter_paper, "实测纸张"),
    "margins": (_narrow_margins, "实测版心"),
    "lines": (_tight_lines, "实测行数"),
    "odd-left": (_odd_number_left, "实测页码"),
    "no-footer": (_no_footer, "实测页码"),
}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory, soffice: Path) -> dict[str, Report]:
    folder = tmp_path_factory.mktemp("pdfcheck")
    reports = {}
    for name, (mutate, _) in {"ok": (lambda doc: None, ""), **DEFECTS}.items():
        doc = _long_document()
        mutate(doc)
        path = folder / f"{name}.docx"
        doc.save(str(path))
        reports[name] = Report(path)
    note = measure_reports(list(reports.values()))
    assert note == ""
    return reports


def test_compliant_document_measures_clean(measured: dict[str, Report]) -> None:
    assert measured["ok"].findings == []


@pytest.mark.parametrize("name", list(DEFECTS))
def test_planted_defect_is_measured(measured: dict[str, Report], name: str) -> None:
    rule = DEFECTS[name][1]
    found = [f for f in measured[name].findings if f.rule == rule]
    assert found and all(f.severity == "error" for f in found), measured[name].findings
    assert "（PDF）" in found[0].where


def test_word_boxes_of_a_full_page(tmp_path: Path, soffice: Path) -> None:
    from officekit.export import to_pdf

    path = tmp_path / "page.docx"
    _long_document().save(str(path))
    (pdf,), _ = to_pdf([path], tmp_path / "pdf")
    pages = read_pages(pdf)
    assert len(pages) >= 3
    block = Block.a4()
    second = pages[1]
    body = [w for w in second.words if w.y1 < block.bottom + 10]
    lines = {round(w.y1) for w in body}
    assert len(lines) == 22  # a full body page holds exactly 22 lines
    assert measure(pdf) == []


def test_without_libreoffice_the_note_says_so(tmp_path: Path, monkeypatch) -> None:
    from officekit import export

    monkeypatch.setattr(export, "find_soffice", lambda: None)
    path = tmp_path / "x.docx"
    _long_document().save(str(path))
    note = measure_reports([Report(path)])
    assert "未找到 LibreOffice" in note and "libreoffice" in note


# ---- the measured rules at their limits, on word boxes laid out here -----------------------
# Points from the top left, as pdftotext -bbox gives them. A body line is a box 21 pt high
# (三号 text); the page number sits 7 mm under the block, right on odd pages.

A4_W, A4_H = 210 * PT_PER_MM, 297 * PT_PER_MM
MM = PT_PER_MM


def _page(lines: int, pitch: float = 27.0, height: float = 21.0, number: int = 1) -> Page:
    block = Block.a4()
    words = [
        Word(
            block.left + 32,
            block.top + i * pitch,
            block.left + 300,
            block.top + i * pitch + height,
            "正文",
        )
        for i in range(lines)
    ]
    gap = block.bottom + 7 * MM
    x = block.right - 60 if number % 2 else block.left + 10
    words.append(Word(x, gap, x + 50, gap + 14, f"— {number} —"))
    return Page(A4_W, A4_H, words)


def _rules(pages: list[Page]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.severity, f.message) for f in measure_pages(pages, "讲话稿.pdf")]


@pytest.mark.parametrize("lines", [1, 21, 22])
def test_up_to_22_lines_pass(lines: int) -> None:
    assert _rules([_page(lines)]) == []


def test_23_lines_are_one_too_many() -> None:
    assert _rules([_page(23)]) == [("实测行数", "error", "本页排了 23 行正文，应不超过 22 行")]


def test_boxes_shorter_than_a_small_three_line_are_not_counted() -> None:
    """Table text (小四, boxes about 16 pt) packs more lines; only 三号-sized boxes count."""
    table = _page(30, pitch=20.0, height=17.9)
    assert _rules([table]) == []
    body = _page(30, pitch=20.0, height=18.1)
    assert _rules([body]) == [("实测行数", "error", "本页排了 30 行正文，应不超过 22 行")]


def _with_word(x0: float, x1: float, text: str = "字", y0: float | None = None) -> Page:
    page = _page(3)
    top = Block.a4().top + 100 if y0 is None else y0
    page.words.append(Word(x0, top, x1, top + 21, text))
    return page


@pytest.mark.parametrize(
    ("shift_mm", "flagged"),
    [(1.0, False), (0.0, False), (-0.5, False), (-1.0, True)],  # the slack is 2 pt (0.7 mm)
)
def test_left_edge_of_the_block_at_one_millimetre(shift_mm: float, flagged: bool) -> None:
    left = Block.a4().left + shift_mm * MM
    want = [("实测版心", "error", "“字”超出版心（156 × 225 mm）")] if flagged else []
    assert _rules([_with_word(left, left + 16)]) == want


@pytest.mark.parametrize(("shift_mm", "flagged"), [(-1.0, False), (0.5, False), (1.0, True)])
def test_right_edge_of_the_block_at_one_millimetre(shift_mm: float, flagged: bool) -> None:
    right = Block.a4().right + shift_mm * MM
    want = [("实测版心", "error", "“字”超出版心（156 × 225 mm）")] if flagged else []
    assert _rules([_with_word(right - 16, right)]) == want


@pytest.mark.parametrize(("over_pt", "flagged"), [(16.0, False), (19.0, True)])
def test_a_hanging_stop_may_pass_the_right_edge_by_one_character(
    over_pt: float, flagged: bool
) -> None:
    """Word and WPS hang a line-final "。" into the margin: one 三号 character (16 pt) plus
    the slack is allowed, more is not."""
    right = Block.a4().right + over_pt
    want = [("实测版心", "error", "“字。”超出版心（156 × 225 mm）")] if flagged else []
    assert _rules([_with_word(right - 32, right, "字。")]) == want


@pytest.mark.parametrize(("shift_mm", "flagged"), [(1.0, False), (-1.0, True)])
def test_top_edge_of_the_block_at_one_millimetre(shift_mm: float, flagged: bool) -> None:
    block = Block.a4()
    word = _with_word(block.left + 40, block.left + 56, y0=block.top + shift_mm * MM)
    want = [("实测版心", "error", "“字”超出版心（156 × 225 mm）")] if flagged else []
    assert _rules([word]) == want


def test_page_numbers_sides_alternate_and_count() -> None:
    pages = [_page(5, number=n) for n in (1, 2, 3)]
    assert _rules(pages) == []
    swapped = [_page(5, number=2), _page(5, number=1)]  # odd page 1 drawn on the left…
    found = measure_pages(swapped, "讲话稿.pdf")
    assert [(f.rule, f.where, f.message) for f in found] == [
        ("实测页码", "讲话稿.pdf 第 1 页（PDF）", "单页的页码应在右侧"),
        ("实测页码", "讲话稿.pdf 第 2 页（PDF）", "双页的页码应在左侧"),
    ]


@pytest.mark.parametrize(
    ("gap_mm", "flagged"), [(2.9, True), (3.1, False), (12.9, False), (13.1, True)]
)
def test_page_number_distance_below_the_block(gap_mm: float, flagged: bool) -> None:
    """7 mm under the block, 4 mm higher or 6 mm lower allowed (a warning past that)."""
    page = _page(3)
    block = Block.a4()
    page.words[-1] = Word(
        block.right - 60,
        block.bottom + gap_mm * MM,
        block.right - 10,
        block.bottom + gap_mm * MM + 14,
        "— 1 —",
    )
    want = (
        [("实测页码", "warning", f"页码在版心下方 {gap_mm:.0f} mm 处，应约为 7 mm")]
        if flagged
        else []
    )
    assert _rules([page]) == want


def test_paper_other_than_a4_and_a_blank_back_page() -> None:
    letter = Page(215.9 * MM, 279.4 * MM, [])
    blank = Page(A4_W, A4_H, [])
    assert _rules([blank, letter]) == [
        ("实测纸张", "error", "页面为 216 × 279 mm，应为 A4（210 × 297 mm）")
    ]
    assert _rules([Page(A4_W + 1.1 * MM, A4_H, _page(2).words)]) == [
        ("实测纸张", "error", "页面为 211 × 297 mm，应为 A4（210 × 297 mm）")
    ]
    assert _rules([Page(A4_W + 0.9 * MM, A4_H, _page(2).words)]) == []
    (found,) = measure_pages([blank, letter], "讲话稿.pdf")
    assert found.where == "讲话稿.pdf 第 2 页（PDF）"


def test_a_page_without_a_number() -> None:
    page = _page(4)
    page.words.pop()
    assert _rules([page]) == [("实测页码", "error", "页面上没有页码")]
