"""Helpers the example jobs' build scripts share: workbook sheets with a header row, a 说明
sheet, drop-down lists, fixed properties; signature lines of a notice.

The shipped job's own workbook script (build_workbook.py) is larger and older; these are
the few pieces the smaller examples need.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from officekit.gongwen import layout, oxml  # noqa: E402

FIXED = dt.datetime(2026, 1, 1)
_HEAD = Font(bold=True)
_FILL = PatternFill("solid", start_color="FFDDEBF7")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


def new_book() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def readme(wb: Workbook, title: str, lines: Sequence[str]) -> Worksheet:
    """The 说明 sheet: a title and one line of advice a row (not read as data)."""
    ws = wb.create_sheet("说明")
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in lines:
        ws.append([line])
    ws.column_dimensions["A"].width = 100
    return ws


def sheet(
    wb: Workbook,
    name: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[int],
) -> Worksheet:
    """A table sheet: bold header row, frozen, wrapped cells; dates shown as 2026年3月5日."""
    ws = wb.create_sheet(name)
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[1]:
        cell.font, cell.fill = _HEAD, _FILL
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    ws.freeze_panes = "A2"
    return ws


def info_sheet(wb: Workbook, items: Sequence[tuple[str, object, str]]) -> Worksheet:
    """基本信息: 项目 | 内容 | 填写说明."""
    return sheet(wb, "基本信息", ["项目", "内容", "填写说明"], items, [16, 44, 36])


def drop_down(ws: Worksheet, cells: str, source: str, what: str) -> None:
    """A list validation: only values of ``source`` (e.g. 责任单位!$A$2:$A$200)."""
    check = DataValidation(type="list", formula1=f"={source}", allow_blank=False)
    check.error = f"请从下拉列表中选择{what}"
    check.errorTitle = "输入有误"
    ws.add_data_validation(check)
    check.add(cells)


def save(wb: Workbook, path: Path) -> None:
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = "officekit"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def sign_off(doc, organ: str = "{{ 发文机关 }}", date: str = "{{ 成文日期 }}") -> None:  # noqa: ANN001
    """发文机关署名 and 成文日期 without a seal: a blank line, the organ right-indented 2
    characters, the date 4 (GB/T 9704 7.3.5.2), kept together."""
    layout.add_paragraph(doc, "body")
    first = layout.add_paragraph(doc, "signature", organ)
    second = layout.add_paragraph(doc, "signature", date)
    for paragraph, indent in ((first, 640), (second, 1280)):  # 2 and 4 characters of 三号
        ppr = paragraph._p.get_or_add_pPr()
        oxml.set_justification(ppr, "right")
        oxml.set_indent(ppr, right=indent)
        oxml.set_on_off(ppr, "w:keepNext", paragraph is first)
