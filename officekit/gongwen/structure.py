"""Tell the 公文 role of each cleaned line of a speech: title, byline, headings, body…

Decisions (drafts pasted from the web, see shared real-speech-patterns.md):

* Title: the first line. The lines right after it are a byline (speaker and post, the
  date in brackets, a "——" subtitle) while they are short and unpunctuated; a second
  line of the form "XXX同志在…上的讲话" continues the title.
* Numbered headings: "一、" level 1, "（一）" level 2, "1." "1、" "1．" level 3, "（1）"
  level 4. A heading line holding more than one sentence is run-in: the first sentence
  (through the first 。！？) is the heading, the rest body text of the same paragraph.
* "第一，" starts a level-1 heading only when the speech uses it as its section scheme:
  no "一、" line anywhere, the paragraphs starting 第一，第二，… run in order without
  restarting, there are at least two of them, and the first comes before any "（一）".
  Then "（一）" is level 2 under it. Otherwise "第一，" paragraphs are body text
  (enumerations). The run-in heading is the first sentence when it is short (≤ 30
  characters), else the first clause after "第一，" up to and including its "，".
* Bare level-1 headings ("认识要再提高"): when the speech has neither "一、" nor "第一，"
  headings, a line after the opening that is short (≤ 25 characters), ends without
  punctuation and carries no number is a level-1 heading, provided there are at least two
  such lines. In a numbered speech such lines stay body text and are reported as notes.
* "一是……二是……", "一要……" and mid-paragraph "第一，……第二，……" are body text.
* Collections: lines 【篇一】【篇二】…, 【1】【2】…, "篇一：", "第1篇" split a draft into
  speeches when they count up from one; the marker lines are removed (reported). A
  marker followed by text on the same line keeps that text as the speech's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from officekit.gongwen import patterns
from officekit.gongwen.clean import Change, Line, Note

ROLES = (
    "title",
    "byline",
    "greeting",
    "h1",
    "h2",
    "h3",
    "h4",
    "body",
    "closing",
    "attach_note",
    "attach_label",
    "attach_title",
)


@dataclass(frozen=True)
class Block:
    """One paragraph of the output.

    For a heading on its own line ``heading`` holds it and ``text`` is empty; for a run-in
    heading ``heading`` is the heading sentence and ``text`` the rest of the paragraph;
    for every other role ``heading`` is empty. ``line`` is the 1-based input line.
    """

    role: str
    heading: str
    text: str
    line: int

    @property
    def run_in(self) -> bool:
        return bool(self.heading and self.text)

    @property
    def full_text(self) -> str:
        return self.heading + self.text


@dataclass
class Speech:
    blocks: list[Block]
    notes: list[Note]

    @property
    def title(self) -> str:
        titles = [b.text for b in self.blocks if b.role == "title"]
        return "".join(titles)


CN_DIGITS = "一二三四五六七八九十"
END_PUNCT = "。！？；：，、!?;:,…"
SENTENCE_END = re.compile(r"[。！？]")
BYLINE_MAX = 30
BARE_HEADING_MAX = 25
ORDINAL_SENTENCE_MAX = 30
GREETING = re.compile(
    r"^[^。！？；，]{0,24}(同志|领导|来宾|朋友|代表|同学|老师|各位|大家|委员)[^。！？；，]{0,12}[：:]$"
)
DATE_LINE = re.compile(r"^[（(][^（）()]{4,24}[年][^（）()]*[）)]$")
TITLE_CONTINUATION = re.compile(r"^.{0,24}在.{2,40}上的(讲话|发言|致辞|报告|主持词)$")
CLOSING_START = re.compile(r"^(同志们[，,！!]|谢谢(大家|各位)?[！!。]?$)")
_ORDINAL = re.compile(rf"^第([{CN_DIGITS}]+)[，,、]")


def cn_value(numeral: str) -> int:
    """一 → 1 … 九十九 → 99 (enough for heading numbers)."""
    digits = {c: i for i, c in enumerate(CN_DIGITS[:9], start=1)}
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return digits.get(tens, 1) * 10 + digits.get(ones, 0)
    return digits.get(numeral, 0)


# ---- collections --------------------------------------------------------------------------

_MARKER = re.compile(
    rf"^(?:【\s*(?:篇|第)?\s*([{CN_DIGITS}]+|\d+)\s*篇?\s*】"
    rf"|篇\s*([{CN_DIGITS}]+|\d+)\s*(?:[：:、.．]|$)"
    rf"|第\s*([{CN_DIGITS}]+|\d+)\s*篇(?![章幅目])[：:、.．]?)\s*(.*)$"
)


def _marker(text: str) -> tuple[int, str] | None:
    """(number, text after the marker) for a collection marker line, else None."""
    match = _MARKER.match(text)
    if match is None:
        return None
    raw = match.group(1) or match.group(2) or match.group(3)
    number = int(raw) if raw.isdigit() else cn_value(raw)
    return number, match.group(4).strip()


def split_speeches(lines: list[Line]) -> tuple[list[list[Line]], list[Change]]:
    """One list of lines per speech. Without markers counting 1, 2, … the whole draft is
    one speech. Lines before the first marker (the page's own title and blurb) and a table
    of contents (a marker whose speech has no body) are removed and reported."""
    found = [(i, m) for i, line in enumerate(lines) if (m := _marker(line.text))]
    changes: list[Change] = []
    # The markers must count up from 1; a table of contents may repeat the sequence.
    expected = 1
    for _, (number, _) in found:
        if number == expected:
            expected += 1
        elif number == 1:
            expected = 2
        else:
            return [lines], []
    if len(found) < 2 or expected <= 2:
        if len(found) == 1 and found[0][1][0] == 1 and found[0][0] == 0:
            marker_line = lines[0]
            rest = found[0][1][1]
            changes.append(Change(marker_line.number, "删除合集标记", marker_line.text, rest))
            head = [Line(marker_line.number, rest)] if rest else []
            return [head + lines[1:]], changes
        return [lines], []
    speeches: list[list[Line]] = []
    first = found[0][0]
    for line in lines[:first]:
        changes.append(Change(line.number, "删除合集开头", line.text, ""))
    bounds = [i for i, _ in found] + [len(lines)]
    for (index, (_, rest)), end in zip(found, bounds[1:], strict=True):
        marker_line = lines[index]
        changes.append(Change(marker_line.number, "删除合集标记", marker_line.text, rest))
        speech = ([Line(marker_line.number, rest)] if rest else []) + lines[index + 1 : end]
        if len(speech) < 2:  # a table-of-contents entry: a title and nothing else
            for line in speech:
                changes.append(Change(line.number, "删除目录行", line.text, ""))
            continue
        speeches.append(speech)
    return speeches or [lines], changes


# ---- headings -----------------------------------------------------------------------------


def _numbered_level(text: str) -> int | None:
    if patterns.H1_NUMBER.match(text):
        return 1
    if patterns.H2_NUMBER.match(text):
        return 2
    if patterns.H4_NUMBER.match(text):
        return 4
    if patterns.H3_NUMBER.match(text):
        return 3
    return None


def split_run_in(text: str) -> tuple[str, str]:
    """(heading, rest): the first sentence is the heading when more text follows it."""
    match = SENTENCE_END.search(text)
    if match is None or match.end() >= len(text):
        return text, ""
    end = match.end()
    # A closing quote or bracket belongs to the sentence it ends.
    while end < len(text) and text[end] in "”’）」":
        end += 1
    if end >= len(text):
        return text, ""
    return text[:end], text[end:]


def split_ordinal(text: str) -> tuple[str, str]:
    """Run-in "第一，" heading: the first sentence if short, else the first clause."""
    heading, rest = split_run_in(text)
    if len(heading) <= ORDINAL_SENTENCE_MAX:
        return heading, rest
    prefix = _ORDINAL.match(text)
    start = prefix.end() if prefix else 0
    comma = text.find("，", start)
    if comma == -1 or comma - start < 4:
        return heading, rest
    return text[: comma + 1], text[comma + 1 :]


def _ordinal_scheme(lines: list[Line]) -> set[int]:
    """Indexes of lines that are "第一，" level-1 headings (see the module docstring)."""
    if any(patterns.H1_NUMBER.match(line.text) for line in lines):
        return set()
    hits = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _ORDINAL.match(line.text))]
    if len(hits) < 2:
        return set()
    if [cn_value(n) for _, n in hits] != list(range(1, len(hits) + 1)):
        return set()
    first_h2 = next(
        (i for i, line in enumerate(lines) if patterns.H2_NUMBER.match(line.text)), None
    )
    if first_h2 is not None and first_h2 < hits[0][0]:
        return set()
    return {i for i, _ in hits}


def _is_bare_candidate(text: str) -> bool:
    return (
        len(text) <= BARE_HEADING_MAX
        and text[-1] not in END_PUNCT + "”’）)"
        and _numbered_level(text) is None
        and not patterns.ENUMERATION.match(text)
        and not _ORDINAL.match(text)
        and not patterns.ATTACH_NOTE.match(text)
        and not patterns.ATTACH_LABEL.match(text)
    )


# ---- classification -----------------------------------------------------------------------


def _looks_like_title(text: str) -> bool:
    return len(text) <= 60 and text[-1] not in "。！？；，" and not GREETING.match(text)


def _is_byline(text: str) -> bool:
    if DATE_LINE.match(text) or text.startswith("——"):
        return True
    return len(text) <= BYLINE_MAX and text[-1] not in END_PUNCT and _numbered_level(text) is None


def classify(lines: list[Line]) -> Speech:
    """Roles of one speech's cleaned lines."""
    blocks: list[Block] = []
    notes: list[Note] = []
    if not lines:
        return Speech(blocks, notes)
    i = 0
    if _looks_like_title(lines[0].text):
        blocks.append(Block("title", "", lines[0].text, lines[0].number))
        i = 1
        while i < len(lines) and TITLE_CONTINUATION.match(lines[i].text):
            blocks.append(Block("title", "", lines[i].text, lines[i].number))
            i += 1
        while i < len(lines) and len(blocks) < 5 and _is_byline(lines[i].text):
            # A short line followed by the greeting or the opening is a byline; but a
            # bare heading right after the title is not possible (the opening comes first).
            blocks.append(Block("byline", "", lines[i].text, lines[i].number))
            i += 1
    else:
        notes.append(
            Note(lines[0].number, "缺少标题", lines[0].text[:20], "第一行不像标题，请补上标题")
        )
    if i < len(lines) and GREETING.match(lines[i].text):
        blocks.append(Block("greeting", "", lines[i].text, lines[i].number))
        i += 1
    blocks.extend(_classify_body(lines[i:], notes))
    return Speech(blocks, notes)


def _classify_body(lines: list[Line], notes: list[Note]) -> list[Block]:
    ordinal = _ordinal_scheme(lines)
    numbered = any(patterns.H1_NUMBER.match(line.text) for line in lines)
    bare = set()
    if not numbered and not ordinal:
        # The first body line is the opening paragraph, never a heading.
        candidates = {i for i, line in enumerate(lines) if i > 0 and _is_bare_candidate(line.text)}
        candidates = {i for i in candidates if not _in_annex(lines, i)}
        if len(candidates) >= 2:
            bare = candidates
    blocks: list[Block] = []
    annex = False  # after an "附件" label: the next line is the annex's title
    seen_heading = False
    closing = False
    previous = ""
    for i, line in enumerate(lines):
        text = line.text
        if patterns.ATTACH_LABEL.match(text):
            blocks.append(Block("attach_label", "", text, line.number))
            annex, closing, previous = True, False, "attach_label"
            continue
        if annex and previous == "attach_label":
            blocks.append(Block("attach_title", "", text, line.number))
            previous = "attach_title"
            continue
        if patterns.ATTACH_NOTE.match(text) or (
            previous == "attach_note" and patterns.H3_NUMBER.match(text)
        ):
            blocks.append(Block("attach_note", "", text, line.number))
            previous = "attach_note"
            continue
        role, heading, rest = _heading(i, text, ordinal, bare)
        if role == "body":
            if not annex and seen_heading and CLOSING_START.match(text):
                closing = True
            if closing:
                role = "closing"
            elif (
                numbered
                and i > 0
                and _is_bare_candidate(text)
                and not annex
                and not _is_byline_like_date(text)
            ):
                notes.append(
                    Note(line.number, "疑似标题", text, "短行无句末标点，已按正文排版，请核对")
                )
        else:
            seen_heading, closing = True, False
        blocks.append(Block(role, heading, rest, line.number))
        previous = role
    return blocks


def _is_byline_like_date(text: str) -> bool:
    return bool(DATE_LINE.match(text))


def _in_annex(lines: list[Line], index: int) -> bool:
    return any(patterns.ATTACH_LABEL.match(line.text) for line in lines[:index])


def _heading(index: int, text: str, ordinal: set[int], bare: set[int]) -> tuple[str, str, str]:
    """(role, heading, rest) for one body line."""
    if index in ordinal:
        heading, rest = split_ordinal(text)
        return "h1", heading, rest
    if index in bare:
        return "h1", text, ""
    level = _numbered_level(text)
    if level is None:
        return "body", "", text
    heading, rest = split_run_in(text)
    return f"h{level}", heading, rest
