"""The CLI: exit codes, one-sentence errors, init, fields, and that the README documents it."""

from __future__ import annotations

import re
from pathlib import Path

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
