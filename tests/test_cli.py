"""The CLI: exit codes, one-sentence errors, init, fields, and that the README documents it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, edit_cells, find_row
from typer.testing import CliRunner

from officekit.cli import app

runner = CliRunner()


def test_build_prints_summary_table(job_dir: Path) -> None:
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "生成结果" in result.output
    assert "目标责任书" in result.output and "33" in result.output
    assert "警告：无" in result.output
    assert (job_dir / "output" / "责任书汇总.docx").exists()


def test_build_error_is_one_chinese_sentence_with_exit_code(job_dir: Path) -> None:
    row = find_row(job_dir / "sheets/禁毒工作数据.xlsx", "统计数据", 1, "刑事拘留")
    edit_cells(job_dir / "sheets/禁毒工作数据.xlsx", "统计数据", {f"C{row}": "九十八人"})
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "错误：" in result.output
    assert f"第 {row} 行" in result.output and "「本年数」" in result.output
    assert not (job_dir / "output" / "讲话稿.docx").exists()


def test_build_warns_in_summary(job_dir: Path) -> None:
    row = find_row(job_dir / "sheets/禁毒工作数据.xlsx", "考核指标", 1, "县林业局")
    edit_cells(job_dir / "sheets/禁毒工作数据.xlsx", "考核指标", {f"C{row}": 0})
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0
    assert "警告 1 条" in result.output and "县林业局" in result.output


def test_missing_job_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path)])
    assert result.exit_code == 2
    assert "officekit.toml" in result.output and "officekit init" in result.output


def test_init_creates_a_working_job_folder_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "新任务"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for name in (
        "officekit.toml",
        "sheets/禁毒工作数据.xlsx",
        "word_templates/讲话稿.docx",
        "生成公文.bat",
        "生成公文.sh",
    ):
        assert (target / name).exists(), name
    assert (target / "生成公文.bat").read_bytes().count(b"\r\n") > 10
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code != 0 and "--force" in again.output
    assert runner.invoke(app, ["init", str(target), "--force"]).exit_code == 0
    built = runner.invoke(app, ["build", str(target), "--no-pdf"])
    assert built.exit_code == 0, built.output


def _fields(job_dir: Path):
    """`officekit fields` on the job's speech template against its workbook."""
    workbook = job_dir / "sheets/禁毒工作数据.xlsx"
    template = job_dir / "word_templates/讲话稿.docx"
    return runner.invoke(app, ["fields", str(template), "-w", str(workbook), "--job", str(job_dir)])


def test_fields_lists_variables_and_missing_ones(job_dir: Path) -> None:
    ok = _fields(job_dir)
    assert ok.exit_code == 0, ok.output
    assert "县名" in ok.output and "「统计数据」表" in ok.output
    row = find_row(job_dir / "sheets/禁毒工作数据.xlsx", "基本信息", 1, "通报人")
    edit_cells(job_dir / "sheets/禁毒工作数据.xlsx", "基本信息", {f"A{row}": "通报同志"})
    missing = _fields(job_dir)
    assert missing.exit_code == 3
    assert "通报人" in missing.output


def test_fields_without_workbook_lists_names() -> None:
    result = runner.invoke(app, ["fields", str(ROOT / "word_templates/责任书.docx")])
    assert result.exit_code == 0
    assert "单位" in result.output and "甲方" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and "officekit" in result.output


def test_every_command_is_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands
    for command in commands:
        assert re.search(rf"officekit {command}\b", readme), command


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.DOTALL)
    assert blocks, "README has no command block"
    first = blocks[0]
    assert "生成公文.sh" in first and "tools/test.sh" in first


def test_pdf_failure_exits_6_after_updating_the_docx(job_dir: Path, monkeypatch) -> None:
    fake = job_dir / "fake-soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("OFFICEKIT_SOFFICE", str(fake))
    result = runner.invoke(app, ["build", str(job_dir)])
    assert result.exit_code == 6
    assert "PDF 未生成" in result.output and ".docx 已全部更新" in result.output
    assert (job_dir / "output" / "讲话稿.docx").exists()


def test_stale_files_are_removed_and_said(job_dir: Path) -> None:
    runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    (job_dir / "officekit.toml").write_text(
        (job_dir / "officekit.toml")
        .read_text(encoding="utf-8")
        .replace('output = "责任书/', 'output = "目标责任书/'),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0
    assert "已删除上次生成" in result.output and "33 个文件" in result.output
    assert not list((job_dir / "output" / "责任书").glob("*.docx"))


def test_readme_error_example_is_what_the_cli_prints(job_dir: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(line.strip() for line in readme.splitlines() if "县禁毒大队" in line)
    edit_cells(job_dir / "sheets/禁毒工作数据.xlsx", "任务分工", {"B12": "县禁毒大队"})
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 3
    assert " ".join(result.output.split()) == " ".join(example.split())


# ---- check and typeset -----------------------------------------------------------------------


def _compliant(path: Path) -> Path:
    from test_layout import _build_document

    _build_document().save(str(path))
    return path


def test_check_passes_a_compliant_document(tmp_path: Path) -> None:
    path = _compliant(tmp_path / "合规.docx")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "✔ 合规.docx 符合 GB/T 9704-2012" in result.output


def test_check_flags_a_defect_with_exit_1_and_a_table(tmp_path: Path) -> None:
    import docx

    from officekit.gongwen import layout

    ok = _compliant(tmp_path / "合规.docx")
    doc = docx.Document(str(ok))
    layout.add_paragraph(doc, "body", "会议定于2026年03月05日召开。")
    bad = tmp_path / "有误.docx"
    doc.save(str(bad))
    result = runner.invoke(app, ["check", str(ok), str(bad)])
    assert result.exit_code == 1
    assert "✘ 有误.docx 不符合 GB/T 9704-2012：1 个错误" in result.output
    assert "2026年03月05日" in result.output and "日期" in result.output
    assert "✔ 合规.docx" in result.output


def test_check_json(tmp_path: Path) -> None:
    import json

    path = _compliant(tmp_path / "a.docx")
    result = runner.invoke(app, ["check", "--json", str(path), str(tmp_path / "无.docx")])
    assert result.exit_code == 7
    data = json.loads(result.output)
    assert data["ok"] is False
    assert data["files"][0] == {
        "path": str(path),
        "ok": True,
        "errors": 0,
        "warnings": 0,
        "findings": [],
    }
    assert "找不到文件" in data["files"][1]["error"]


def test_check_unreadable_file_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "旧格式.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 7
    assert "旧格式.doc" in result.output and "另存为" in result.output
    assert "Traceback" not in result.output


def test_check_templates_allows_tags() -> None:
    templates = sorted((ROOT / "word_templates").glob("*.docx"))
    assert runner.invoke(app, ["check", *map(str, templates)]).exit_code == 1
    result = runner.invoke(app, ["check", "--template", *map(str, templates)])
    assert result.exit_code == 0, result.output


COLLECTION = """\
仅供学习 禁止外传
【篇一】
在全县禁毒工作会议上的讲话
同志们：
　　今天召开全县禁毒工作会议。刚才，XX同志通报了情况,我完全同意。
一、认清形势
　　去年全县共破获毒品案件91起。
（一）进一步落实责任。落实各级党委政府主体责任。
【篇二】
在全县禁毒宣传月启动仪式上的讲话
同志们：
　　今天我们启动禁毒宣传月活动。
第一，要提高认识。宣传工作要久久为功。
第二，要突出重点。要把青少年作为重点。
"""


def test_typeset_collection_reports_changes_and_placeholders(tmp_path: Path) -> None:
    source = tmp_path / "合集.txt"
    source.write_text(COLLECTION, encoding="gb18030")
    result = runner.invoke(app, ["typeset", str(source), "-o", str(tmp_path / "排版")])
    assert result.exit_code == 0, result.output
    first = tmp_path / "排版" / "01-在全县禁毒工作会议上的讲话.docx"
    second = tmp_path / "排版" / "02-在全县禁毒宣传月启动仪式上的讲话.docx"
    assert first.exists() and second.exists()
    assert "一级标题 1 个、二级标题 1 个" in result.output
    assert "删除广告行" in result.output and "全角标点" in result.output
    assert "第 5 行" in result.output and "XX同志" in result.output
    assert "请按上面的提示核对" in result.output
    # The leftover placeholder is the only thing the checker finds.
    from officekit.gongwen.check import check_docx

    assert [f.rule for f in check_docx(first).findings] == ["遗留标记"]
    assert check_docx(second).findings == []


def test_typeset_output_name_without_suffix(tmp_path: Path) -> None:
    source = tmp_path / "讲话.txt"
    source.write_text(
        "扫码领取更多免费资料\n在全乡禁毒会议上的讲话\n同志们：\n　　今天开会。\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["typeset", str(source), "-o", str(tmp_path / "000")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "000.docx").is_file()
    assert "删除的网页内容（共 1 行）" in result.output and "扫码领取更多免费资料" in result.output
    assert "✔ 排版结果符合 GB/T 9704-2012 公文格式" in result.output
    refused = runner.invoke(app, ["typeset", str(source), "-o", str(tmp_path / "a.pdf")])
    assert refused.exit_code == 5
    assert "a.pdf" in refused.output and "Traceback" not in refused.output


def test_typeset_missing_input(tmp_path: Path) -> None:
    result = runner.invoke(app, ["typeset", str(tmp_path / "无.txt")])
    assert result.exit_code == 7
    assert "无.txt" in result.output and "Traceback" not in result.output


def test_build_summary_reports_format_check(job_dir: Path) -> None:
    import docx
    from docx.oxml.ns import qn

    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert "公文格式检查（GB/T 9704-2012）：全部符合" in result.output
    # A clerk's template whose body style was switched to 宋体: every letter is flagged.
    template = job_dir / "word_templates" / "责任书.docx"
    doc = docx.Document(str(template))
    doc.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.save(str(template))
    result = runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert re.search(r"公文格式检查（GB/T 9704-2012）：\d+ 类错误", result.output)
    assert "正文字体为 宋体（来自样式“Normal”），应为仿宋" in result.output
    assert "01-县委政法委.docx 等 33 份（同一模板）" in result.output


# ---- print-ready PDF: pdf, fonts, build options ----------------------------------------------


def test_fonts_lists_every_name_with_its_stand_in() -> None:
    from officekit import fonts

    result = runner.invoke(app, ["fonts"])
    assert result.exit_code == 0, result.output
    for name in fonts.font_names():
        assert name in result.output
    for row in fonts.status():
        if row.stand_in:
            assert row.stand_in in result.output


def test_pdf_command_converts_files_and_folders(tmp_path: Path, soffice: Path) -> None:
    from docx_helpers import make_template
    from pypdf import PdfReader

    folder = tmp_path / "来文"
    make_template(folder / "甲.docx", ["第一份"])
    make_template(folder / "子目录" / "乙.docx", ["第二份"])
    single = make_template(tmp_path / "丙.docx", ["第三份"])
    (folder / "~$甲.docx").write_bytes(b"lock")  # Word's lock file is skipped
    result = runner.invoke(app, ["pdf", str(folder), str(single)])
    assert result.exit_code == 0, result.output
    for path, text in (
        (folder / "甲.pdf", "第一份"),
        (folder / "子目录" / "乙.pdf", "第二份"),
        (tmp_path / "丙.pdf", "第三份"),
    ):
        assert text in PdfReader(path).pages[0].extract_text()
    assert not (folder / "~$甲.pdf").exists()


def test_pdf_command_refuses_other_files(tmp_path: Path) -> None:
    old = tmp_path / "旧.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = runner.invoke(app, ["pdf", str(old)])
    assert result.exit_code == 6
    assert "旧.doc" in result.output and "另存为 .docx" in result.output


def test_build_with_preview_writes_a_png_per_document(job_dir: Path, soffice: Path) -> None:
    result = runner.invoke(app, ["build", str(job_dir), "--preview"])
    assert result.exit_code == 0, result.output
    output = job_dir / "output"
    documents = sorted(p.relative_to(output) for p in output.rglob("*.docx"))
    previews = sorted(p.relative_to(output / "预览") for p in (output / "预览").rglob("*.png"))
    assert previews == [d.with_suffix(".png") for d in documents]
    png = (output / "预览" / "讲话稿.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert height / width == pytest.approx(297 / 210, abs=0.01)  # an A4 page
    # A build without --preview removes the now stale pictures.
    runner.invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert not list((output / "预览").rglob("*.png"))


def test_preview_rebuild_keeps_the_pictures_of_unchanged_documents(
    job_dir: Path, soffice: Path
) -> None:
    assert runner.invoke(app, ["build", str(job_dir), "--preview"]).exit_code == 0
    pictures = job_dir / "output" / "预览"
    before = {p: p.stat().st_mtime_ns for p in pictures.rglob("*.png")}
    assert len(before) == 35
    row = find_row(job_dir / "sheets/禁毒工作数据.xlsx", "责任单位", 1, "县公安局")
    edit_cells(job_dir / "sheets/禁毒工作数据.xlsx", "责任单位", {f"C{row}": "新的工作目标"})
    result = runner.invoke(app, ["build", str(job_dir), "--preview"])
    assert result.exit_code == 0, result.output
    after = {p: p.stat().st_mtime_ns for p in pictures.rglob("*.png")}
    assert set(after) == set(before)
    changed = {p.relative_to(pictures).as_posix() for p in after if after[p] != before[p]}
    assert changed == {"责任书/03-县公安局.png", "责任书汇总.png"}


@pytest.mark.parametrize("terminal", [True, False])
def test_the_progress_bar_is_drawn_only_on_a_terminal(
    terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from officekit import cli

    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, force_terminal=terminal, width=80))
    with cli._progress_bar() as progress:
        progress("生成目标责任书", 1, 2)
        progress("生成目标责任书", 2, 2)
    assert ("生成目标责任书" in out.getvalue()) == terminal
    assert terminal or out.getvalue() == ""


def test_fields_finds_a_row_column_the_table_lacks(job_dir: Path, tmp_path: Path) -> None:
    from docx_helpers import make_template

    template = make_template(
        job_dir / "word_templates" / "责任书.docx",
        [
            "{{ 单位名称 }}",
            "{%p for 指标 in 单位.考核指标 %}",
            "{{ 指标.考核内容 }}{{ 指标.考核指票 }}{{ 指标.责任单位.单位类别 }}",
            "{%p endfor %}",
            "{%p for 分工 in 单位.任务分工|selectattr('职责', 'equalto', '牵头') %}",
            "{{ 分工.工作任务.任务内荣 }}{{ loop.index }}",
            "{%p endfor %}",
            '{{ 统计数据["破获毒品刑事案件"].本年数 }}{{ 统计数据["破获毒品刑事案件"].今年数 }}',
            "{% set 行 = 单位 %}{{ 行.随便 }}",
        ],
    )
    workbook = job_dir / "sheets/禁毒工作数据.xlsx"
    result = runner.invoke(
        app, ["fields", str(template), "-w", str(workbook), "--job", str(job_dir)]
    )
    assert result.exit_code == 3, result.output
    assert "指标.考核指票" in result.output
    from officekit.fields import template_fields

    report = template_fields(template, workbook, job_dir)
    found = dict(report.rows)
    assert found["指标.考核指票"].startswith("「考核指标」表没有这一列")
    assert "任务内容" in found["分工.工作任务.任务内荣"]  # the closest column
    assert '统计数据["破获毒品刑事案件"].今年数' in report.missing
    assert sorted(report.missing) == sorted(
        ["指标.考核指票", "分工.工作任务.任务内荣", '统计数据["破获毒品刑事案件"].今年数']
    )
