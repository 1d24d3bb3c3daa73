"""officekit.gongwen.blockcheck: tables and titles as a reader sees them on the page.

Each rule is caught on a defect planted in a compliant document, and passes on every
output of the shipped job. ``check --pdf`` finds a title's lone last character on pages
LibreOffice really drew.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx.document import Document as DocumentObject

from officekit.build import build
from officekit.gongwen import geometry, layout
from officekit.gongwen.check import Report, check_docx
from officekit.gongwen.pdfcheck import Word, lone_last_lines, measure_reports
from officekit.job import load_job

TITLE_21 = "关于切实加强全县禁毒宣传教育工作的补充通知"  # 21 characters: 20 a line in 二号
RULES = {"表格宽度", "表格文字", "标题回行", "实测标题回行"}


def _document(title: str = "关于加强禁毒宣传教育工作的通知") -> DocumentObject:
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", title)
    layout.add_paragraph(doc, "body", "")
    layout.add_paragraph(doc, "greeting", "各乡镇：")
    layout.add_paragraph(doc, "body", "现将有关事项通知如下。")
    return doc


def _check(doc: DocumentObject, path: Path) -> Report:
    doc.save(path)
    return check_docx(path)


def _found(report: Report, rule: str) -> list[str]:
    return [f"{f.severity} {f.where} {f.message}" for f in report.findings if f.rule == rule]


def test_compliant_document_with_a_table_has_none_of_these_findings(tmp_path: Path) -> None:
    doc = _document()
    layout.add_table(
        doc, [2400, 2000, 4444], [["单位名称", "负责人", "目标"], ["城关镇", "张明", "零事故"]]
    )
    report = _check(doc, tmp_path / "ok.docx")
    assert not [f for f in report.findings if f.rule in RULES], report.findings


def test_table_wider_than_the_block_is_an_error(tmp_path: Path) -> None:
    doc = _document()
    layout.add_table(
        doc, [3000, 3000, 4000], [["单位名称", "负责人", "目标"], ["城关镇", "张明", "零事故"]]
    )
    found = _found(_check(doc, tmp_path / "wide.docx"), "表格宽度")
    assert found and found[0].startswith("error 表格 1") and "176 mm" in found[0]
    assert "指定宽度" in found[0]


def _indented_cells(doc: DocumentObject) -> None:
    """A table as added to a template by hand: every cell in the body's style (三号, 2
    characters of first-line indent), the first column narrow."""
    table = layout.add_table(doc, [1000, 7844], [["单位", "目标"], ["城关镇", "零事故"]])
    for cell in table._cells:
        for p in cell.paragraphs:
            p.style = doc.styles["Normal"]


def test_cell_text_indented_and_too_large_is_caught(tmp_path: Path) -> None:
    doc = _document()
    _indented_cells(doc)
    report = _check(doc, tmp_path / "cells.docx")
    found = _found(report, "表格文字")
    indented = [f for f in found if f.startswith("warning 表格 1 第 1 行第 1 列")]
    assert indented and "首行缩进" in indented[0] and "等 4 处" in indented[0]
    broken = [f for f in found if f.startswith("error 表格 1 第 2 行第 1 列「城关镇」")]
    assert broken and "排成" in broken[0] and "拉宽" in broken[0]


def test_cell_whose_last_line_holds_one_character_is_an_error(tmp_path: Path) -> None:
    doc = _document()
    # 2160 twips less 2 × 85 of margin hold 8.46 characters of 小四 at 98 %: "人" alone.
    layout.add_table(doc, [2160, 6684], [["指标名称", "说明"], ["抓获毒品犯罪嫌疑人", "含外地"]])
    found = _found(_check(doc, tmp_path / "lone.docx"), "表格文字")
    assert len(found) == 1 and "最后一行只有“人”一个字" in found[0], found
    wider = _document()
    layout.add_table(wider, [2400, 6444], [["指标名称", "说明"], ["抓获毒品犯罪嫌疑人", "含外地"]])
    assert _found(_check(wider, tmp_path / "wider.docx"), "表格文字") == []


def test_title_whose_last_line_holds_one_character_is_an_error(tmp_path: Path) -> None:
    found = _found(_check(_document(TITLE_21), tmp_path / "title.docx"), "标题回行")
    assert len(found) == 1 and found[0].startswith("error 第 1 段")
    assert "只有“知”一个字" in found[0] and "Shift+Enter" in found[0]


def test_title_broken_by_hand_at_a_word_passes(tmp_path: Path) -> None:
    doc = _document(TITLE_21[:17])
    title = doc.paragraphs[0]
    title.runs[0].add_break()
    title.add_run(TITLE_21[17:])
    assert _found(_check(doc, tmp_path / "broken.docx"), "标题回行") == []


def test_heading_whose_last_line_holds_one_character_is_a_warning(tmp_path: Path) -> None:
    doc = _document()
    # 一级标题: 2 characters of indent, 28.2 characters a line at 98 %: 27 leave one alone.
    layout.add_paragraph(doc, "h1", "一、坚持打击整治毒品违法犯罪活动不放松确保取得实效更好")
    heading = doc.paragraphs[-1].text
    measure = geometry.Measure(313.6, (8844 - 640) / 313.6, 8844 / 313.6)
    assert measure.lone(heading) == 2  # the case is what the test says it is
    found = _found(_check(doc, tmp_path / "heading.docx"), "标题回行")
    assert len(found) == 1 and found[0].startswith("warning")


def test_line_estimate_reports_only_sure_cases() -> None:
    measure = geometry.Measure(240, 8.46, 8.46)
    assert measure.lone("抓获毒品犯罪嫌疑人") == 2
    assert measure.lone("抓获毒品犯罪嫌疑") is None  # fits
    # digits a face may draw narrower or wider: not sure, not reported
    assert measure.lone("提高3.1个百分") is None
    assert geometry.lines_of("一二三，四", 3, 3) == [4.0, 1.0]  # "，" hangs, never leads


def test_lone_last_line_found_among_word_boxes() -> None:
    words = [
        Word(100, 100, 540, 122, TITLE_21[:20]),
        Word(300, 140, 322, 162, TITLE_21[20]),
        Word(80, 200, 500, 216, "各乡镇："),
    ]
    assert lone_last_lines(words, [(TITLE_21, "error")]) == [(TITLE_21, "知", "error")]
    assert lone_last_lines(words, [("别的标题", "error")]) == []


def test_pdf_measures_a_title_s_lone_last_character(tmp_path: Path, soffice: Path) -> None:
    bad = tmp_path / "坏.docx"
    _document(TITLE_21).save(bad)
    good_doc = _document(TITLE_21[:17])
    good_doc.paragraphs[0].runs[0].add_break()
    good_doc.paragraphs[0].add_run(TITLE_21[17:])
    good = tmp_path / "好.docx"
    good_doc.save(good)
    reports = [check_docx(bad), check_docx(good)]
    assert measure_reports(reports) == ""
    measured = [f for f in reports[0].findings if f.rule == "实测标题回行"]
    assert len(measured) == 1 and "“知”" in measured[0].message and measured[0].severity == "error"
    assert not [f for f in reports[1].findings if f.rule == "实测标题回行"]


@pytest.fixture(scope="module")
def shipped_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    import shutil

    from conftest import JOB_FILES, ROOT

    folder = tmp_path_factory.mktemp("shipped")
    for name in JOB_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    build(load_job(folder), pdf="none")
    return sorted((folder / "output").rglob("*.docx"))


def test_every_shipped_output_passes_these_rules(shipped_outputs: list[Path]) -> None:
    assert len(shipped_outputs) > 30
    for path in shipped_outputs:
        report = check_docx(path)
        assert not [f for f in report.findings if f.rule in RULES], (path.name, report.findings)


def test_signature_cells_of_the_shipped_outputs_are_measured(shipped_outputs: list[Path]) -> None:
    """The rules read the cells: a shipped letter has tables whose cells they measure."""
    import zipfile

    from lxml import etree

    from officekit.gongwen.styles import W

    letter = next(p for p in shipped_outputs if p.parent.name == "责任书")
    body = etree.fromstring(zipfile.ZipFile(letter).read("word/document.xml"))
    tables = list(body.iter(W + "tbl"))
    assert len(tables) == 2 and all(geometry.cells(t) for t in tables)
    assert all(width > 0 for t in tables for *_, width in geometry.cells(t))


def test_every_rule_s_finding_says_what_to_do() -> None:
    """A message either says itself what to do ("请…") or its rule has a fix in Word/WPS
    words; the internal names stay in brackets."""
    import re

    from officekit.gongwen import blockcheck, check, hints, pdfcheck, words

    rules: set[str] = set()
    for module in (check, words, pdfcheck, blockcheck):
        source = Path(module.__file__).read_text(encoding="utf-8")
        rules |= set(re.findall(r'(?:out\.add\(|Finding\()\s*"([^"]+)"', source))
    assert {"纸张", "页码", "表格宽度", "标题回行", "实测标题回行"} <= rules
    for rule in rules - {
        "表格宽度",
        "表格文字",
        "标题回行",
        "实测标题回行",
        "遗留标记",
        "空段落",
        "主题字体",
    }:
        assert rule in hints.HINTS, rule
    for hint in hints.HINTS.values():
        assert hint.startswith("请") and "w:" not in hint
