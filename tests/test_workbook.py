"""Tests for officekit.workbook: typed loading of real .xlsx files and the messages clerks see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import edit_cells, find_row, make_job

from officekit import xlsx
from officekit.errors import WorkbookError
from officekit.job import load_job
from officekit.values import Cell
from officekit.workbook import Workbook, _sanitize, load

WORKBOOK = Path("sheets") / "禁毒工作数据.xlsx"


def shipped(job_dir: Path) -> Path:
    return job_dir / WORKBOOK


def load_shipped(job_dir: Path) -> Workbook:
    return load(load_job(job_dir))


def load_error(job_dir: Path) -> WorkbookError:
    with pytest.raises(WorkbookError) as info:
        load(load_job(job_dir))
    return info.value


def assert_one_sentence(message: str) -> None:
    assert message.endswith("。")
    assert message.count("。") == 1


# ---- the shipped workbook ----------------------------------------------------------------


def test_shipped_workbook_loads(job_dir: Path) -> None:
    book = load_shipped(job_dir)
    assert book.path == job_dir.resolve() / WORKBOOK
    assert list(book.tables) == ["统计数据", "责任单位", "工作任务", "任务分工", "考核指标"]
    counts = {name: len(table) for name, table in book.tables.items()}
    assert counts == {
        "统计数据": 22,
        "责任单位": 33,
        "工作任务": 26,
        "任务分工": 116,
        "考核指标": 143,
    }
    assert book.warnings == []


def test_shipped_variables(job_dir: Path) -> None:
    variables = load_shipped(job_dir).variables
    assert len(variables) == 19
    assert "填写说明" not in variables
    assert variables["县名"] == "青禾县"
    assert isinstance(variables["县名"], Cell)
    assert variables["统计年度"].raw == 2025
    assert str(variables["统计年度"]) == "2025"
    assert str(variables["会议日期"]) == "2026年3月5日"
    assert str(variables["责任期限结束"]) == "2026年12月31日"
    assert variables["考核总分"] == 100
    assert variables["县名"].place == "「基本信息」表 B2"


def test_shipped_typed_cells(job_dir: Path) -> None:
    stats = load_shipped(job_dir).tables["统计数据"]
    assert stats["破获毒品刑事案件"].本年数.raw == 91
    assert str(stats["缴获毒品总量"].本年数) == "1164.35"
    assert str(stats["其中海洛因"].本年数) == "402.1"  # General format: as typed
    assert str(stats["社区戒毒社区康复执行率"].本年数) == "96.2%"
    assert stats["社区戒毒社区康复执行率"].本年数.raw == 0.962
    assert stats["其中重大毒品案件"].任务数.raw is None
    assert not stats["其中重大毒品案件"].任务数
    assert stats["破获毒品刑事案件"].本年数.place == "「统计数据」表 C2"
    assert stats["破获毒品刑事案件"].备注.raw is None  # undeclared column, still read


def test_shipped_keys(job_dir: Path) -> None:
    tables = load_shipped(job_dir).tables
    assert tables["责任单位"].key == "单位名称"
    assert tables["责任单位"].keys()[:3] == ["县委政法委", "县委宣传部", "县公安局"]
    assert tables["工作任务"].keys()[0] == "T01"
    assert tables["工作任务"].keys()[-1] == "T26"
    assert tables["任务分工"].key is None  # no key declared, first column repeats
    assert all(isinstance(row.分值.raw, int) for row in tables["考核指标"])


# ---- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "raw", "shown"),
    [
        ("91", 91, "91"),
        (" 91 ", 91, "91"),
        ("1,164.35", 1164.35, "1164.35"),
        ("1，164.35", 1164.35, "1164.35"),
        ("91.0", 91, "91"),
        ("-3", -3, "-3"),
        ("50%", 0.5, "50%"),
        (92, 92, "92"),
    ],
)
def test_number_typed_as_text_is_a_number(
    job_dir: Path, typed: str | int, raw: float, shown: str
) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"C2": typed})
    cell = load_shipped(job_dir).tables["统计数据"]["破获毒品刑事案件"].本年数
    assert cell.raw == raw
    assert type(cell.raw) is type(raw)
    assert cell.text == shown
    assert cell - 80 == raw - 80


def test_percent_text_is_the_fraction_excel_would_store(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "统计数据", 1, "社区戒毒社区康复执行率")
    edit_cells(shipped(job_dir), "统计数据", {f"C{row}": "96.2%", f"D{row}": "93.1％"})
    rate = load_shipped(job_dir).tables["统计数据"]["社区戒毒社区康复执行率"]
    assert rate.本年数.text == "96.2%"
    assert rate.上年数.text == "93.1%"
    assert rate.本年数.raw == 0.962  # typing 96.2% in Excel stores exactly 0.962
    assert rate.上年数.raw == 0.931


def test_words_in_a_number_column(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "统计数据", 1, "刑事拘留")
    assert row == 5
    edit_cells(shipped(job_dir), "统计数据", {"C5": "九十一"})
    error = load_error(job_dir)
    message = str(error)
    assert message == (
        "工作簿 禁毒工作数据.xlsx 的「统计数据」表第 5 行「本年数」列（C5）应填数字，"
        "现在是“九十一”，请只填阿拉伯数字（如 91 或 1164.35），不要带单位或文字。"
    )
    assert_one_sentence(message)
    assert error.sheet == "统计数据"
    assert error.cell == "C5"
    assert error.exit_code == 3


@pytest.mark.parametrize("typed", [2.5, "2.5", "50%"])
def test_fraction_in_an_integer_column(job_dir: Path, typed: object) -> None:
    edit_cells(shipped(job_dir), "考核指标", {"C3": typed})
    error = load_error(job_dir)
    message = str(error)
    assert "「考核指标」表第 3 行「分值」列（C3）" in message
    assert f"应填整数，现在是“{typed}”" in message
    assert "不带小数的整数" in message
    assert_one_sentence(message)
    assert (error.sheet, error.cell) == ("考核指标", "C3")


def test_whole_float_in_an_integer_column_becomes_int(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "考核指标", {"C2": 30.0})
    score = load_shipped(job_dir).tables["考核指标"][0].分值
    assert score.raw == 30
    assert type(score.raw) is int


# ---- dates -------------------------------------------------------------------------------

DATE_TABLES = """
[tables."节点"]
key = "事项"
columns = { "事项" = "文本!", "日期" = "日期!" }
"""


@pytest.mark.parametrize(
    "typed",
    [
        "2026-3-5",
        "2026-03-05",
        "2026/3/5",
        "2026.3.5",
        "2026年3月5日",
        " 2026 年 3 月 5 日 ",
        dt.datetime(2026, 3, 5),
        dt.date(2026, 3, 5),
    ],
)
def test_date_column_accepts_dates_and_date_text(tmp_path: Path, typed: object) -> None:
    make_job(tmp_path, DATE_TABLES, {"节点": [["事项", "日期"], ["开会", typed]]})
    cell = load(load_job(tmp_path)).tables["节点"]["开会"].日期
    assert cell.raw == dt.date(2026, 3, 5)
    assert type(cell.raw) is dt.date
    assert str(cell) == "2026年3月5日"


def test_date_with_time_keeps_the_time(tmp_path: Path) -> None:
    make_job(
        tmp_path, DATE_TABLES, {"节点": [["事项", "日期"], ["开会", dt.datetime(2026, 3, 5, 9)]]}
    )
    cell = load(load_job(tmp_path)).tables["节点"]["开会"].日期
    assert cell.raw == dt.datetime(2026, 3, 5, 9)


@pytest.mark.parametrize("typed", ["下周三", "2026-2-30", "2026-13-1", "3月5日", 3000000])
def test_bad_date(tmp_path: Path, typed: object) -> None:
    make_job(tmp_path, DATE_TABLES, {"节点": [["事项", "日期"], ["开会", typed]]})
    error = load_error(tmp_path)
    message = str(error)
    assert message.startswith("工作簿 data.xlsx 的「节点」表第 2 行「日期」列（B2）")
    assert f"应填日期，现在是“{typed}”" in message
    assert "如 2026-3-5" in message
    assert_one_sentence(message)
    assert error.cell == "B2"


# ---- required, allowed, keys, references -------------------------------------------------


@pytest.mark.parametrize("empty", [None, "   ", "\u3000"])
def test_required_cell_empty(job_dir: Path, empty: object) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"B5": empty})
    error = load_error(job_dir)
    message = str(error)
    assert message == (
        "工作簿 禁毒工作数据.xlsx 的「统计数据」表第 5 行「计量单位」列（B5）不能为空，请填写后重新生成。"
    )
    assert error.cell == "B5"


def test_optional_cell_may_be_empty(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"E2": None, "G2": None})
    row = load_shipped(job_dir).tables["统计数据"]["破获毒品刑事案件"]
    assert row.任务数.raw is None
    assert row.任务数.text == ""


def test_empty_key_cell_is_one_problem(job_dir: Path) -> None:
    """An empty key cell must be reported once, not as “another problem” too."""
    edit_cells(shipped(job_dir), "统计数据", {"A5": None})
    error = load_error(job_dir)
    message = str(error)
    assert "「统计数据」表第 5 行「指标名称」列（A5）不能为空" in message
    assert "另有" not in message
    assert len(error.issues) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("sheet", "ref", "value", "header", "choices"),
    [
        ("统计数据", "F5", "打击", "类别", "打击整治、管控戒治、宣传预防、源头治理、保障支撑"),
        ("任务分工", "C2", "主办", "职责", "牵头、配合"),
        ("责任单位", "B3", "党委", "单位类别", "党委部门、政法单位、政府部门、群团组织、乡镇"),
    ],
)
def test_value_not_allowed(
    job_dir: Path, sheet: str, ref: str, value: str, header: str, choices: str
) -> None:
    edit_cells(shipped(job_dir), sheet, {ref: value})
    error = load_error(job_dir)
    message = str(error)
    assert f"「{sheet}」表第 {ref[1:]} 行「{header}」列（{ref}）的“{value}”不在可选值中" in message
    assert f"（{choices}）" in message
    assert_one_sentence(message)
    assert (error.sheet, error.cell) == (sheet, ref)


def test_duplicate_key(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "责任单位", {"A4": "县委政法委"})
    error = load_error(job_dir)
    message = str(error)
    assert "「责任单位」表第 4 行「单位名称」列（A4）的“县委政法委”与第 2 行重复" in message
    assert "删除重复行或改名" in message
    assert error.cell == "A4"


def test_unknown_unit_in_assignments(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "任务分工", {"B3": "县禁毒办"})
    error = load_error(job_dir)
    message = str(error)
    assert message.startswith(
        "工作簿 禁毒工作数据.xlsx 的「任务分工」表第 3 行「单位名称」列（B3）"
    )
    assert "“县禁毒办”在「责任单位」表的「单位名称」列中找不到" in message
    assert "请先在「责任单位」表中添加它" in message
    assert_one_sentence(message)
    assert (error.sheet, error.cell) == ("任务分工", "B3")


def test_unknown_task_number(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "任务分工", {"A2": "T99"})
    error = load_error(job_dir)
    assert "“T99”在「工作任务」表的「任务编号」列中找不到" in str(error)
    assert error.cell == "A2"


REFERENCE_TABLES = """
[tables."单位"]
key = "名称"
columns = { "名称" = "文本!" }

[tables."分工"]
columns = { "任务" = "文本!" }
references = { "单位名称" = "单位" }
"""


def test_reference_cell_counts_blank_header_columns(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        REFERENCE_TABLES,
        {
            "单位": [["名称"], ["甲"]],
            "分工": [["任务", None, "单位名称"], ["宣传", "（备注）", "乙"]],
        },
    )
    error = load_error(tmp_path)
    assert "「分工」表第 2 行「单位名称」列（C2）" in str(error)
    assert error.cell == "C2"


def test_referenced_column_missing_from_sheet(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        REFERENCE_TABLES,
        {"单位": [["名称"], ["甲"]], "分工": [["任务", "单位"], ["宣传", "甲"]]},
    )
    error = load_error(tmp_path)
    assert "「分工」" in str(error)
    assert "「单位名称」" in str(error)


# ---- sheets and headers ------------------------------------------------------------------


@pytest.mark.parametrize("sheet", ["考核指标", "统计数据", "基本信息"])
def test_missing_sheet(job_dir: Path, sheet: str) -> None:
    wb = openpyxl.load_workbook(shipped(job_dir))
    wb[sheet].title = f"{sheet}（旧）"
    wb.save(shipped(job_dir))
    message = str(load_error(job_dir))
    assert f"工作簿 禁毒工作数据.xlsx 缺少「{sheet}」表" in message
    assert f"是不是改成了「{sheet}（旧）」表" in message  # the closest sheet it does have
    assert "改回原来的名称" in message


@pytest.mark.parametrize(
    ("sheet", "ref", "header"),
    [
        ("统计数据", "C1", "本年数"),
        ("考核指标", "C1", "分值"),
        ("任务分工", "B1", "单位名称"),
        ("责任单位", "A1", "单位名称"),
    ],
)
def test_missing_header_column(job_dir: Path, sheet: str, ref: str, header: str) -> None:
    edit_cells(shipped(job_dir), sheet, {ref: f"{header}X"})
    message = str(load_error(job_dir))
    assert f"「{sheet}」表第 1 行找不到「{header}」列" in message
    assert f"{header}X" in message
    assert "不要改动或删除表头" in message


@pytest.mark.parametrize(("ref", "needed"), [("A1", "项目"), ("B1", "内容")])
def test_variables_header_missing(job_dir: Path, ref: str, needed: str) -> None:
    edit_cells(shipped(job_dir), "基本信息", {ref: "名称"})
    message = str(load_error(job_dir))
    assert f"「基本信息」表第 1 行找不到「{needed}」列" in message
    assert "项目 | 内容" in message


def test_duplicate_header(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"G1": "本年数"})
    message = str(load_error(job_dir))
    assert "「统计数据」表第 1 行有两个「本年数」列（C1 和 G1）" in message


# ---- the variables sheet -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["县 名", "县名（全称）", "2026年度", "会议-名称", "县名."])
def test_variable_name_not_an_identifier(job_dir: Path, name: str) -> None:
    edit_cells(shipped(job_dir), "基本信息", {"A3": name})
    error = load_error(job_dir)
    message = str(error)
    assert message.startswith("工作簿 禁毒工作数据.xlsx 的「基本信息」表第 3 行「项目」列（A3）")
    assert f"“{name}”含有空格或符号" in message
    assert "只含汉字、字母、数字和下划线" in message
    assert (error.sheet, error.cell) == ("基本信息", "A3")


def test_duplicate_variable(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "基本信息", {"A5": "县名"})
    error = load_error(job_dir)
    assert "「基本信息」表第 5 行「项目」列（A5）的项目名“县名”与上面的行重复" in str(error)
    assert error.cell == "A5"


def test_variable_named_like_a_table(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "基本信息", 1, "通报人职务")  # an item the job does not type
    edit_cells(shipped(job_dir), "基本信息", {f"A{row}": "责任单位"})
    message = str(load_error(job_dir))
    assert "「基本信息」表中项目名“责任单位”与工作表同名" in message
    assert "请改名其中之一" in message


def test_rows_without_a_name_are_skipped(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "基本信息", {"A21": None, "B21": "孤立的内容"})
    variables = load_shipped(job_dir).variables
    assert len(variables) == 19
    assert "孤立的内容" not in {str(v) for v in variables.values()}


# ---- control characters ------------------------------------------------------------------


def test_control_character_from_excel_is_removed_with_warning(tmp_path: Path) -> None:
    """Excel stores a pasted control character (here U+000B) as ``_x000B_`` (ECMA-376 ST_Xstring)."""
    make_job(
        tmp_path,
        '[tables."单位"]\nkey = "名称"\ncolumns = { "名称" = "文本!", "目标" = "文本" }\n',
        {"单位": [["名称", "目标"], ["甲", "前_x000B_后"]]},
    )
    book = load(load_job(tmp_path))
    assert book.tables["单位"]["甲"].目标.raw == "前后"
    assert len(book.warnings) == 1
    assert "「单位」表第 2 行「目标」列（B2）" in book.warnings[0]
    assert "控制字符" in book.warnings[0]


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [("前\x0b后", "前后"), ("\x00a\x1fb\ufffe", "ab"), ("第一行\n第二行\t!", "第一行\n第二行\t!")],
)
def test_sanitize_removes_illegal_xml_characters(value: str, cleaned: str) -> None:
    warnings: list[str] = []
    assert _sanitize(value, Path("数据.xlsx"), ("单位", 2, 2, "目标"), warnings) == cleaned
    if cleaned == value:
        assert warnings == []
    else:
        assert warnings == [
            "工作簿 数据.xlsx 的「单位」表第 2 行「目标」列（B2）含有不可见的控制字符"
            "（多半是从别处粘贴来的），已删除。"
        ]


# ---- sum checks --------------------------------------------------------------------------


def test_sum_check_warns_when_total_is_not_100(job_dir: Path) -> None:
    assert find_row(shipped(job_dir), "考核指标", 1, "县委宣传部") == 6
    edit_cells(shipped(job_dir), "考核指标", {"C2": 31})
    book = load_shipped(job_dir)
    assert book.warnings == [
        "工作簿 禁毒工作数据.xlsx 的「考核指标」表中“县委政法委”的「分值」合计为 101，"
        "应为 100（第 2–5 行），请核对后重新生成。"
    ]


def test_sum_check_warns_for_unit_without_rows(job_dir: Path) -> None:
    edit_cells(
        shipped(job_dir),
        "责任单位",
        {"A35": "县禁毒办", "B35": "政府部门", "C35": "统筹全县禁毒日常工作"},
    )
    book = load_shipped(job_dir)
    assert len(book.tables["责任单位"]) == 34
    (warning,) = book.warnings
    assert "“县禁毒办”的「分值」合计为 0，应为 100（没有任何行）" in warning


def test_sum_check_in_a_tiny_job(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        '[tables."考核"]\ncolumns = { "单位" = "文本!", "分值" = "整数!" }\n'
        '[[checks]]\ntable = "考核"\ngroup = "单位"\ncolumn = "分值"\nequals = 10\n',
        {"考核": [["单位", "分值"], ["甲", 4], ["甲", 6], ["乙", 3], ["乙", 3]]},
    )
    (warning,) = load(load_job(tmp_path)).warnings
    assert "“乙”的「分值」合计为 6，应为 10（第 4–5 行）" in warning


# ---- several issues, empty rows, unreadable files ----------------------------------------


def test_several_issues_are_counted(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"C5": "九十一", "C6": "很多", "D7": "不详"})
    error = load_error(job_dir)
    message = str(error)
    assert "（C5）" in message
    assert "另有 2 处问题" in message
    assert_one_sentence(message)
    assert [issue.cell for issue in error.issues] == ["C5", "C6", "D7"]  # type: ignore[attr-defined]


def test_issues_across_sheets_are_counted(job_dir: Path) -> None:
    edit_cells(shipped(job_dir), "统计数据", {"C5": "九十一"})
    edit_cells(shipped(job_dir), "考核指标", {"C2": 2.5})
    error = load_error(job_dir)
    assert error.sheet == "统计数据"
    assert "另有 1 处问题" in str(error)


def test_trailing_empty_rows_are_ignored(job_dir: Path) -> None:
    wb = openpyxl.load_workbook(shipped(job_dir))
    ws = wb["责任单位"]
    for row in range(35, 45):
        ws.cell(row, 1, "  ")
        ws.cell(row, 2, "\u3000")
        ws.cell(row, 3).number_format = "0.00"
    wb.save(shipped(job_dir))
    assert len(load_shipped(job_dir).tables["责任单位"]) == 33


def test_blank_row_in_the_middle_is_skipped(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        '[tables."单位"]\nkey = "名称"\ncolumns = { "名称" = "文本!" }\n',
        {"单位": [["名称"], ["甲"], [None], ["乙"], [None], [None]]},
    )
    table = load(load_job(tmp_path)).tables["单位"]
    assert [row.number for row in table] == [2, 4]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"not an xlsx at all", "文本（CSV）"),
        (b"PK\x03\x04garbage", "已损坏"),
        (b"", "是空的"),
        ("名称\n甲\n".encode(), "文本（CSV）"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "不是 .xlsx 文件"),
    ],
)
def test_not_an_xlsx(job_dir: Path, content: bytes, said: str) -> None:
    shipped(job_dir).write_bytes(content)
    message = str(load_error(job_dir))
    assert message.startswith("工作簿 禁毒工作数据.xlsx ")
    assert said in message and ".xlsx" in message


@pytest.mark.parametrize("damage", ["crc", "deflate"])
@pytest.mark.parametrize("cached", [False, True])
def test_a_sheet_whose_bytes_are_damaged_is_named(job_dir: Path, damage: str, cached: bool) -> None:
    """The workbook is not decompressed whole to check it: a sheet whose stored bytes no
    longer match their CRC (or whose compressed stream is broken) is found as it is read
    or hashed for the sheet cache, and named; nothing is written."""
    import zipfile

    from typer.testing import CliRunner

    from officekit.cli import app

    if cached:  # a build before: the sheet would come from the cache if its key matched
        assert CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"]).exit_code == 0
    workbook = shipped(job_dir)
    part = "xl/worksheets/sheet5.xml"
    with xlsx.Book(workbook) as book:
        sheet = {s.part: s.title for s in book.sheets}[part]
    rebuilt = job_dir / "rebuilt.xlsx"
    stored = zipfile.ZIP_STORED if damage == "crc" else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(rebuilt, "w") as dst:
        for item in src.infolist():
            method = stored if item.filename == part else zipfile.ZIP_DEFLATED
            dst.writestr(item.filename, src.read(item), compress_type=method)
    data = bytearray(rebuilt.read_bytes())
    with zipfile.ZipFile(rebuilt) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
    if damage == "crc":  # one byte of text changed: still XML, but not what the CRC says
        at = data.index(b"<sheetData>", start) + len(b"<sheetData>") + 40
        data[at] = ord("A") if data[at] != ord("A") else ord("B")
    else:  # bytes in the middle of the compressed stream overwritten
        middle = start + info.compress_size // 2
        data[middle : middle + 8] = b"\xff" * 8
    workbook.write_bytes(bytes(data))
    rebuilt.unlink()
    before = sorted((job_dir / "output").rglob("*")) if cached else []
    error = load_error(job_dir)
    assert error.sheet == sheet, str(error)
    assert str(error).startswith(f"工作簿 禁毒工作数据.xlsx 的「{sheet}」表已损坏")
    result = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"])
    if cached and damage == "deflate":
        # The zip directory still describes the part as the one cached (CRC, both sizes):
        # it is not read again, and the documents are what that content gives. --force
        # reads every part, and the damage is named.
        assert result.exit_code == 0, result.output
        result = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf", "--force"])
    assert result.exit_code == 3 and f"「{sheet}」表已损坏" in result.output
    after = sorted((job_dir / "output").rglob("*")) if cached else []
    assert after == before


def test_missing_workbook(job_dir: Path) -> None:
    shipped(job_dir).unlink()
    message = str(load_error(job_dir))
    assert "找不到工作簿" in message
    assert "禁毒工作数据.xlsx" in message
    assert "workbook" in message


# ---- undeclared sheets -------------------------------------------------------------------


def test_undeclared_sheet_is_a_table_keyed_by_unique_first_column(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        "",
        {
            "说明": [["随便写"]],
            "名单": [["姓名", "职务"], ["张三", "主任"], ["李四", "科员"]],
            "流水": [["类别", "金额"], ["差旅", 3], ["差旅", 4]],
        },
    )
    tables = load(load_job(tmp_path)).tables
    assert list(tables) == ["名单", "流水"]  # 说明 is ignored by default
    assert tables["名单"].key == "姓名"
    assert tables["名单"]["李四"].职务 == "科员"
    assert tables["流水"].key is None


@pytest.mark.parametrize(
    ("item", "value", "expected"),
    [
        ("统计年度", "2025年", ["（统计年度）应填数字", "“2025年”"]),
        ("考核总分", "100分", ["（考核总分）应填数字"]),
        ("会议日期", "三月五日", ["（会议日期）应填日期", "2026-3-5"]),
        ("讲话人", None, ["（讲话人）不能为空"]),
    ],
)
def test_typed_items_of_the_variables_sheet(
    job_dir: Path, item: str, value: object, expected: list[str]
) -> None:
    row = find_row(shipped(job_dir), "基本信息", 1, item)
    edit_cells(shipped(job_dir), "基本信息", {f"B{row}": value})
    message = str(load_error(job_dir))
    assert f"「基本信息」表第 {row} 行「内容」列（B{row}）" in message
    for fragment in expected:
        assert fragment in message


def test_date_item_typed_as_text_prints_as_a_date(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "基本信息", 1, "会议日期")
    edit_cells(shipped(job_dir), "基本信息", {f"B{row}": "2026.3.5"})
    assert str(load_shipped(job_dir).variables["会议日期"]) == "2026年3月5日"


def test_missing_declared_item_is_named(job_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(shipped(job_dir))
    ws = wb["基本信息"]
    row = find_row(shipped(job_dir), "基本信息", 1, "签订日期")
    ws.delete_rows(row)
    wb.save(shipped(job_dir))
    message = str(load_error(job_dir))
    assert "缺少项目“签订日期”" in message and "「项目」列加一行" in message


def test_merged_cells_are_named_with_their_range(job_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(shipped(job_dir))
    wb["责任单位"].merge_cells("B25:B34")
    wb.save(shipped(job_dir))
    error = load_error(job_dir)
    assert "「责任单位」表第 25 行「单位类别」列（B25）起是合并单元格（B25:B34）" in str(error)
    assert "取消合并" in str(error)


def test_chart_sheets_are_ignored(job_dir: Path) -> None:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(shipped(job_dir))
    chart = BarChart()
    chart.add_data(
        Reference(wb["统计数据"], min_col=3, min_row=1, max_row=5), titles_from_data=True
    )
    wb.create_chartsheet("图表").add_chart(chart)
    wb.save(shipped(job_dir))
    assert "图表" not in load_shipped(job_dir).tables


def test_formula_without_a_computed_value_is_explained(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "统计数据", 1, "刑事拘留")
    edit_cells(
        shipped(job_dir), "统计数据", {f"C{row}": f"=D{row}+12"}
    )  # openpyxl stores no result
    message = str(load_error(job_dir))
    assert f"（C{row}）是公式（=D{row}+12），但文件里没有它的计算结果" in message
    assert "在 Excel 中打开工作簿、保存" in message


def test_rate_typed_without_percent_sign_is_caught(job_dir: Path) -> None:
    row = find_row(shipped(job_dir), "统计数据", 1, "社区戒毒社区康复执行率")
    edit_cells(shipped(job_dir), "统计数据", {f"C{row}": 96.2})
    wb = __import__("openpyxl").load_workbook(shipped(job_dir))
    wb["统计数据"][f"C{row}"].number_format = "General"
    wb.save(shipped(job_dir))
    message = str(load_error(job_dir))
    assert f"第 {row} 行「本年数」列（C{row}）的“96.2”不是百分数" in message
    assert "96.2%" in message


def test_repeated_assignment_row_is_caught(job_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(shipped(job_dir))
    ws = wb["任务分工"]
    first = [c.value for c in ws[2]]
    ws.append(first)
    wb.save(shipped(job_dir))
    message = str(load_error(job_dir))
    assert f"第 {ws.max_row} 行" in message and "与第 2 行重复" in message
    assert f"任务编号“{first[0]}”" in message and f"单位名称“{first[1]}”" in message


def test_merged_note_cells_are_allowed(job_dir: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(shipped(job_dir))
    wb["统计数据"].merge_cells("G2:G5")  # 备注: not read by any rule
    wb["基本信息"].merge_cells("C2:C4")  # 填写说明
    wb.save(shipped(job_dir))
    assert len(load_shipped(job_dir).tables["统计数据"]) >= 12


def test_old_xls_next_to_the_missing_xlsx_is_named(job_dir: Path) -> None:
    workbook = shipped(job_dir)
    workbook.rename(workbook.with_suffix(".xls"))
    message = str(load_error(job_dir))
    assert "禁毒工作数据.xls" in message and "另存为 Excel 工作簿(.xlsx)" in message


def test_a_damaged_sheet_is_named_and_the_build_leaves_nothing(job_dir: Path) -> None:
    import zipfile

    from typer.testing import CliRunner

    from officekit.cli import app

    workbook = shipped(job_dir)
    broken = job_dir / "broken.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet5.xml":
                data = data[: len(data) // 2]  # cut off mid-row, as a half-copied file is
            dst.writestr(item, data)
    with xlsx.Book(workbook) as book:
        names = {s.part: s.title for s in book.sheets}
    broken.replace(workbook)
    damaged = workbook.read_bytes()
    sheet = names["xl/worksheets/sheet5.xml"]
    error = load_error(job_dir)
    assert error.sheet == sheet
    assert str(error) == (
        f"工作簿 禁毒工作数据.xlsx 的「{sheet}」表已损坏，无法读取；请在 Excel 中打开工作簿，"
        "检查这张表后“另存为 Excel 工作簿(.xlsx)”，再重新生成。"
    )
    result = CliRunner().invoke(app, ["build", str(job_dir), "--no-pdf"])
    assert result.exit_code == 3 and f"「{sheet}」表已损坏" in result.output
    output = job_dir / "output"
    assert not output.exists() or list(output.iterdir()) == []
    assert workbook.read_bytes() == damaged  # the clerk's file is left as it is


# ---- a forked helper reads the last sheets (jobs > 1) -------------------------------------


def _plain(book: Workbook) -> dict:
    return {
        name: (dict(t.positions), [t.row_text(i) for i in range(len(t))])
        for name, t in book.tables.items()
    }


def _helper_tasks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from officekit import prefetch, workbook

    monkeypatch.setattr(workbook, "AHEAD_BYTES", 0)  # the shipped workbook is small
    tasks: list[str] = []
    real = prefetch.Prefetch.__init__

    def spy(self, given) -> None:  # noqa: ANN001
        tasks.extend(key for key, _ in given)
        real(self, given)

    monkeypatch.setattr(prefetch.Prefetch, "__init__", spy)
    return tasks


def test_sheets_read_by_the_helper_are_the_same(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from officekit import sheetcache
    from officekit.prefetch import can_fork
    from officekit.sheetcache import SheetCache

    job = load_job(job_dir)
    alone = load(job, jobs=1)
    tasks = _helper_tasks(monkeypatch)
    cache = SheetCache(job.output)
    helped = load(job, cache, jobs=2)
    if can_fork():
        assert tasks and tasks[-1] == list(alone.tables)[-1]  # the last sheets
    assert _plain(helped) == _plain(alone)
    assert helped.warnings == alone.warnings
    assert helped.variables == alone.variables
    cache.commit()  # the helper's sheets are cached like the others
    assert len(list((job.output / sheetcache.FOLDER / "sheets").glob("*.pickle"))) == len(
        alone.tables
    )


def test_a_changed_sheet_is_read_by_the_helper_while_the_caller_works(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild after one sheet changed, with no last reading of it to compare it with
    row by row (officekit.sheetdiff; a cache written by an older officekit): the helper
    reads that sheet, this process does the caller's own work meanwhile, and the tables
    are those read without a helper. With a last reading, no helper is started: the
    changed rows are read here."""
    from officekit import sheetcache
    from officekit.prefetch import can_fork
    from officekit.sheetcache import SheetCache

    job = load_job(job_dir)
    edit_cells(job.workbook, "责任单位", {})  # saved by openpyxl, as it is edited below
    cache = SheetCache(job.output)
    load(job, cache, jobs=1)
    cache.commit()
    edit_cells(job.workbook, "责任单位", {"C3": "全年查处毒品案件不少于20起"})
    alone = load(job, jobs=1)
    tasks = _helper_tasks(monkeypatch)
    calls: list[bool] = []
    reread = load(job, SheetCache(job.output), jobs=2, meanwhile=calls.append)
    assert tasks == [] and calls == [False]
    assert _plain(reread) == _plain(alone)
    for kept in (job.output / sheetcache.FOLDER / "sheets").glob("*.last"):
        kept.unlink()
    calls.clear()
    helped = load(job, SheetCache(job.output), jobs=2, meanwhile=calls.append)
    if can_fork():
        assert tasks == ["责任单位"] and calls == [True]
    assert _plain(helped) == _plain(alone)
    assert helped.tables["责任单位"].row_text(1) == alone.tables["责任单位"].row_text(1)
    calls.clear()
    load(job, SheetCache(job.output), jobs=1, meanwhile=calls.append)
    assert calls == [False]  # no helper: the caller's work before the sheets are read
    assert tasks == ["责任单位"]  # (no helper started by jobs=1)


def test_the_caller_work_is_not_done_when_a_named_sheet_is_missing(job_dir: Path) -> None:
    job = load_job(job_dir)
    wb = openpyxl.load_workbook(job.workbook)
    wb["考核指标"].title = "考核"
    wb.save(job.workbook)
    calls: list[bool] = []
    with pytest.raises(WorkbookError):
        load(job, jobs=2, meanwhile=calls.append)
    assert calls == []  # the caller does it itself (see build._build)


def test_a_problem_in_a_sheet_the_helper_reads_is_reported_the_same(
    job_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = load_job(job_dir)
    edit_cells(job.workbook, "考核指标", {"C2": "三十"})  # 分值 must be a number
    with pytest.raises(WorkbookError) as alone:
        load(job, jobs=1)
    tasks = _helper_tasks(monkeypatch)
    with pytest.raises(WorkbookError) as helped:
        load(job, jobs=2)
    from officekit.prefetch import can_fork

    assert "考核指标" in tasks or not can_fork()
    assert str(helped.value) == str(alone.value)
    assert "考核指标" in str(helped.value)


def test_reference_texts_are_the_keys_own_strings(job_dir: Path) -> None:
    """A unit's name in the assignment and assessment sheets is the very string of its
    row in 责任单位 (held once, not once per sheet), and still equal to what was typed."""
    book = load_shipped(job_dir)
    units = book.tables["责任单位"]
    own = {id(units.column("单位名称")[i]) for i in range(len(units))}
    for sheet in ("任务分工", "考核指标"):
        names = book.tables[sheet].column("单位名称")
        assert names and all(id(name) in own for name in names), sheet
        assert all(units.get(name) is not None for name in names)
    tasks = book.tables["工作任务"].column("任务编号")
    assert all(any(t is k for k in tasks) for t in book.tables["任务分工"].column("任务编号"))


def test_unknown_reference_names_the_closest_and_the_drop_down_where_there_is_one(
    job_dir: Path,
) -> None:
    """The shipped 任务分工 sheet has drop-down lists in 单位名称: the hint says so."""
    edit_cells(shipped(job_dir), "任务分工", {"B3": "县公安居"})
    message = str(load_error(job_dir))
    assert "“县公安居”在「责任单位」表的「单位名称」列中找不到（最接近的是“县公安局”）" in message
    assert "请先在「责任单位」表中添加它，或从下拉列表中选择已有的名称" in message


def test_unknown_reference_without_a_drop_down_does_not_mention_one(tmp_path: Path) -> None:
    make_job(
        tmp_path,
        REFERENCE_TABLES,
        {
            "单位": [["名称"], ["县公安局"], ["县教育局"]],
            "分工": [["任务", "单位名称"], ["宣传", "县公安司"]],
        },
    )
    error = load_error(tmp_path)
    message = str(error)
    assert "“县公安司”在「单位」表的「名称」列中找不到（最接近的是“县公安局”）" in message
    assert "下拉列表" not in message
