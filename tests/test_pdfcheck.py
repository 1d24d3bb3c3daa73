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
from officekit.gongwen.pdfcheck import Block, measure, measure_reports, read_pages


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
