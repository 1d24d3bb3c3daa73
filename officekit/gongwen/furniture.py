"""Remove what a web site puts around a speech: blurbs, advert blocks, page furniture.

Judged by shape and vocabulary, not by any one site's wording (see shared
real-speech-patterns.md):

* A blurb is a sentence that introduces the page's text to its readers ("下面是小编给大家
  整理的……，仅供参考。", "以下是……整理收集的……，供大家阅读参考。", "欢迎阅读"). It may stand
  on its own line, open the first paragraph, or be glued to a preview of the speech by the
  page ("……供大家阅读参考。> 讲话【1】同志们：……关于..."); the blurb sentences are removed
  wherever they stand and a glued preview (a truncated repeat of what follows) with them.
  A speech's own "以上意见仅供参考" is kept: one word of the vocabulary is not enough.
* An advert line is a short line carrying several words of the advert vocabulary (会员,
  订阅, 下载, QQ群, prices, 平台…); short lines next to one that carry a single such word, or
  are a bracketed slogan ("【打击倒卖活动】"), go with it as one block.
* Page furniture ("上一篇/下一篇", "本文来源", "点击查看") is in clean.ADVERT_MARKERS.

Everything removed is reported as a Change with its input line, so nothing is lost silently.
"""

from __future__ import annotations

import re

from officekit.gongwen import collection, patterns, roles
from officekit.gongwen.clean import Change, Line

# ---- blurbs -------------------------------------------------------------------------------
# One of these alone makes a sentence a blurb: they speak of the site and its readers.
_BLURB_STRONG = re.compile(
    r"小编|范文网|[本该]站|本网|供(大家|各位|您|你)(阅读|参阅|欣赏)|阅读参考|欢迎(阅读|借鉴|参考|收藏|下载|分享)"
)
# Two of these (matched without overlap) and a word for a text make one.
_BLURB_WORDS = re.compile(
    r"(以下|下面)(是|为)|整理|收集|精选|推荐|分享|仅供(参考|借鉴|学习)|供(大家|您|你)|参考|借鉴"
    r"|希望对|有所帮助|帮助"
)
_TEXT_WORDS = re.compile(r"讲话|发言|致辞|范文|文章|资料|稿|篇|大全|内容|材料")
BLURB_MAX = 250
# A sentence ends at 。！？ (and what closes it); the page's "> " also starts a new piece.
_PIECE = re.compile(r"[^。！？!?>＞]*(?:[。！？!?]+[”’）」]*|[>＞]|$)")
_TRUNCATED = re.compile(r"(?:\.{3,}|。{3,}|…+)$")
_NOT_TEXT = re.compile(r"【[^】]{0,12}】|[>＞\s\u3000]")
PREVIEW_LOOKAHEAD = 12

# ---- adverts ------------------------------------------------------------------------------
_ADVERT_WORDS = re.compile(
    r"VIP|ＶＩＰ|会员|订阅|下载|免费|赠送|立享|优惠|特价|限时|折扣|原价|充值|付费|购买|客服"
    r"|平台|实时分享|资料|权益|扫码|二维码|QQ|ＱＱ|微信|公众号|群号|[0-9０-９]+元|[￥¥]|包年|包月"
    r"|领取|注册|登录|账号|官网|APP|倒卖|盗版|版权|举报"
)
ADVERT_LINE_MAX = 60
ADVERT_NEIGHBOUR_MAX = 20
_BRACKETED = re.compile(r"^【[^】]{2,20}】$")


def is_blurb(sentence: str) -> bool:
    """A sentence introducing the page's text to its readers (see the module docs)."""
    if len(sentence) > BLURB_MAX:
        return False
    if _BLURB_STRONG.search(sentence):
        return True
    return len(_BLURB_WORDS.findall(sentence)) >= 2 and bool(_TEXT_WORDS.search(sentence))


def _pieces(text: str) -> list[str]:
    return [p for p in _PIECE.findall(text) if p]


def _letters(text: str) -> str:
    """Text without markers, quote marks and spaces: what a preview repeats."""
    return _NOT_TEXT.sub("", text)


def _is_preview(rest: str, following: list[Line]) -> bool:
    """A truncated piece that repeats the beginning of the lines after it."""
    match = _TRUNCATED.search(rest)
    if match is None:
        return False
    stem = _letters(rest[: match.start()])
    ahead = "".join(_letters(line.text) for line in following[:PREVIEW_LOOKAHEAD])
    return len(stem) >= 10 and stem in ahead


def remove_blurbs(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Drop blurb sentences wherever they stand; a line left empty is dropped."""
    kept: list[Line] = []
    changes: list[Change] = []
    for index, line in enumerate(lines):
        # "【篇一】下面是小编……": the marker stays, it splits the collection.
        mark = collection.leading_marker(line.text)
        pieces = _pieces(line.text[len(mark) :])
        if not any(is_blurb(p) for p in pieces):
            kept.append(line)
            continue
        rest = "".join(p for p in pieces if not is_blurb(p)).strip(" \u3000>＞")
        if rest and _is_preview(rest, lines[index + 1 :]):
            rest = ""
        rest = mark.strip() + rest
        changes.append(Change(line.number, "删除网站简介", line.text, rest))
        if rest:
            kept.append(Line(line.number, rest, line.indent))
    return kept, changes


# ---- adverts ------------------------------------------------------------------------------


def advert_score(text: str) -> int:
    """How many words of the advert vocabulary a line carries."""
    return len(_ADVERT_WORDS.findall(text))


def _is_speech_shaped(text: str) -> bool:
    return bool(
        roles.heading_level(text) in (1, 2)
        or patterns.ORDINAL_NUMBER.match(text)
        or patterns.ATTACH_NOTE.match(text)
    )


def is_advert_line(text: str) -> bool:
    """A short line of several advert words; a sentence of the speech needs three to go."""
    if len(text) > ADVERT_LINE_MAX or _is_speech_shaped(text):
        return False
    needed = 3 if text.endswith(("。", "；")) else 2
    return advert_score(text) >= needed


def _joins_block(text: str) -> bool:
    """A short line next to an advert that belongs to its block."""
    if len(text) > ADVERT_NEIGHBOUR_MAX or _is_speech_shaped(text):
        return False
    if text.endswith(("。", "；", "：")):
        return False
    return advert_score(text) >= 1 or bool(_BRACKETED.match(text))


def remove_adverts(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Drop advert lines and the short lines of their block (see the module docs)."""
    advert = [is_advert_line(line.text) for line in lines]
    grown = True
    while grown:  # a block grows one neighbour at a time, both ways
        grown = False
        for i, line in enumerate(lines):
            if advert[i] or not _joins_block(line.text):
                continue
            if (i > 0 and advert[i - 1]) or (i + 1 < len(lines) and advert[i + 1]):
                advert[i] = grown = True
    kept = [line for line, out in zip(lines, advert, strict=True) if not out]
    changes = [
        Change(line.number, "删除广告行", line.text, "")
        for line, out in zip(lines, advert, strict=True)
        if out
    ]
    return kept, changes


def remove(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Blurbs, then adverts, from a whole draft (before it is split into speeches)."""
    lines, blurbs = remove_blurbs(lines)
    lines, adverts = remove_adverts(lines)
    return lines, sorted(blurbs + adverts, key=lambda c: c.line)
