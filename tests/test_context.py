"""Tests for officekit.context: the variables each document sees."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from officekit.context import base_variables, document_contexts, serial
from officekit.job import DocumentSpec, load_job
from officekit.tables import _MISSING, Row, Table
from officekit.workbook import Workbook, load


@pytest.fixture
def shipped(job_dir: Path) -> Workbook:
    return load(load_job(job_dir))


def spec(each: str | None = None, as_name: str | None = None) -> DocumentSpec:
    return DocumentSpec(
        name="文档",
        template=Path("t.docx"),
        output="{{ 编号 }}",
        each=each,
        as_name=as_name,
    )


def make_job(folder: Path, count: int) -> Path:
    """A tiny job whose 名单 sheet has ``count`` people and whose 基本信息 has one variable."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "officekit.toml").write_text(
        '[job]\nworkbook = "data.xlsx"\n[variables]\nsheet = "基本信息"\n'
        '[tables."名单"]\nkey = "姓名"\ncolumns = { "姓名" = "文本!", "得分" = "整数!" }\n'
        '[[documents]]\nname = "通知"\ntemplate = "通知.docx"\neach = "名单"\n',
        encoding="utf-8",
    )
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本信息"
    info.append(["项目", "内容"])
    info.append(["县名", "青禾县"])
    people = wb.create_sheet("名单")
    people.append(["姓名", "得分"])
    for i in range(1, count + 1):
        people.append([f"人员{i}", i])
    wb.save(folder / "data.xlsx")
    return folder


# ---- serial ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "count", "expected"),
    [
        (1, 1, "01"),
        (1, 9, "01"),
        (9, 33, "09"),
        (10, 33, "10"),
        (33, 33, "33"),
        (99, 99, "99"),
        (1, 100, "001"),
        (42, 100, "042"),
        (100, 100, "100"),
        (7, 999, "007"),
        (7, 1000, "0007"),
    ],
)
def test_serial(index: int, count: int, expected: str) -> None:
    assert serial(index, count) == expected


# ---- single document ---------------------------------------------------------------------


def test_base_variables_hold_variables_and_tables(shipped: Workbook) -> None:
    variables = base_variables(shipped)
    assert str(variables["县名"]) == "青禾县"
    assert str(variables["会议日期"]) == "2026年3月5日"
    for name in ["统计数据", "责任单位", "工作任务", "任务分工", "考核指标"]:
        assert isinstance(variables[name], Table)
        assert variables[name] is shipped.tables[name]
    assert "说明" not in variables
    assert "基本信息" not in variables
    assert len(variables) == len(shipped.variables) + len(shipped.tables)


def test_base_variables_are_a_copy(shipped: Workbook) -> None:
    variables = base_variables(shipped)
    variables["县名"] = "别的县"
    assert shipped.variables["县名"] == "青禾县"


def test_single_document_context(shipped: Workbook) -> None:
    (context,) = document_contexts(spec(), shipped)
    assert context.row is None
    assert context.index == 1
    assert context.variables["县名"] == "青禾县"
    assert context.variables["统计数据"]["破获毒品刑事案件"].本年数 == 91
    assert "编号" not in context.variables
    assert "单位名称" not in context.variables


def test_shipped_speech_context(job_dir: Path, shipped: Workbook) -> None:
    speech = load_job(job_dir).documents[0]
    (context,) = document_contexts(speech, shipped)
    assert context.variables == base_variables(shipped)


# ---- one document per row ----------------------------------------------------------------


def test_one_context_per_row(job_dir: Path, shipped: Workbook) -> None:
    letters = load_job(job_dir).documents[1]
    contexts = document_contexts(letters, shipped)
    units = shipped.tables["责任单位"]
    assert len(contexts) == 33
    assert [c.index for c in contexts] == list(range(1, 34))
    assert [c.row for c in contexts] == list(units)
    assert [c.variables["编号"] for c in contexts[:3]] == ["01", "02", "03"]
    assert contexts[-1].variables["编号"] == "33"


def test_row_columns_at_top_level_and_row_under_as_name(job_dir: Path, shipped: Workbook) -> None:
    letters = load_job(job_dir).documents[1]
    contexts = document_contexts(letters, shipped)
    police = contexts[2]
    assert police.variables["单位"] == police.row
    assert isinstance(police.row, Row)
    assert police.variables["单位名称"] == "县公安局"
    top, own = police.variables["单位名称"], police.row.cells["单位名称"]
    assert (top.raw, top.number_format, top.place) == (own.raw, own.number_format, own.place)
    assert top.place == "「责任单位」表 A4"
    assert police.variables["单位类别"] == "政法单位"
    assert str(police.variables["工作目标"]).startswith("全年破获毒品刑事案件不少于90起")
    assert police.variables["县名"] == "青禾县"  # base variables still there
    assert police.variables["责任单位"] is shipped.tables["责任单位"]
    assert sum(r.分值 for r in police.variables["单位"].考核指标) == 100


def test_a_context_looks_up_each_name_as_its_variables_have_it(shipped: Workbook) -> None:
    """``ctx[name]`` (a file name's fields, without building every variable) is
    ``ctx.variables[name]`` for every name: the row under its name, 编号, the row's
    columns before the workbook's names, and a missing name is a KeyError."""
    for ctx in document_contexts(spec(each="责任单位", as_name="单位"), shipped)[:3]:
        variables = ctx.variables
        for name, value in variables.items():
            assert ctx[name] == value, name
        with pytest.raises(KeyError):
            ctx["没有这个名称"]
    single = document_contexts(spec(), shipped)[0]
    assert single["县名"] == single.variables["县名"]


def test_values_of_a_name_are_each_context_lookup(shipped: Workbook) -> None:
    """``contexts.values(name)`` (a file name's field for every letter at once) is
    ``[ctx[name] for ctx in contexts]``: 编号, the row, a column, a column with empty
    cells (then the workbook's name), a workbook name; a missing name is a KeyError."""
    from officekit.values import Cell

    contexts = document_contexts(spec(each="责任单位", as_name="单位"), shipped)
    table = shipped.tables["责任单位"]
    table._data[table._index["工作目标"]][1] = _MISSING  # an empty cell
    contexts.base["工作目标"] = Cell("（见附件）")
    for name in ("编号", "单位", "单位名称", "单位类别", "工作目标", "县名", "考核指标"):
        assert contexts.values(name) == [ctx[name] for ctx in contexts], name
    assert contexts.values("工作目标")[1] == Cell("（见附件）")
    with pytest.raises(KeyError):
        contexts.values("没有这个名称")


def test_names_made_at_once_are_the_names_made_one_by_one(shipped: Workbook) -> None:
    from officekit.errors import TemplateError
    from officekit.render import make_environment, render_name

    contexts = document_contexts(spec(each="责任单位", as_name="单位"), shipped)
    for pattern in (
        "责任书/{{ 编号 }}-{{ 单位名称 }}",
        "{{ 县名 }}/{{ 单位类别 }}/{{ 单位名称 }}（{{ 编号 }}）",
        "{{ 单位名称|string }}",  # a filter: one by one, through Jinja
    ):
        name_of = render_name(make_environment(), pattern)
        assert name_of.many(contexts) == [name_of(ctx) for ctx in contexts], pattern
    with pytest.raises(TemplateError) as info:  # said as one by one says it
        render_name(make_environment(), "{{ 单位名 }}").many(contexts)
    assert "单位名" in info.value.message


def test_row_contexts_index_like_items_of_a_table(shipped: Workbook, tmp_path: Path) -> None:
    """A per-row document's contexts and items are made when asked for; their indices
    are known without making them (1, 2, 3 … in row order)."""
    from officekit import generate

    contexts = document_contexts(spec(each="责任单位", as_name="单位"), shipped)
    items = generate.Items(contexts, [f"{n}.docx" for n in range(len(contexts))], tmp_path)
    assert list(items.indices) == [item.index for item in items] == list(range(1, 34))
    assert [c.index for c in contexts[-2:]] == [32, 33] and contexts[-1] == contexts[32]
    with pytest.raises(IndexError):
        contexts[33]


def test_contexts_do_not_share_variables(shipped: Workbook) -> None:
    contexts = document_contexts(spec(each="责任单位", as_name="单位"), shipped)
    assert contexts[0].variables is not contexts[1].variables
    assert contexts[0].variables["单位名称"] == "县委政法委"
    assert contexts[1].variables["单位名称"] == "县委宣传部"
    contexts[0].variables["县名"] = "改过的"
    assert contexts[1].variables["县名"] == "青禾县"


def test_row_name_defaults_to_行(shipped: Workbook) -> None:
    contexts = document_contexts(spec(each="工作任务"), shipped)
    assert len(contexts) == 26
    assert contexts[0].variables["行"].任务编号 == "T01"
    assert contexts[0].variables["任务编号"] == "T01"
    assert contexts[25].variables["编号"] == "26"


@pytest.mark.parametrize(
    ("count", "first", "last"),
    [(1, "01", "01"), (9, "01", "09"), (99, "01", "99"), (100, "001", "100"), (120, "001", "120")],
)
def test_serial_width_follows_row_count(tmp_path: Path, count: int, first: str, last: str) -> None:
    job = load_job(make_job(tmp_path, count))
    contexts = document_contexts(job.documents[0], load(job))
    assert len(contexts) == count
    assert contexts[0].variables["编号"] == first
    assert contexts[-1].variables["编号"] == last
    assert contexts[-1].variables["姓名"] == f"人员{count}"
    assert contexts[-1].variables["行"].得分 == count
    assert contexts[-1].variables["县名"] == "青禾县"
