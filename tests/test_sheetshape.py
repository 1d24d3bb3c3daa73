"""Tests for officekit.sheetshape: which rows are the header, title, totals and notes."""

from __future__ import annotations

from typing import Any

import pytest

from officekit.sheetshape import (
    DATA,
    NOTE,
    STRAY,
    TOTAL,
    Shape,
    Tail,
    Total,
    describe,
    is_note,
    read_head,
    skipped,
    total_label,
)


def _rows(*rows: list[Any], first: int = 1) -> list[tuple[int, list[Any], list[str]]]:
    return [(first + i, list(r), ["General"] * len(r)) for i, r in enumerate(rows) if any(r)]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("合计", "合计"),
        ("合　计", "合计"),
        ("合 计：", "合计"),
        ("总计", "总计"),
        ("小计", "小计"),
        ("全县合计", "全县合计"),
        ("汇总", "汇总"),
        ("合计数偏高的原因分析说明", None),
        ("破获毒品刑事案件", None),
        ("计划", None),
        (12, None),
        (None, None),
    ],
)
def test_total_label(text: Any, label: str | None) -> None:
    assert total_label(text) == label


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("注：本表数据截至年底", True),
        ("注1：含于上一行", True),
        ("说明：", True),
        ("填表人：王晓明", True),
        ("审核人：李建国", True),
        ("填表日期：2026年1月5日", True),
        ("制表：县禁毒办", True),
        ("联系电话：0000-1234567", True),
        ("联系人", False),  # an item of the variables sheet
        ("负责人", False),
        ("填表人王晓明", False),
        ("注射吸毒人员", False),
        ("说明书印制", False),
        ("备注", False),  # a column name, not a note line
        (3, False),
    ],
)
def test_is_note(text: Any, note: bool) -> None:
    assert is_note(text) is note


def _head(rows: list, wanted: list[str]):  # noqa: ANN202
    head, rest = read_head(iter(rows), wanted)
    return head, list(rest)


def test_header_in_row_1() -> None:
    head, rest = _head(_rows(["名称", "数量"], ["甲", 1]), ["名称", "数量"])
    assert head.rows == (1,) and head.title == ()
    assert [c.name for c in head.columns] == ["名称", "数量"] and [r[0] for r in rest] == [2]


def test_title_and_report_line_above_the_header() -> None:
    rows = _rows(
        ["2025年统计表"], ["填报单位：县禁毒办", None, "单位：人"], ["名称", "数量"], ["甲", 1]
    )
    head, rest = _head(rows, ["名称", "数量"])
    assert head.rows == (3,)
    assert head.title == ((1, "2025年统计表"), (2, "填报单位：县禁毒办\u3000单位：人"))
    assert [r[0] for r in rest] == [4]


def test_without_declared_columns_title_lines_are_skipped() -> None:
    head, _ = _head(_rows(["2025年统计表"], ["名称", "数量"], ["甲", 1]), [])
    assert head.rows == (2,) and [c.name for c in head.columns] == ["名称", "数量"]


def test_a_header_matching_nothing_stays_the_first_row_that_is_not_a_title() -> None:
    head, _ = _head(_rows(["统计表"], ["甲", "乙"], ["1", "2"]), ["名称"])
    assert head.rows == (2,)


def test_units_in_headers() -> None:
    head, _ = _head(
        _rows(["品种", "缴获毒品（克）", "金额(单位：万元)"]), ["品种", "缴获毒品", "金额"]
    )
    assert [(c.name, c.shown, c.unit) for c in head.columns] == [
        ("品种", "品种", ""),
        ("缴获毒品", "缴获毒品（克）", "克"),
        ("金额", "金额(单位：万元)", "万元"),
    ]


def test_a_declared_name_with_its_unit_matches_as_written() -> None:
    head, _ = _head(_rows(["品种", "缴获毒品（克）"]), ["缴获毒品（克）"])
    assert head.columns[1].name == "缴获毒品（克）" and head.columns[1].unit == ""


def test_a_data_row_under_the_header_is_not_taken_for_a_band() -> None:
    rows = _rows(["名称", "本年", "上年"], ["甲", None, 3], ["乙", 1, 2])
    head, rest = _head(rows, ["名称", "本年", "上年"])
    assert head.rows == (1,) and [r[0] for r in rest] == [2, 3]


def test_excel_placeholder_headers_are_blank() -> None:
    head, _ = _head(_rows(["名称", "列1", "数量"]), ["名称", "数量"])
    assert [c.number for c in head.columns] == [1, 3]
    assert skipped(head.columns) == (2,)


def test_tail_sorts_the_rows_after_the_header() -> None:
    tail = Tail(first_column=1, header_row=1)
    kinds = [
        tail.kind(2, ["甲", 1])[0],
        tail.kind(3, ["合计", 1])[0],
        tail.kind(5, [None, None, "县禁毒办（盖章）"])[0],  # after a blank row
        tail.kind(6, ["2026年1月5日"])[0],
        tail.kind(7, ["乙", 2])[0],
    ]
    assert kinds == [DATA, TOTAL, NOTE, NOTE, STRAY]


def test_a_lone_text_right_under_the_data_is_data() -> None:
    tail = Tail(first_column=1, header_row=1)
    assert tail.kind(2, [None, "起"]) == (DATA, 2)
    assert tail.loose(2, [None, "起"])


def test_shape_round_trips_as_plain_values() -> None:
    shape = Shape(
        (3, 4),
        ((1, "标题"),),
        (Total(30, "合计", {"数量": (3, "0")}),),
        ((31, "注：无"),),
        {"数量": "起"},
        {"数量": "2025年·数量"},
        (2,),
        0,
    )
    assert Shape.restore(shape.dump()) == shape
    assert not shape.plain and Shape().plain


def test_describe() -> None:
    shape = Shape(
        (3, 4), ((1, "2025年统计表"), (2, "填报单位")), (Total(9, "合计", {}),), ((11, "注：无"),)
    )
    assert describe("数据", shape, [5, 6, 8]) == (
        "「数据」表：表头第 3–4 行（两行表头）；标题第 1–2 行（“2025年统计表”）；"
        "数据 3 行（第 5–8 行）；合计行第 9 行（不当作数据，已与各列之和核对）；"
        "表尾说明第 11 行（“注：无”）。"
    )
