"""officekit.gongwen.wraps: hard-wrapped lines re-joined, headings and short lines left alone.
The drafts are written for the tests."""

from __future__ import annotations

from officekit.gongwen.clean import tidy
from officekit.gongwen.wraps import join_wraps, wrap_width

# Wrapped at 20 characters (40 columns), paragraphs indented by two full-width spaces.
FIXED_WIDTH = [
    "在全镇禁毒工作会议上的讲话",
    "同志们：",
    "　　今天召开全镇禁毒工作会议，主要任务是总结",
    "去年工作，分析当前形势，部署今年任务。下面，",
    "我讲两点意见。",
    "一、认清形势",
    "　　去年全镇共排查涉毒隐患三十七处，全部整改",
    "到位。各村禁毒专干坚持每月走访重点人员，做到",
    "底数清、情况明。",
    "二、压实责任，把禁毒工作摆到更加突出的位置上",
    "来抓",
    "　　各村党支部书记是第一责任人，要亲自研究、",
    "亲自部署。",
]


def texts(raw: list[str]) -> list[str]:
    lines, _ = join_wraps(tidy(raw).lines)
    return [line.text for line in lines]


def test_fixed_width_wraps_are_joined_paragraph_by_paragraph() -> None:
    assert texts(FIXED_WIDTH) == [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "今天召开全镇禁毒工作会议，主要任务是总结去年工作，分析当前形势，部署今年任务。"
        "下面，我讲两点意见。",
        "一、认清形势",
        "去年全镇共排查涉毒隐患三十七处，全部整改到位。各村禁毒专干坚持每月走访重点人员，"
        "做到底数清、情况明。",
        # A long heading reaching the width continues on the next line.
        "二、压实责任，把禁毒工作摆到更加突出的位置上来抓",
        "各村党支部书记是第一责任人，要亲自研究、亲自部署。",
    ]


def test_the_width_is_found_and_each_join_reported() -> None:
    tidied = tidy(FIXED_WIDTH)
    assert wrap_width(tidied.lines) == 44  # columns: 22 characters, or 20 after an indent
    lines, changes = join_wraps(tidied.lines)
    assert [(c.line, c.kind) for c in changes] == [
        (4, "合并断行"),
        (5, "合并断行"),
        (8, "合并断行"),
        (9, "合并断行"),
        (11, "合并断行"),
        (13, "合并断行"),
    ]
    assert [line.number for line in lines] == [1, 2, 3, 6, 7, 10, 12]


def test_lines_broken_mid_sentence_on_a_web_page() -> None:
    raw = [
        "在全镇禁毒宣传月启动仪式上的讲话",
        "同志们：",
        "今天我们在这里启动禁毒宣传月活动，",
        "目的是动员全镇群众共同参与禁毒斗争。",
        "宣传教育是预防毒品的治本之策，各村各单位要结合实际开展形式多样的宣传活动",
        "让禁毒知识进村入户。",
        "认识要再提高",
        "毒品问题是全社会的公害。",
        "措施要再有力",
        "各部门要密切协作。",
        "同志们，",
        "禁毒工作使命光荣。",
    ]
    assert texts(raw) == [
        "在全镇禁毒宣传月启动仪式上的讲话",
        "同志们：",
        "今天我们在这里启动禁毒宣传月活动，目的是动员全镇群众共同参与禁毒斗争。",
        "宣传教育是预防毒品的治本之策，各村各单位要结合实际开展形式多样的宣传活动"
        "让禁毒知识进村入户。",
        "认识要再提高",  # short: a heading, not a broken line
        "毒品问题是全社会的公害。",
        "措施要再有力",
        "各部门要密切协作。",
        "同志们，禁毒工作使命光荣。",  # the closing starts a paragraph, and goes on
    ]


def test_whole_paragraphs_are_not_joined() -> None:
    raw = [
        "在全镇禁毒工作会议上的讲话",
        "同志们：",
        "　　今天开会，下面我讲三点意见：",
        "一、科学研判形势，充分认识禁毒工作的长期性和复杂性",
        "　　过去一年，全镇禁毒工作取得明显成效，破获毒品案件九起，抓获犯罪嫌疑人十二名。",
        "（一）成绩来之不易",
        "　　这是各村各单位共同努力的结果。",
        "1.打击成效明显",
        "　　一是破案数上升。二是缴毒量增加。",
    ]
    lines, changes = join_wraps(tidy(raw).lines)
    assert [line.text for line in lines] == [t.strip("　") for t in raw]
    assert changes == []


def test_unindented_wrap_a_heading_ends_where_its_last_piece_ends() -> None:
    raw = [
        "在全区禁毒工作会议上的讲话",
        "同志们：",
        "今天召开全区禁毒工作会议，主要任务是贯彻全市禁",
        "毒工作会议精神，总结上半年工作，安排下半年任务。",
        "一、提高政治站位，切实增强做好禁毒工作的紧迫感和",
        "责任感",
        "当前，我区毒情形势总体平稳，但外流贩毒、新型毒品",
        "滥用等问题依然存在，决不能掉以轻心。",
        "二、突出工作重点",
        "一是抓好打击整治。要保持严打高压态势，依法严惩毒",
        "品犯罪。二是抓好禁吸戒毒。要全面落实社区戒毒工作",
        "。",
    ]
    assert texts(raw) == [
        "在全区禁毒工作会议上的讲话",
        "同志们：",
        "今天召开全区禁毒工作会议，主要任务是贯彻全市禁毒工作会议精神，总结上半年工作，安排下半年任务。",
        "一、提高政治站位，切实增强做好禁毒工作的紧迫感和责任感",
        "当前，我区毒情形势总体平稳，但外流贩毒、新型毒品滥用等问题依然存在，决不能掉以轻心。",
        "二、突出工作重点",
        "一是抓好打击整治。要保持严打高压态势，依法严惩毒品犯罪。二是抓好禁吸戒毒。要全面落实社区戒毒工作。",
    ]
