"""officekit.gongwen.report: long lines are cut to the part a change touched."""

from __future__ import annotations

from officekit.gongwen.report import COSMETIC, excerpt


def test_short_lines_are_shown_whole() -> None:
    assert excerpt("(一)认清形势", "（一）认清形势") == ("(一)认清形势", "（一）认清形势")


def test_long_lines_are_cut_around_the_change() -> None:
    head = "甲" * 40
    tail = "乙" * 40
    before, after = excerpt(head + "责任,会上" + tail, head + "责任，会上" + tail, context=4)
    assert (before, after) == ("……甲甲责任,会上乙乙……", "……甲甲责任，会上乙乙……")


def test_a_change_at_the_start_keeps_no_leading_mark() -> None:
    text = "正" * 50
    before, after = excerpt("　　" + text, text, context=4)
    assert before == "　　正正正正……" and after == "正正正正……"


def test_removals_are_not_cosmetic() -> None:
    for kind in (
        "删除广告行",
        "删除网站简介",
        "删除合集标记",
        "删除标题前内容",
        "删除相关文章链接",
    ):
        assert kind not in COSMETIC
    assert "合并断行" in COSMETIC
