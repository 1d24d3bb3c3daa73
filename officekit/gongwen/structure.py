"""Tell the 公文 role of each cleaned line of a speech: title, byline, headings, body…

Decisions (drafts pasted from the web, see shared real-speech-patterns.md):

* Title: the line before the greeting "同志们：" (above the bylines under it), else the
  first line that reads like a title ("在……上的讲话", "……讲话稿", roles.is_speech_title),
  else the first line; what stands above it is the web page's and is removed, reported
  (:func:`front_matter`). The lines right after the title are a byline (speaker and post,
  the date in brackets, a "——" subtitle, or a placeholder in their place) while they are
  short and unpunctuated; a second line "XXX同志在…上的讲话" continues the title.
* Numbered headings: "一、" level 1, "（一）" level 2, "1." "1、" "1．" level 3, "（1）"
  level 4. A heading line holding more than one sentence is run-in: the first sentence
  (through the first 。！？) is the heading, the rest body text of the same paragraph.
* "第一，" starts a level-1 heading only when the speech uses it as its section scheme:
  no "一、" line anywhere, the paragraphs starting 第一，第二，… run in order without
  restarting, there are at least two of them, and the first comes before any "（一）".
  Then "（一）" is level 2 under it. Otherwise "第一，" paragraphs are body text
  (enumerations). The run-in heading is the first sentence when it is short (≤ 30
  characters), else the first clause after "第一，" up to and including its "，".
* Bare headings ("认识要再提高"): short lines without end punctuation or number, each
  followed by body text, with siblings of the same form (roles.bare_headings). Level 1
  in a speech without "一、"/"第一，" headings; level 2 when they all stand under "一、"
  headings and the speech has no "（一）"; otherwise body text, noted as 疑似标题.
* "一是……二是……", "一要……" and mid-paragraph "第一，……第二，……" are body text.
* Collections are split by collection.py before a speech gets here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from officekit.gongwen import collection, patterns, roles
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


CN_DIGITS = collection.CN_DIGITS
END_PUNCT = "。！？；：，、!?;:,…"
SENTENCE_END = re.compile(r"[。！？]")
BYLINE_MAX = 30
BARE_HEADING_MAX = roles.BARE_HEADING_MAX
ORDINAL_SENTENCE_MAX = 30
GREETING = roles.GREETING_TEXT
DATE_LINE = re.compile(r"^[（(][^（）()]{4,24}[年][^（）()]*[）)]$")
TITLE_CONTINUATION = re.compile(r"^(?!——).{0,24}在.{2,40}上的(讲话|发言|致辞|报告|主持词)$")
CLOSING_START = re.compile(r"^(同志们[，,！!]|谢谢(大家|各位)?[！!。]?$)")
_ORDINAL = re.compile(rf"^第([{CN_DIGITS}]+)[，,、]")
cn_value = collection.cn_value
split_speeches = collection.split_speeches


# ---- headings -----------------------------------------------------------------------------


_numbered_level = roles.heading_level


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
    return roles.is_bare_heading_shape(text)


# ---- classification -----------------------------------------------------------------------


TITLE_MAX_CHARS = 60
MISSING_TITLE = "××××"


def _looks_like_title(text: str) -> bool:
    return (
        len(text) <= TITLE_MAX_CHARS and text[-1] not in "。！？；，" and not GREETING.match(text)
    )


def _is_byline(text: str) -> bool:
    if DATE_LINE.match(text) or text.startswith("——"):
        return True
    return len(text) <= BYLINE_MAX and text[-1] not in END_PUNCT and _numbered_level(text) is None


# Bylines a title may have above the greeting: speaker, post, date, a "——" subtitle.
_POST = re.compile(
    r"同志|书记|县长|市长|区长|州长|镇长|乡长|主任|局长|部长|厅长|主席|委员|[xX×*＊]{2,}"
)
TITLE_SEARCH = 20  # lines from the top of a speech the title is looked for in
SENTENCE_MIN = 8  # a line this long ending in 。！？ is a sentence of the speech
_BYLINES_ABOVE_GREETING = 5


def _is_byline_above(text: str) -> bool:
    short = len(text) <= BYLINE_MAX and text[-1] not in END_PUNCT
    return bool(
        DATE_LINE.match(text)
        or text.startswith("——")
        or (short and _POST.search(text))
        or (short and patterns.placeholders(text) and len(text) <= 12)
    )


def _title_start(lines: list[Line], index: int) -> int:
    """A motto line above "张某同志在……上的讲话" is the title's first line."""
    above = lines[index - 1].text if index > 0 else ""
    title = lines[index].text
    if above and above != title and roles.SPEAKER_TITLE.match(title) and _looks_like_title(above):
        return index - 1
    return index


def title_index(lines: list[Line]) -> int:
    """Where a speech's title is: the line before "同志们：" (above its bylines), or the
    first line that reads like a title ("在……上的讲话", "……讲话稿"); 0 when neither is
    found. Whatever stands above it is the web page's, not the speech's."""
    window = lines[:TITLE_SEARCH]
    greeting = next((i for i, line in enumerate(window) if GREETING.match(line.text)), None)
    if greeting:
        for i in range(greeting - 1, max(-1, greeting - 1 - _BYLINES_ABOVE_GREETING), -1):
            # "——在……上的讲话" is a subtitle under the title, a byline.
            text = lines[i].text
            if roles.is_speech_title(text) and not text.startswith("——"):
                return _title_start(lines, i)
        i = greeting - 1
        while i > 0 and _is_byline_above(lines[i].text):
            i -= 1
        return _title_start(lines, i) if _looks_like_title(lines[i].text) else 0
    for i, line in enumerate(window):
        if roles.is_speech_title(line.text):
            return _title_start(lines, i)
        if len(line.text) > TITLE_MAX_CHARS or (
            len(line.text) > SENTENCE_MIN and line.text[-1] in "。！？"
        ):
            break  # a sentence: the speech itself has begun
    return 0


def front_matter(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """The speech from its title on; the lines above it removed and reported."""
    start = title_index(lines)
    changes = [Change(line.number, "删除标题前内容", line.text, "") for line in lines[:start]]
    return lines[start:], changes


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
        # Above a greeting any short unpunctuated line is a byline; without one, only a
        # speaker, post, date or placeholder is (a bare heading may follow the title).
        greeting_ahead = any(GREETING.match(line.text) for line in lines[i : i + 6])
        is_byline = _is_byline if greeting_ahead else _is_byline_above
        while i < len(lines) and len(blocks) < 5 and is_byline(lines[i].text):
            blocks.append(Block("byline", "", lines[i].text, lines[i].number))
            i += 1
    else:
        # A 公文 has a title: a placeholder stands in for it, listed with the others.
        blocks.append(Block("title", "", MISSING_TITLE, lines[0].number))
        notes.append(
            Note(
                lines[0].number,
                "缺少标题",
                lines[0].text[:20],
                f"第一行不像标题，已在文首放上占位标题“{MISSING_TITLE}”，请改为讲话的标题",
            )
        )
    if i < len(lines) and GREETING.match(lines[i].text):
        blocks.append(Block("greeting", "", lines[i].text, lines[i].number))
        i += 1
    blocks.extend(_classify_body(lines[i:], notes))
    return Speech(blocks, notes)


def drop_heading_stops(speech: Speech) -> tuple[Speech, list[Change]]:
    """A heading standing on its own line takes no full stop (GB/T 9704 7.3.3): "一、认清
    形势。" → "一、认清形势"; run-in headings keep theirs."""
    blocks: list[Block] = []
    changes: list[Change] = []
    for block in speech.blocks:
        heading = block.heading
        if block.role in ("h1", "h2") and not block.run_in and heading.endswith("。"):
            block = Block(block.role, heading.rstrip("。"), "", block.line)
            changes.append(Change(block.line, "删除标题句号", heading, block.heading))
        blocks.append(block)
    return Speech(blocks, speech.notes), changes


def _classify_body(lines: list[Line], notes: list[Note]) -> list[Block]:
    ordinal = _ordinal_scheme(lines)
    numbered = any(patterns.H1_NUMBER.match(line.text) for line in lines)
    bare, bare_role = _bare(lines, ordinal)
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
        role, heading, rest = _heading(i, text, ordinal, bare, bare_role)
        if role == "body":
            if not annex and seen_heading and CLOSING_START.match(text):
                closing = True
            if closing:
                role = "closing"
            elif (
                (numbered or ordinal)
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


def _bare(lines: list[Line], ordinal: set[int]) -> tuple[set[int], str]:
    """Unnumbered headings (roles.bare_headings) and their level: 1 in a speech without
    numbered level-1 headings; 2 when they all stand under "一、" headings and the speech
    has no "（一）"; otherwise none (they stay body text, noted as 疑似标题)."""
    annex = next(
        (i for i, line in enumerate(lines) if patterns.ATTACH_LABEL.match(line.text)), None
    )
    texts = [line.text for line in lines[:annex]]
    # The first body line is the opening paragraph, never a heading.
    found = roles.bare_headings(texts) - {0}
    h1 = [i for i, t in enumerate(texts) if patterns.H1_NUMBER.match(t)] + sorted(ordinal)
    if not found or not h1:
        return found, "h1"
    if min(found) > min(h1) and not any(patterns.H2_NUMBER.match(t) for t in texts):
        return found, "h2"
    return set(), "h1"


def _heading(
    index: int, text: str, ordinal: set[int], bare: set[int], bare_role: str = "h1"
) -> tuple[str, str, str]:
    """(role, heading, rest) for one body line."""
    if index in ordinal:
        heading, rest = split_ordinal(text)
        return "h1", heading, rest
    if index in bare:
        return bare_role, text, ""
    level = _numbered_level(text)
    if level is None:
        return "body", "", text
    heading, rest = split_run_in(text)
    return f"h{level}", heading, rest
