"""Template tags read the way office suites store them.

A clerk types ``{% if 单位类别 == "乡镇" %}`` once; what reaches the compiler depends on the
program that saved the file. docxtpl's clean-up (:func:`officekit.render._patcher`) rejoins
the runs a tag was split into. What is left inside a tag is then made into Jinja here:

- XML character references: LibreOffice Writer stores ``"`` in text as ``&quot;`` (and
  ``'`` as ``&apos;``); any program may write ``&#34;``. Inside a tag they are code, not
  text, so ``&quot;乡镇&quot;`` is ``"乡镇"``.
- Quotes as Word's AutoFormat and Chinese input methods type them: “乡镇” and ‘乡镇’ open
  and close string literals.
- Full-width punctuation a Chinese input method types outside a string literal
  (（）：，｜＝！［］｛｝＜＞＋－＊／％ and the ideographic space): Jinja has no meaning for
  them there, so the ASCII sign is the only reading. Inside a literal they are text and
  stay (``{{ "（一）" }}``).

docxtpl's literal escapes ``{_{ … }_}`` and ``{_% … %_}`` are not tags: they print as
``{{ … }}`` and ``{% … %}`` (:func:`unescape_literals`, after rendering).
"""

from __future__ import annotations

import re

# A tag after docxtpl's clean-up: its content holds no XML any more.
_TAG = re.compile(r"(\{\{|\{%|\{#)(.*?)(\}\}|%\}|#\})", re.DOTALL)
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z]+);")

# Outside a literal: a full-width sign and the ASCII sign Jinja knows.
_FULL_WIDTH = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "：": ":",
        "，": ",",
        "｜": "|",
        "＝": "=",
        "！": "!",
        "［": "[",
        "］": "]",
        "｛": "{",
        "｝": "}",
        "＜": "<",
        "＞": ">",
        "＋": "+",
        "－": "-",
        "＊": "*",
        "／": "/",
        "％": "%",
        "．": ".",
        "\u3000": " ",
        "\u00a0": " ",  # a no-break space Word puts after a typed quote
    }
)
# A quote that opens a string literal → the quotes that may close it.
_CLOSERS = {'"': '"', "'": "'", "“": '”“"', "”": '”“"', "‘": "’‘'", "’": "’‘'"}
_STRAIGHT = {"“": '"', "”": '"', "‘": "'", "’": "'"}


def normalise(source: str) -> str:
    """``source`` (a part's Jinja source after docxtpl's clean-up) with every tag's
    content made into plain Jinja; text outside tags is left byte for byte."""
    if "&" not in source and not _has_wide(source):
        return source  # the usual template: typed in Word, ASCII quotes
    return _TAG.sub(_normalise_tag, source)


# Every sign outside ASCII that a tag's content may need changed.
_FULL_WIDTH_SIGNS = "".join(chr(code) for code in _FULL_WIDTH) + "“”‘’"


def _has_wide(source: str) -> bool:
    # Cheap pre-test over the whole part (compile time only).
    return any(ch in source for ch in _FULL_WIDTH_SIGNS)


def _normalise_tag(match: re.Match[str]) -> str:
    opening, content, closing = match.groups()
    return opening + code(content) + closing


def code(content: str) -> str:
    """The Jinja code of one tag's content (see the module docstring)."""
    content = _REFERENCE.sub(_unreference, content)
    out: list[str] = []
    i, n = 0, len(content)
    while i < n:
        ch = content[i]
        if ch in _CLOSERS:
            end = _literal_end(content, i)
            quote = _STRAIGHT.get(ch, ch)
            closed = end < n  # an unclosed literal stays unclosed: Jinja says so
            out.append(quote + content[i + 1 : end] + (quote if closed else ""))
            i = end + 1
            continue
        out.append(ch.translate(_FULL_WIDTH))
        i += 1
    return "".join(out)


def _literal_end(content: str, start: int) -> int:
    """Index of the quote closing the literal opened at ``start`` (the end of the content
    when it is never closed: Jinja then says so)."""
    closers = _CLOSERS[content[start]]
    i = start + 1
    while i < len(content):
        ch = content[i]
        if ch == "\\" and content[start] in "\"'":
            i += 2
            continue
        if ch in closers:
            return i
        i += 1
    return len(content)


_NAMED = {"quot": '"', "apos": "'", "amp": "&", "lt": "<", "gt": ">"}


def _unreference(match: re.Match[str]) -> str:
    text = match.group(0)[1:-1]
    if text[0] != "#":
        # A name XML does not define cannot be in a well-formed part: left as it is.
        return _NAMED.get(text, match.group(0))
    number = int(text[2:], 16) if text[1] in "xX" else int(text[1:])
    return chr(number) if 0 < number <= 0x10FFFF else match.group(0)


_ESCAPES = (("{_{", "{{"), ("}_}", "}}"), ("{_%", "{%"), ("%_}", "%}"))


def has_literal_escapes(source: str) -> bool:
    return any(escaped in source for escaped, _ in _ESCAPES)


def unescape_literals(xml: str) -> str:
    """docxtpl's escapes for text that must print as tags: ``{_{ x }_}`` → ``{{ x }}``."""
    for escaped, plain in _ESCAPES:
        xml = xml.replace(escaped, plain)
    return xml
