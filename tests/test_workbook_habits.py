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


# ---- the shipped job, habit by habit ---------------------------------------------------


def _copy_job(folder: Path, workbook: Path | None = None) -> Path:
    from officekit.shipped import JOB_FILES

    for name in JOB_FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    if workbook is not None:
        shutil.copyfile(workbook, folder / WORKBOOK)
    return folder


def _documents(folder: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Every document's text by its path in the output folder, and the build's warnings."""
    result = build(load_job(folder), pdf="none")
    output = folder / "output"
    found = {str(p.relative_to(output)): texts(p) for p in sorted(output.rglob("*.docx"))}
    return found, result.warnings


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[str]], list[str]]:
    return _documents(_copy_job(tmp_path_factory.mktemp("plain")))


@pytest.fixture(scope="module")
def habit_books(tmp_path_factory: pytest.TempPathFactory, soffice: Path) -> dict[tuple, Path]:
    """Each habit's workbook as openpyxl saves it and as LibreOffice Calc re-saves it (one
    Calc for all of them)."""
    saved, resaved = tmp_path_factory.mktemp("openpyxl"), tmp_path_factory.mktemp("calc")
    books: dict[tuple, Path] = {}
    for number, (name, habit) in enumerate(HABITS.items()):
        wb = openpyxl.load_workbook(ROOT / WORKBOOK)
        habit(wb)
        books[(name, "openpyxl")] = saved / f"habit{number}.xlsx"
        wb.save(books[(name, "openpyxl")])
    sources = list(books.values())
    export.convert(sources, resaved, export.Target("xlsx", ".xlsx"), soffice=soffice)
    for (name, _), source in list(books.items()):
        books[(name, "calc")] = resaved / source.name
    return books


@pytest.mark.parametrize("saved_by", ["openpyxl", "calc"])
@pytest.mark.parametrize("habit", list(HABITS))
def test_a_habit_builds_the_documents_word_for_word(
    habit: str, saved_by: str, plain: tuple, habit_books: dict, tmp_path: Path
) -> None:
    documents, warnings = _documents(_copy_job(tmp_path, habit_books[(habit, saved_by)]))
    assert len(documents) == len(plain[0]) == 35
    for name, text in plain[0].items():
        assert documents[name] == text, name
    assert warnings == plain[1]  # a 合计 that agrees with its column is silent


def test_validate_reports_how_every_sheet_was_read(habit_books: dict) -> None:
    job = load_job(ROOT)
    result = validate(job, habit_books[("全部习惯", "calc")])
    assert result.ok, result.issues or result.error
    said = dict(zip(load(job).tables, result.readings, strict=False))
    assert said["统计数据"].startswith(
        "「统计数据」表：表头第 3–4 行（两行表头）；标题第 1–2 行（“2025年"
    )
    assert "数据 22 行（第 5–26 行）" in said["统计数据"]
    assert "表尾说明第 28–29 行（“注：本表数据" in said["统计数据"]
    assert "合计行第 145 行" in said["考核指标"] and "分值（分）" in said["考核指标"]
    assert "标题第 1 行" in said["责任单位"] and "跳过没有表头的 C 列" in said["责任单位"]
    assert said["任务分工"] == "「任务分工」表：表头第 1 行；数据 116 行（第 2–117 行）。"
    assert result.readings[-1].startswith("「任务分工」表的 A1:C117 套用了表格格式（Excel 表格「")


def test_validate_command_prints_the_readings(habit_books: dict) -> None:
    from typer.testing import CliRunner

    from officekit.cli import app

    shown = CliRunner().invoke(
        app, ["validate", str(habit_books[("合计行", "openpyxl")]), "--job", str(ROOT)]
    )
    assert shown.exit_code == 0, shown.output
    assert (
        "读取：「考核指标」表：表头第 1 行；数据 143 行（第 2–144 行）；合计行第 145 行"
        in shown.output
    )


# ---- totals ------------------------------------------------------------------------------


def test_a_total_that_disagrees_with_its_column_is_a_warning_naming_both_cells(
    tmp_path: Path,
) -> None:
    folder = _copy_job(tmp_path)
    wb = openpyxl.load_workbook(folder / WORKBOOK)
    totals(wb)
    ws = wb["考核指标"]
    ws.cell(ws.max_row, 3, ws.cell(ws.max_row, 3).value - 10)  # one unit's score changed
    wb.save(folder / WORKBOOK)
    book = load(load_job(folder))
    stale = [w for w in book.warnings if "合计" in w]
    assert stale == [
        "工作簿 禁毒工作数据.xlsx 的「考核指标」表第 145 行合计的「分值」（C145）是 3290，"
        "但 C2:C144 加起来是 3300；请核对合计或上面的数据后重新生成（合计行不当作数据读取）。"
    ]
    assert len(book.tables["考核指标"]) == 143  # still not a data row


def test_subtotals_are_checked_against_their_own_group(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        '[tables."经费"]\nkey = "项目"\ncolumns = { "项目" = "文本!", "金额" = "数字!" }\n',
        {
            "经费": [
                ["项目", "金额"],
                ["宣传", 10],
                ["培训", 5],
                ["小计", 15],
                ["设备", 7],
                ["小　计", 8],  # stale: 设备 alone is 7
                ["总计", 22],
            ]
        },
    )
    book = load(load_job(tmp_path))
    assert [row.raw("项目") for row in book.tables["经费"]] == ["宣传", "培训", "设备"]
    assert book.warnings == [
        "工作簿 data.xlsx 的「经费」表第 6 行小计的「金额」（B6）是 8，但 B5:B5 加起来是 7；"
        "请核对小计或上面的数据后重新生成（小计行不当作数据读取）。"
    ]


def test_templates_read_the_title_totals_notes_and_units(tmp_path: Path) -> None:
    from docx_helpers import make_template

    make_job(
        tmp_path,
        '[tables."缴获"]\nkey = "品种"\ncolumns = { "品种" = "文本!", "缴获毒品" = "数字!" }\n',
        {
            "缴获": [
                ["2025年缴获毒品统计表"],
                ["填报单位：县公安局"],
                ["品种", None, "缴获毒品（克）"],
                ["海洛因", None, 402.1],
                ["冰毒", None, 655.86],
                ["合计", None, 1057.96],
                [None],
                ["注：数据截至年底。"],
                ["制表：王晓明", None, "审核：李建国"],
            ]
        },
    )
    make_template(
        tmp_path / "通知.docx",
        [
            "{{ 缴获.标题 }}|{{ 缴获.表头说明 }}",
            "{{ 缴获.合计.缴获毒品 }}{{ 缴获.列单位.缴获毒品 }}，{{ 缴获 | length }} 种",
            "{{ 缴获.表尾说明 }}",
            "海洛因{{ 缴获.海洛因.缴获毒品 }}{{ 缴获.海洛因.计量单位 }}",
            "{% for 行 in 缴获 %}{{ 行.品种 }}{{ 行.缴获毒品 }}{{ 行.计量单位 }}；{% endfor %}",
        ],
    )
    result = build(load_job(tmp_path), pdf="none")
    assert result.warnings == []
    body = texts(tmp_path / "output" / "通知.docx")
    assert "2025年缴获毒品统计表|2025年缴获毒品统计表" in "".join(body)
    assert "填报单位：县公安局" in "".join(body)
    assert "1057.96克，2 种" in body
    assert "注：数据截至年底。" in "".join(body) and "审核：李建国" in "".join(body)
    assert "海洛因402.1克；冰毒655.86克；" in body
    assert "海洛因402.1克" in body  # the header's unit, the sheet having no 计量单位 column


# ---- real mistakes still reported ----------------------------------------------------------


def _with(tmp_path: Path, *edits: Callable[[OpenpyxlBook], None]) -> Path:
    folder = _copy_job(tmp_path)
    wb = openpyxl.load_workbook(folder / WORKBOOK)
    for edit in edits:
        edit(wb)
    wb.save(folder / WORKBOOK)
    return folder


def _error(folder: Path) -> str:
    from officekit.errors import WorkbookError

    with pytest.raises(WorkbookError) as info:
        load(load_job(folder))
    return str(info.value)


def test_merged_data_cells_under_a_merged_title_are_still_an_error(tmp_path: Path) -> None:
    folder = _with(tmp_path, title_merged, lambda wb: wb["统计数据"].merge_cells("F5:F8"))
    message = _error(folder)
    assert "「统计数据」表第 5 行「类别」列（F5）起是合并单元格（F5:F8）" in message
    assert "A1:G1" not in message


def test_merged_data_cells_under_a_two_row_header_are_still_an_error(tmp_path: Path) -> None:
    folder = _with(tmp_path, band, lambda wb: wb["统计数据"].merge_cells("C4:C5"))
    assert "第 4 行「本年数」列（C4）起是合并单元格（C4:C5）" in _error(folder)


def test_a_missing_column_under_a_title_names_the_header_row(tmp_path: Path) -> None:
    folder = _with(tmp_path, report_line, lambda wb: wb["统计数据"].cell(3, 3, "本年数量"))
    message = _error(folder)
    assert "「统计数据」表第 3 行找不到「本年数」列（是不是改成了「本年数量」列？）" in message


def test_a_header_that_is_not_there_is_still_named_in_row_1(tmp_path: Path) -> None:
    """Nothing like the declared names in the first rows: the message is today's."""

    def rename(wb: OpenpyxlBook) -> None:
        for column in range(1, 8):
            wb["统计数据"].cell(2, column, f"第{column}列")

    message = _error(_with(tmp_path, title_unmerged, rename))
    assert "「统计数据」表第 2 行找不到「指标名称」列" in message


def test_a_blank_row_followed_by_data_does_not_end_the_table(tmp_path: Path) -> None:
    """Only note lines end the table: rows after a blank row are data, and a row that
    looks like data below the notes is a problem (it would be lost), not dropped."""

    def gap(wb: OpenpyxlBook) -> None:
        wb["统计数据"].insert_rows(10)  # a blank row inside the data

    book = load(load_job(_with(tmp_path, gap, notes)))
    assert len(book.tables["统计数据"]) == 22
    assert len(book.tables["统计数据"].shape.notes) == 2

    def after_notes(wb: OpenpyxlBook) -> None:
        ws = wb["统计数据"]
        ws.append(["新增指标", "起", 3, 2, None, "打击整治"])

    message = _error(_with(tmp_path / "late", notes, after_notes))
    assert "第 27 行「指标名称」列（A27）在表格下方的说明文字（第 25 行起）之后" in message
    assert "剪切到说明文字上面" in message


def test_a_note_like_line_with_no_blank_row_before_it_is_data(tmp_path: Path) -> None:
    """One text away from the first column, right under the data, is a row with its
    other cells empty (reported as such), not a note."""
    folder = _with(tmp_path, lambda wb: wb["统计数据"].cell(24, 6, "打击整治"))
    assert "第 24 行「指标名称」列（A24）不能为空" in _error(folder)


def test_repeated_names_under_bands_are_named_with_their_band(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        '[tables."对比"]\nkey = "指标"\n'
        'columns = { "指标" = "文本!", "2025年·数量" = "数字!", "2024年·数量" = "数字!" }\n',
        {
            "对比": [
                ["指标", "2025年", None, "2024年", None],
                [None, "数量", "同比", "数量", "同比"],
                ["案件", 91, "增长", 80, "下降"],
                ["嫌疑人", "一百", "增长", 104, "持平"],
            ]
        },
    )
    message = _error(tmp_path)
    assert "「对比」表第 4 行「2025年·数量」列（B4）应填数字" in message
    wb = openpyxl.load_workbook(tmp_path / "data.xlsx")
    wb["对比"]["B4"] = 126
    wb["对比"].merge_cells("A1:A2")
    wb["对比"].merge_cells("B1:C1")
    wb["对比"].merge_cells("D1:E1")
    wb.save(tmp_path / "data.xlsx")
    table = load(load_job(tmp_path)).tables["对比"]
    assert table.columns == ["指标", "2025年·数量", "2025年·同比", "2024年·数量", "2024年·同比"]
    assert table["嫌疑人"]["2025年·数量"].raw == 126


def test_a_band_over_unique_names_can_be_named_either_way(tmp_path: Path) -> None:
    rows = [
        ["指标名称", "2025年", "2024年"],
        [None, "本年数", "上年数"],
        ["案件", 91, 80],
    ]
    make_job(
        tmp_path / "lower",
        '[tables."对比"]\ncolumns = { "指标名称" = "文本!", "本年数" = "数字!" }\n',
        {"对比": rows},
    )
    make_job(
        tmp_path / "joined",
        '[tables."对比"]\ncolumns = { "指标名称" = "文本!", "2025年·本年数" = "数字!" }\n',
        {"对比": rows},
    )
    lower = load(load_job(tmp_path / "lower")).tables["对比"]
    joined = load(load_job(tmp_path / "joined")).tables["对比"]
    assert lower.columns == ["指标名称", "本年数", "上年数"]
    assert joined.columns == ["指标名称", "2025年·本年数", "上年数"]
    assert lower[0].raw("本年数") == joined[0].raw("2025年·本年数") == 91
    assert lower.shape.header == (1, 2)


# ---- every way of reading a sheet gives the same table -------------------------------------


def _read(book: object) -> dict:
    return {
        name: (t.columns, dict(t.positions), [t.row_text(i) for i in range(len(t))], t.shape.dump())
        for name, t in book.tables.items()  # type: ignore[attr-defined]
    }


def test_the_shape_is_the_same_fresh_cached_helped_and_reread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit import workbook
    from officekit.sheetcache import SheetCache

    folder = _with(tmp_path, every_habit)
    job = load_job(folder)
    fresh = _read(load(job))
    monkeypatch.setattr(workbook, "AHEAD_BYTES", 0)  # the helper reads the last sheets
    cache = SheetCache(job.output)
    assert _read(load(job, cache, jobs=2)) == fresh
    cache.commit()
    assert _read(load(job, SheetCache(job.output), jobs=2)) == fresh  # from the cache
    # One cell edited in each sheet with a title or totals: read against the last reading
    wb = openpyxl.load_workbook(job.workbook)
    wb["统计数据"]["C6"] = 92
    wb["考核指标"]["D3"] = "按时完成得满分"
    wb.save(job.workbook)
    reread = _read(load(job, SheetCache(job.output), jobs=1))
    assert reread == _read(load(job))
    assert reread["统计数据"][3] == fresh["统计数据"][3]  # the same title, header and notes


def test_fields_knows_the_unit_a_header_gives(tmp_path: Path) -> None:
    """``officekit fields --workbook`` does not call 行.计量单位 unknown when the sheet's
    one header unit stands for it, and still does when the sheet gives none."""
    import jinja2

    from officekit.rowfields import unknown_columns

    make_job(
        tmp_path,
        '[tables."缴获"]\nkey = "品种"\ncolumns = { "缴获毒品" = "数字!" }\n',
        {"缴获": [["品种", "缴获毒品（克）", "金额"], ["海洛因", 402.1, 3]]},
    )
    book = load(load_job(tmp_path))
    assert book.tables["缴获"].shape.units == {"缴获毒品": "克"}
    tree = jinja2.Environment().parse("{% for 行 in 缴获 %}{{ 行.计量单位 }}{% endfor %}")
    assert unknown_columns([tree], book.relations, {}) == []
    book.tables["缴获"].shape.units = {}
    assert [u.expression for u in unknown_columns([tree], book.relations, {})] == ["行.计量单位"]


def test_a_rebuild_sees_a_changed_title_or_total(tmp_path: Path) -> None:
    """The rows are the same, only the title and the 合计 changed: the document reading
    them is made again (its input digest covers what the sheet holds around the rows)."""
    from docx_helpers import make_template

    make_job(
        tmp_path,
        '[tables."缴获"]\nkey = "品种"\ncolumns = { "品种" = "文本!", "数量" = "数字!" }\n',
        {"缴获": [["2025年统计表"], ["品种", "数量"], ["海洛因", 4], ["冰毒", 6], ["合计", 10]]},
    )
    make_template(tmp_path / "通知.docx", ["{{ 缴获.标题 }}：{{ 缴获.合计.数量 }}"])
    build(load_job(tmp_path), pdf="none")
    assert "2025年统计表：10" in texts(tmp_path / "output" / "通知.docx")
    wb = openpyxl.load_workbook(tmp_path / "data.xlsx")
    wb["缴获"]["A1"] = "2026年统计表"
    wb.save(tmp_path / "data.xlsx")
    build(load_job(tmp_path), pdf="none")
    assert "2026年统计表：10" in texts(tmp_path / "output" / "通知.docx")
