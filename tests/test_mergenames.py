"""What a mail-merge field's name means in the workbook (officekit.mergenames)."""

from __future__ import annotations

import jinja2
import pytest

from officekit.mergenames import (
    Names,
    document_expression,
    find,
    literal,
    normal,
    repeat_source,
    row_expression,
)

NAMES = Names(
    items=("县名", "会议日期"),
    row="单位",
    table="责任单位",
    columns=("单位名称", "单位 类别", "Code"),
    single=(("片区", ("片区名称",)),),
    many=(("考核指标", ("单位名称", "考核内容", "分值")), ("任务分工", ("任务编号", "职责"))),
    tables=(("统计数据", ("指标名称", "本年数")),),
)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("单位名称", "单位名称"),
        ("单位_类别", "单位 类别"),  # Word writes a header's space as an underscore
        ("单位类别", "单位 类别"),
        ("ＣＯＤＥ", "Code"),  # full-width, other case
        ("code", "Code"),
        ("单位", None),
    ],
)
def test_find(written: str, meant: str | None) -> None:
    assert find(written, NAMES.columns) == meant


def test_normal_folds_what_clerks_mix_up() -> None:
    assert normal(" Ｕｎｉｔ_Ｎａｍｅ　") == normal("unit name") == "unitname"


@pytest.mark.parametrize(
    ("written", "expression"),
    [
        ("单位名称", "单位名称"),
        ("单位_类别", '单位["单位 类别"]'),
        ("县名", "县名"),
        ("片区名称", '单位["片区"]["片区名称"]'),
        ("编号", "编号"),
        ("考核内容", None),
    ],
)
def test_document_expression(written: str, expression: str | None) -> None:
    assert document_expression(written, NAMES) == expression


def test_names_as_written_without_a_workbook() -> None:
    assert document_expression("单位名称", None) == "单位名称"
    assert document_expression("单位 类别", None) == '"单位 类别"|合并域取值'


def test_repeat_source_prefers_the_rows_related_to_the_document() -> None:
    source = repeat_source(["考核内容", "分值", "序号"], NAMES)
    assert source is not None and source[0] == '单位["考核指标"]' and source[2] == "考核指标"
    assert row_expression("分值", source[1]) == '合并行["分值"]'
    assert row_expression("序号", source[1]) == "loop.index"
    assert repeat_source(["本年数"], NAMES)[2] == "统计数据"  # type: ignore[index]
    assert repeat_source(["没有"], NAMES) is None


@pytest.mark.parametrize("text", ['a"b', "a'b\\c", "{{ x }}", "<&>", "（一）%#", "行\n二"])
def test_literal_is_read_back_by_jinja_as_the_text(text: str) -> None:
    lit = literal(text)
    assert not any(c in lit[1:-1] for c in "\"'{}%#<>&\n")
    assert jinja2.Environment().from_string("{{ " + lit + " }}").render() == text
