"""Reading Word's fields out of a part: where each is, its code as words and quoted texts.

Word writes a field either as ``w:fldSimple`` (its code in an attribute) or as a complex
field: ``w:fldChar`` begin, the code in ``w:instrText`` pieces over any number of runs (WPS
and Word split it where they like), ``w:fldChar`` separate, the result's runs, ``w:fldChar``
end; fields nest (an IF holding a MERGEFIELD). :func:`find_fields` gives the outermost
fields of a part with their nested ones, :func:`tokens` splits a code the way Word reads
it (quotes, ``\\"`` inside them, curly quotes typed by autocorrect).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"


@dataclass
class Field:
    """One field: its code as text pieces and nested fields, and what it occupies."""

    paragraph: etree._Element
    code: list[str | Field] = field(default_factory=list)
    elements: list[etree._Element] = field(default_factory=list)  # runs or a fldSimple
    result: list[etree._Element] = field(default_factory=list)  # the result's runs
    code_run: etree._Element | None = None
    in_result: bool = False

    @property
    def kind(self) -> str:
        head = ""  # the code up to its first nested field: its pieces may split a word
        for piece in self.code:
            if not isinstance(piece, str):
                break
            head += piece
        return head.split()[0].upper() if head.strip() else ""

    def merge_names(self) -> list[str]:
        """The names of the MERGEFIELDs in it (itself or nested in an IF)."""
        if self.kind == "MERGEFIELD":
            return [merge_name(self)]
        return [n for p in self.code if isinstance(p, Field) for n in p.merge_names()]


def _paragraph(element: etree._Element) -> etree._Element:
    while element is not None and element.tag != W + "p":
        element = element.getparent()
    return element


def find_fields(root: etree._Element) -> list[Field]:
    """The outermost fields of a part, in document order, nested ones in their code."""
    found: list[Field] = []
    stack: list[Field] = []
    simple: set[etree._Element] = set()
    for element in root.iter(W + "r", W + "fldSimple"):
        parent = element.getparent()
        if parent in simple or any(a.tag == W + "del" for a in element.iterancestors()):
            continue
        if element.tag == W + "fldSimple":
            simple.add(element)
            one = Field(_paragraph(element), [element.get(W + "instr", "")], [element])
            one.result = [r for r in element if r.tag == W + "r"]
            _place(one, stack, found)
            continue
        if stack:
            stack[0].elements.append(element)
            if len(stack) == 1 and stack[0].in_result and element.find(W + "t") is not None:
                stack[0].result.append(element)
        for child in element:
            if child.tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    opened = Field(_paragraph(element))
                    if not stack:
                        opened.elements.append(element)
                    stack.append(opened)
                elif kind == "separate" and stack:
                    stack[-1].in_result = True
                elif kind == "end" and stack:
                    _place(stack.pop(), stack, found)
            elif child.tag == W + "instrText" and stack and not stack[-1].in_result:
                stack[-1].code.append(child.text or "")
                if stack[-1].code_run is None:
                    stack[-1].code_run = element
    return found


def _place(done: Field, stack: list[Field], found: list[Field]) -> None:
    if not stack:
        found.append(done)
    elif not stack[-1].in_result:
        stack[-1].code.append(done)


# ---- the field code -----------------------------------------------------------------------

Token = tuple[str, list[Any]]  # ("word" | "quoted" | "field", pieces)


def tokens(code: list[str | Field]) -> list[Token]:
    """Words, quoted texts (which may hold nested fields) and nested fields."""
    out: list[Token] = []
    word = ""
    quoted: list[Any] | None = None
    for piece in code:
        if isinstance(piece, Field):
            if quoted is not None:
                quoted.append(piece)
            else:
                if word:
                    out.append(("word", [word]))
                    word = ""
                out.append(("field", [piece]))
            continue
        i = 0
        while i < len(piece):
            ch = piece[i]
            if quoted is not None:
                if ch == "\\" and i + 1 < len(piece) and piece[i + 1] in '"\\':
                    quoted.append(piece[i + 1])
                    i += 1
                elif ch in '"”':
                    out.append(("quoted", _joined(quoted)))
                    quoted = None
                else:
                    quoted.append(ch)
            elif ch.isspace():
                if word:
                    out.append(("word", [word]))
                    word = ""
            elif ch in '"“':
                if word:
                    out.append(("word", [word]))
                    word = ""
                quoted = []
            else:
                word += ch
            i += 1
    if quoted is not None:
        out.append(("quoted", _joined(quoted)))
    if word:
        out.append(("word", [word]))
    return out


def _joined(pieces: list[Any]) -> list[Any]:
    joined: list[Any] = []
    for p in pieces:
        if isinstance(p, str) and joined and isinstance(joined[-1], str):
            joined[-1] += p
        else:
            joined.append(p)
    return joined


def text_of(token: Token) -> str:
    return "".join(p for p in token[1] if isinstance(p, str))


def switches(rest: list[Token]) -> tuple[list[tuple[str, str]], list[Token]]:
    """(switch, argument) pairs and the tokens that are not switches."""
    found: list[tuple[str, str]] = []
    plain: list[Token] = []
    i = 0
    while i < len(rest):
        token = rest[i]
        word = text_of(token) if token[0] == "word" else ""
        if word.startswith("\\") and len(word) >= 2:
            switch, argument = word[:2], word[2:]
            if not argument and i + 1 < len(rest) and switch in ("\\*", "\\@", "\\#", "\\b", "\\f"):
                i += 1
                argument = text_of(rest[i])
            found.append((switch, argument))
        else:
            plain.append(token)
        i += 1
    return found, plain


def merge_name(f: Field) -> str:
    parts = tokens(f.code)
    _, plain = switches(parts[1:])
    return text_of(plain[0]).strip() if plain else ""
