"""Acceptance: a job typed from scratch as a clerk would builds into compliant 公文.

tests/clerk_job.py types it: a new python-docx Document() per template (Normal style,
Letter paper, tags typed as text, "Table Grid" tables with {%tr %} rows and a 合计 row,
a borderless signature table) and a workbook of its own shape. The build applies the 公文
layout at compile time; every output must pass ``officekit check`` and ``check --pdf``
(LibreOffice draws the pages) with no error. The same job with ``layout = "keep"`` keeps
the clerk's Letter pages: the build says so first and ends with exit code 8.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from clerk_job import make_clerk_job
from typer.testing import CliRunner

from officekit.build import build
from officekit.cli import app
from officekit.errors import FORMAT_ERRORS_EXIT
from officekit.gongwen.check import check_docx
from officekit.gongwen.pdfcheck import Block, measure_reports, read_pages
from officekit.job import load_job

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, soffice: Path) -> Path:
    folder = make_clerk_job(tmp_path_factory.mktemp("clerk") / "安全生产")
    result = build(load_job(folder), pdf="all")
    assert result.ok, result.failures
    assert result.format_error_files == [], result.format_findings
    return folder / "output"


def _outputs(out: Path) -> list[Path]:
    return sorted(out.rglob("*.docx"))


def test_every_output_exists(built: Path) -> None:
    names = {p.relative_to(built).as_posix() for p in _outputs(built)}
    assert names == {
        "通知.docx",
        "责任书合订本.docx",
        "责任书/城关镇.docx",
        "责任书/红旗乡.docx",
        "责任书/县应急管理局.docx",
    }


def test_every_output_passes_check_and_check_pdf(built: Path) -> None:
    reports = [check_docx(p) for p in _outputs(built)]
    assert measure_reports(reports) == ""  # LibreOffice and pdftotext ran
    for report in reports:
        assert report.errors == [], (report.path.name, report.errors)
        # clean tables: not even a warning about a cell or a table
        assert not [f for f in report.findings if f.rule.startswith("表格")], report.findings
    cli = runner.invoke(app, ["check", "--pdf", *map(str, _outputs(built))])
    assert cli.exit_code == 0, cli.output


def test_pages_show_a_centred_title_and_numbers(built: Path) -> None:
    block = Block.a4()
    for pdf in (built / "通知.pdf", built / "责任书" / "城关镇.pdf"):
        pages = read_pages(pdf)
        top = min(pages[0].words, key=lambda w: w.y0)
        line = [w for w in pages[0].words if abs(w.y1 - top.y1) < 2]  # the title's line
        left, right = min(w.x0 for w in line), max(w.x1 for w in line)
        assert abs((left + right) / 2 - (block.left + block.right) / 2) < 6
        assert top.y1 - top.y0 > 24  # 二号 (22 pt) glyph boxes, not the body's 16 pt
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"—\s*1\s*—", text)
    notice = read_pages(built / "通知.pdf")
    assert len(notice) == 2  # the annex on a page of its own
    assert re.search(r"—\s*2\s*—", " ".join(w.text for w in notice[1].words))


def test_pdf_uses_the_title_and_body_faces(built: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(built / "通知.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Black" in fonts  # 方正小标宋简体 drawn by its stand-in, Noto Serif CJK SC Black
    assert "FandolFang" in fonts  # 仿宋_GB2312's stand-in: the body
    assert "Sans" in fonts  # 黑体: headings and the table's heading row


def test_same_job_kept_as_typed_ends_with_exit_code_8(tmp_path: Path) -> None:
    folder = make_clerk_job(tmp_path / "原样", layout="keep")
    result = runner.invoke(app, ["build", str(folder), "--no-pdf"])
    assert result.exit_code == FORMAT_ERRORS_EXIT == 8
    first = result.output.strip().splitlines()[0]
    assert first.startswith("公文已生成，但") and "不符合公文格式" in first
    assert "不要印发" in first
    assert "纸张" in result.output and "页面设置" in result.output  # what to click
    assert (folder / "output" / "通知.docx").exists()  # written all the same
