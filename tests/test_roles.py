"""officekit.gongwen.roles, the shape of a line of plain text: speech titles and bare
headings (a series of siblings of one form). Lines are written for the tests."""

from __future__ import annotations

import pytest

from officekit.gongwen.roles import (
    bare_headings,
    is_bare_heading_shape,
    is_speech_title,
    same_form,
)


@pytest.mark.parametrize(
    "text",
    [
        "在全镇禁毒工作推进会上的讲话",
        "在禁毒工作会议上的领导讲话",
        "禁毒工作讲话",
        "乡镇禁毒工作会议讲话稿",
        "李某同志在全区禁毒委员会全体会议上的讲话",
        "在“6·26”国际禁毒日宣传活动中的致辞",
    ],
)
def test_speech_titles(text: str) -> None:
    assert is_speech_title(text)


@pytest.mark.parametrize(
    "text",
    [
        "同志们：",
        "一、在全镇禁毒工作会议上的讲话要点",
        "刚才，王某同志在会议上的讲话，我完全同意。",
        "认识要再提高",
        "自建平台、实时分享",
    ],
)
def test_not_speech_titles(text: str) -> None:
    assert not is_speech_title(text)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("认识要再提高", True),
        ("认清形势", True),
        ("一、认清形势", False),
        ("一是加强排查", False),
        ("第一，抓宣传", False),
        ("毒品问题是全社会的公害。", False),
        ("附件1", False),
        ("各位领导、同志们：", False),
        ("这一行有二十六个字这一行有二十六个字这一行有二十六个字", False),
    ],
)
def test_bare_heading_shape(text: str, shape: bool) -> None:
    assert is_bare_heading_shape(text) is shape


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("认识要再提高", "措施要再有力", True),  # the frame "要再"
        ("思想认识要再深化", "基层基础要再夯实", True),
        ("认清形势", "突出重点", True),  # phrases of one length
        ("坚持问题导向不动摇", "坚持综合治理不放松", True),
        ("认清形势", "全面加强禁毒队伍的专业能力建设", False),
        ("几点体会", "措施要再有力", False),
    ],
)
def test_same_form(a: str, b: str, same: bool) -> None:
    assert same_form(a, b) is same


def test_bare_headings_need_siblings_and_body_text_after_them() -> None:
    texts = [
        "今天召开会议，我讲三点意见。",
        "认识要再提高",  # 1: heading
        "毒品问题是全社会的公害，要常抓不懈。",
        "措施要再有力",  # 3: heading, followed by a numbered sub-heading
        "（一）强化打击。要持续开展严打整治。",
        "宁可少睡几小时",  # 5: two short lines of a couplet: not followed by body
        "也要多跑几个村",  # 6: followed by body, but its sibling is not a heading
        "各村要落实包户责任。",
        "责任要再压实",  # 8: heading
        "各乡镇要担负起属地责任。",
        "一句话总结",  # 10: a stray short line, no sibling of its form
        "要抓好落实。",
    ]
    assert bare_headings(texts) == {1, 3, 8}
