"""officekit.gongwen.clean: web residue removed, every change reported, placeholders noted."""

from __future__ import annotations

import pytest

from officekit.gongwen.clean import (
    Change,
    Line,
    Note,
    clean,
    drop_repeats,
    full_width,
    is_advert,
    replace_entities,
    summary,
    tidy,
)


def texts(raw: list[str]) -> list[str]:
    return [line.text for line in clean(raw).lines]


def kinds(raw: list[str]) -> list[tuple[int, str]]:
    return [(c.line, c.kind) for c in clean(raw).changes]


# ---- adverts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "开通VIP会员，全站范文免费下载",
        "加入会员即可查看全文",
        "本站QQ群：123456789，欢迎加群交流",
        "仅供学习 禁止外传",
        "网址：https://www.example.com/fanwen/123.html",
        "来源：某某范文网",
        "更多精彩范文，请关注本站",
        "本文由范文网小编整理",
        "点击下载完整版Word文档",
        "下载后可编辑，Word版下载",
        "上一篇：在全市安全生产会议上的讲话",
        "扫码关注公众号，获取更多资料",
    ],
)
def test_advert_lines_are_recognised(line: str) -> None:
    assert is_advert(line)


@pytest.mark.parametrize(
    "line",
    [
        "同志们：",
        "一、提高政治站位，充分认识禁毒工作的重要性",
        "全县禁毒宣传网站点击量达12万人次，群众知晓率明显提升。",
        "群众可登录www.example.gov.cn举报涉毒违法犯罪线索，经查证属实的给予奖励。",
        "以上意见仅供参考，不当之处请批评指正。",
        "要用好微信公众号、短视频等新媒体开展禁毒宣传。",
        "会员单位要按照责任分工抓好落实。",
    ],
)
def test_speech_lines_are_not_adverts(line: str) -> None:
    assert not is_advert(line)


def test_adverts_before_the_title_are_dropped_and_reported() -> None:
    raw = [
        "开通VIP会员，海量范文免费下载",
        "仅供学习 禁止外传",
        "",
        "在全县禁毒工作会议上的讲话",
        "同志们：",
    ]
    result = clean(raw)
    assert [line.text for line in result.lines] == ["在全县禁毒工作会议上的讲话", "同志们："]
    assert [line.number for line in result.lines] == [4, 5]
    assert result.changes == [
        Change(1, "删除广告行", "开通VIP会员，海量范文免费下载", ""),
        Change(2, "删除广告行", "仅供学习 禁止外传", ""),
    ]


# ---- quote marks, spaces, entities --------------------------------------------------------


def test_quote_prefixes() -> None:
    raw = ["> 一、认清形势", ">（一）成绩", ">>要加强领导。", "　> 二、突出重点"]
    assert texts(raw) == ["一、认清形势", "（一）成绩", "要加强领导。", "二、突出重点"]
    assert [c for c in kinds(raw) if c[1] == "删除引用符号"] == [
        (1, "删除引用符号"),
        (2, "删除引用符号"),
        (3, "删除引用符号"),
        (4, "删除引用符号"),
    ]


def test_indent_spaces_removed_and_reported() -> None:
    result = clean(["　　今年全县共破获毒品案件91起。  ", "    要加强宣传。"])
    assert [line.text for line in result.lines] == ["今年全县共破获毒品案件91起。", "要加强宣传。"]
    assert [(c.line, c.kind) for c in result.changes] == [
        (1, "删除行首空格"),
        (1, "删除行尾空格"),
        (2, "删除行首空格"),
    ]
    assert result.changes[0].before == "　　今年全县共破获毒品案件91起。  "


@pytest.mark.parametrize(
    ("residue", "expected"),
    [
        ("ldquo;无毒社区rdquo;", "“无毒社区”"),
        ("&ldquo;无毒社区&rdquo;", "“无毒社区”"),
        ("lsquo;禁毒rsquo;", "‘禁毒’"),
        ("打防并举mdash;mdash;标本兼治", "打防并举——标本兼治"),
        ("2025ndash;2026年", "2025–2026年"),
        ("阿卜杜bull;热合曼", "阿卜杜·热合曼"),
        ("阿卜杜&middot;热合曼", "阿卜杜·热合曼"),
        ("等等hellip;", "等等…"),
        ("禁毒nbsp;宣传", "禁毒 宣传"),
        ("公安amp;司法", "公安&司法"),
        ("quot;两打两控quot;", '"两打两控"'),
        ("&amp;ldquo;双重转义&amp;rdquo;", "“双重转义”"),
        ("&#8220;数字实体&#x201D;", "“数字实体”"),
        ("pitbull;", "pitbull;"),  # part of an English word without "&": left alone
    ],
)
def test_entities(residue: str, expected: str) -> None:
    assert replace_entities(residue) == expected


def test_entity_change_is_reported() -> None:
    result = clean(["开展ldquo;清源断流rdquo;行动。"])
    assert result.lines == [Line(1, "开展“清源断流”行动。")]
    assert result.changes == [
        Change(1, "还原实体", "开展ldquo;清源断流rdquo;行动。", "开展“清源断流”行动。")
    ]


# ---- punctuation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要加强排查,严厉打击;确保见效.", "要加强排查，严厉打击；确保见效。"),
        ("主要有三点:一是认识", "主要有三点：一是认识"),
        ("怎么办?必须严打!", "怎么办？必须严打！"),
        ("(一)进一步落实责任", "（一）进一步落实责任"),
        ("(1)定期通报", "（1）定期通报"),
        ("县禁毒委(办)牵头", "县禁毒委（办）牵头"),
        ("共破获案件91起,同比增长13.8%", "共破获案件91起，同比增长13.8%"),
        # left alone: numbers, ratios, times, URLs, heading numbers, Latin text
        ("缴获毒品1,164.35克", "缴获毒品1,164.35克"),
        ("按150:1比例配备民警", "按150:1比例配备民警"),
        ("社工与吸毒人员30：1配备", "社工与吸毒人员30：1配备"),
        ("上午9:30开会", "上午9:30开会"),
        ("1.完善机制", "1.完善机制"),
        ("登录https://jd.example.gov.cn/a,b?x=1查询", "登录https://jd.example.gov.cn/a,b?x=1查询"),
        ("f(x) = a, b", "f(x) = a, b"),
        ("要加强打击......", "要加强打击......"),
    ],
)
def test_full_width(text: str, expected: str) -> None:
    assert full_width(text) == expected


def test_punctuation_change_is_reported_once_per_line() -> None:
    result = clean(["要加强排查,严厉打击;确保见效."])
    assert result.changes == [
        Change(1, "全角标点", "要加强排查,严厉打击;确保见效.", "要加强排查，严厉打击；确保见效。")
    ]


def test_chinese_numeral_with_dot_becomes_heading_number() -> None:
    result = clean(["一.提高认识"])
    assert result.lines == [Line(1, "一、提高认识")]
    assert result.changes == [Change(1, "规范序号", "一.提高认识", "一、提高认识")]


# ---- truncation and repeats ---------------------------------------------------------------


def test_truncation_after_a_full_sentence_is_removed() -> None:
    result = clean(["全年共破获毒品案件91起。...", "禁毒工作取得明显成效！…"])
    assert [line.text for line in result.lines] == [
        "全年共破获毒品案件91起。",
        "禁毒工作取得明显成效！",
    ]
    assert [(c.line, c.kind, c.after) for c in result.changes] == [
        (1, "删除截断符", "全年共破获毒品案件91起。"),
        (2, "删除截断符", "禁毒工作取得明显成效！"),
    ]


def test_doubtful_truncation_is_left_and_noted() -> None:
    result = clean(["要抓好排查、打击、管控......", "全面加强宣传、教育、预防……"])
    # "......" mid-sentence may be the author's own ellipsis: kept, noted.
    assert [line.text for line in result.lines] == [
        "要抓好排查、打击、管控......",
        "全面加强宣传、教育、预防……",
    ]
    assert result.changes == []
    assert [(n.line, n.kind) for n in result.notes] == [(1, "疑似截断")]


def test_repeated_intro_blurb_is_dropped() -> None:
    blurb = "今天召开全县禁毒工作会议，主要任务是总结去年工作，部署今年任务。"
    raw = ["在全县禁毒工作会议上的讲话", blurb, "同志们：", "　　" + blurb, "下面，我讲三点意见。"]
    result = clean(raw)
    assert [line.text for line in result.lines] == [
        "在全县禁毒工作会议上的讲话",
        blurb,
        "同志们：",
        "下面，我讲三点意见。",
    ]
    assert Change(4, "删除重复简介", blurb, "") in result.changes


def test_truncated_blurb_repeating_the_opening_is_dropped() -> None:
    opening = "今天召开全县禁毒工作会议，主要任务是总结去年工作，部署今年任务。"
    raw = ["今天召开全县禁毒工作会议，主要任务是总结...", "在全县禁毒工作会议上的讲话", opening]
    result = clean(raw)
    assert [line.text for line in result.lines] == ["在全县禁毒工作会议上的讲话", opening]
    assert [(c.line, c.kind) for c in result.changes] == [(1, "删除重复简介")]
    assert result.notes == []  # no truncation note for a line that is gone


def test_short_lines_may_repeat() -> None:
    lines = [
        Line(1, "同志们："),
        Line(5, "谢谢大家！"),
        Line(9, "同志们："),
        Line(12, "谢谢大家！"),
    ]
    kept, changes = drop_repeats(lines)
    assert kept == lines and changes == []


# ---- placeholders, empty lines, control characters ---------------------------------------


def test_placeholders_are_noted_with_line_numbers_and_left_unchanged() -> None:
    raw = [
        "在20**年全县禁毒工作会议上的讲话",
        "",
        "XX同志通报了202_年工作情况，X局长作了部署。",
        "截至xxxx年底，×××乡镇、***社区创建为无毒社区，责任人__签字。",
    ]
    result = clean(raw)
    assert [line.text for line in result.lines] == [raw[0], raw[2], raw[3]]
    assert result.changes == []
    assert [(n.line, n.kind, n.text) for n in result.notes] == [
        (1, "占位符", "20**年"),
        (3, "占位符", "202_年"),
        (3, "占位符", "XX同志"),
        (3, "占位符", "X局长"),
        (4, "占位符", "xxxx年"),
        (4, "占位符", "×××"),
        (4, "占位符", "***"),
        (4, "占位符", "__"),
    ]
    assert all(isinstance(n, Note) and n.hint for n in result.notes)


def test_empty_lines_collapse_and_numbers_stay_those_of_the_input() -> None:
    result = clean(["标题", "", "　　", "", "正文。"])
    assert result.lines == [Line(1, "标题"), Line(5, "正文。")]


def test_control_characters_removed() -> None:
    result = tidy(["禁毒\x0b宣传\x1f月。"])
    assert result.lines == [Line(1, "禁毒宣传月。")]
    assert result.changes[0].kind == "删除控制字符"


def test_summary_counts_kinds() -> None:
    changes = clean(["　　甲,乙。", "　　丙,丁。", "> 戊。"]).changes
    assert summary(changes) == {"删除行首空格": 2, "全角标点": 2, "删除引用符号": 1}


def test_zero_padded_dates_are_noted_and_left() -> None:
    result = clean(["（2026年03月05日）", "自2026年1月1日起施行。"])
    assert [line.text for line in result.lines] == ["（2026年03月05日）", "自2026年1月1日起施行。"]
    assert [(n.line, n.kind, n.text) for n in result.notes] == [(1, "日期格式", "2026年03月05日")]


def test_a_list_of_related_links_goes_with_its_header() -> None:
    raw = [
        "　　谢谢大家！",
        "（来源：网络整理）",
        "相关文章：",
        "1.乡镇禁毒宣传讲话稿",
        "禁毒工作会议主持词",
        "　　这一行是正文，不是链接，因为它是一句完整的话。",
    ]
    assert [(c.line, c.kind) for c in clean(raw).changes if c.kind != "删除行首空格"] == [
        (2, "删除广告行"),
        (3, "删除广告行"),
        (4, "删除相关文章链接"),
        (5, "删除相关文章链接"),
    ]
    assert texts(raw) == ["谢谢大家！", "这一行是正文，不是链接，因为它是一句完整的话。"]
