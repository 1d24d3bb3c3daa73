"""officekit.gongwen.structure: roles of a speech's lines, every heading form of
real-speech-patterns.md, run-in headings and collections. Speeches are written for the
tests (no real speech is copied)."""

from __future__ import annotations

import pytest

from officekit.gongwen.clean import Line, clean, tidy
from officekit.gongwen.structure import (
    Block,
    classify,
    drop_heading_stops,
    front_matter,
    split_ordinal,
    split_run_in,
    split_speeches,
    title_index,
)


def roles(raw: list[str]) -> list[tuple[str, str, str]]:
    """(role, heading, text) of each block after cleaning."""
    return [(b.role, b.heading, b.text) for b in classify(clean(raw).lines).blocks]


NUMBERED = [
    "在全县禁毒工作会议上的讲话",
    "县委副书记、县长　李明",
    "（2026年3月5日）",
    "同志们：",
    "　　今天召开全县禁毒工作会议，刚才，王强同志通报了去年工作情况，我完全同意。下面，我讲三点意见。",
    "一、认识要深",
    "　　去年全县共破获毒品案件91起，同比增长13.8%。",
    "（一）进一步落实责任。落实各级党委政府主体责任，做到守土有责。",
    "(二)强化源头管控",
    "　　一是加强排查。二是加强打击。三是加强宣传。",
    "　　一要提高站位。二要压实责任。",
    "　　要统筹抓好几件事。第一，抓宣传；第二，抓打击；第三，抓管控。",
    "1.完善调度机制。每月召开一次调度会。",
    "2、健全考核办法",
    "3．强化结果运用",
    "（1）定期通报。每季度通报一次排名。",
    "> 二、科学研判形势，充分认识禁毒工作的长期性和复杂性",
    "　　当前，毒品问题仍处于多发高发态势。",
    ">三、措施要实",
    "　　要把各项措施落到实处。",
    "同志们，禁毒工作任重道远，让我们共同努力。",
    "谢谢大家！",
]


def test_numbered_speech() -> None:
    assert roles(NUMBERED) == [
        ("title", "", "在全县禁毒工作会议上的讲话"),
        ("byline", "", "县委副书记、县长　李明"),
        ("byline", "", "（2026年3月5日）"),
        ("greeting", "", "同志们："),
        (
            "body",
            "",
            "今天召开全县禁毒工作会议，刚才，王强同志通报了去年工作情况，我完全同意。下面，我讲三点意见。",
        ),
        ("h1", "一、认识要深", ""),
        ("body", "", "去年全县共破获毒品案件91起，同比增长13.8%。"),
        ("h2", "（一）进一步落实责任。", "落实各级党委政府主体责任，做到守土有责。"),
        ("h2", "（二）强化源头管控", ""),
        ("body", "", "一是加强排查。二是加强打击。三是加强宣传。"),
        ("body", "", "一要提高站位。二要压实责任。"),
        ("body", "", "要统筹抓好几件事。第一，抓宣传；第二，抓打击；第三，抓管控。"),
        ("h3", "1.完善调度机制。", "每月召开一次调度会。"),
        ("h3", "2、健全考核办法", ""),
        ("h3", "3．强化结果运用", ""),
        ("h4", "（1）定期通报。", "每季度通报一次排名。"),
        ("h1", "二、科学研判形势，充分认识禁毒工作的长期性和复杂性", ""),
        ("body", "", "当前，毒品问题仍处于多发高发态势。"),
        ("h1", "三、措施要实", ""),
        ("body", "", "要把各项措施落到实处。"),
        ("closing", "", "同志们，禁毒工作任重道远，让我们共同努力。"),
        ("closing", "", "谢谢大家！"),
    ]


def test_block_line_numbers_are_those_of_the_input() -> None:
    blocks = classify(clean(NUMBERED).lines).blocks
    assert [b.line for b in blocks] == list(range(1, len(NUMBERED) + 1))
    run_in = blocks[7]
    assert (
        run_in.run_in
        and run_in.full_text == "（一）进一步落实责任。落实各级党委政府主体责任，做到守土有责。"
    )
    assert not blocks[5].run_in


def test_half_width_h2_is_normalised_and_reported() -> None:
    changes = [c for c in clean(NUMBERED).changes if c.line == 9]
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("全角标点", "(二)强化源头管控", "（二）强化源头管控")
    ]


BARE = [
    "在全市禁毒工作会议上的讲话",
    "同志们：",
    "　　这次会议的主要任务是部署今年禁毒工作。下面，我讲四点意见。",
    "认识要再提高",
    "　　禁毒工作事关人民群众身体健康。",
    "（一）认清严峻形势。境外毒源地对我市渗透不断加剧。",
    "（二）把握工作规律",
    "　　要坚持问题导向。",
    "措施要再有力",
    "　　要持续开展严打整治行动。",
    "责任要再压实",
    "　　各乡镇要切实担负起属地责任。",
    "同志们，禁毒工作使命光荣，让我们携手努力。",
]


def test_bare_level_one_headings() -> None:
    assert roles(BARE) == [
        ("title", "", "在全市禁毒工作会议上的讲话"),
        ("greeting", "", "同志们："),
        ("body", "", "这次会议的主要任务是部署今年禁毒工作。下面，我讲四点意见。"),
        ("h1", "认识要再提高", ""),
        ("body", "", "禁毒工作事关人民群众身体健康。"),
        ("h2", "（一）认清严峻形势。", "境外毒源地对我市渗透不断加剧。"),
        ("h2", "（二）把握工作规律", ""),
        ("body", "", "要坚持问题导向。"),
        ("h1", "措施要再有力", ""),
        ("body", "", "要持续开展严打整治行动。"),
        ("h1", "责任要再压实", ""),
        ("body", "", "各乡镇要切实担负起属地责任。"),
        ("closing", "", "同志们，禁毒工作使命光荣，让我们携手努力。"),
    ]


def test_one_short_line_alone_is_not_a_heading() -> None:
    raw = [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "　　今天开会。",
        "一句短话",
        "　　要抓好落实。",
    ]
    assert [r[0] for r in roles(raw)] == ["title", "greeting", "body", "body", "body"]


def test_short_unpunctuated_line_in_a_numbered_speech_stays_body_with_a_note() -> None:
    raw = [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "　　今天开会。",
        "一、认清形势",
        "几点体会",
        "　　要抓好。",
    ]
    speech = classify(clean(raw).lines)
    assert [b.role for b in speech.blocks] == ["title", "greeting", "body", "h1", "body", "body"]
    assert [(n.line, n.kind, n.text) for n in speech.notes] == [(5, "疑似标题", "几点体会")]


ORDINAL = [
    "王某同志在全区禁毒工作会议上的讲话",
    "同志们：",
    "　　刚才，区禁毒办通报了去年工作情况，我完全同意。下面，我讲三点意见。",
    "第一，要打好禁毒人民战争攻坚战。去年以来，全区上下齐心协力，禁毒工作取得明显成效。",
    "（一）打击成效明显。全年共破获毒品案件45起。",
    "　　一是源头管控有力。二是宣传覆盖面广。",
    "第二，要以更加有力的举措推进禁毒重点整治工作，坚决遏制毒品问题蔓延势头，确保整治取得实效。各单位要抓好落实。",
    "第三，要强化责任落实",
    "　　各部门要按照责任分工抓好落实。",
]


def test_ordinal_level_one_run_in() -> None:
    assert roles(ORDINAL) == [
        ("title", "", "王某同志在全区禁毒工作会议上的讲话"),
        ("greeting", "", "同志们："),
        ("body", "", "刚才，区禁毒办通报了去年工作情况，我完全同意。下面，我讲三点意见。"),
        (
            "h1",
            "第一，要打好禁毒人民战争攻坚战。",
            "去年以来，全区上下齐心协力，禁毒工作取得明显成效。",
        ),
        ("h2", "（一）打击成效明显。", "全年共破获毒品案件45起。"),
        ("body", "", "一是源头管控有力。二是宣传覆盖面广。"),
        # The first sentence is long: the heading is the first clause after "第二，".
        (
            "h1",
            "第二，要以更加有力的举措推进禁毒重点整治工作，",
            "坚决遏制毒品问题蔓延势头，确保整治取得实效。各单位要抓好落实。",
        ),
        ("h1", "第三，要强化责任落实", ""),
        ("body", "", "各部门要按照责任分工抓好落实。"),
    ]


def test_ordinal_paragraphs_in_a_numbered_speech_are_body() -> None:
    raw = [
        "在全县禁毒工作会议上的讲话",
        "同志们：",
        "　　下面，我讲两点意见。",
        "一、认清形势",
        "第一，打击成效明显。全年破获案件91起。",
        "第二，管控水平提升。",
        "二、突出重点",
    ]
    assert [r[0] for r in roles(raw)] == ["title", "greeting", "body", "h1", "body", "body", "h1"]


def test_ordinal_sequence_that_restarts_is_an_enumeration() -> None:
    raw = [
        "在全县禁毒工作会议上的讲话",
        "　　下面，我讲两点意见。",
        "（一）关于形势",
        "第一，成效明显。",
        "第二，问题突出。",
        "（二）关于任务",
        "第一，加强打击。",
        "第二，加强管控。",
    ]
    assert [r[0] for r in roles(raw)] == [
        "title",
        "body",
        "h2",
        "body",
        "body",
        "h2",
        "body",
        "body",
    ]


def test_ordinal_after_a_level_two_heading_is_not_level_one() -> None:
    raw = [
        "在全县禁毒工作会议上的讲话",
        "　　开场。",
        "（一）关于形势",
        "第一，成效明显。",
        "第二，问题突出。",
    ]
    assert [r[0] for r in roles(raw)] == ["title", "body", "h2", "body", "body"]


@pytest.mark.parametrize(
    ("text", "heading", "rest"),
    [
        ("（一）进一步落实责任。落实各级责任。", "（一）进一步落实责任。", "落实各级责任。"),
        ("（一）进一步落实责任。", "（一）进一步落实责任。", ""),
        ("（二）强化管控", "（二）强化管控", ""),
        ("（三）把好“入口关”。严格审批。", "（三）把好“入口关”。", "严格审批。"),
        ("（四）谁来管？各部门共同管。", "（四）谁来管？", "各部门共同管。"),
    ],
)
def test_split_run_in(text: str, heading: str, rest: str) -> None:
    assert split_run_in(text) == (heading, rest)


def test_split_ordinal_short_and_long() -> None:
    assert split_ordinal("第一，要认清形势。当前毒情复杂。") == (
        "第一，要认清形势。",
        "当前毒情复杂。",
    )
    long = "第一，要打好禁毒人民战争攻坚战，" + "持续深化各项整治行动并" * 3 + "。余下的话。"
    heading, rest = split_ordinal(long)
    assert heading == "第一，要打好禁毒人民战争攻坚战，"
    assert heading + rest == long


# ---- title block ------------------------------------------------------------------------


def test_title_variants_and_bylines() -> None:
    raw = [
        "凝心聚力　打赢新时代禁毒人民战争",
        "张某同志在全州禁毒工作会议上的讲话",
        "——在全州禁毒工作会议上",
        "（2026年3月5日）",
        "各位领导、同志们：",
        "　　今天我们召开会议。",
    ]
    assert [r[:1] + r[2:] for r in roles(raw)] == [
        ("title", "凝心聚力　打赢新时代禁毒人民战争"),
        ("title", "张某同志在全州禁毒工作会议上的讲话"),
        ("byline", "——在全州禁毒工作会议上"),
        ("byline", "（2026年3月5日）"),
        ("greeting", "各位领导、同志们："),
        ("body", "今天我们召开会议。"),
    ]


def test_speech_without_greeting() -> None:
    raw = [
        "在全县禁毒工作会议上的讲话",
        "　　今天召开会议，我讲两点意见。",
        "一、认清形势",
        "　　形势严峻。",
    ]
    assert [r[0] for r in roles(raw)] == ["title", "body", "h1", "body"]


def test_missing_title_is_noted() -> None:
    speech = classify([Line(1, "今天召开会议，我讲两点意见。"), Line(2, "一、认清形势")])
    # A placeholder title stands in (a 公文 has one), listed for the clerk to fill in.
    assert [(b.role, b.text) for b in speech.blocks][:2] == [
        ("title", "××××"),
        ("body", "今天召开会议，我讲两点意见。"),
    ]
    assert [b.role for b in speech.blocks][2:] == ["h1"]
    assert [n.kind for n in speech.notes] == ["缺少标题"]


def test_annexes() -> None:
    raw = [
        "在全县禁毒工作会议上的讲话",
        "　　今天开会。",
        "附件：1. 2026年度禁毒工作要点",
        "2. 禁毒工作责任分工",
        "附件1",
        "2026年度禁毒工作要点",
        "一、总体要求",
        "　　全面贯彻禁毒工作方针。",
        "附件2",
        "禁毒工作责任分工",
        "　　公安局负责打击。",
    ]
    assert roles(raw) == [
        ("title", "", "在全县禁毒工作会议上的讲话"),
        ("body", "", "今天开会。"),
        ("attach_note", "", "附件：1. 2026年度禁毒工作要点"),
        ("attach_note", "", "2. 禁毒工作责任分工"),
        ("attach_label", "", "附件1"),
        ("attach_title", "", "2026年度禁毒工作要点"),
        ("h1", "一、总体要求", ""),
        ("body", "", "全面贯彻禁毒工作方针。"),
        ("attach_label", "", "附件2"),
        ("attach_title", "", "禁毒工作责任分工"),
        ("body", "", "公安局负责打击。"),
    ]


# ---- collections -----------------------------------------------------------------------


def _lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("【篇一】", "【篇二】"),
        ("【1】", "【2】"),
        ("篇一：", "篇二："),
        ("第1篇", "第2篇"),
        ("【第一篇】", "【第二篇】"),
    ],
)
def test_collection_markers(one: str, two: str) -> None:
    lines = _lines("禁毒讲话两篇", one, "标题甲", "正文甲。", two, "标题乙", "正文乙。")
    speeches, changes = split_speeches(lines)
    assert [[line.text for line in s] for s in speeches] == [
        ["标题甲", "正文甲。"],
        ["标题乙", "正文乙。"],
    ]
    assert [(c.line, c.kind) for c in changes] == [
        (1, "删除合集开头"),
        (2, "删除合集标记"),
        (5, "删除合集标记"),
    ]


def test_marker_with_title_on_the_same_line_and_table_of_contents() -> None:
    lines = _lines(
        "【篇一】在全县禁毒会议上的讲话",
        "【篇二】在全乡禁毒会议上的讲话",
        "【篇一】在全县禁毒会议上的讲话",
        "同志们：",
        "【篇二】在全乡禁毒会议上的讲话",
        "各位领导：",
    )
    speeches, changes = split_speeches(lines)
    assert speeches == [
        [Line(3, "在全县禁毒会议上的讲话"), Line(4, "同志们：")],
        [Line(5, "在全乡禁毒会议上的讲话"), Line(6, "各位领导：")],
    ]
    assert [(c.line, c.kind) for c in changes if c.kind == "删除目录行"] == [
        (1, "删除目录行"),
        (2, "删除目录行"),
    ]


def test_markers_that_do_not_count_up_are_not_a_collection() -> None:
    lines = _lines("标题", "【2】引用", "正文。", "【5】另一处")
    assert split_speeches(lines) == ([lines], [])


def test_single_leading_marker_is_removed() -> None:
    lines = _lines("【篇一】", "在全县禁毒会议上的讲话", "同志们：")
    speeches, changes = split_speeches(lines)
    assert speeches == [[Line(2, "在全县禁毒会议上的讲话"), Line(3, "同志们：")]]
    assert [(c.line, c.kind) for c in changes] == [(1, "删除合集标记")]


def test_chapter_words_are_not_markers() -> None:
    lines = _lines("标题", "第一篇章要写好。", "第二篇章也要写好。")
    assert split_speeches(lines) == ([lines], [])


def test_each_speech_of_a_collection_has_its_own_title() -> None:
    tidied = tidy(
        [
            "开通VIP会员免费下载",
            "【篇一】",
            "在全县禁毒工作会议上的讲话",
            "同志们：",
            "　　今天开会。",
            "【篇二】",
            "在全县禁毒宣传月启动仪式上的讲话",
            "同志们：",
            "　　宣传月今天启动。",
        ]
    )
    speeches, _ = split_speeches(tidied.lines)
    titles = [classify(s).title for s in speeches]
    assert titles == ["在全县禁毒工作会议上的讲话", "在全县禁毒宣传月启动仪式上的讲话"]
    assert classify(speeches[1]).blocks[0] == Block("title", "", titles[1], 7)


# ---- where the title is ----------------------------------------------------------------


def test_title_is_the_line_before_the_greeting_above_its_bylines() -> None:
    lines = clean(
        [
            "公文写作之家",
            "每天更新　助你成长",
            "在全镇禁毒工作会议上的讲话",
            "镇长　王某",
            "（2026年3月5日）",
            "同志们：",
            "　　今天开会。",
        ]
    ).lines
    speech, changes = front_matter(lines)
    assert [line.text for line in speech][:3] == [
        "在全镇禁毒工作会议上的讲话",
        "镇长　王某",
        "（2026年3月5日）",
    ]
    assert [(c.line, c.kind) for c in changes] == [(1, "删除标题前内容"), (2, "删除标题前内容")]
    assert [b.role for b in classify(speech).blocks][:4] == [
        "title",
        "byline",
        "byline",
        "greeting",
    ]


def test_title_without_a_greeting_reads_like_one() -> None:
    lines = _lines("学习资料", "禁毒工作讲话稿", "今天召开会议，我讲两点意见。", "一、认清形势")
    assert title_index(lines) == 1
    # A sentence means the speech has begun: a title-like line after it is not sought.
    lines = _lines("今天召开会议，我讲两点意见。", "在全县禁毒工作会议上的讲话")
    assert title_index(lines) == 0


def test_a_subtitle_is_a_byline_under_the_title() -> None:
    lines = _lines(
        "广告一行", "凝心聚力　打赢禁毒人民战争", "——在全州禁毒工作会议上的讲话", "同志们："
    )
    assert title_index(lines) == 1
    assert [b.role for b in classify(lines[1:]).blocks] == ["title", "byline", "greeting"]


def test_a_motto_above_a_speaker_title_is_kept() -> None:
    lines = _lines(
        "广告一行", "凝心聚力　打赢禁毒人民战争", "张某同志在全州禁毒工作会议上的讲话", "同志们："
    )
    assert title_index(lines) == 1


def test_placeholder_bylines_keep_their_role() -> None:
    raw = ["在全县禁毒工作会议上的讲话", "×××", "（____年__月__日）", "同志们：", "　　今天开会。"]
    assert [r[0] for r in roles(raw)] == ["title", "byline", "byline", "greeting", "body"]


def test_bare_headings_under_numbered_ones_are_level_two() -> None:
    raw = [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "　　今天开会，我讲两点意见。",
        "一、认清形势",
        "成绩要看足",
        "　　全镇毒情总体平稳。",
        "问题要看透",
        "　　外流贩毒问题仍未根除。",
        "二、抓好落实",
        "　　各村要抓好落实。",
    ]
    assert [(r[0], r[1]) for r in roles(raw) if r[0].startswith("h")] == [
        ("h1", "一、认清形势"),
        ("h2", "成绩要看足"),
        ("h2", "问题要看透"),
        ("h1", "二、抓好落实"),
    ]


def test_bare_headings_beside_numbered_level_twos_stay_body_with_notes() -> None:
    raw = [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "　　今天开会，我讲两点意见。",
        "一、认清形势",
        "（一）成绩来之不易",
        "　　全镇毒情总体平稳。",
        "成绩要看足",
        "　　全镇毒情总体平稳。",
        "问题要看透",
        "　　外流贩毒问题仍未根除。",
    ]
    speech = classify(clean(raw).lines)
    assert [b.role for b in speech.blocks].count("h2") == 1
    assert [n.text for n in speech.notes if n.kind == "疑似标题"] == ["成绩要看足", "问题要看透"]


def test_a_heading_on_its_own_line_loses_its_full_stop() -> None:
    raw = [
        "在全镇禁毒会议上的讲话",
        "同志们：",
        "　　今天开会。",
        "一、认清形势。",
        "　　形势严峻。",
        "（一）成绩要肯定。",
        "　　成绩明显。",
        "二、抓好落实。各村要抓好落实。",
    ]
    speech, changes = drop_heading_stops(classify(clean(raw).lines))
    assert [(b.role, b.heading) for b in speech.blocks if b.role in ("h1", "h2")] == [
        ("h1", "一、认清形势"),
        ("h2", "（一）成绩要肯定"),
        ("h1", "二、抓好落实。"),  # run-in: the stop ends the heading sentence
    ]
    assert [(c.line, c.kind) for c in changes] == [(4, "删除标题句号"), (6, "删除标题句号")]
