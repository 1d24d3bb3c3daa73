"""officekit.gongwen.furniture: blurbs and advert blocks of any wording go, and are reported;
the speech's own sentences stay. Every line here is written for the tests."""

from __future__ import annotations

import pytest

from officekit.gongwen.clean import Line
from officekit.gongwen.furniture import (
    is_advert_line,
    is_blurb,
    remove,
    remove_adverts,
    remove_blurbs,
)


def _lines(*texts: str) -> list[Line]:
    return [Line(n, t) for n, t in enumerate(texts, start=1)]


@pytest.mark.parametrize(
    "sentence",
    [
        "禁毒是全社会的共同责任，下面是小编为大家精心挑选的禁毒讲话稿，仅供参考。",
        "以下是文秘站为您收集整理的乡镇禁毒工作讲话，供您阅读参考。",
        "本篇文章由本站编辑推荐，欢迎阅读！",
        "以下是整理好的三篇禁毒发言材料，希望对你有所帮助。",
        "以下为精选的禁毒工作会议讲话范文，仅供借鉴。",
    ],
)
def test_blurbs_of_several_wordings(sentence: str) -> None:
    assert is_blurb(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "以上意见仅供参考，不当之处请批评指正。",
        "各地要认真整理收集典型经验，供大家学习借鉴。",
        "下面，我讲三点意见。",
        "要把禁毒宣传资料分发到每家每户。",
    ],
)
def test_sentences_of_a_speech_are_not_blurbs(sentence: str) -> None:
    assert not is_blurb(sentence)


def test_blurb_glued_to_a_preview_of_the_speech_goes_whole() -> None:
    lines = _lines(
        "毒品危害人人皆知，以下是资料站小编整理的禁毒讲话，供大家阅读参考。> "
        "乡镇禁毒讲话【1】同志们：今天我们召开全乡禁毒工作会议，主要任务是...",
        "乡镇禁毒讲话【1】",
        "同志们：",
        "今天我们召开全乡禁毒工作会议，主要任务是部署全年工作。",
    )
    kept, changes = remove_blurbs(lines)
    assert [line.text for line in kept] == [
        "乡镇禁毒讲话【1】",
        "同志们：",
        "今天我们召开全乡禁毒工作会议，主要任务是部署全年工作。",
    ]
    assert [(c.line, c.kind, c.after) for c in changes] == [(1, "删除网站简介", "")]


def test_blurb_inside_a_line_leaves_the_rest_and_a_leading_marker() -> None:
    kept, changes = remove_blurbs(
        _lines(
            "【篇一】下面是小编整理的禁毒讲话，欢迎阅读。",
            "谢谢大家！以上就是本站分享的全部内容。",
            "在全乡禁毒会议上的讲话【篇二】以下是小编整理的讲话稿，仅供参考。",
        )
    )
    assert [line.text for line in kept] == [
        "【篇一】",
        "谢谢大家！",
        "在全乡禁毒会议上的讲话【篇二】",
    ]
    assert [(c.line, c.before, c.after) for c in changes] == [
        (1, "【篇一】下面是小编整理的禁毒讲话，欢迎阅读。", "【篇一】"),
        (2, "谢谢大家！以上就是本站分享的全部内容。", "谢谢大家！"),
        (
            3,
            "在全乡禁毒会议上的讲话【篇二】以下是小编整理的讲话稿，仅供参考。",
            "在全乡禁毒会议上的讲话【篇二】",
        ),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "开通年卡仅需99元，全站资料任意下载",
        "关注平台，每日更新最新公文资料",
        "新用户注册即送七天会员",
        "充值满100元赠送下载券",
    ],
)
def test_advert_lines_of_new_wording(line: str) -> None:
    assert is_advert_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "要用好微信公众号、短视频等新媒体开展禁毒宣传。",
        "会员单位要按照责任分工抓好落实。",
        "一、畅通举报渠道，用好禁毒宣传平台",
        "群众举报涉毒线索经查证属实的，按规定给予奖励。",
    ],
)
def test_speech_lines_with_one_advert_word_stay(line: str) -> None:
    assert not is_advert_line(line)


def test_an_advert_block_goes_with_its_short_neighbours() -> None:
    lines = _lines(
        "【限时福利】",
        "公文素材一键下载，会员专享",
        "客服在线",
        "在全乡禁毒工作会议上的讲话",
        "同志们：",
    )
    kept, changes = remove_adverts(lines)
    assert [line.text for line in kept] == ["在全乡禁毒工作会议上的讲话", "同志们："]
    assert [(c.line, c.kind) for c in changes] == [
        (1, "删除广告行"),
        (2, "删除广告行"),
        (3, "删除广告行"),
    ]


def test_remove_reports_every_line_in_order() -> None:
    lines = _lines(
        "以下是小编整理的讲话稿，仅供参考。",
        "在全乡禁毒工作会议上的讲话",
        "同志们：",
        "今天开会。",
        "扫码领取更多免费资料",
    )
    kept, changes = remove(lines)
    assert [line.number for line in kept] == [2, 3, 4]
    assert [(c.line, c.kind) for c in changes] == [(1, "删除网站简介"), (5, "删除广告行")]
