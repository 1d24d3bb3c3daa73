"""Mark the workbook's bad cells so a clerk sees them in Excel itself.

A copy of the workbook is written next to the outputs with each problem cell filled red
and a comment saying what is wrong; the clerk's own workbook is never modified.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from officekit.workbook import Issue

RED = PatternFill(fill_type="solid", start_color="FFFF9999", end_color="FFFF9999")
SUFFIX = "-问题标注.xlsx"


def annotated_path(workbook: Path, folder: Path) -> Path:
    return folder / f"{workbook.stem}{SUFFIX}"


def annotate(workbook: Path, issues: list[Issue], folder: Path) -> Path:
    """Write ``<workbook>-问题标注.xlsx`` into ``folder``; returns its path."""
    wb = load_workbook(workbook)
    for issue in issues:
        cell = wb[issue.sheet].cell(row=issue.row, column=issue.column)
        if isinstance(cell, MergedCell):  # only a range's first cell can carry a comment
            continue
        cell.fill = RED
        comment = Comment(f"{issue.header}{issue.message}，{issue.hint}。", "officekit")
        comment.width, comment.height = 300, 120
        cell.comment = comment
    first = issues[0]
    wb.active = wb.sheetnames.index(first.sheet)
    wb[first.sheet].sheet_view.selection[0].activeCell = first.cell
    wb[first.sheet].sheet_view.selection[0].sqref = first.cell
    folder.mkdir(parents=True, exist_ok=True)
    target = annotated_path(workbook, folder)
    tmp = target.with_name(target.name + ".tmp")
    wb.save(tmp)
    os.replace(tmp, target)
    return target
