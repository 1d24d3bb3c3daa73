"""The bad-input catalogue: what a clerk's files really look like, one test each.

Every case starts from a good build of the shipped job, breaks one thing the way it
happens in an office, and runs ``officekit build`` again. It must end in a classified
Chinese message naming the place, the documented exit code, no traceback, the previous
outputs byte for byte as they were, and no temporary files left behind.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import edit_cells, find_row
from typer.testing import CliRunner

from officekit.cli import app

runner = CliRunner()
WORKBOOK = "sheets/禁毒工作数据.xlsx"
LETTER = "word_templates/责任书.docx"


def _snapshot(output: Path) -> dict[str, str]:
    return {
        str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(job_dir: Path) -> Path:
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0, result.output
    return job_dir


def _fails(job_dir: Path, code: int, *fragments: str) -> str:
    """Build again: it must fail with ``code`` and say each fragment; nothing changed."""
    output = job_dir / "output"
    before = _snapshot(output)
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    text = result.output
    assert result.exit_code == code, text
    assert "Traceback" not in text
    assert "错误：" in text
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    after = _snapshot(output)
    marked = {k for k in after if k.endswith("-问题标注.xlsx")}
    assert {k: v for k, v in after.items() if k not in marked} == {
        k: v for k, v in before.items() if k not in marked
    }
    assert not [p for p in output.glob(".officekit-*") if p.is_dir()], "staging folder left"
    return text


def _cells(job_dir: Path, sheet: str, column: int, value: str) -> int:
    return find_row(job_dir / WORKBOOK, sheet, column, value)


# ---- files -----------------------------------------------------------------------------------


def test_missing_workbook(built: Path) -> None:
    (built / WORKBOOK).unlink()
    _fails(built, 3, "找不到工作簿", "workbook")


def test_missing_template(built: Path) -> None:
    (built / LETTER).unlink()
    _fails(built, 4, "责任书.docx", "找不到")


def test_empty_workbook_file(built: Path) -> None:
    (built / WORKBOOK).write_bytes(b"")
    _fails(built, 3, "禁毒工作数据.xlsx", "是空的")


def test_empty_template_file(built: Path) -> None:
    (built / LETTER).write_bytes(b"")
    _fails(built, 4, "责任书.docx", "是空的")


def test_csv_renamed_to_xlsx(built: Path) -> None:
    (built / WORKBOOK).write_text("单位名称,职责\n县公安局,牵头\n", encoding="utf-8")
    _fails(built, 3, "禁毒工作数据.xlsx", "文本", "另存为")


@pytest.mark.parametrize(("suffix", "program"), [(".xls", "Excel"), (".et", "WPS 表格")])
def test_old_or_wps_workbook_format(built: Path, suffix: str, program: str) -> None:
    old = (built / WORKBOOK).with_suffix(suffix)
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    toml = built / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("禁毒工作数据.xlsx", f"禁毒工作数据{suffix}"),
        encoding="utf-8",
    )
    _fails(built, 3, f"禁毒工作数据{suffix}", program, ".xlsx")


@pytest.mark.parametrize(("suffix", "program"), [(".doc", "Word"), (".wps", "WPS 文字")])
def test_old_or_wps_template_format(built: Path, suffix: str, program: str) -> None:
    old = (built / LETTER).with_suffix(suffix)
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    toml = built / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("责任书.docx", f"责任书{suffix}"), encoding="utf-8"
    )
    _fails(built, 4, f"责任书{suffix}", program, ".docx")


def test_password_protected_workbook(built: Path) -> None:
    # Excel saves an encrypted workbook as an OLE compound file, not a zip.
    (built / WORKBOOK).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    _fails(built, 3, "禁毒工作数据.xlsx", "密码")


def test_corrupt_zip_workbook(built: Path) -> None:
    data = (built / WORKBOOK).read_bytes()
    (built / WORKBOOK).write_bytes(data[: len(data) // 2])
    _fails(built, 3, "禁毒工作数据.xlsx", "损坏")


def test_corrupt_zip_template(built: Path) -> None:
    data = (built / LETTER).read_bytes()
    (built / LETTER).write_bytes(data[: len(data) // 2])
    _fails(built, 4, "责任书.docx", "损坏")


def test_xlsm_workbook_is_read_and_macros_never_run(built: Path) -> None:
    xlsm = (built / WORKBOOK).with_suffix(".xlsm")
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb.save(xlsm)
    toml = built / "officekit.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("禁毒工作数据.xlsx", "禁毒工作数据.xlsm"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "宏" in result.output and "不会运行" in result.output


def test_workbook_open_in_excel_warns_about_unsaved_changes(built: Path) -> None:
    (built / "sheets" / "~$禁毒工作数据.xlsx").write_bytes(b"\0" * 165)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "正在 Excel" in result.output and "保存" in result.output


def test_template_open_in_word_warns_about_unsaved_changes(built: Path) -> None:
    (built / "word_templates" / "~$责任书.docx").write_bytes(b"\0" * 162)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "责任书.docx" in result.output and "正在 Word" in result.output


def test_output_held_open_by_word(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from officekit import build as build_module

    locked = built / "output" / "责任书" / "03-县公安局.docx"
    before = locked.read_bytes()
    real_replace = os.replace

    def replace(src, dst) -> None:  # noqa: ANN001
        if Path(dst) == locked:
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(build_module.os, "replace", replace)
    edit_cells(built / WORKBOOK, "基本信息", {"B2": "青禾新县"})  # every letter changes
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 5
    assert "03-县公安局.docx" in result.output and "关闭" in result.output
    assert locked.read_bytes() == before
    assert (built / "output" / "责任书" / "04-县人民检察院.docx").exists()


# ---- structure -------------------------------------------------------------------------------


def test_missing_sheet_suggests_the_closest_name(built: Path) -> None:
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb["任务分工"].title = "任务分工表"
    wb.save(built / WORKBOOK)
    _fails(built, 3, "缺少「任务分工」表", "任务分工表")


def test_missing_column_suggests_the_closest_name(built: Path) -> None:
    edit_cells(built / WORKBOOK, "责任单位", {"A1": "单位名"})
    _fails(built, 3, "「责任单位」表", "单位名称", "单位名")


def test_header_with_stray_spaces_is_accepted(built: Path) -> None:
    edit_cells(built / WORKBOOK, "责任单位", {"A1": " 单位名称　"})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output


def test_merged_header_cells(built: Path) -> None:
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb["任务分工"].merge_cells("B1:C1")
    wb.save(built / WORKBOOK)
    _fails(built, 3, "「任务分工」表", "合并")


def test_hidden_rows_are_used_and_said(built: Path) -> None:
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb["责任单位"].row_dimensions[3].hidden = True
    wb.save(built / WORKBOOK)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "隐藏" in result.output and "第 3 行" in result.output
    assert len(list((built / "output" / "责任书").glob("*.docx"))) == 33


def test_hidden_sheet_that_the_job_reads_is_said(built: Path) -> None:
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb["考核指标"].sheet_state = "hidden"
    wb.save(built / WORKBOOK)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "「考核指标」表是隐藏的" in result.output


def test_blank_row_in_the_middle_is_skipped(built: Path) -> None:
    wb = openpyxl.load_workbook(built / WORKBOOK)
    wb["责任单位"].insert_rows(10)
    wb.save(built / WORKBOOK)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert len(list((built / "output" / "责任书").glob("*.docx"))) == 33


def test_duplicate_unit_name(built: Path) -> None:
    row = _cells(built, "责任单位", 1, "县教育局")
    edit_cells(built / WORKBOOK, "责任单位", {f"A{row}": "县公安局"})
    _fails(built, 3, "「责任单位」表", f"第 {row} 行", "县公安局", "重复")


def test_unit_in_duty_sheet_missing_from_unit_list(built: Path) -> None:
    row = _cells(built, "任务分工", 2, "县教育局")
    edit_cells(built / WORKBOOK, "任务分工", {f"B{row}": "县教体局"})
    _fails(built, 3, "「任务分工」表", f"第 {row} 行", "县教体局", "找不到")


# ---- values ----------------------------------------------------------------------------------


def _stat_row(job_dir: Path) -> int:
    return _cells(job_dir, "统计数据", 1, "刑事拘留")


@pytest.mark.parametrize("typed", ["九十一", "91起", "约91"])
def test_words_in_a_number_column(built: Path, typed: str) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": typed})
    _fails(built, 3, "「统计数据」表", f"第 {row} 行", "「本年数」", typed)


@pytest.mark.parametrize(("typed", "shown"), [("1,234", "1234"), ("９８", "98"), (" 98 ", "98")])
def test_numbers_typed_as_text_are_numbers(built: Path, typed: str, shown: str) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": typed})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    from docx_helpers import part

    assert f"刑事拘留{shown}人" in part(built / "output" / "讲话稿.docx").replace(
        "</w:t></w:r><w:r><w:t>", ""
    ) or shown in part(built / "output" / "讲话稿.docx")


@pytest.mark.parametrize("typed", ["2026年3月5日", "2026.3.5", "2026/3/5", "2026-03-05"])
def test_dates_typed_as_text(built: Path, typed: str) -> None:
    row = _cells(built, "基本信息", 1, "会议日期")
    edit_cells(built / WORKBOOK, "基本信息", {f"B{row}": typed})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    from docx_helpers import texts

    assert "（2026年3月5日）" in texts(built / "output" / "讲话稿.docx")


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#VALUE!", "#N/A"])
def test_error_cells(built: Path, error: str) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": error})
    _fails(built, 3, "「统计数据」表", f"第 {row} 行", error, "公式")


def test_formula_without_cached_value(built: Path) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": "=D2+1"})
    _fails(built, 3, f"第 {row} 行", "公式", "在 Excel 中打开")


def test_very_long_text_and_multi_line_cells_are_kept(built: Path) -> None:
    row = _cells(built, "责任单位", 1, "县公安局")
    long = "加强禁毒宣传教育。" * 300
    edit_cells(built / WORKBOOK, "责任单位", {f"C{row}": long + "\n第二行"})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    from docx_helpers import part

    xml = part(built / "output" / "责任书" / "03-县公安局.docx")
    assert xml.count("加强禁毒宣传教育。") >= 300 and "<w:br/>" in xml


def test_control_characters_are_removed_and_said(built: Path) -> None:
    row = _cells(built, "责任单位", 1, "县公安局")
    # Excel stores a pasted control character as an _xHHHH_ escape (ECMA-376).
    edit_cells(built / WORKBOOK, "责任单位", {f"C{row}": "打击_x000B_毒品_x0007_犯罪"})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "控制字符" in result.output and f"第 {row} 行" in result.output


# ---- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        '县"禁毒"办/综合科',
        "县禁毒办.",
        "县禁毒办 ",
        "CON",
        "nul.txt",
        "县" * 200,
        "a:b*c?d<e>f|g\\h",
    ],
)
def test_unit_names_become_valid_distinct_file_names(built: Path, name: str) -> None:
    for unit in ("县教育局", "县民政局"):
        row = _cells(built, "责任单位", 1, unit)
        edit_cells(
            built / WORKBOOK, "责任单位", {f"A{row}": name + ("" if unit == "县教育局" else "2")}
        )
        for sheet in ("任务分工", "考核指标"):
            wb = openpyxl.load_workbook(built / WORKBOOK)
            ws = wb[sheet]
            header = [c.value for c in ws[1]]
            col = header.index("单位名称") + 1
            for r in range(2, ws.max_row + 1):
                if ws.cell(r, col).value == unit:
                    ws.cell(r, col).value = name + ("" if unit == "县教育局" else "2")
            wb.save(built / WORKBOOK)
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 0, result.output
    letters = sorted((built / "output" / "责任书").glob("*.docx"))
    assert len(letters) == 33 and len({p.name.lower() for p in letters}) == 33
    for path in letters:
        stem = path.stem
        assert not any(ch in stem for ch in '<>:"/\\|?*')
        assert not stem.endswith((".", " ")) and len(path.name) <= 100
        assert stem.split(".")[0].upper() not in ("CON", "NUL")  # the whole name counts


# ---- markup in cells -------------------------------------------------------------------------


def test_markup_in_cells_is_printed_literally_and_never_evaluated(built: Path) -> None:
    row = _cells(built, "责任单位", 1, "县公安局")
    hostile = "A&B <b>粗</b> \"引号\" '单' {{ 7*7 }} {% for x in range(3) %}x{% endfor %}"
    edit_cells(built / WORKBOOK, "责任单位", {f"C{row}": hostile})
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    # Printed as typed, and a letter showing "{{ 7*7 }}" is not one to print: the format
    # check names it, and the build ends with exit code 8 (written, format errors).
    assert result.exit_code == 8, result.output
    assert "遗留标记" in result.output and "03-县公安局.docx" in result.output
    from docx_helpers import texts

    text = "".join(texts(built / "output" / "责任书" / "03-县公安局.docx"))
    assert hostile in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]


# ---- templates -------------------------------------------------------------------------------


def _edit_template(job_dir: Path, old: str, new: str) -> None:
    path = job_dir / LETTER
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml, old
    parts["word/document.xml"] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_template_syntax_error(built: Path) -> None:
    _edit_template(built, "{{ 单位名称 }}", "{{ 单位名称 }")
    _fails(built, 4, "责任书.docx", "段")


def test_template_unknown_variable_suggests_closest(built: Path) -> None:
    _edit_template(built, "{{ 单位名称 }}", "{{ 单位名 }}")
    _fails(built, 4, "责任书.docx", "单位名", "单位名称")


def test_template_reaching_python_internals_is_refused(built: Path) -> None:
    _edit_template(built, "{{ 单位名称 }}", "{{ 单位名称.__class__.__mro__[1].__subclasses__() }}")
    _fails(built, 4, "责任书.docx", "不允许")


# ---- environment -----------------------------------------------------------------------------


def test_output_folder_not_writable(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError(13, "Permission denied", str(built / "output"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    _fails(built, 5, "无法写入", "output")


def test_disk_full(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from officekit import render

    def full(*args, **kwargs):  # noqa: ANN002, ANN003
        raise OSError(errno.ENOSPC, "No space left on device", "x.docx")

    monkeypatch.setattr(render.CompiledTemplate, "write", full)
    edit_cells(built / WORKBOOK, "基本信息", {"B2": "青禾新县"})  # every letter changes
    _fails(built, 5, "磁盘")


def test_ctrl_c_during_rendering(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from officekit import render

    real = render.CompiledTemplate.render
    calls = {"n": 0}

    def interrupted(self, variables):  # noqa: ANN001
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(self, variables)

    monkeypatch.setattr(render.CompiledTemplate, "render", interrupted)
    edit_cells(built / WORKBOOK, "基本信息", {"B2": "青禾新县"})  # every letter changes
    before = _snapshot(built / "output")
    result = runner.invoke(app, ["build", str(built), "--no-pdf"])
    assert result.exit_code == 130
    assert "已中断" in result.output
    assert _snapshot(built / "output") == before
    assert not [p for p in (built / "output").glob(".officekit-*") if p.is_dir()]


def test_workbook_and_template_problems_are_reported_together(built: Path) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": "九十八"})
    _edit_template(built, "{{ 单位名称 }}", "{{ 单位名称 }")
    text = _fails(built, 3, "「统计数据」表", "九十八", "责任书.docx")
    assert text.count("错误：") == 2


def test_several_workbook_problems_point_to_validate(built: Path) -> None:
    row = _stat_row(built)
    edit_cells(built / WORKBOOK, "统计数据", {f"C{row}": "九十八", f"D{row}": "#REF!"})
    _fails(built, 3, "另有 1 处问题", "officekit validate")
