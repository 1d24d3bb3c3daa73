"""Text patterns of 公文 elements, shared by the checker (check.py) and the typesetter.

Only patterns on text live here: heading numbers, dates, 发文字号, 附件说明, leftovers.
Style-based detection is in check.py; line-level parsing of drafts is in the typesetter.
"""

from __future__ import annotations

import re

# Chinese numerals used in heading numbers (一 … 九十九, 〇/零 for completeness).
CN_NUM = "一二三四五六七八九十〇零百"
_DIGITS = "0-9０-９"

# Heading and attachment patterns, compiled when first used (module __getattr__): the
# word rules a build runs on every letter need none of them (3 ms of regex compiling).
_LAZY: dict[str, str] = {
    # Heading numbers at the start of a line. Brackets may be full- or half-width: drafts
    # pasted from the web mix them; the checker still reports half-width ones.
    "H1_NUMBER": rf"^[{CN_NUM}]+、",
    "H2_NUMBER": rf"^[（(][{CN_NUM}]+[）)]",
    "H3_NUMBER": rf"^[{_DIGITS}]+[.．、](?![{_DIGITS}])",
    "H4_NUMBER": rf"^[（(][{_DIGITS}]+[）)]",
    # "第一，" / "第一、": a level-1 heading in some speeches (run-in: first clause is the heading).
    "ORDINAL_NUMBER": rf"^第[{CN_NUM}]+[，,、]",
    # "一是" "一要" "二是"…: enumerations inside a paragraph, never headings.
    "ENUMERATION": rf"^[{CN_NUM}]+[是要]",
    "HALF_WIDTH_H2": rf"^\([{CN_NUM}]+\)",
    # 附件 label on an annex page: "附件" or "附件1" / "附件 2" (no colon; the note has one).
    "ATTACH_LABEL": rf"^附件\s*[{_DIGITS}]*$",
    # 附件说明 under the body: "附件：1. 名称" or "附件：名称".
    "ATTACH_NOTE": r"^附件[：:]",
    # Well-formed: full-width colon, then "1." items (or a single name), no end punctuation.
    "ATTACH_NOTE_GOOD": rf"^附件：(?:[{_DIGITS}]+\.\s?)?\S.*[^。；;，,.]$",
}


def __getattr__(name: str) -> re.Pattern[str]:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = re.compile(_LAZY[name])
    return compiled


# Dates: 2026年3月5日; zero padding ("2026年03月05日") is wrong, as are two-digit years.
DATE = re.compile(
    rf"(?<![{_DIGITS}])([{_DIGITS}]{{2,4}})年([{_DIGITS}]{{1,2}})月(?:([{_DIGITS}]{{1,2}})日)?"
)
# 发文字号: "X发〔2026〕5号". Other brackets around the year are wrong.
DOC_NUMBER = re.compile(
    rf"[\u4e00-\u9fff]+[〔\[［【(（]([{_DIGITS}]{{4}})[〕\]］】)）]第?([{_DIGITS}]+)号"
)

# Leftovers from templates and anonymised drafts.
TEMPLATE_TAG = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"20[0-9]{0,2}[*＊_＿][*＊_＿0-9]*年|[xXｘＸ]{4}年"), "年份占位符"),
    (re.compile(r"[xXｘＸ×]{1,3}(?:同志|局长|书记|县长|主任|部长|市长)"), "人名占位符"),
    (re.compile(r"×{2,}|[xXｘＸ]{3,}|\*{3,}|＊{3,}"), "占位符"),
    (re.compile(r"_{2,}|＿{2,}"), "填空线"),
)


def placeholders(text: str) -> list[tuple[str, str]]:
    """Placeholders in ``text``: (what, matched text) in order of the patterns above."""
    found: list[tuple[str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, what in PLACEHOLDERS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue  # a longer placeholder already covers it ("20**年" vs "**")
            taken.append(span)
            found.append((what, match.group()))
    return found


def zero_padded_dates(text: str) -> list[str]:
    """Dates written with a leading zero or a two-digit year ("2026年03月05日", "26年3月")."""
    bad: list[str] = []
    for match in DATE.finditer(text):
        year, month, day = match.groups()
        if len(year) != 4 or month.startswith(("0", "０")) or (day or "").startswith(("0", "０")):
            bad.append(match.group())
    return bad
