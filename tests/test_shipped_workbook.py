"""The committed sample workbook sheets/禁毒工作数据.xlsx: what tools/build_workbook.py
builds now, and the contract the templates and clerks rely on (sheets, drop-downs,
frozen headers)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from conftest import load_tool
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "sheets" / "禁毒工作数据.xlsx"
SHEETS = ["说明", "基本信息", "统计数据", "责任单位", "工作任务", "任务分工", "考核指标"]
DATA_SHEETS = SHEETS[1:]


@pytest.fixture(scope="module")
def shipped() -> Workbook:
    return openpyxl.load_workbook(SHIPPED)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("workbook") / "禁毒工作数据.xlsx"
    load_tool("build_workbook").build_workbook(path)
    return openpyxl.load_workbook(path)


def _cells(ws: Worksheet) -> dict[str, tuple[object, str]]:
    return {
        cell.coordinate: (cell.value, cell.number_format)
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


def _validations(ws: Worksheet) -> list[tuple[object, ...]]:
    return sorted(
        (
            str(v.sqref),
            v.type,
            v.formula1,
            v.formula2,
            bool(v.allow_blank),
            bool(v.showErrorMessage),
            v.errorStyle,
            v.error,
            v.prompt,
        )
        for v in ws.data_validations.dataValidation
    )


def _table(ws: Worksheet) -> list[dict[str, object]]:
    header = [cell.value for cell in ws[1]]
    return [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


def _column(ws: Worksheet, header: str) -> str:
    for cell in ws[1]:
        if cell.value == header:
            return get_column_letter(cell.column)
    raise LookupError(f"{ws.title} has no column {header}")


def test_sheet_order(shipped: Workbook, rebuilt: Workbook) -> None:
    assert shipped.sheetnames == SHEETS
    assert rebuilt.sheetnames == SHEETS
    assert shipped.active is not None and shipped.active.title == "说明"


@pytest.mark.parametrize("sheet", SHEETS)
def test_cell_values_and_number_formats_match_rebuild(
    shipped: Workbook, rebuilt: Workbook, sheet: str
) -> None:
    ours, fresh = _cells(shipped[sheet]), _cells(rebuilt[sheet])
    assert ours.keys() == fresh.keys(), "run python tools/build_workbook.py"
    different = {ref: (ours[ref], fresh[ref]) for ref in ours if ours[ref] != fresh[ref]}
    assert different == {}, "run python tools/build_workbook.py"


@pytest.mark.parametrize("sheet", SHEETS)
def test_validations_and_freeze_panes_match_rebuild(
    shipped: Workbook, rebuilt: Workbook, sheet: str
) -> None:
    assert _validations(shipped[sheet]) == _validations(rebuilt[sheet])
    assert shipped[sheet].freeze_panes == rebuilt[sheet].freeze_panes


@pytest.mark.parametrize("sheet", DATA_SHEETS)
def test_header_row_frozen(shipped: Workbook, sheet: str) -> None:
    assert shipped[sheet].freeze_panes == "A2"


def test_at_least_32_units(shipped: Workbook) -> None:
    names = [row["单位名称"] for row in _table(shipped["责任单位"])]
    assert len(names) >= 32
    assert all(isinstance(name, str) and name for name in names)
    assert len(set(names)) == len(names)


def test_at_least_12_complete_indicators(shipped: Workbook) -> None:
    complete = [
        row
        for row in _table(shipped["统计数据"])
        if isinstance(row["指标名称"], str)
        and isinstance(row["计量单位"], str)
        and row["计量单位"]
        and isinstance(row["本年数"], int | float)
        and isinstance(row["上年数"], int | float)
    ]
    assert len(complete) >= 12


RANGE_RE = re.compile(
    r"'?(?P<sheet>[^'!]+)'?!\$?(?P<c1>[A-Z]+)\$?(?P<r1>\d+):\$?(?P<c2>[A-Z]+)\$?(?P<r2>\d+)"
)


@pytest.mark.parametrize("sheet", ["任务分工", "考核指标"])
def test_unit_name_drop_down_references_unit_sheet(shipped: Workbook, sheet: str) -> None:
    ws = shipped[sheet]
    units = shipped["责任单位"]
    column = _column(ws, "单位名称")
    unit_column = _column(units, "单位名称")
    covering = [
        v
        for v in ws.data_validations.dataValidation
        if v.type == "list"
        and any(
            column_index_from_string(column) in range(r.min_col, r.max_col + 1)
            and r.min_row <= 2
            and r.max_row >= ws.max_row
            for r in v.sqref.ranges
        )
    ]
    assert len(covering) == 1, [str(v.sqref) for v in ws.data_validations.dataValidation]
    validation = covering[0]
    assert validation.showErrorMessage and validation.errorStyle in (None, "stop")
    match = RANGE_RE.fullmatch((validation.formula1 or "").lstrip("="))
    assert match is not None, validation.formula1
    assert match["sheet"] == "责任单位"
    assert match["c1"] == match["c2"] == unit_column
    assert int(match["r1"]) == 2 and int(match["r2"]) >= units.max_row
    # The data itself obeys the drop-down.
    names = {row["单位名称"] for row in _table(units)}
    assert {row["单位名称"] for row in _table(ws)} <= names
