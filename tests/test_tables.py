"""Tests for officekit.tables: tables as lists and mappings, rows, relations both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_job

from officekit.errors import TemplateError
from officekit.job import load_job
from officekit.tables import Row, Table, closest
from officekit.values import Cell
from officekit.workbook import Workbook, load

RELATION_TABLES = """
[tables."单位"]
key = "名称"
columns = { "名称" = "文本!", "类别" = "文本!" }

[tables."任务"]
key = "编号"
columns = { "编号" = "文本!", "内容" = "文本!" }

[tables."分工"]
columns = { "任务编号" = "文本!", "单位名称" = "文本!", "职责" = "文本!" }
references = { "任务编号" = "任务", "单位名称" = "单位" }
"""

RELATION_SHEETS: dict[str, list[list[object]]] = {
    "单位": [["名称", "类别"], ["公安局", "政法"], ["教育局", "政府"], ["卫健局", "政府"]],
    "任务": [["编号", "内容"], ["T1", "打击"], ["T2", "宣传"], ["T3", "戒治"]],
    "分工": [
        ["任务编号", "单位名称", "职责"],
        ["T1", "公安局", "牵头"],
        ["T2", "教育局", "牵头"],
        ["T2", "公安局", "配合"],
        ["T3", "卫健局", "牵头"],
        ["T3", "公安局", "配合"],
    ],
}


@pytest.fixture
def related(tmp_path: Path) -> Workbook:
    return load(load_job(make_job(tmp_path, RELATION_TABLES, RELATION_SHEETS)))


@pytest.fixture
def shipped(job_dir: Path) -> Workbook:
    return load(load_job(job_dir))


# ---- Table as list -----------------------------------------------------------------------


def test_table_as_list(shipped: Workbook) -> None:
    stats = shipped.tables["统计数据"]
    assert len(stats) == 22
    assert bool(stats)
    assert stats[0].指标名称 == "破获毒品刑事案件"
    assert stats[-1].指标名称 == "戒毒药物维持治疗在治人员"
    assert [row.number for row in stats] == list(range(2, 24))
    first_three = stats[:3]
    assert isinstance(first_three, list)
    assert [str(r.指标名称) for r in first_three] == [
        "破获毒品刑事案件",
        "其中重大毒品案件",
        "抓获毒品犯罪嫌疑人",
    ]
    with pytest.raises(IndexError):
        stats[22]


def test_table_name_columns_and_repr(shipped: Workbook) -> None:
    stats = shipped.tables["统计数据"]
    assert stats.name == "统计数据"
    assert stats.columns == ["指标名称", "计量单位", "本年数", "上年数", "任务数", "类别", "备注"]
    assert repr(stats) == "Table(统计数据, 22 rows)"


def test_empty_table_is_falsy() -> None:
    table = Table("空表", ["名称"])
    assert not table
    assert len(table) == 0
    assert list(table) == []


# ---- Table as mapping --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column", "shown"),
    [
        ("破获毒品刑事案件", "本年数", "91"),
        ("缴获毒品总量", "本年数", "1164.35"),
        ("社区戒毒社区康复执行率", "任务数", "95.0%"),
        ("受教育群众", "计量单位", "万人次"),
    ],
)
def test_table_by_key(shipped: Workbook, name: str, column: str, shown: str) -> None:
    stats = shipped.tables["统计数据"]
    row = stats[name]
    assert str(row[column]) == shown
    assert getattr(stats, name) == row  # views of one row are equal
    assert stats.get(name) == row
    assert stats[Cell(name)] == row  # a Cell works as a key too


def test_keys_in_sheet_order(shipped: Workbook) -> None:
    units = shipped.tables["责任单位"]
    assert len(units.keys()) == 33
    assert units.keys()[0] == "县委政法委"
    assert units.keys()[-1] == "云岭乡"
    assert units.get("不存在的单位") is None


def test_missing_key_names_table_and_suggests(shipped: Workbook) -> None:
    stats = shipped.tables["统计数据"]
    with pytest.raises(TemplateError) as info:
        stats["破获毒品案件"]
    message = str(info.value)
    assert "「统计数据」表" in message
    assert "“破获毒品案件”" in message
    assert "「指标名称」列没有它" in message
    assert "最接近的有：破获毒品刑事案件" in message
    assert info.value.exit_code == 4


def test_missing_key_through_attribute_is_attribute_error(shipped: Workbook) -> None:
    """Probing code (hasattr, Jinja) sees AttributeError; Jinja then tries ``[name]``."""
    units = shipped.tables["责任单位"]
    assert units.县公安局 == units["县公安局"]
    assert not hasattr(units, "县公安厅")
    with pytest.raises(AttributeError):
        _ = units.县公安厅


def test_missing_key_without_close_names(shipped: Workbook) -> None:
    with pytest.raises(TemplateError) as info:
        shipped.tables["工作任务"]["ZZZZZZ"]
    assert "最接近" not in str(info.value)
    assert "请在工作簿中补上这一行，或改正模板中的名称" in str(info.value)


def test_table_private_attribute_is_attribute_error(shipped: Workbook) -> None:
    with pytest.raises(AttributeError):
        _ = shipped.tables["统计数据"]._private


def test_table_without_unique_key_refuses_lookup(shipped: Workbook) -> None:
    assignments = shipped.tables["任务分工"]
    assert assignments.key is None
    with pytest.raises(TemplateError) as info:
        assignments["T01"]
    message = str(info.value)
    assert "「任务分工」表" in message
    assert "不能按“T01”查找行" in message
    assert "{% for 行 in 任务分工 %}" in message
    assert assignments[0].任务编号 == "T01"  # still a list


def test_table_built_by_hand() -> None:
    table = Table("名单", ["姓名", "职务"])
    table.add(2, {"姓名": Cell("张三"), "职务": Cell("主任")})
    table.add(3, {"姓名": Cell("张三"), "职务": Cell("科员")})
    with pytest.raises(TemplateError, match="「名单」表的第一列有重复值"):
        table["张三"]
    table.index_by("职务")
    assert table.key == "职务"
    assert table["科员"].number == 3
    assert table.keys() == ["主任", "科员"]


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("县公安", ["县公安局", "县教育局", "云岭乡"], "最接近的有：县公安局"),
        ("abc", ["xyz"], ""),
        ("T1", [], ""),
        ("缴获毒品", ["缴获毒品总量", "其中海洛因"], "最接近的有：缴获毒品总量"),
    ],
)
def test_closest(name: str, candidates: list[str], expected: str) -> None:
    assert closest(name, candidates) == expected


# ---- Row ---------------------------------------------------------------------------------


def test_row_attribute_and_item_access(shipped: Workbook) -> None:
    row = shipped.tables["责任单位"]["县公安局"]
    assert isinstance(row, Row)
    assert row.单位名称 == "县公安局"
    assert row["单位类别"] == row.单位类别 == "政法单位"
    assert isinstance(row.单位类别, Cell)
    assert row.number == 4
    assert row.key == "县公安局"
    assert str(row) == "县公安局"
    assert repr(row) == "Row(责任单位!4)"
    assert "工作目标" in row
    assert "职责" not in row
    assert row.keys() == ["单位名称", "单位类别", "工作目标"]


def test_row_missing_column(shipped: Workbook) -> None:
    row = shipped.tables["统计数据"][0]
    with pytest.raises(KeyError):
        row["今年数"]
    with pytest.raises(AttributeError):
        _ = row.今年数
    with pytest.raises(AttributeError):
        _ = row._hidden


def test_row_without_key_prints_its_place(shipped: Workbook) -> None:
    row = shipped.tables["任务分工"][0]
    assert row.key is None
    assert str(row) == "Row(任务分工!2)"


# ---- relations ---------------------------------------------------------------------------


def test_forward_relation_gives_the_row(related: Workbook) -> None:
    assignment = related.tables["分工"][1]  # T2 教育局 牵头
    task = assignment.任务
    assert isinstance(task, Row)
    assert task == related.tables["任务"]["T2"]
    assert task.内容 == "宣传"
    unit = assignment["单位"]
    assert unit == related.tables["单位"]["教育局"]
    assert unit.类别 == "政府"


def test_reverse_relation_lists_rows(related: Workbook) -> None:
    police = related.tables["单位"]["公安局"]
    rows = police.分工
    assert isinstance(rows, list)
    assert [(str(r.任务编号), str(r.职责)) for r in rows] == [
        ("T1", "牵头"),
        ("T2", "配合"),
        ("T3", "配合"),
    ]
    assert [row.number for row in rows] == [2, 4, 6]
    assert [str(r.单位名称) for r in related.tables["任务"]["T3"].分工] == ["卫健局", "公安局"]


def test_relations_chain(related: Workbook) -> None:
    contents = [str(row.任务.内容) for row in related.tables["单位"]["公安局"].分工]
    assert contents == ["打击", "宣传", "戒治"]


def test_reverse_relation_is_empty_list_when_unused(tmp_path: Path) -> None:
    sheets = {**RELATION_SHEETS, "单位": [*RELATION_SHEETS["单位"], ["司法局", "政法"]]}
    book = load(load_job(make_job(tmp_path, RELATION_TABLES, sheets)))
    assert book.tables["单位"]["司法局"].分工 == []


def test_unrelated_name_is_missing(related: Workbook) -> None:
    task = related.tables["任务"]["T1"]
    with pytest.raises(KeyError):
        task["单位"]  # 任务 is not linked to 单位 directly
    with pytest.raises(AttributeError):
        _ = task.单位


@pytest.mark.parametrize(
    ("table", "key", "names"),
    [
        ("单位", "公安局", ["名称", "类别", "分工"]),
        ("任务", "T1", ["编号", "内容", "分工"]),
    ],
)
def test_row_names_lists_columns_and_relations(
    related: Workbook, table: str, key: str, names: list[str]
) -> None:
    assert related.tables[table][key].names() == names


def test_row_names_of_source_row(related: Workbook) -> None:
    assert related.tables["分工"][0].names() == ["任务编号", "单位名称", "职责", "任务", "单位"]


def test_shipped_relations(shipped: Workbook) -> None:
    police = shipped.tables["责任单位"]["县公安局"]
    assert police.names() == ["单位名称", "单位类别", "工作目标", "任务分工", "考核指标"]
    duties = police.任务分工
    assert duties
    assert all(row.单位名称 == "县公安局" for row in duties)
    assert len(duties) == sum(1 for row in shipped.tables["任务分工"] if row.单位名称 == "县公安局")
    assert sum(row.分值 for row in police.考核指标) == 100
    first = shipped.tables["任务分工"][0]
    assert first.工作任务 == shipped.tables["工作任务"]["T01"]
    assert first.责任单位 == police
    assert first.工作任务.任务类别 == "打击整治"


def test_related_rows_share_the_relations_object(related: Workbook) -> None:
    assert all(table.relations is related.relations for table in related.tables.values())
    assert {r.target for r in related.relations.references} == {"任务", "单位"}


def test_dump_and_restore_give_the_same_rows() -> None:
    """What a cache or the read-ahead helper stores comes back row for row, formats
    shared again, with nothing copied per row."""
    import pickle

    table = Table("单位", ["名称", "分值"])
    table.add_values(2, ["甲", 10], ["General", "0"])
    table.add_values(3, ["乙", None], ["General", "0"])
    table.add(5, {"名称": Cell("丙"), "备注": Cell("新列")})  # a column the others lack
    pieces = pickle.loads(pickle.dumps(list(table.dump())))
    again = Table.restore("单位", list(table._index), pieces)
    assert [again.row_text(i) for i in range(3)] == [table.row_text(i) for i in range(3)]
    assert [r.number for r in again] == [2, 3, 5]
    assert again[2].raw("备注") == "新列" and "备注" not in again[0]
    assert again[0]._i == 0 and again.rows[0].cell("分值").number_format == "0"
    assert again._row_formats[0] is again._row_formats[1]  # one tuple for rows alike
    empty = Table.restore("空", ["名称"], list(Table("空", ["名称"]).dump()))
    assert len(empty) == 0 and list(empty) == []
    with pytest.raises(ValueError):
        Table.restore("单位", ["名称"], list(table.dump()))  # three columns for one
