"""Which 公文 element each paragraph of a .docx is: title, byline, greeting, heading …

A paragraph's style decides when it is one of ours (``GwTitle``/公文标题 …, see
stylesheet.STYLES) or one of Word's (标题 1 …). Otherwise its text and place decide: the first
paragraph is the title, centred lines under it the byline, "同志们：" the greeting,
"一、" a level-1 heading, "附件1" on its own an annex label, and so on. A heading written
run-in ("（一）落实责任。落实各级……") is a heading only up to its first full stop;
``heading_end`` says where the body text starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from officekit.gongwen import patterns, spec, stylesheet
from officekit.gongwen.styles import (
    StyleSheet,
    W,
    east_asian_font,
    first,
    paragraph_style_id,
    size_pt,
    text_of,
)

# Style (id or name) → role. Our layout's styles first, then Word's built-in headings.
_LAYOUT_ROLES = {
    "attach_note_more": "attach_note",
    "tiny": "body",
    "table_note": "table",
    "page_number": "page_number",
}
STYLE_ROLES: dict[str, str] = {}
for _key, _style in stylesheet.STYLES.items():
    _role = _LAYOUT_ROLES.get(_key, _key)
    if _style.style_id != "Normal":
        STYLE_ROLES[_style.style_id] = _role
        STYLE_ROLES[_style.name] = _role
STYLE_ROLES.update(
    {
        "Title": "title",
        "title": "title",
        "Heading1": "h1",
        "heading 1": "h1",
        "Heading2": "h2",
        "heading 2": "h2",
        "Heading3": "h3",
        "heading 3": "h3",
        "Heading4": "h4",
        "heading 4": "h4",
    }
)

ROLE_NAMES = {
    "title": "标题",
    "byline": "署名",
    "greeting": "主送/称谓",
    "body": "正文",
    "party": "正文",
    "h1": "一级标题",
    "h2": "二级标题",
    "h3": "三级标题",
    "h4": "四级标题",
    "attach_note": "附件说明",
    "signature": "落款",
    "attach_label": "附件标识",
    "attach_title": "附件标题",
    "table": "表格文字",
    "table_head": "表格标题行",
    "page_number": "页码",
}

_END_PUNCTUATION = "。！？；：…"
_BYLINE_DATE = re.compile(r"^[（(].*\d{4}年.*[）)]$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_GREETING_MAX = 40
_BARE_HEADING_MAX = 30


@dataclass
class Para:
    """One paragraph of the body with its role."""

    number: int  # 1-based, every paragraph of the body in order (table cells included)
    element: etree._Element
    text: str
    role: str
    in_table: bool
    heading_end: int | None = None  # run-in heading: the heading is text[:heading_end]

    @property
    def where(self) -> str:
        shown = self.text.strip()
        shown = shown if len(shown) <= 16 else shown[:16] + "……"
        return f"第 {self.number} 段「{shown}」" if shown else f"第 {self.number} 段（空段落）"


def _style_role(styles: StyleSheet, p: etree._Element) -> str | None:
    sid = paragraph_style_id(p)
    if sid is None:
        return None
    return STYLE_ROLES.get(sid) or STYLE_ROLES.get(styles.name(sid))


def _centred(styles: StyleSheet, p: etree._Element) -> bool:
    return first(styles.paragraph_layers(p), "jc") == "center"


def _face(styles: StyleSheet, p: etree._Element) -> str | None:
    """The typeface kind of the paragraph's first run with text."""
    for r in p.iter(W + "r"):
        if any((t.text or "").strip() for t in r.findall(W + "t")):
            return spec.face_of(east_asian_font(styles.run_layers(p, r)).name)
    return None


_SENTENCE_END = re.compile(r"[。！？][”’）》」]?")


def run_in_end(text: str) -> int | None:
    """Where the body starts in a run-in heading ("（一）落实责任。落实各级……" → after "。");
    None when the whole paragraph is the heading."""
    stop = _SENTENCE_END.search(text)
    if stop is None or not text[stop.end() :].strip():
        return None
    return stop.end()


def _leading_face_end(styles: StyleSheet, p: etree._Element, face: str) -> int:
    """Characters at the start of ``p`` set in typeface kind ``face``."""
    end = 0
    for r in p.iter(W + "r"):
        text = "".join(t.text or "" for t in r.findall(W + "t"))
        if not text:
            continue
        if spec.face_of(east_asian_font(styles.run_layers(p, r)).name) != face:
            break
        end += len(text)
    return end


def _text_role(text: str) -> str | None:
    if patterns.ATTACH_NOTE.match(text):
        return "attach_note"
    if patterns.ATTACH_LABEL.match(text):
        return "attach_label"
    if patterns.H1_NUMBER.match(text):
        return "h1"
    if patterns.H2_NUMBER.match(text):
        return "h2"
    if patterns.H4_NUMBER.match(text):
        return "h4"
    if patterns.H3_NUMBER.match(text):
        return "h3"
    if _DATE_LINE.match(text):
        return "signature"
    return None


def classify(body: etree._Element, styles: StyleSheet) -> list[Para]:
    """Every paragraph of ``body`` with its role, in document order."""
    paras: list[Para] = []
    state = "start"  # start → title (title block) → after_title (blank below it) → body
    previous_role = ""
    for number, p in enumerate(body.iter(W + "p"), start=1):
        text = text_of(p)
        stripped = text.strip()
        in_table = next(p.iterancestors(W + "tc"), None) is not None
        para = Para(number, p, text, "body", in_table)
        paras.append(para)
        by_style = _style_role(styles, p)
        if by_style is not None:
            para.role = by_style
        elif in_table:
            para.role = "table"
        elif not stripped:
            para.role = "empty"
            if state == "title":
                state = "after_title"
            continue
        elif state == "start":
            para.role = "title"
        elif state == "title" and _centred(styles, p):
            size = size_pt(styles.run_layers(p, next(p.iter(W + "r"), None)))
            if previous_role == "title" and (size or 0) >= 18:
                para.role = "title"  # a title set on several lines
            elif _BYLINE_DATE.match(stripped) or len(stripped) <= _GREETING_MAX:
                para.role = "byline"
        elif previous_role == "attach_label":
            para.role = "attach_title"
        elif previous_role == "attach_note" and patterns.H3_NUMBER.match(stripped):
            para.role = "attach_note"
        elif (
            state in ("title", "after_title")
            and stripped.endswith(("：", ":"))
            and len(stripped) <= _GREETING_MAX
        ):
            para.role = "greeting"
        if para.role == "body" and not in_table:
            para.role = _text_role(stripped) or _bare_heading(styles, p, stripped) or "body"
        if para.role in ("h1", "h2") and by_style is None:
            para.heading_end = run_in_end(text)
        elif para.role == "body" and patterns.ORDINAL_NUMBER.match(stripped):
            # "第一，要打好……攻坚战，……。": a level-1 heading run in when its opening is set
            # in 黑体; otherwise an enumeration in the body.
            end = _leading_face_end(styles, p, "黑体")
            if end:
                para.role = "h1"
                para.heading_end = end if end < len(text.rstrip()) else None
        if in_table:
            continue
        if para.role == "title":
            state = "title"
        elif para.role == "attach_label":
            state = "annex"
        elif para.role not in ("byline", "empty"):
            state = "body"
        previous_role = para.role
    return paras


def _bare_heading(styles: StyleSheet, p: etree._Element, text: str) -> str | None:
    """An unnumbered heading set in a heading face ("措施要再有力" in 黑体) is a heading."""
    if len(text) > _BARE_HEADING_MAX or text.endswith(tuple(_END_PUNCTUATION)):
        return None
    return {"黑体": "h1", "楷体": "h2"}.get(_face(styles, p) or "")


# ---- the shape of a line of plain text --------------------------------------------------
# Shared by the typesetter (which has only text) and anything judging paragraphs by their
# words alone. Drafts pasted from the web: see shared real-speech-patterns.md.

GREETING_TEXT = re.compile(
    r"^[^。！？；，]{0,24}(同志|领导|来宾|朋友|代表|同学|老师|各位|大家|委员)[^。！？；，]{0,12}[：:]$"
)
_SPEECH_TITLE = re.compile(
    r"在.{1,40}(上|中|之际|仪式|活动)的?(讲话|发言|致辞|报告|主持词|讲话稿|总结|动员)"
    r"|(讲话|讲话稿|发言|发言稿|致辞|主持词|讲稿|报告|动员令|会议|大会)$"
)
# "张某同志在全州禁毒工作会议上的讲话": the second line of a title whose first line is a motto.
SPEAKER_TITLE = re.compile(r"^.{2,24}在.{2,40}上的(讲话|发言|致辞|报告|主持词)$")
_TITLE_END = "。！？；，：,;:!?、"
TITLE_MAX = 60
BARE_HEADING_MAX = 25
SET_PHRASE_MAX = 8
_BARE_END = "。！？；：，、!?;:,…”’）)"
_SENTENCE_STOP = "。！？!?"


def heading_level(text: str) -> int | None:
    """The level a heading number at the start of a line gives: "一、" 1, "（一）" 2,
    "1." 3, "（1）" 4; None without one."""
    if patterns.H1_NUMBER.match(text):
        return 1
    if patterns.H2_NUMBER.match(text):
        return 2
    if patterns.H4_NUMBER.match(text):
        return 4
    if patterns.H3_NUMBER.match(text):
        return 3
    return None


def _numbered(text: str) -> bool:
    return heading_level(text) is not None


def is_speech_title(text: str) -> bool:
    """A line that reads like a speech's title: "在……上的讲话", "……讲话稿", "……会议"."""
    return (
        0 < len(text) <= TITLE_MAX
        and text[-1] not in _TITLE_END
        and not GREETING_TEXT.match(text)
        and not _numbered(text)
        and _SPEECH_TITLE.search(text) is not None
    )


def is_bare_heading_shape(text: str) -> bool:
    """Short, no end punctuation, no number: what an unnumbered heading looks like."""
    return (
        0 < len(text) <= BARE_HEADING_MAX
        and text[-1] not in _BARE_END
        and not _numbered(text)
        and not patterns.ENUMERATION.match(text)
        and not patterns.ORDINAL_NUMBER.match(text)
        and not patterns.ATTACH_NOTE.match(text)
        and not patterns.ATTACH_LABEL.match(text)
        and not GREETING_TEXT.match(text)
    )


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of characters ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best


def same_form(a: str, b: str) -> bool:
    """Two headings of one series: "认识要再提高" / "措施要再有力" share a frame ("要再");
    "认清形势" / "突出重点" are phrases of one length."""
    if abs(len(a) - len(b)) > max(3, max(len(a), len(b)) // 2):
        return False
    if _common_run(a, b) >= 2:
        return True
    # Without a shared frame only set phrases of one length ("认清形势" "突出重点").
    return len(a) == len(b) <= SET_PHRASE_MAX


def _body_like(text: str) -> bool:
    """Body text, or a numbered heading (a sub-heading right under a bare heading)."""
    return not is_bare_heading_shape(text) and (
        _numbered(text) or len(text) > BARE_HEADING_MAX or text[-1] in _SENTENCE_STOP
    )


def bare_headings(texts: list[str]) -> set[int]:
    """Indexes of the unnumbered headings among consecutive lines of body text.

    A line is one when it has the shape (:func:`is_bare_heading_shape`), body text follows
    it, and another such line is of the same form (:func:`same_form`): a heading series
    has siblings, a stray short line does not.
    """
    candidates = [
        i
        for i, text in enumerate(texts)
        if is_bare_heading_shape(text) and i + 1 < len(texts) and _body_like(texts[i + 1])
    ]
    return {
        i for i in candidates if any(j != i and same_form(texts[i], texts[j]) for j in candidates)
    }
