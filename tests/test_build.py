"""End to end: build the shipped example and open every output.

Expected values are computed here from the workbook with openpyxl, independently of the
engine, and the format is judged by the independent checker in tests/gbt9704.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import JOB_FILES, ROOT, edit_cells, find_row
from docx_helpers import part, texts
from gbt9704 import check_docx
from pypdf import PdfReader

import officekit.build as build_module
from officekit.build import build
from officekit.errors import WorkbookError
from officekit.job import load_job

WORKBOOK = "sheets/禁毒工作数据.xlsx"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, soffice: Path) -> Path:
    """The shipped example built once, with PDFs, into a temporary job folder."""
    folder = tmp_path_factory.mktemp("example")
    for name in JOB_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, folder / name)
    result = build(load_job(folder), pdf="all")  # every output goes through LibreOffice
    assert result.ok, result.failures
    assert result.warnings == []
    return folder


def _sheet_rows(folder: Path, sheet: str) -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(folder / WORKBOOK, read_only=True, data_only=True)
    try:
        rows = list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def _pct(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _body_text(path: Path) -> str:
    return "\n".join(texts(path))


def test_outputs_one_letter_per_unit(built: Path) -> None:
    units = [r["单位名称"] for r in _sheet_rows(built, "责任单位")]
    out = built / "output"
    assert (out / "讲话稿.docx").exists()
    assert (out / "责任书汇总.docx").exists()
    letters = sorted((out / "责任书").glob("*.docx"))
    assert [p.stem for p in letters] == [f"{i:02d}-{u}" for i, u in enumerate(units, start=1)]
    assert not [p for p in out.glob(".officekit-*") if p.is_dir()], "staging folder left behind"


def test_each_letter_holds_its_own_tasks_and_no_other(built: Path) -> None:
    tasks = {r["任务编号"]: str(r["任务内容"]) for r in _sheet_rows(built, "工作任务")}
    assigned: dict[str, set[str]] = {}
    for r in _sheet_rows(built, "任务分工"):
        assigned.setdefault(str(r["单位名称"]), set()).add(str(r["任务编号"]))
    for unit in assigned:
        letter = next((built / "output" / "责任书").glob(f"*-{unit}.docx"))
        text = _body_text(letter)
        assert f"乙方：{unit}" in text
        for code in assigned[unit]:
            assert tasks[code] in text, (unit, code)
        for code, content in tasks.items():
            if code not in assigned[unit]:
                assert content not in text, (unit, code)
    assert len(assigned) == len(_sheet_rows(built, "责任单位"))


def test_letter_assessment_table_totals_match_workbook(built: Path) -> None:
    points: dict[str, int] = {}
    for r in _sheet_rows(built, "考核指标"):
        points[str(r["单位名称"])] = points.get(str(r["单位名称"]), 0) + int(r["分值"])
    letter = next((built / "output" / "责任书").glob("*-县公安局.docx"))
    paragraphs = texts(letter)
    total_index = paragraphs.index("合计")
    assert paragraphs[total_index + 2] == str(points["县公安局"])


def test_speech_states_figures_as_sentences_computed_from_the_cells(built: Path) -> None:
    stats = {r["指标名称"]: r for r in _sheet_rows(built, "统计数据")}
    cases = stats["破获毒品刑事案件"]
    now, before, task = (Decimal(str(cases[k])) for k in ("本年数", "上年数", "任务数"))
    growth = _pct((now - before) / before * 100)
    done = _pct(now / task * 100)
    word = "增长" if now > before else "下降"
    text = _body_text(built / "output" / "讲话稿.docx")
    assert (
        f"全年共破获毒品刑事案件{int(now)}起，同比{word}{growth}%，完成市禁毒委下达任务数的{done}%"
        in text
    )
    registered = stats["在册吸毒人员"]
    drop = int(registered["上年数"]) - int(registered["本年数"])
    assert f"在册吸毒人员{registered['本年数']}人，较上年减少{drop}人" in text
    funds = stats["禁毒经费投入"]
    assert funds["本年数"] == funds["上年数"]
    assert f"禁毒经费{funds['本年数']}万元，同比持平" in text
    rate = stats["社区戒毒社区康复执行率"]
    assert f"执行率为{_pct(Decimal(str(rate['本年数'])) * 100)}%" in text
    assert "2025年全县禁毒工作" in text and "（2026年3月5日）" in text


def test_speech_duty_part_groups_tasks_by_category(built: Path) -> None:
    text = _body_text(built / "output" / "讲话稿.docx")
    tasks = _sheet_rows(built, "工作任务")
    for row in tasks:
        assert str(row["任务内容"]) in text
    assert "县公安局牵头" in text
    assert "各乡镇配合" in text  # every township helping is said the way a speaker says it


@pytest.mark.parametrize("name", ["讲话稿.docx", "责任书汇总.docx", "责任书/01-县委政法委.docx"])
def test_outputs_meet_gbt9704(built: Path, name: str) -> None:
    assert check_docx(built / "output" / name) == []


def test_every_letter_meets_gbt9704_and_has_no_tags(built: Path) -> None:
    for letter in (built / "output" / "责任书").glob("*.docx"):
        assert check_docx(letter) == [], letter.name
        xml = part(letter)
        assert "{{" not in xml and "{%" not in xml


def test_combined_file_restarts_numbering_per_letter(built: Path) -> None:
    xml = part(built / "output" / "责任书汇总.docx")
    units = _sheet_rows(built, "责任单位")
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", xml, re.DOTALL)
    assert len(sections) == len(units)
    assert all('w:pgNumType w:start="1"' in s and 'w:type w:val="oddPage"' in s for s in sections)
    text = _body_text(built / "output" / "责任书汇总.docx")
    assert text.count("年度禁毒工作目标责任书") == len(units)


def test_pdfs_open_and_carry_page_numbers(built: Path) -> None:
    speech = PdfReader(built / "output" / "讲话稿.pdf")
    assert len(speech.pages) >= 5
    for number, page in enumerate(speech.pages, start=1):
        assert f"— {number} —" in page.extract_text(), number
    letters = PdfReader(built / "output" / "责任书汇总.pdf")
    firsts = [p for p in letters.pages if "年度禁毒工作目标责任书" in (p.extract_text() or "")[:30]]
    assert len(firsts) == len(_sheet_rows(built, "责任单位"))
    assert all("— 1 —" in p.extract_text() for p in firsts)
    assert "FandolFang" in (speech.metadata or {}).get("/Keywords", "") or os.name == "nt"


def test_every_output_opens_in_libreoffice(built: Path) -> None:
    documents = sorted((built / "output").rglob("*.docx"))
    assert len(documents) == 35
    for document in documents:
        pdf = document.with_suffix(".pdf")
        assert pdf.exists(), document.name
        assert len(PdfReader(pdf).pages) >= 1


def test_assessment_lead_sentence_stays_with_its_table(built: Path) -> None:
    letters = sorted((built / "output" / "责任书").glob("*.pdf"))
    assert len(letters) == len(_sheet_rows(built, "责任单位"))
    for pdf in letters:
        texts = [page.extract_text().replace(" ", "") for page in PdfReader(pdf).pages]
        leads = [text for text in texts if "甲方按照下表" in text]
        assert len(leads) == 1, pdf.name  # every letter has the sentence, once
        assert "序号" in leads[0].split("甲方按照下表", 1)[1], pdf.name


@pytest.mark.parametrize("name", ["讲话稿", "责任书汇总"])
def test_pdfs_embed_the_stand_ins_their_keywords_name(built: Path, name: str) -> None:
    """What the summary and the PDF's Keywords say stood in for the 公文 fonts is what the
    pages were drawn with (pdffonts), and nothing else (no fontconfig fallback)."""
    from pdf_helpers import POSTSCRIPT_OF_STAND_IN, embedded_fonts, stand_ins_named

    pdf = built / "output" / f"{name}.pdf"
    claimed = stand_ins_named(PdfReader(pdf).metadata["/Keywords"])
    assert claimed["仿宋_GB2312"] == "FandolFang"
    wanted = {POSTSCRIPT_OF_STAND_IN[s] for s in claimed.values()}
    embedded = embedded_fonts(pdf)
    assert embedded <= wanted
    # 仿宋 text, 小标宋 title, 黑体 headings, 宋体 page numbers in both; 楷体 in the speech.
    must = {"FandolFang", "Noto Serif CJK SC Black", "Noto Sans CJK SC", "Noto Serif CJK SC"}
    if_speech = {"AR PL UKai CN"} if name == "讲话稿" else set()
    assert {POSTSCRIPT_OF_STAND_IN[s] for s in must | if_speech} <= embedded


def test_signature_block_stays_with_the_last_lines_of_each_letter(built: Path) -> None:
    for pdf in sorted((built / "output" / "责任书").glob("*.pdf")):
        last = PdfReader(pdf).pages[-1].extract_text().replace(" ", "")
        for fragment in (
            "甲方（盖章）",
            "乙方（盖章）",
            "负责人（签字）",
            "2026年3月5日",
            "一式两份",
        ):
            assert fragment in last, (pdf.name, fragment)


@pytest.mark.parametrize("name", ["讲话稿", "责任书汇总"])
def test_pdf_prints_every_punctuation_mark(built: Path, name: str) -> None:
    """A full 28-character line's hanging "，" or "。" must reach the paper."""
    from docx import Document

    doc = Document(built / "output" / f"{name}.docx")
    text = "".join(p.text for p in doc.paragraphs)
    text += "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    printed = "".join(p.extract_text() for p in PdfReader(built / "output" / f"{name}.pdf").pages)
    for mark in "，、。；：":
        assert printed.count(mark) == text.count(mark), mark


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _units_of_speech(path: Path) -> list[str]:
    """Clauses of the speech body and rows of its tables, for comparing two builds."""
    from docx import Document

    doc = Document(path)
    items = []
    for paragraph in doc.paragraphs:
        items += [c for c in re.split(r"[。；]", paragraph.text) if c]
    for table in doc.tables:
        items += ["|".join(c.text for c in row.cells) for row in table.rows]
    return items


def test_changing_one_figure_changes_exactly_the_sentences_using_it(job_dir: Path) -> None:
    build(load_job(job_dir), pdf="none")
    out = job_dir / "output"
    before = _units_of_speech(out / "讲话稿.docx")
    letters_before = {p.name: part(p) for p in (out / "责任书").glob("*.docx")}
    row = find_row(job_dir / WORKBOOK, "统计数据", 1, "刑事拘留")
    edit_cells(job_dir / WORKBOOK, "统计数据", {f"C{row}": 99})
    build(load_job(job_dir), pdf="none")
    after = _units_of_speech(out / "讲话稿.docx")
    changed = set(before) ^ set(after)
    assert changed, "the edit changed nothing"
    assert all("刑事拘留" in item for item in changed), changed
    assert any("刑事拘留99人" in item for item in after)
    assert any(item.startswith("刑事拘留|人|99|") for item in after)
    assert {p.name: part(p) for p in (out / "责任书").glob("*.docx")} == letters_before


@pytest.mark.parametrize(
    ("sheet", "edit", "expected"),
    [
        (
            "任务分工",
            ("B", "县禁毒大队"),
            ["「任务分工」", "「单位名称」", "县禁毒大队", "「责任单位」"],
        ),
        ("统计数据", ("C", "九十一"), ["「统计数据」", "「本年数」", "九十一", "数字"]),
    ],
)
def test_bad_edit_stops_build_and_keeps_previous_outputs(
    job_dir: Path, sheet: str, edit: tuple[str, str], expected: list[str]
) -> None:
    build(load_job(job_dir), pdf="none")
    out = job_dir / "output"
    digests = {p: _digest(p) for p in out.rglob("*.docx")}
    column, value = edit
    edit_cells(job_dir / WORKBOOK, sheet, {f"{column}5": value})
    with pytest.raises(WorkbookError) as info:
        build(load_job(job_dir), pdf="none")
    message = info.value.message
    for fragment in expected + ["第 5 行", f"{column}5", "禁毒工作数据.xlsx"]:
        assert fragment in message
    assert message.count("。") == 1 and message.endswith("。")
    assert {p: _digest(p) for p in out.rglob("*.docx")} == digests
    assert not [p for p in out.glob(".officekit-*") if p.is_dir()]
    # The clerk also gets a copy of the workbook with the bad cell in red and a comment.
    marked = out / "禁毒工作数据-问题标注.xlsx"
    assert "禁毒工作数据-问题标注.xlsx" in message
    cell = openpyxl.load_workbook(marked)[sheet][f"{column}5"]
    assert cell.fill.start_color.rgb == "FFFF9999"
    assert value in cell.comment.text
    # Fixing the workbook and rebuilding removes the marked copy.
    shutil.copyfile(ROOT / WORKBOOK, job_dir / WORKBOOK)
    build(load_job(job_dir), pdf="none")
    assert not marked.exists()


def test_points_not_totalling_100_is_a_warning(job_dir: Path) -> None:
    row = find_row(job_dir / WORKBOOK, "考核指标", 1, "县公安局")
    edit_cells(job_dir / WORKBOOK, "考核指标", {f"C{row}": 1})
    result = build(load_job(job_dir), pdf="none")
    assert any("县公安局" in w and "应为 100" in w for w in result.warnings)
    assert (job_dir / "output" / "讲话稿.docx").exists()


def _remove_last_unit(job_dir: Path) -> Path:
    """Delete the last unit's rows from the workbook; its letter from the last build."""
    letters = job_dir / "output" / "责任书"
    last = sorted(letters.glob("*.docx"))[-1]
    wb = openpyxl.load_workbook(job_dir / WORKBOOK)
    unit = last.stem.split("-", 1)[1]
    for sheet, column in (("责任单位", 1), ("任务分工", 2), ("考核指标", 1)):
        ws = wb[sheet]
        for number in range(ws.max_row, 1, -1):
            if ws.cell(number, column).value == unit:
                ws.delete_rows(number)
    wb.save(job_dir / WORKBOOK)
    return last


def test_removed_unit_loses_its_stale_letter(job_dir: Path) -> None:
    build(load_job(job_dir), pdf="none")
    letters = job_dir / "output" / "责任书"
    last = _remove_last_unit(job_dir)
    build(load_job(job_dir), pdf="none")
    assert not last.exists()
    assert len(list(letters.glob("*.docx"))) == 32


def test_file_held_open_is_reported_and_others_still_written(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def locked(src: os.PathLike, dst: os.PathLike) -> None:
        if Path(dst).name == "讲话稿.docx":
            raise PermissionError("locked by Word")
        real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", locked)
    result = build(load_job(job_dir), pdf="none")
    assert not result.ok
    assert any("讲话稿.docx" in f and "关闭" in f for f in result.failures)
    assert len(list((job_dir / "output" / "责任书").glob("*.docx"))) == 33


def test_templates_compiled_once_per_build(job_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = build_module.compile_template

    def spy(path, *args, **kwargs):
        calls.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(build_module, "compile_template", spy)
    build(load_job(job_dir), pdf="none")
    assert sorted(p.name for p in calls) == ["讲话稿.docx", "责任书.docx"]


def test_windows_font_profile(job_dir: Path) -> None:
    toml = job_dir / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'font_profile = "GB2312"', 'font_profile = "Windows"'
        ),
        encoding="utf-8",
    )
    build(load_job(job_dir), pdf="none")
    styles = part(job_dir / "output" / "讲话稿.docx", "word/styles.xml")
    assert "_GB2312" not in styles
    assert 'w:eastAsia="仿宋"' in styles and 'w:eastAsia="楷体"' in styles
    assert check_docx(job_dir / "output" / "讲话稿.docx") == []


def test_unwritable_output_is_one_sentence(job_dir: Path) -> None:
    from officekit.errors import OutputError

    (job_dir / "output").write_text("a file where the output folder should be")
    with pytest.raises(OutputError) as info:
        build(load_job(job_dir), pdf="none")
    assert "output" in info.value.message and info.value.message.endswith("。")


def test_task_without_a_lead_unit_is_a_warning(job_dir: Path) -> None:
    wb = openpyxl.load_workbook(job_dir / WORKBOOK)
    ws = wb["任务分工"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "T02" and row[2].value == "牵头":
            row[2].value = "配合"
    wb.save(job_dir / WORKBOOK)
    result = build(load_job(job_dir), pdf="none")
    assert any("“T02”的行里「职责」为“牵头”的有 0 行，应为 1" in w for w in result.warnings), (
        result.warnings
    )


def test_empty_unit_list_is_a_warning(job_dir: Path) -> None:
    wb = openpyxl.load_workbook(job_dir / WORKBOOK)
    for sheet in ("责任单位", "任务分工", "考核指标"):
        wb[sheet].delete_rows(2, wb[sheet].max_row)
    wb.save(job_dir / WORKBOOK)
    result = build(load_job(job_dir), pdf="none")
    assert any("「责任单位」表没有数据" in w for w in result.warnings)


def test_single_sided_combined_file_starts_letters_on_the_next_page(
    job_dir: Path, soffice: Path
) -> None:
    toml = job_dir / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("duplex = true", "duplex = false"),
        encoding="utf-8",
    )
    assert load_job(job_dir).duplex is False
    build(load_job(job_dir))
    xml = part(job_dir / "output" / "责任书汇总.docx")
    assert xml.count('w:type w:val="nextPage"') == 33 and "oddPage" not in xml
    # No blank pages in the PDF: every page has text.
    pages = PdfReader(job_dir / "output" / "责任书汇总.pdf").pages
    assert all(p.extract_text().strip() for p in pages)
    firsts = [p for p in pages if "年度禁毒工作目标责任书" in (p.extract_text() or "")[:30]]
    assert len(firsts) == 33


def test_outputs_pass_officekit_check_and_page_measurement(built: Path) -> None:
    """An error in a shipped template's output is a bug: docx settings and drawn pages."""
    from officekit.gongwen.check import check_docx
    from officekit.gongwen.pdfcheck import measure

    documents = sorted((built / "output").rglob("*.docx"))
    assert len(documents) == 35
    for document in documents:
        assert check_docx(document).findings == [], document.name
        assert measure(document.with_suffix(".pdf")) == [], document.name


def test_build_records_format_findings(job_dir: Path) -> None:
    assert build(load_job(job_dir), pdf="none").format_findings == []
    # A task typed with a zero-padded date reaches the speech and the police's letter.
    book = job_dir / WORKBOOK
    edit_cells(book, "工作任务", {"C2": "2026年03月01日前严厉打击毒品犯罪"})
    findings = build(load_job(job_dir), pdf="none").format_findings
    files = sorted({name for name, finding in findings if finding.rule == "日期"})
    assert files and all(f.rule == "日期" for _, f in findings), findings
    assert "讲话稿.docx" in files and any("县公安局" in name for name in files)


def _letter_pages(folder: Path) -> list[tuple[str, int]]:
    return [
        (pdf.stem.split("-", 1)[1], len(PdfReader(pdf).pages))
        for pdf in sorted((folder / "output" / "责任书").glob("*.pdf"))
    ]


def test_duplex_combined_pdf_pads_each_letter_to_even_pages(built: Path) -> None:
    letters = _letter_pages(built)
    assert len(letters) == 33 and any(pages % 2 for _, pages in letters)
    combined = PdfReader(built / "output" / "责任书汇总.pdf")
    assert len(combined.pages) == sum(pages + pages % 2 for _, pages in letters)
    # Each letter starts on a front (odd) page, and its unit is in the text layer there;
    # the page is drawn exactly where the single letter's first page is (no shift).
    from officekit.gongwen.pdfcheck import read_pages

    drawn = read_pages(built / "output" / "责任书汇总.pdf")
    single_top = min(
        w.y0 for w in read_pages(built / "output" / "责任书" / "01-县委政法委.pdf")[0].words
    )
    start = 0
    for unit, pages in letters:
        first = combined.pages[start].extract_text().replace(" ", "")
        assert "目标责任书" in first and f"乙方：{unit}" in first, unit
        assert start % 2 == 0  # 0-based even index: an odd (front) page
        assert min(w.y0 for w in drawn[start].words) == pytest.approx(single_top, abs=0.5), unit
        start += pages + pages % 2
    for page in combined.pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)


def test_copies_repeat_each_letter_in_the_combined_pdf(job_dir: Path, soffice: Path) -> None:
    from officekit.build import Options

    result = build(load_job(job_dir), options=Options(pdf="all", copies=2, duplex=False))
    assert result.ok and not result.pdf_failure
    letters = _letter_pages(job_dir)
    combined = PdfReader(job_dir / "output" / "责任书汇总.pdf")
    assert len(combined.pages) == 2 * sum(pages for _, pages in letters)  # simplex: no padding
    firsts = [
        p.extract_text().replace(" ", "")
        for p in combined.pages
        if "年度禁毒工作目标责任书" in p.extract_text()[:40]
    ]
    units = [unit for unit, _ in letters]
    assert [next(u for u in units if f"乙方：{u}" in text) for text in firsts] == [
        u for u in units for _ in range(2)
    ]


# ---- incremental rebuilds, parallel workers, volumes -------------------------------------------


def _stamps(output: Path) -> dict[str, tuple[int, str]]:
    return {
        p.relative_to(output).as_posix(): (p.stat().st_mtime_ns, _digest(p))
        for p in output.rglob("*.docx")
    }


def test_rebuild_after_one_unit_changes_rewrites_only_its_letter_and_the_combined_file(
    job_dir: Path,
) -> None:
    from officekit.build import Options

    first = build(load_job(job_dir), pdf="none")
    assert not any(o.unchanged for o in first.outputs)
    before = _stamps(job_dir / "output")
    row = find_row(job_dir / WORKBOOK, "责任单位", 1, "县公安局")
    edit_cells(job_dir / WORKBOOK, "责任单位", {f"C{row}": "打击毒品犯罪，全年破案不少于100起"})
    again = build(load_job(job_dir), pdf="none")
    after = _stamps(job_dir / "output")
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"责任书/03-县公安局.docx", "责任书汇总.docx"}
    assert "全年破案不少于100起" in _body_text(job_dir / "output" / "责任书" / "03-县公安局.docx")
    docx = [o for o in again.outputs if o.kind == "docx"]
    assert sum(o.unchanged for o in docx) == 33 and len(docx) == 35
    # Nothing changed: nothing is rewritten; --force rewrites everything.
    third = build(load_job(job_dir), pdf="none")
    assert all(o.unchanged for o in third.outputs if o.kind == "docx")
    assert _stamps(job_dir / "output") == after
    forced = build(load_job(job_dir), options=Options(pdf="none", force=True))
    assert not any(o.unchanged for o in forced.outputs)


def test_a_change_shared_by_all_letters_rewrites_them_all(job_dir: Path) -> None:
    build(load_job(job_dir), pdf="none")
    before = _stamps(job_dir / "output")
    row = find_row(job_dir / WORKBOOK, "基本信息", 1, "签订日期")
    edit_cells(job_dir / WORKBOOK, "基本信息", {f"B{row}": "2026-3-6"})
    build(load_job(job_dir), pdf="none")
    after = _stamps(job_dir / "output")
    assert all(after[k] != before[k] for k in before if k.startswith("责任书/"))


def test_a_change_to_a_related_row_rewrites_the_letters_that_show_it(job_dir: Path) -> None:
    build(load_job(job_dir), pdf="none")
    before = _stamps(job_dir / "output")
    row = find_row(job_dir / WORKBOOK, "工作任务", 1, "T01")
    edit_cells(job_dir / WORKBOOK, "工作任务", {f"C{row}": "严厉打击各类毒品犯罪"})
    build(load_job(job_dir), pdf="none")
    after = _stamps(job_dir / "output")
    changed = {k for k in after if after[k] != before[k]}
    book = openpyxl.load_workbook(job_dir / WORKBOOK, read_only=True)
    units = {r[1] for r in book["任务分工"].iter_rows(min_row=2, values_only=True) if r[0] == "T01"}
    expected = {k for k in before if k.startswith("责任书/") and k.split("-", 1)[1][:-5] in units}
    assert expected and expected <= changed
    assert "讲话稿.docx" in changed  # the speech lists the task
    assert not any(k.startswith("责任书/") for k in changed - expected)


@pytest.mark.parametrize(
    ("sheet", "key", "cell", "value", "digested"),
    [
        ("责任单位", "县公安局", "C", "全年破案不少于100起", 1),  # its own letter only
        ("工作任务", "T01", "C", "严厉打击各类毒品犯罪", None),  # the units on T01
        ("考核指标", "县教育局", "D", "按时完成得满分", 1),
        ("责任单位", "县公安局", "A", "县公安局（新）", 33),  # a key: every letter digested
    ],
)
def test_a_rebuild_digests_only_the_letters_a_changed_row_reaches(
    job_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    sheet: str,
    key: str,
    cell: str,
    value: str,
    digested: int | None,
) -> None:
    """The rebuild finds the changed rows by comparing with the last build's sheets and
    digests only the letters within reach of them; the others keep their recorded digest.
    The manifest it writes is the one digesting every letter gives."""
    from officekit import inputs

    build(load_job(job_dir), pdf="none")
    book = openpyxl.load_workbook(job_dir / WORKBOOK)
    row = find_row(job_dir / WORKBOOK, sheet, 1, key)
    book[sheet][f"{cell}{row}"] = value
    if cell == "A":  # a unit renamed: the rows naming it follow
        for other, column in (("任务分工", "B"), ("考核指标", "A")):
            for c in book[other][column]:
                if c.value == key:
                    c.value = value
    book.save(job_dir / WORKBOOK)
    on_t01 = {r[1] for r in book["任务分工"].iter_rows(min_row=2, values_only=True) if r[0] == key}
    calls: list[str] = []
    original = inputs.Digests.document

    def counted(self, variables, used, name):
        calls.append(name)
        return original(self, variables, used, name)

    monkeypatch.setattr(inputs.Digests, "document", counted)
    result = build(load_job(job_dir), pdf="none")
    assert len(calls) == (digested if digested is not None else len(on_t01)), calls
    shortcut, _ = build_module._read_manifest(job_dir / "output")
    # The same job digested in full (no sources recorded: the shortcut is not taken).
    build_module._write_manifest(job_dir / "output", shortcut, {})
    calls.clear()
    again = build(load_job(job_dir), pdf="none")
    assert len(calls) == 33
    assert build_module._read_manifest(job_dir / "output")[0] == shortcut
    assert all(o.unchanged for o in again.outputs if o.kind == "docx")
    assert any(not o.unchanged for o in result.outputs)


def test_removed_unit_letter_is_deleted(job_dir: Path) -> None:
    build(load_job(job_dir), pdf="none")
    wb = openpyxl.load_workbook(job_dir / WORKBOOK)
    for sheet, col in (("责任单位", 1), ("任务分工", 2), ("考核指标", 1)):
        ws = wb[sheet]
        for r in range(ws.max_row, 1, -1):
            if ws.cell(r, col).value == "云岭乡":
                ws.delete_rows(r)
    wb.save(job_dir / WORKBOOK)
    result = build(load_job(job_dir), pdf="none")
    assert not (job_dir / "output" / "责任书" / "33-云岭乡.docx").exists()
    assert job_dir / "output" / "责任书" / "33-云岭乡.docx" in result.removed


def test_jobs_2_gives_the_same_documents_as_jobs_1(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    from officekit import generate
    from officekit.build import Options

    if not generate.can_fork():
        pytest.skip("worker processes are forked; elsewhere the build runs in one process")
    monkeypatch.setattr(generate, "MIN_PER_WORKER", 2)  # 33 letters: use the workers anyway
    calls = []
    real_pool = multiprocessing.get_context("fork").Pool

    def counting_pool(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(multiprocessing.get_context("fork"), "Pool", counting_pool)
    build(load_job(job_dir), options=Options(pdf="none", jobs=1))
    assert calls == []
    one = {k: v[1] for k, v in _stamps(job_dir / "output").items()}
    shutil.rmtree(job_dir / "output")
    result = build(load_job(job_dir), options=Options(pdf="none", jobs=2))
    assert calls, "no worker pool was started"
    two = {k: v[1] for k, v in _stamps(job_dir / "output").items()}
    assert one == two  # byte for byte, whichever process wrote them
    assert result.format_findings == []


def test_combined_volumes(job_dir: Path) -> None:
    from officekit.build import Options

    build(load_job(job_dir), options=Options(pdf="none", volume=10))
    output = job_dir / "output"
    volumes = sorted(output.glob("责任书汇总（第*册）.docx"))
    assert [v.name for v in volumes] == [f"责任书汇总（第{n}册）.docx" for n in (1, 2, 3, 4)]
    sections = [part(v).count("<w:sectPr") for v in volumes]
    assert sections == [10, 10, 10, 3]
    assert not (output / "责任书汇总.docx").exists()
    from officekit.gongwen.check import check_docx

    for v in volumes:
        assert check_docx(v).findings == []


def test_a_single_document_gets_its_combined_file_too(job_dir: Path) -> None:
    from officekit.gongwen.check import check_docx as officekit_check

    toml = job_dir / "officekit.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'output = "讲话稿"\n' in text
    toml.write_text(
        text.replace('output = "讲话稿"\n', 'output = "讲话稿"\ncombined = "讲话稿汇总"\n', 1),
        encoding="utf-8",
    )
    first = build(load_job(job_dir), pdf="none")
    assert first.ok and first.format_findings == []
    combined = job_dir / "output" / "讲话稿汇总.docx"
    assert part(combined).count("<w:sectPr") == 1
    assert texts(combined) == texts(job_dir / "output" / "讲话稿.docx")
    assert officekit_check(combined).findings == []
    again = build(load_job(job_dir), pdf="none")
    kept = {o.path.name for o in again.outputs if o.unchanged}
    assert {"讲话稿.docx", "讲话稿汇总.docx"} <= kept


# ---- a folder of new letters is moved into place whole ------------------------------------


def _folder_moves(monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> list[str]:
    """Folders renamed by publishing (``fail``: as Windows refuses while Word holds a file)."""
    monkeypatch.setattr(build_module, "SWAP_FOLDER_FILES", 2)  # the shipped job has 33
    moved: list[str] = []
    real = os.rename

    def rename(src, dst) -> None:  # noqa: ANN001
        if Path(src).is_dir():
            if fail and ".officekit-" not in str(src):
                raise PermissionError(13, "in use", str(src))
            moved.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(build_module.os, "rename", rename)
    return moved


def _letters_state(job_dir: Path) -> dict[str, str]:
    letters = job_dir / "output" / "责任书"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in letters.iterdir()}


def test_a_folder_of_new_letters_is_moved_in_whole(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import Options

    first = build(load_job(job_dir), pdf="none")  # file by file
    before = _letters_state(job_dir)
    moved = _folder_moves(monkeypatch)
    edit_cells(job_dir / WORKBOOK, "基本信息", {"B2": "青禾新县"})  # every letter changes
    again = build(load_job(job_dir), pdf="none", options=Options(force=True))
    assert again.ok
    assert moved.count("责任书") == 2  # the old folder aside, the new one in
    after = _letters_state(job_dir)
    assert set(after) == set(before) and all(after[n] != before[n] for n in after)
    assert len(again.outputs) == len(first.outputs)
    assert "青禾新县" in " ".join(texts(job_dir / "output" / "责任书" / sorted(after)[0]))
    staging = [p for p in (job_dir / "output").iterdir() if p.name.startswith(".officekit-")]
    assert all(p.is_file() for p in staging)  # the manifest; no staging folder left
    # The manifest still knows every letter: nothing changes, nothing is rewritten.
    assert all(o.unchanged for o in build(load_job(job_dir), pdf="none").outputs)


def test_a_clerks_own_file_keeps_the_folder_from_being_moved(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import Options

    build(load_job(job_dir), pdf="none")
    note = job_dir / "output" / "责任书" / "签收登记.txt"
    note.write_text("已签收：县公安局", encoding="utf-8")
    moved = _folder_moves(monkeypatch)
    assert build(load_job(job_dir), pdf="none", options=Options(force=True)).ok
    assert "责任书" not in moved
    assert note.read_text(encoding="utf-8") == "已签收：县公安局"
    assert len(list(note.parent.glob("*.docx"))) == 33


def test_a_removed_units_letter_goes_with_the_moved_folder(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import Options

    build(load_job(job_dir), pdf="none")
    letters = job_dir / "output" / "责任书"
    last = _remove_last_unit(job_dir)
    moved = _folder_moves(monkeypatch)
    result = build(load_job(job_dir), pdf="none", options=Options(force=True))
    assert "责任书" in moved
    assert last in result.removed and not last.exists()
    assert len(list(letters.glob("*.docx"))) == 32


def test_a_folder_that_cannot_be_moved_is_published_file_by_file(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import Options

    build(load_job(job_dir), pdf="none")
    before = _letters_state(job_dir)
    moved = _folder_moves(monkeypatch, fail=True)
    edit_cells(job_dir / WORKBOOK, "基本信息", {"B2": "青禾新县"})
    assert build(load_job(job_dir), pdf="none", options=Options(force=True)).ok
    assert "责任书" not in moved
    after = _letters_state(job_dir)
    assert set(after) == set(before) and all(after[n] != before[n] for n in after)


def test_a_linked_folder_stays_a_link(
    job_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit.build import Options

    build(load_job(job_dir), pdf="none")
    letters = job_dir / "output" / "责任书"
    elsewhere = tmp_path / "共享盘" / "责任书"
    elsewhere.parent.mkdir()
    shutil.move(letters, elsewhere)
    letters.symlink_to(elsewhere, target_is_directory=True)
    moved = _folder_moves(monkeypatch)
    edit_cells(job_dir / WORKBOOK, "基本信息", {"B2": "青禾新县"})
    assert build(load_job(job_dir), pdf="none", options=Options(force=True)).ok
    assert "责任书" not in moved and letters.is_symlink()
    first = sorted(elsewhere.glob("*.docx"))[0]
    assert "青禾新县" in " ".join(texts(first))


def test_manifest_is_read_line_by_line_or_as_any_json(tmp_path: Path) -> None:
    """The manifest a build writes is read line by line; one rewritten by hand (another
    layout) is read as JSON; both give the same entries, findings included."""
    import json

    finding = {"severity": "warning", "rule": "r", "message": "m", "where": "第 1 段"}
    entries = {
        "责任书/01-甲, 乙: 丙.docx": ("a" * 64, ()),
        "讲话稿.docx": ("b" * 64, (finding,)),
        "旧.docx": ("", ()),
        "改.docx": ('x"y\\z', ()),  # a digest edited by hand: still valid JSON
    }
    sources = {"sheets": {"责任单位": "c" * 64}, "shared": {"目标责任书": "d" * 64}}
    build_module._write_manifest(tmp_path, entries, sources)
    recorded = (entries, sources)
    assert build_module._read_manifest_lines(tmp_path / build_module.MANIFEST) == recorded
    assert build_module._read_manifest(tmp_path) == recorded
    paths_only = ({k: build_module.NO_ENTRY for k in entries}, sources)  # --force
    assert build_module._read_manifest(tmp_path, digests=False) == paths_only
    data = json.loads((tmp_path / build_module.MANIFEST).read_text(encoding="utf-8"))
    (tmp_path / build_module.MANIFEST).write_text(json.dumps(data, indent=4), encoding="utf-8")
    assert build_module._read_manifest_lines(tmp_path / build_module.MANIFEST) is None
    assert build_module._read_manifest(tmp_path) == recorded
    assert build_module._read_manifest(tmp_path, digests=False) == paths_only
    # Sources edited into something else: not used (every letter is digested).
    data["sources"]["sheets"]["责任单位"] = 1
    (tmp_path / build_module.MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert build_module._read_manifest(tmp_path) == (entries, {})
    (tmp_path / build_module.MANIFEST).write_text("{broken", encoding="utf-8")
    assert build_module._read_manifest(tmp_path) == ({}, {})


def test_a_letter_deleted_by_hand_is_written_again_with_its_volume_kept(job_dir: Path) -> None:
    """Nothing changed in the workbook, but a clerk deleted one letter: the rebuild (which
    keeps every other letter on its recorded digest) writes that letter again, and only
    it: the combined file, made from the same inputs, stays as it was."""
    build(load_job(job_dir), pdf="none")
    letter = job_dir / "output" / "责任书" / "03-县公安局.docx"
    expected = _digest(letter)
    letter.unlink()
    before = _stamps(job_dir / "output")
    result = build(load_job(job_dir), pdf="none")
    after = _stamps(job_dir / "output")
    assert letter.exists() and _digest(letter) == expected
    assert {k for k in after if after.get(k) != before.get(k)} == {"责任书/03-县公安局.docx"}
    docx = [o for o in result.outputs if o.kind == "docx"]
    assert sum(not o.unchanged for o in docx) == 1


@pytest.mark.parametrize("broken", ["missing sheet", "bad cell"])
def test_a_template_problem_and_a_workbook_problem_are_reported_together(
    job_dir: Path, broken: str
) -> None:
    """The templates are compiled while the workbook is read (or after it failed before
    its sheets): a clerk sees both problems in one round, either way."""
    from docx_helpers import make_template

    from officekit.errors import ProblemsError

    make_template(job_dir / "word_templates/责任书.docx", ["好的", "坏的{{ 县名 }"])
    if broken == "missing sheet":
        wb = openpyxl.load_workbook(job_dir / WORKBOOK)
        wb["考核指标"].title = "考核"
        wb.save(job_dir / WORKBOOK)
    else:
        edit_cells(job_dir / WORKBOOK, "考核指标", {"C2": "三十"})
    with pytest.raises(ProblemsError) as info:
        build(load_job(job_dir), pdf="none", options=build_module.Options(jobs=2))
    message = info.value.message
    assert "考核指标" in message and "责任书.docx" in message and "第 2 段" in message
    assert len(info.value.problems) == 2


def test_no_cyclic_collection_until_the_build_objects_are_frozen(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Templates, workbook and the modules imported meanwhile live as long as the build:
    the collector stays off until they are frozen, then on again, also after a failure."""
    import gc

    frozen: list[bool] = []
    collected_before: list[int] = []
    real_freeze = gc.freeze

    def freeze() -> None:
        frozen.append(True)
        real_freeze()

    def seen(phase: str, info: dict) -> None:
        if phase == "start" and not frozen:
            collected_before.append(info["generation"])

    monkeypatch.setattr(build_module.gc, "freeze", freeze)
    gc.callbacks.append(seen)
    try:
        gc.collect()
        collected_before.clear()
        build(load_job(job_dir), pdf="none")
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()
    assert frozen and collected_before == []
    assert gc.isenabled()
    edit_cells(job_dir / WORKBOOK, "统计数据", {"C5": "九十一"})
    with pytest.raises(WorkbookError):
        build(load_job(job_dir), pdf="none")
    assert gc.isenabled()


@pytest.mark.parametrize("count", [0, 2, 40])
def test_the_staging_folder_goes_with_every_replaced_file(tmp_path: Path, count: int) -> None:
    """A rebuild's few replaced files are deleted here, a full build's by threads: either
    way nothing is left."""
    staging = tmp_path / ".officekit-x"
    for n in range(count):
        path = staging / build_module.REPLACED / f"d{n % 3}" / f"{n}.docx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"old")
    (staging / "left.docx").parent.mkdir(parents=True, exist_ok=True)
    (staging / "left.docx").write_bytes(b"x")
    build_module._remove(staging)
    assert not staging.exists()


def test_folders_left_empty_by_removed_outputs_are_removed(tmp_path: Path) -> None:
    """Renaming the letters' folder (or dropping the previews) leaves no empty folder."""
    folder = tmp_path / "空白任务"
    shutil.copytree(ROOT / "examples" / "空白任务", folder)
    build(load_job(folder), pdf="none")
    assert (folder / "output" / "通知" / "01-城关镇.docx").exists()
    (folder / "output" / "通知" / "我的笔记.txt").write_text("clerk's own", encoding="utf-8")
    toml = folder / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"通知/{{ 编号 }}', '"信/分组/{{ 编号 }}'),
        encoding="utf-8",
    )
    build(load_job(folder), pdf="none")
    assert sorted(p.name for p in (folder / "output" / "通知").iterdir()) == ["我的笔记.txt"]
    (folder / "output" / "通知" / "我的笔记.txt").unlink()
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"信/分组/{{ 编号 }}', '"函/{{ 编号 }}'),
        encoding="utf-8",
    )
    build(load_job(folder), pdf="none")
    assert not (folder / "output" / "信").exists()
    assert (folder / "output" / "函" / "01-城关镇.docx").exists()
