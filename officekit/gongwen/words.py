"""The rules on a document's words alone, and the findings every check reports.

Apart from :mod:`officekit.gongwen.check` (which reads a whole package: styles, sections,
fonts, with lxml) so that a build writing many letters of one template checks each
letter's words without importing the package checker: only the first letter is checked
whole, by a worker, while the build goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from officekit.gongwen import fieldcheck, patterns

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One deviation: which rule, how bad, where, and what is wrong (Chinese)."""

    rule: str
    severity: Severity
    where: str
    message: str


class Collector:
    """Merges findings with the same rule and message; keeps the first place and a count."""

    def __init__(self) -> None:
        self._order: list[tuple[str, str, str]] = []
        self._first: dict[tuple[str, str, str], str] = {}
        self._count: dict[tuple[str, str, str], int] = {}

    def add(self, rule: str, severity: Severity, where: str, message: str) -> None:
        key = (rule, severity, message)
        if key not in self._first:
            self._order.append(key)
            self._first[key] = where
            self._count[key] = 0
        self._count[key] += 1

    def findings(self) -> list[Finding]:
        result = []
        for key in self._order:
            rule, severity, message = key
            where = self._first[key]
            if self._count[key] > 1:
                where += f" 等 {self._count[key]} 处"
            result.append(Finding(rule, severity, where, message))
        # Errors first, then warnings; within each, document order.
        return sorted(result, key=lambda f: f.severity != "error")


def text_rules(out: Collector, texts: Iterable[tuple[str, str]], allow_tags: bool) -> None:
    """Rules on the words alone: leftovers, placeholders, dates, 发文字号."""
    for where, text in texts:
        if not allow_tags and patterns.TEMPLATE_TAG.search(text):
            out.add(
                "遗留标记",
                "error",
                where,
                "有未替换的模板标记（{{ }} 或 {% %}），请检查模板和数据",
            )
        if not allow_tags:  # a mail-merge template shows «…» where its fields are
            for message in fieldcheck.chevron_problems(text):
                out.add("遗留标记", "error", where, message)
        for what, found in patterns.placeholders(text):
            out.add("遗留标记", "error", where, f"有{what}“{found}”，请填写实际内容")
        for date in patterns.zero_padded_dates(text):
            out.add(
                "日期",
                "error",
                where,
                f"日期“{date}”应使用阿拉伯数字、年份写全、月日不编虚位（如 2026年3月5日）",
            )
        for match in patterns.DOC_NUMBER.finditer(text):
            bad = []
            if "〔" not in match.group() or "〕" not in match.group():
                bad.append("年份用六角括号〔〕")
            if "第" in match.group():
                bad.append("不加“第”")
            if match.group(2).startswith(("0", "０")):
                bad.append("序号不编虚位")
            if bad:
                out.add(
                    "发文字号",
                    "error",
                    where,
                    f"发文字号“{match.group()}”应{'、'.join(bad)}（如 X发〔2026〕5号）",
                )


# ---- the words of a rendered document, without opening the package ------------------------

_PARAGRAPH = re.compile(rb"<w:p(?: [^>]*)?/>|<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_TEXT = re.compile(rb"<w:t(?: [^>]*)?>([^<]*)</w:t>")


# The references XML text may hold: its five named entities and numeric characters (not
# html.unescape: its table of two thousand HTML names is a millisecond to import).
_REFERENCE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9A-Fa-f]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _character(match: re.Match[str]) -> str:
    if match.group(3):
        return _NAMED[match.group(3)]
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    return chr(code) if 0 < code <= 0x10FFFF else match.group()


def unescape(text: str) -> str:
    """``text`` of an XML element with its character and entity references resolved."""
    return _REFERENCE.sub(_character, text) if "&" in text else text


def xml_texts(xml: bytes) -> Iterator[tuple[str, str]]:
    for number, match in enumerate(_PARAGRAPH.finditer(xml), start=1):
        text = unescape(b"".join(_TEXT.findall(match.group())).decode("utf-8"))
        if text.strip():
            shown = text.strip()
            shown = shown if len(shown) <= 16 else shown[:16] + "……"
            yield f"第 {number} 段「{shown}」", text


def check_text(document_xml: bytes, name: str = "") -> list[Finding]:
    """The text rules on a rendered ``word/document.xml`` — for the many documents of one
    template, whose layout was checked on the first of them. About 20 times faster than
    :func:`check_docx`: no package, no styles, no roles."""
    out = Collector()
    text_rules(out, xml_texts(document_xml), allow_tags=False)
    for where, message in fieldcheck.field_problems(document_xml):
        out.add("遗留标记", "error", where, message)
    return out.findings()
