"""Remove what pasting from the web leaves in a draft, and say what was changed.

Every change is reported (line number in the input, kind, before, after) so the clerk can
check that nothing of the speech itself was lost. The rules are conservative: a line is
dropped only on a clear advert marker or as an exact repeat; anything doubtful is left in
place and reported as a note instead.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from officekit.gongwen import patterns


@dataclass(frozen=True)
class Line:
    """One line of the draft: its 1-based number in the input and its current text.

    ``indent`` is the width (in half-width columns) of the spaces the line started with
    before cleaning: a hard-wrapped draft tells a new paragraph from a continued one by it.
    It does not take part in comparisons.
    """

    number: int
    text: str
    indent: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Change:
    """One change made to the draft. ``line`` is 1-based in the input file."""

    line: int
    kind: str
    before: str
    after: str


@dataclass(frozen=True)
class Note:
    """Something the clerk must look at; nothing was changed. ``text`` is what was found."""

    line: int
    kind: str
    text: str
    hint: str = ""


@dataclass
class Cleaned:
    lines: list[Line]
    changes: list[Change] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


# ---- HTML entities whose "&" was lost on the way ------------------------------------------
ENTITIES = {
    "rdquo": "”",
    "ldquo": "“",
    "rsquo": "’",
    "lsquo": "‘",
    "mdash": "—",
    "ndash": "–",
    # In Chinese text a bullet residue stands for the interpunct of names (间隔号).
    "bull": "·",
    "middot": "·",
    "hellip": "…",
    "nbsp": " ",
    "amp": "&",
    "quot": '"',
    "lt": "<",
    "gt": ">",
}
# With "&" anything goes; without it the name must not end an English word ("pitbull;").
_ENTITY = re.compile(rf"(?:&|(?<![A-Za-z]))({'|'.join(ENTITIES)});|&#(\d+|x[0-9a-fA-F]+);")
_DOUBLE_ESCAPED = re.compile(rf"&amp;(?=(?:{'|'.join(ENTITIES)}|#\d+|#x[0-9a-fA-F]+);)")

# ---- advert and page-furniture lines -----------------------------------------------------
# Each marker is specific enough not to occur in a meeting speech; a line is dropped only
# when it is short (a sentence of the speech that happens to match is kept).
ADVERT_MARKERS = tuple(
    re.compile(p)
    for p in (
        r"(开通|升级|成为|加入|充值|购买|办理|注册).{0,6}(VIP|ＶＩＰ|会员)",
        r"VIP会员|会员(专享|免费|下载|特权|权益|价)",
        r"QQ群|Q群|加群|进群|群号|QQ[:：\s]*\d{5,}",
        r"扫码|扫描二维码|长按(识别|二维码)|关注(我们|本站|公众号)",
        r"(微信|公众号)[:：]\s*[A-Za-z0-9_-]{4,}",
        r"禁止(外传|转载|商用|复制)|请勿(外传|转载|商用)|严禁转载|转载请注明|仅供(学习|个人)",
        r"https?://|www\.",
        r"^[（(【]?(网址|来源|原文|出处|文章来源|本文来源|作者|编辑|责任编辑|发布时间|浏览次数|阅读量)[：:]",
        r"更多(精彩|范文|内容|资料|文章)",
        r"本文由.{0,30}(整理|提供|发布|收集|编辑)",
        r"点击(这里|此处|下载|查看|进入|关注|阅读|领取|获取|上方|下方|链接)",
        r"下载(全文|本文|地址|链接|文档|完整|后可编辑)|(免费|立即|一键)下载|[Ww][Oo][Rr][Dd]版下载",
        r"[上下]一篇[：:]|相关(推荐|阅读|文章)|猜你喜欢|展开全文|阅读全文|返回(首页|目录)|分享到",
        # Page furniture around an article: navigation, print and font buttons, sources.
        r"^[上下]一篇|^(本文|文章)来源|返回(列表|顶部)|打印本页|关闭窗口|(加入|收藏)本?(收藏|页)",
        r"^【?字体[：:]?\s*[大中小]|浏览(次数|量)[：:]|^(发布|更新)(时间|日期)[：:]",
        # A breadcrumb: "首页 > 领导讲话 > 正文", "当前位置：……".
        r"当前位置|您的位置|^首页\s*[>＞»]|^\S{1,12}(\s+[>＞»]\s+\S{1,12})+$",
    )
)
ADVERT_MAX_CHARS = 60
# A list of links follows these ("相关文章：" then one title a line): the titles go too.
_LINK_LIST = re.compile(r"相关(推荐|阅读|文章|范文)|猜你喜欢|推荐阅读|热门(文章|推荐)|延伸阅读")
LINK_MAX_CHARS = 40
SENTENCE_MIN_CHARS = 30

# ---- characters -------------------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]")
_HAS_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
# XML 1.0 forbids these; a tab becomes a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_SPACE = " \t\u3000\u00a0\u2002\u2003\u200b"
_QUOTE_PREFIX = re.compile(rf"^[{_SPACE}]*(?:[>＞][{_SPACE}]*)+")
_CN_H1_DOT = re.compile(r"^([一二三四五六七八九十]+)[.．](?![.．])")

# Truncation marks: ASCII dots or a single "…"; "……" (two) is the real Chinese ellipsis.
_TRUNCATION = re.compile(r"(?:\.{3,}|。{3,}|…+)$")
_SENTENCE_END = "。！？!?"
REPEAT_MIN_CHARS = 15  # shorter lines ("同志们：", "谢谢大家！") repeat legitimately


def width(text: str) -> int:
    """Display width in half-width columns: a Chinese character or full-width sign is 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def is_cjk(char: str) -> bool:
    return bool(char) and _CJK.match(char) is not None


def replace_entities(text: str) -> str:
    """HTML entity residue (with or without "&") → the characters they stand for."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return ENTITIES[match.group(1)]
        code = match.group(2)
        return html.unescape(f"&#{code};")

    # "&amp;ldquo;": a double-escaped entity; without this its "&" would survive.
    text = _DOUBLE_ESCAPED.sub("&", text)
    for _ in range(3):
        new = _ENTITY.sub(one, text)
        if new == text:
            break
        text = new
    return text


def is_advert(text: str) -> bool:
    """A line of web page furniture: a clear marker on a short line."""
    if len(text) > ADVERT_MAX_CHARS:
        return False
    # A full sentence of the speech ("群众可登录www.…举报涉毒线索。") is kept.
    if text.endswith("。") and len(text) > SENTENCE_MIN_CHARS:
        return False
    return any(marker.search(text) for marker in ADVERT_MARKERS)


def _is_link(text: str) -> bool:
    """A line of a list of links: a short title without a sentence end."""
    return len(text) <= LINK_MAX_CHARS and text[-1] not in "。！？!?：:"


def full_width(text: str) -> str:
    """Half-width , ; : ? ! ( ) . in Chinese text → ，；：？！（）。

    Left alone: numbers (1,234  3.5), ratios and times (150:1  10:30), URLs, heading
    numbers ("1." at the start), runs of dots ("......", reported elsewhere), and
    punctuation between two Latin characters.
    """
    protected = [m.span() for m in _URL.finditer(text)]

    def free(i: int) -> bool:
        return not any(a <= i < b for a, b in protected)

    chars = list(text)
    for match in re.finditer(r"\(([^()]*)\)", text):
        start, end = match.span()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        inner = match.group(1)
        chinese = _HAS_HAN.search(inner) or is_cjk(before) or is_cjk(after) or not before
        if free(start) and chinese and (inner or is_cjk(before)):
            chars[start], chars[end - 1] = "（", "）"
    for i, char in enumerate(text):
        if char not in _FULL or not free(i):
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isdigit() and after.isdigit():
            continue  # 1,234  3.5  150:1
        if char == ".":
            # Only a sentence stop: after a Chinese character, at the end or before another.
            if before in "….。" or after == "." or not is_cjk(before):
                continue
            if after and not is_cjk(after):
                continue
        elif not (is_cjk(before) or is_cjk(after)):
            continue
        chars[i] = _FULL[char]
    return "".join(chars)


def _strip(text: str) -> tuple[str, bool, bool]:
    """Text without outer spaces; whether leading / trailing spaces were removed."""
    left = text.lstrip(_SPACE)
    both = left.rstrip(_SPACE)
    return both, left != text, both != left


def tidy(raw: list[str]) -> Cleaned:
    """Line-by-line cleaning: entities, quote marks, indents, adverts, punctuation,
    truncation marks; empty lines dropped. Repeats are removed by :func:`drop_repeats`."""
    result = Cleaned(lines=[])
    links = False  # inside a list of links after "相关文章："
    for number, original in enumerate(raw, start=1):

        def change(kind: str, before: str, after: str, number: int = number) -> None:
            result.changes.append(Change(number, kind, before, after))

        text = _CONTROL.sub("", original.replace("\t", " "))
        if text != original.replace("\t", " "):
            change("删除控制字符", original, text)
        entities = replace_entities(text)
        if entities != text:
            change("还原实体", text, entities)
            text = entities
        quoted = _QUOTE_PREFIX.sub("", text)
        if quoted != text:
            change("删除引用符号", text, quoted)
            text = quoted
        stripped, lead, trail = _strip(text)
        indent = width(text[: len(text) - len(text.lstrip(_SPACE))])
        if lead:
            change("删除行首空格", text, text.lstrip(_SPACE))
        if trail:
            change("删除行尾空格", text.lstrip(_SPACE), stripped)
        text = stripped
        if not text:
            continue
        if is_advert(text):
            change("删除广告行", text, "")
            links = bool(_LINK_LIST.search(text))
            continue
        if links and _is_link(text):
            change("删除相关文章链接", text, "")
            continue
        links = False
        numbered = _CN_H1_DOT.sub(r"\1、", text)
        if numbered != text:
            change("规范序号", text, numbered)
            text = numbered
        punctuated = full_width(text)
        if punctuated != text:
            change("全角标点", text, punctuated)
            text = punctuated
        text = _truncation(number, text, result)
        if text:
            result.lines.append(Line(number, text, indent))
    return result


def _truncation(number: int, text: str, result: Cleaned) -> str:
    """Remove a web truncation mark after a finished sentence; note a doubtful one."""
    match = _TRUNCATION.search(text)
    if match is None or match.group() == "……" or match.group() == "…" * 4:
        return text
    stem = text[: match.start()]
    if stem and stem[-1] in _SENTENCE_END:
        result.changes.append(Change(number, "删除截断符", text, stem))
        return stem
    result.notes.append(
        Note(number, "疑似截断", text[-20:], "行尾有省略号，可能是网页截断的内容，请核对原文")
    )
    return text


def drop_repeats(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Drop a line that repeats an earlier one (a page's intro blurb shown twice), and a
    truncated line ("…主要任务是…") whose text begins another line of the draft."""
    kept: list[Line] = []
    changes: list[Change] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        text = line.text
        if len(text) >= REPEAT_MIN_CHARS and text in seen:
            changes.append(Change(line.number, "删除重复简介", text, ""))
            continue
        match = _TRUNCATION.search(text)
        stem = text[: match.start()] if match else ""
        if len(stem) >= REPEAT_MIN_CHARS and any(
            other.text.startswith(stem) and other.text != text
            for j, other in enumerate(lines)
            if j != index
        ):
            changes.append(Change(line.number, "删除重复简介", text, ""))
            continue
        seen.add(text)
        kept.append(line)
    return kept, changes


def placeholder_notes(lines: list[Line]) -> list[Note]:
    """Placeholders an anonymised draft carries ("20**年", "XX同志", "×××"), left as they
    are: only the clerk knows what goes there."""
    return [
        Note(line.number, "占位符", found, f"{what}，请填写实际内容")
        for line in lines
        for what, found in patterns.placeholders(line.text)
    ]


def date_notes(lines: list[Line]) -> list[Note]:
    """Dates with a zero or a two-digit year ("2026年03月05日"): GB/T 9704 writes
    2026年3月5日. Noted, not changed: a date inside a quotation may be meant as written."""
    return [
        Note(line.number, "日期格式", found, "日期不应补零或写两位年份，如 2026年3月5日")
        for line in lines
        for found in patterns.zero_padded_dates(line.text)
    ]


def notes_on(notes: list[Note], lines: list[Line]) -> list[Note]:
    """The notes about lines still present (a dropped repeat needs no truncation note)."""
    kept = {line.number for line in lines}
    return [note for note in notes if note.line in kept]


def clean(raw: list[str]) -> Cleaned:
    """Everything for one document: :func:`tidy`, :func:`drop_repeats`, placeholder and
    date notes.

    A collection of speeches is split between tidy and drop_repeats (see typeset.py), so
    that two speeches may share a sentence.
    """
    result = tidy(raw)
    result.lines, repeats = drop_repeats(result.lines)
    result.changes.extend(repeats)
    result.changes.sort(key=lambda c: c.line)
    result.notes = notes_on(result.notes, result.lines)
    result.notes.extend(placeholder_notes(result.lines))
    result.notes.extend(date_notes(result.lines))
    result.notes.sort(key=lambda n: n.line)
    return result


def summary(changes: list[Change]) -> dict[str, int]:
    """How many changes of each kind, in order of first appearance (for a CLI report)."""
    counts: dict[str, int] = {}
    for item in changes:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts
