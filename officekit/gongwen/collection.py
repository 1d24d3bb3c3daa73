"""Split a collection of speeches (one web page holding several) at its markers.

Markers number the speeches: 【篇一】 【1】 【第一篇】 【范文1】, 篇一 / 篇1, 第1篇, 范文一,
(1) / （1）, or a number right after the title's last word ("……讲话2"). They stand on a
line of their own, before the title on its line ("【篇一】在……上的讲话"), or at the end of
it, often after the page's "> " ("> 在……上的领导讲话【篇一】", already stripped by clean).
A collection is told by one form of marker counting up from 1 (a table of contents may run
the count once before the speeches); markers of another form, or that do not count, are
ordinary text. The marker never reaches the output: the change is reported, and a title
written with the marker keeps its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from officekit.gongwen.clean import Change, Line

CN_DIGITS = "一二三四五六七八九十"
_N = rf"([{CN_DIGITS}]+|\d+)"
# Each form: (kind, pattern of the marker itself). Kinds are compared for one sequence.
_FORMS: tuple[tuple[str, str], ...] = (
    ("bracket", rf"【\s*(?:篇|第|范文)?\s*{_N}\s*篇?\s*】"),
    ("pian", rf"篇\s*{_N}|第\s*{_N}\s*篇(?![章幅目])"),
    ("fanwen", rf"范文\s*{_N}"),
    ("paren", rf"[（(]\s*{_N}\s*[）)]"),
)
_SEPARATOR = r"[：:、.．\s]*"
_STARTS = tuple(
    (kind, re.compile(rf"^(?:{form}){_SEPARATOR}(?P<rest>.*)$")) for kind, form in _FORMS
)
_ENDS = tuple((kind, re.compile(rf"^(?P<rest>.+?)\s*(?:{form})$")) for kind, form in _FORMS) + (
    ("word", re.compile(rf"^(?P<rest>.+?(?:讲话|讲话稿|发言|发言稿|致辞|范文|精选|稿))\s*{_N}$")),
)
TITLE_MAX = 60
_SENTENCE_PUNCT = "。！？；，：,;:!?、"


@dataclass(frozen=True)
class Marker:
    kind: str
    number: int
    rest: str  # the line without its marker: the title, or "" for a marker alone


def cn_value(numeral: str) -> int:
    """一 → 1 … 九十九 → 99 (enough for heading numbers)."""
    digits = {c: i for i, c in enumerate(CN_DIGITS[:9], start=1)}
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return digits.get(tens, 1) * 10 + digits.get(ones, 0)
    return digits.get(numeral, 0)


def _number(match: re.Match[str]) -> int:
    """The marker's number: the first numeral group that took part (not the rest)."""
    rest = match.re.groupindex["rest"]
    raw = next(g for i, g in enumerate(match.groups(), start=1) if g and i != rest)
    return int(raw) if raw.isdigit() else cn_value(raw)


def _title_like(text: str) -> bool:
    return 0 < len(text) <= TITLE_MAX and text[-1] not in _SENTENCE_PUNCT


def marker(text: str) -> Marker | None:
    """The collection marker a line carries, or None (see the module docs)."""
    if len(text) > TITLE_MAX + 12:
        return None
    for kind, pattern in _STARTS:
        match = pattern.match(text)
        if match is None:
            continue
        rest = match.group("rest").strip()
        # "（1）加强宣传。" is a level-4 heading: brackets start a marker only alone.
        if kind == "paren" and rest:
            continue
        # "篇一：" and "第1篇" lead text; "篇幅" "第一篇章" do not mark anything.
        if rest and not _title_like(rest) and kind != "bracket":
            continue
        return Marker(kind, _number(match), rest)
    for kind, pattern in _ENDS:
        match = pattern.match(text)
        if match is not None and _title_like(match.group("rest").strip()):
            return Marker(kind, _number(match), match.group("rest").strip())
    return None


_BRACKET = re.compile(_FORMS[0][1])


def leading_marker(text: str) -> str:
    """The marker a line starts with ("【篇一】", "篇一："), or a title ending in a bracket
    marker with more text glued after it ("在……上的讲话【篇一】下面是……"); else ""."""
    for kind, pattern in _STARTS:
        match = pattern.match(text)
        if match is not None and kind != "paren" and match.start("rest") > 0:
            return text[: match.start("rest")]
    bracket = _BRACKET.search(text)
    title = text[: bracket.start()].strip() if bracket else ""
    if title and _title_like(title) and not re.search(r"[。！？!?]", title):
        return text[: bracket.end()]
    return ""


def _counts_up(numbers: list[int]) -> bool:
    """1, 2, 3 …, possibly run once before (a table of contents): 1, 2, 1, 2."""
    expected = 1
    for number in numbers:
        if number == expected:
            expected += 1
        elif number == 1:
            expected = 2
        else:
            return False
    return True


def _markers(lines: list[Line]) -> list[tuple[int, Marker]]:
    """The markers of the one form that numbers this draft's speeches (see module docs)."""
    found = [(i, m) for i, line in enumerate(lines) if (m := marker(line.text))]
    best: list[tuple[int, Marker]] = []
    for kind in dict.fromkeys(m.kind for _, m in found):
        mine = [(i, m) for i, m in found if m.kind == kind]
        if _counts_up([m.number for _, m in mine]) and len(mine) > len(best):
            best = mine
    return best


def split_speeches(lines: list[Line]) -> tuple[list[list[Line]], list[Change]]:
    """One list of lines per speech. Without markers counting 1, 2, … the whole draft is
    one speech. Lines before the first marker (the page's own title and blurb) and a table
    of contents (a marker whose speech has no body) are removed and reported."""
    found = _markers(lines)
    changes: list[Change] = []
    if len(found) == 1 and found[0][1].number == 1 and found[0][0] == 0:
        # One "【篇一】" heading the draft: a collection of one.
        line, rest = lines[0], found[0][1].rest
        changes.append(Change(line.number, "删除合集标记", line.text, rest))
        head = [Line(line.number, rest, line.indent)] if rest else []
        return [head + lines[1:]], changes
    if len(found) < 2 or max(m.number for _, m in found) < 2:
        return [lines], []
    speeches: list[list[Line]] = []
    first = found[0][0]
    for line in lines[:first]:
        changes.append(Change(line.number, "删除合集开头", line.text, ""))
    bounds = [i for i, _ in found] + [len(lines)]
    for (index, mark), end in zip(found, bounds[1:], strict=True):
        line = lines[index]
        changes.append(Change(line.number, "删除合集标记", line.text, mark.rest))
        head = [Line(line.number, mark.rest, line.indent)] if mark.rest else []
        speech = head + lines[index + 1 : end]
        if len(speech) < 2:  # a table-of-contents entry: a title and nothing else
            for entry in speech:
                changes.append(Change(entry.number, "删除目录行", entry.text, ""))
            continue
        speeches.append(speech)
    return speeches or [lines], changes
