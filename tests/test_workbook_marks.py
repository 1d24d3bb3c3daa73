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
