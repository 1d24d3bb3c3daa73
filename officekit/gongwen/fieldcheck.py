"""Leftovers of Word's mail merge in a finished document: merge fields and «…» chevrons.

A letter made from a 邮件合并 template by a tool that did not merge it still holds its
fields: Word shows their last result (often «单位名称», or the first record's values
for every letter), and the chevrons a field result or an unlinked field leaves are
text. Either is an error of the finished document, never “符合”. A template is expected
to hold them (``allow_tags``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CHEVRONS = re.compile(r"«[^«»\n]{1,40}»")
_PARAGRAPH = re.compile(rb"<w:p(?: [^>]*)?/>|<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_CODE = re.compile(rb'<w:instrText(?: [^>]*)?>([^<]*)</w:instrText>|w:instr="([^"]*)"')
_MERGE = re.compile(r"\bMERGEFIELD\s+(?:\"([^\"]+)\"|(\S+))", re.IGNORECASE)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def chevron_problems(text: str) -> Iterator[str]:
    """A message for each «…» in ``text``."""
    for match in CHEVRONS.finditer(text):
        yield (
            f"有未替换的合并域“{match.group()}”；请检查模板中的合并域名称与工作簿的列名，"
            "并用 officekit 重新生成"
        )


def _unescape(text: str) -> str:
    from officekit.gongwen.words import unescape  # words imports this module

    return unescape(text)


def field_problems(xml: bytes) -> Iterator[tuple[str, str]]:
    """(place, message) for each paragraph of ``xml`` (a part) holding a MERGEFIELD."""
    if b"instr" not in xml:  # w:instr= or w:instrText: no field code, nothing to find
        return
    for number, match in enumerate(_PARAGRAPH.finditer(xml), start=1):
        paragraph = match.group()
        if b"instr" not in paragraph:
            continue
        code = _unescape(
            b"".join(a or b for a, b in _CODE.findall(paragraph)).decode("utf-8", "replace")
        )
        names = [a or b for a, b in _MERGE.findall(code)]
        if not names:
            continue
        text = _unescape(b"".join(_TEXT.findall(paragraph)).decode("utf-8", "replace")).strip()
        shown = text if len(text) <= 16 else text[:16] + "……"
        yield (
            f"第 {number} 段「{shown}」",
            f"有未合并的合并域“{'、'.join(names)}”（邮件合并的域代码留在了文档里，"
            "印出的是域的旧结果而不是本单位的数据）；请用 officekit 生成，或在 Word 中完成邮件合并",
        )
