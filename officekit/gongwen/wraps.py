"""Re-join hard-wrapped lines: a line that stops mid-sentence and the next that continues it.

Drafts saved from e-mail, PDF or an old editor break every paragraph at a fixed width;
some web pages break paragraphs at random. Two lines are joined when the first is plainly
unfinished and the second does not start anything of its own:

* the first ends with "，" or "、", or it is a long line (more than a heading can be) that
  ends without a stop, or the draft is wrapped at a width (many lines end within a few
  columns of the same width) and the first reaches it;
* the second does not start a heading ("一、" "（一）" "1." "第一，"), a collection marker,
  the greeting, an annex, a date line or the closing ("同志们，"), and is not indented
  where the draft indents its paragraphs.

A heading on its own line is never joined to its body unless the draft is wrapped and the
heading reaches the width (a long heading wrapped onto the next line). Each join is
reported: nothing is lost, and a wrong join is easy to see.
"""

from __future__ import annotations

import re
from collections import Counter

from officekit.gongwen import collection, patterns, roles
from officekit.gongwen.clean import Change, Line, width

# A line ending in one of these finished its sentence (or is a title, a marker…).
_FINISHED = "。！？!?；;：:…”’）)」』】.>"
_OPEN = "，,、"
LONG_LINE = 26  # characters: longer than any bare heading or byline, without a stop
WRAP_SLACK = 4  # columns short of the width a wrapped line may end (a half-width digit…)
WRAP_MIN_LINES = 4
WRAP_MIN_SHARE = 0.3
_CLOSING = re.compile(r"^(同志们[，,！!]|谢谢)")
_DATE = re.compile(r"^[（(]?[0-9０-９一二三四五六七八九〇零*＊_＿xX×]{2,4}年.{0,8}[）)]?$")


def _full(line: Line) -> int:
    return line.indent + width(line.text)


def wrap_width(lines: list[Line]) -> int | None:
    """The width (columns) the draft is wrapped at, or None when it is not wrapped.

    Wrapped at W, most lines of every paragraph but its last end within a few columns of
    W; in a draft of whole paragraphs, line widths scatter and few lines share one.
    """
    widths = [_full(line) for line in lines if width(line.text) >= 20]
    if len(widths) < WRAP_MIN_LINES:
        return None
    counts = Counter(widths)
    best, best_count = None, 0
    for top in sorted(counts, reverse=True):
        near = sum(n for w, n in counts.items() if top - WRAP_SLACK <= w <= top)
        if near > best_count:
            best, best_count = top, near
    if best_count < WRAP_MIN_LINES or best_count < WRAP_MIN_SHARE * len(widths):
        return None
    # Nothing may stand far beyond the width: a draft of whole paragraphs has some.
    if sum(1 for w in widths if w > best) > len(widths) * 0.1:
        return None
    return best


def _starts_anything(line: Line, indented: bool) -> bool:
    text = line.text
    return bool(
        (indented and line.indent > 0)
        or roles.heading_level(text) is not None
        or patterns.ORDINAL_NUMBER.match(text)
        or patterns.ATTACH_LABEL.match(text)
        or patterns.ATTACH_NOTE.match(text)
        or roles.GREETING_TEXT.match(text)
        or collection.marker(text) is not None
        or _CLOSING.match(text)
        or _DATE.match(text)
    )


def _standalone_heading(text: str) -> bool:
    """A numbered heading on its own line (no full stop inside), or a title."""
    numbered = patterns.H1_NUMBER.match(text) or patterns.H2_NUMBER.match(text)
    return bool((numbered and not re.search(r"[。！？]", text)) or roles.is_speech_title(text))


def _unfinished(line: Line, last: Line, wrap: int | None, indented: bool) -> bool:
    """Whether ``line`` (joined so far) goes on; ``last`` is its last physical line, the
    one that reached the wrap width or not."""
    text = line.text
    if wrap is not None and _full(last) >= wrap - WRAP_SLACK:
        # At the width: unfinished unless it ends a sentence where indents cannot tell.
        return indented or text[-1] not in "。！？!?"
    if text[-1] in _FINISHED or _standalone_heading(text):
        return False
    return text[-1] in _OPEN or len(text) > LONG_LINE


def join_wraps(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Lines with hard wraps re-joined; one "合并断行" change per joined line."""
    if not lines:
        return lines, []
    wrap = wrap_width(lines)
    # The draft marks its paragraphs by indenting them when some lines are indented and
    # some are not: then an unindented line after an unfinished one continues it.
    indented = 0 < sum(1 for line in lines if line.indent > 0) < len(lines)
    joined: list[Line] = [lines[0]]
    changes: list[Change] = []
    last = lines[0]
    for line in lines[1:]:
        previous = joined[-1]
        if _unfinished(previous, last, wrap, indented) and not _starts_anything(line, indented):
            text = previous.text + line.text
            changes.append(Change(line.number, "合并断行", line.text, text))
            joined[-1] = Line(previous.number, text, previous.indent)
        else:
            joined.append(line)
        last = line
    return joined, changes
