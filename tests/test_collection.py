"""officekit.gongwen.collection: markers wherever they stand, one form counting up from 1.
Lines are written for the tests."""

from __future__ import annotations

import pytest

from officekit.gongwen.clean import Line, tidy
from officekit.gongwen.collection import Marker, leading_marker, marker, split_speeches


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("【篇一】", Marker("bracket", 1, "")),
        ("【第二篇】", Marker("bracket", 2, "")),
        ("【范文3】", Marker("bracket", 3, "")),
        ("【2】在全乡禁毒工作会议上的讲话", Marker("bracket", 2, "在全乡禁毒工作会议上的讲话")),
        ("在禁毒工作会议上的领导讲话【篇一】", Marker("bracket", 1, "在禁毒工作会议上的领导讲话")),
        ("乡镇禁毒讲话【12】", Marker("bracket", 12, "乡镇禁毒讲话")),
        ("篇二：在全乡禁毒会议上的讲话", Marker("pian", 2, "在全乡禁毒会议上的讲话")),
        ("禁毒会议讲话篇三", Marker("pian", 3, "禁毒会议讲话")),
        ("第1篇", Marker("pian", 1, "")),
        ("范文一：在全县禁毒会议上的讲话", Marker("fanwen", 1, "在全县禁毒会议上的讲话")),
        ("禁毒工作讲话范文2", Marker("fanwen", 2, "禁毒工作讲话")),
        ("在全乡禁毒会议上的讲话（2）", Marker("paren", 2, "在全乡禁毒会议上的讲话")),
        ("(3)", Marker("paren", 3, "")),
        ("禁毒工作讲话稿4", Marker("word", 4, "禁毒工作讲话稿")),
    ],
)
def test_marker_forms(text: str, found: Marker) -> None:
    assert marker(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "（1）定期通报。每季度通报一次。",  # a level-4 heading
        "（一）强化源头管控",  # a level-2 heading
        "第一篇章要写好。",
        "（2026年3月5日）",
        "全年破获毒品案件12起，同比增长20%（2）。",
        "标题",
    ],
)
def test_not_markers(text: str) -> None:
    assert marker(text) is None


def test_leading_marker() -> None:
    assert leading_marker("【篇一】下面是小编整理的讲话。") == "【篇一】"
    assert leading_marker("篇二：在全乡禁毒会议上的讲话") == "篇二："
    assert leading_marker("（1）定期通报。") == ""
    assert leading_marker("在全乡禁毒会议上的讲话【篇一】下面是小编整理的讲话。") == (
        "在全乡禁毒会议上的讲话【篇一】"
    )
    assert leading_marker("……供大家阅读参考。讲话【1】同志们：……") == ""


def _lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


def test_markers_at_the_end_of_title_lines_after_the_quote_mark() -> None:
    lines = tidy(
        [
            "乡镇禁毒讲话稿两篇",
            "> 在全乡禁毒工作会议上的领导讲话【篇一】",
            "同志们：",
            "今天开会。",
            "> 禁毒宣传讲话【篇二】",
            "在全乡禁毒宣传月启动仪式上的讲话",
            "同志们：",
            "宣传月今天启动。",
        ]
    ).lines
    speeches, changes = split_speeches(lines)
    assert [[line.text for line in s] for s in speeches] == [
        ["在全乡禁毒工作会议上的领导讲话", "同志们：", "今天开会。"],
        ["禁毒宣传讲话", "在全乡禁毒宣传月启动仪式上的讲话", "同志们：", "宣传月今天启动。"],
    ]
    assert [(c.line, c.kind, c.after) for c in changes] == [
        (1, "删除合集开头", ""),
        (2, "删除合集标记", "在全乡禁毒工作会议上的领导讲话"),
        (5, "删除合集标记", "禁毒宣传讲话"),
    ]


def test_one_form_counts_the_speeches_others_are_text() -> None:
    lines = _lines(
        "禁毒工作讲话【1】",
        "同志们：",
        "在全乡禁毒会议上的讲话（3）",  # another form, out of count: ordinary text
        "今天开会。",
        "禁毒工作讲话【2】",
        "同志们：",
        "今天再开会。",
    )
    speeches, _ = split_speeches(lines)
    assert [s[0].text for s in speeches] == ["禁毒工作讲话", "禁毒工作讲话"]
    assert speeches[0][2].text == "在全乡禁毒会议上的讲话（3）"
