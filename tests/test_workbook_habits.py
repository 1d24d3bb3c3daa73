"""The shipped job on workbooks kept as offices keep them (issue 21): a title row above
the header, a 填报单位 line, a two-row header, units in the header, a 合计 row, note lines
below the data, a blank separator column, a range formatted as an Excel table. Each is
built and every document must read word for word as the plain workbook's; the workbook
with every habit at once is also re-saved by LibreOffice Calc."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, make_job
from docx_helpers import texts
from openpyxl.workbook.workbook import Workbook as OpenpyxlBook
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo

from officekit import export
from officekit.build import build
from officekit.job import load_job
from officekit.workbook import load, validate

WORKBOOK = Path("sheets") / "禁毒工作数据.xlsx"
TITLE = "2025年青禾县禁毒工作主要指标统计表"
REPORTER = "填报单位：县禁毒办"
UNITS = "单位：人、起、克"
NOTE = "注：本表数据截至2025年12月31日，其中重大毒品案件含于破获毒品刑事案件。"
SIGNED = ("填表人：王晓明", "审核人：李建国", "填表日期：2026年1月5日")


def _title(wb: OpenpyxlBook, merged: bool = True, sheet: str = "统计数据") -> None:
    ws = wb[sheet]
    ws.insert_rows(1)
    ws["A1"] = TITLE
    if merged:
        ws.merge_cells(f"A1:{ws.cell(2, ws.max_column).column_letter}1")


def title_merged(wb: OpenpyxlBook) -> None:
    _title(wb)


def title_unmerged(wb: OpenpyxlBook) -> None:
    _title(wb, merged=False)


def report_line(wb: OpenpyxlBook) -> None:
    """A title and, under it, who reports and in which units (two cells of one line)."""
    ws = wb["统计数据"]
    ws.insert_rows(1, 2)
    ws["A1"] = TITLE
    ws.merge_cells("A1:G1")
    ws["A2"] = REPORTER
    ws["E2"] = UNITS
    ws.merge_cells("A2:D2")


def band(wb: OpenpyxlBook, header: int = 1) -> None:
    """A two-row header (the names in row ``header``): 2025年 over 本年数, 2024年 over
    上年数, the other names merged down over both rows. (openpyxl moves no merged range
    when it inserts rows: habits that insert rows come first.)"""
    ws = wb["统计数据"]
    ws.insert_rows(header)
    upper, lower = header, header + 1
    for letter in "ABEFG":
        ws[f"{letter}{upper}"] = ws[f"{letter}{lower}"].value
        ws[f"{letter}{lower}"] = None
        ws.merge_cells(f"{letter}{upper}:{letter}{lower}")
    ws[f"C{upper}"], ws[f"D{upper}"] = "2025年", "2024年"


def totals(wb: OpenpyxlBook) -> None:
    """A 合计 row under 考核指标 whose 分值 is the column's sum."""
    ws = wb["考核指标"]
    last = ws.max_row
    total = sum(ws.cell(r, 3).value for r in range(2, last + 1))
    ws.cell(last + 1, 1, "合　计")
    ws.cell(last + 1, 3, total)


def notes(wb: OpenpyxlBook) -> None:
    """A blank row, a merged 注： line and a signature line spread over three cells."""
    ws = wb["统计数据"]
    row = ws.max_row + 2
    ws.cell(row, 1, NOTE)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
    for column, text in zip((1, 3, 5), SIGNED, strict=True):
        ws.cell(row + 1, column, text)


def units(wb: OpenpyxlBook) -> None:
    wb["考核指标"]["C1"] = "分值（分）"


def separator(wb: OpenpyxlBook) -> None:
    """A blank column between 单位类别 and 工作目标 (its header cell empty too)."""
    wb["责任单位"].insert_cols(3)


def excel_table(wb: OpenpyxlBook) -> None:
    ws = wb["任务分工"]
    table = ExcelTable(displayName="任务分工表", ref=f"A1:C{ws.max_row}")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)


def every_habit(wb: OpenpyxlBook) -> None:
    report_line(wb)
    band(wb, header=3)
    notes(wb)
    units(wb)
    totals(wb)
    separator(wb)
    _title(wb, sheet="责任单位")
    excel_table(wb)


HABITS: dict[str, Callable[[OpenpyxlBook], None]] = {
    "合并的标题行": title_merged,
    "未合并的标题行": title_unmerged,
    "填报单位行": report_line,
    "两行表头": band,
    "合计行": totals,
    "表尾说明": notes,
    "表头带单位": units,
    "空白分隔列": separator,
    "套用表格格式": excel_table,
    "全部习惯": every_habit,
}
