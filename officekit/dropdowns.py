"""Which cells of a workbook offer a drop-down list (Excel's 数据验证 → 序列).

A message tells the clerk to pick a value "from the drop-down list" only where there is
one. Read with openpyxl, and only on the error path: a build that finds no problem never
opens the workbook this way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Placed(Protocol):
    sheet: str
    row: int
    column: int
    hint: str


def with_lists(path: Path, cells: list[tuple[str, int, int]]) -> set[tuple[str, int, int]]:
    """Those of ``cells`` (sheet, row, column; 1-based) covered by a list validation."""
    if not cells:
        return set()
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path)
    except Exception:  # only a better message depends on it
        return set()
    found = set()
    try:
        for sheet, row, column in cells:
            if sheet not in wb.sheetnames:
                continue
            ref = f"{get_column_letter(column)}{row}"
            validations = wb[sheet].data_validations.dataValidation
            if any(v.type == "list" and ref in v.sqref for v in validations):
                found.add((sheet, row, column))
    finally:
        wb.close()
    return found


def offer(
    path: Path,
    issues: list[Placed],
    plain: str = "改成该表中已有的名称",
    listed: str = "从下拉列表中选择已有的名称",
) -> None:
    """In the hint of each issue whose cell has a drop-down list, ``plain`` becomes
    ``listed``."""
    found = with_lists(path, [(i.sheet, i.row, i.column) for i in issues])
    for issue in issues:
        if (issue.sheet, issue.row, issue.column) in found:
            issue.hint = issue.hint.replace(plain, listed)
