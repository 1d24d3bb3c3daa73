"""workbook.mark_issues: bad cells red with a comment in a copy; the original untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
from conftest import ROOT

from officekit.workbook import Issue, mark_issues, marked_path

WORKBOOK = ROOT / "sheets" / "禁毒工作数据.xlsx"


def test_marks_each_issue_and_leaves_the_original_alone(tmp_path: Path) -> None:
    before = hashlib.sha256(WORKBOOK.read_bytes()).hexdigest()
    issues = [
        Issue("统计数据", 5, 3, "本年数", "应填数字，现在是“九十一”", "请只填阿拉伯数字"),
        Issue("任务分工", 12, 2, "单位名称", "的“县禁毒大队”找不到", "请从下拉列表中选择"),
    ]
    path = mark_issues(WORKBOOK, issues, tmp_path)
    assert path == marked_path(WORKBOOK, tmp_path) == tmp_path / "禁毒工作数据-问题标注.xlsx"
    wb = openpyxl.load_workbook(path)
    first = wb["统计数据"]["C5"]
    assert first.fill.start_color.rgb == "FFFF9999"
    assert "九十一" in first.comment.text and "阿拉伯数字" in first.comment.text
    assert "县禁毒大队" in wb["任务分工"]["B12"].comment.text
    assert wb["统计数据"]["C6"].comment is None
    assert wb.active.title == "统计数据"  # opens on the first problem
    assert hashlib.sha256(WORKBOOK.read_bytes()).hexdigest() == before
    assert not list(tmp_path.glob("*.tmp"))


# ---- officekit validate --mark: a dozen planted mistakes, exactly those cells -----------------

PLANTED: list[tuple[str, str, object]] = [
    ("基本信息", "B3", "2025年"),  # 统计年度: 整数
    ("统计数据", "C2", "九十一"),  # 本年数: a number in words
    ("统计数据", "D3", "#DIV/0!"),  # 上年数: an error value
    ("统计数据", "F4", "其他类"),  # 类别: not in the drop-down
    ("统计数据", "E6", "约90"),  # 任务数: words around the number
    ("责任单位", "A35", "县委政法委"),  # 单位名称: a duplicate, in a row added at the end
    ("责任单位", "B6", "事业单位"),  # 单位类别: not in the drop-down
    ("工作任务", "C7", None),  # 任务内容: required, left empty
    ("任务分工", "A9", "T99"),  # 任务编号: no such task
    ("任务分工", "B12", "县禁毒大队"),  # 单位名称: not in the unit list
    ("考核指标", "C4", "五分"),  # 分值: a number in words
    ("考核指标", "A8", "县文旅局"),  # 单位名称: not in the unit list
]


def test_validate_mark_marks_exactly_the_planted_cells(job_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app
    from officekit.workbook import MARKED_COLOR

    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    wb = openpyxl.load_workbook(book)
    assert wb["基本信息"]["A3"].value == "统计年度" and wb["统计数据"]["B13"].value == "%"
    assert wb["责任单位"].max_row == 34  # A35 starts a new row
    wb["责任单位"]["B35"], wb["责任单位"]["C35"] = "党委部门", "重复录入的一行"
    for sheet, ref, value in PLANTED:
        wb[sheet][ref] = value
    wb.save(book)
    before = book.read_bytes()
    marked = tmp_path / "标注.xlsx"
    result = CliRunner().invoke(
        app, ["validate", str(book), "--job", str(job_dir), "--mark", str(marked)]
    )
    assert result.exit_code == 3, result.output
    assert f"{len(PLANTED)} 处问题" in result.output
    assert book.read_bytes() == before  # the clerk's own workbook is never touched
    out = openpyxl.load_workbook(marked)
    red = {
        (ws.title, cell.coordinate)
        for ws in out.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.fill.start_color.rgb == MARKED_COLOR
    }
    commented = {
        (ws.title, cell.coordinate)
        for ws in out.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }
    planted = {(sheet, ref) for sheet, ref, _ in PLANTED}
    assert red == planted
    assert commented == planted
    assert all("officekit" in out[s][r].comment.author for s, r in planted)


def test_validate_clean_workbook(job_dir: Path) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    result = CliRunner().invoke(app, ["validate", "--job", str(job_dir)])
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.output


def test_a_workbook_openpyxl_cannot_read_still_gets_its_sentence(
    job_dir: Path, tmp_path: Path
) -> None:
    """officekit reads a workbook without [Content_Types].xml; openpyxl, which writes the
    marked copy, does not: the build says the problem without the copy, validate --mark
    says why there is no copy (both were internal errors)."""
    import zipfile

    from typer.testing import CliRunner

    from officekit.cli import app

    book = job_dir / "sheets" / "禁毒工作数据.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["统计数据"]["C2"] = "九十一"
    wb.save(book)
    stripped = tmp_path / "x.xlsx"
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(stripped, "w") as zout:
        for info in zin.infolist():
            if info.filename != "[Content_Types].xml":
                zout.writestr(info, zin.read(info))
    stripped.replace(book)

    built = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert built.exit_code == 3, built.output
    assert "（C2）" in built.output and "九十一" in built.output and "内部错误" not in built.output
    assert not list((job_dir / "output").glob("*问题标注*"))
    marked = CliRunner().invoke(
        app, ["validate", "--job", str(job_dir), "--mark", str(tmp_path / "m.xlsx")]
    )
    assert marked.exit_code == 3, marked.output
    assert "未能另存标红的副本" in marked.output and "内部错误" not in marked.output
