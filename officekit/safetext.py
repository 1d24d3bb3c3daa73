"""Text officekit writes for the clerk to read: the one place it is made safe.

XML 1.0 cannot hold control characters (a vertical tab pasted from a web page, which
Excel stores as ``_x000B_``), lone surrogates or the non-characters U+FFFE/U+FFFF;
openpyxl refuses them in a cell or comment, and a .docx holding one does not open.
Whatever officekit writes — the marked copy's comments and cells, ``validate``'s table in
the terminal, a document part — passes through :func:`visible`, which shows each such
character as a mark the clerk can find ("〔控制字符 U+000B〕") instead of dropping it
silently or crashing on it. Data read from the workbook for the documents has these
characters removed at reading, with a warning naming the cell (``workbook._sanitize``);
the mark is for what is read on screen and anything that still reaches a writer.
"""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (tab, line feed and carriage return are allowed).
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a terminal must not be sent either: the above, and DEL/C1 controls (an escape
# sequence in a cell would recolour or clear the clerk's window).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Excel's own escape of a character in a cell (ECMA-376 ST_Xstring).
EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def mark(char: str) -> str:
    """The visible stand-in for one character XML cannot hold."""
    code = ord(char)
    kind = "控制字符" if code < 0x20 or 0x7F <= code <= 0x9F else "无效字符"
    return f"〔{kind} U+{code:04X}〕"


def visible(text: str) -> str:
    """``text`` with every XML-illegal character shown as its :func:`mark`."""
    if not ILLEGAL_XML.search(text):
        return text
    return ILLEGAL_XML.sub(lambda m: mark(m.group()), text)


def for_terminal(text: str) -> str:
    """``text`` safe to print: XML-illegal and terminal control characters marked."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: mark(m.group()), text)


def removed(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return ILLEGAL_XML.sub("", text)


def decode_excel(text: str) -> str:
    """Undo Excel's ``_xHHHH_`` escapes (how .xlsx stores control characters)."""
    if "_x" not in text:
        return text
    return EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
