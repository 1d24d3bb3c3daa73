"""The step of :mod:`officekit.gongwen.formatter` on body paragraphs: each in the style
of its role, direct formatting that contradicts it removed.

Each step changes a python-docx Document in place and appends, in the clerk's words,
what it changed to ``changes``. A step finds nothing to do on a compliant document: the
formatter relies on that to return a compliant template unchanged.
"""

from __future__ import annotations

import copy
import math
import re

from lxml import etree

from officekit.gongwen import geometry, layout, oxml, pagelayout, roles, spec
from officekit.gongwen.styles import StyleSheet, W, paragraph_style_id, text_of
from officekit.gongwen.stylesheet import STYLES

# Role (roles.classify) → key of stylesheet.STYLES for a paragraph of that role.
ROLE_STYLE = {
    "title": "title",
    "byline": "byline",
    "greeting": "greeting",
    "body": "body",
    "party": "party",
    "h1": "h1",
    "h2": "h2",
    "h3": "h3",
    "h4": "body",
    "attach_note": "attach_note",
    "attach_label": "attach_label",
    "attach_title": "attach_title",
    "signature": "signature",
}
OUR_STYLES = {style.style_id for style in STYLES.values()}
_SPEC_ROLE = {"party": "body", "h4": "h3"}
# Roles whose runs may keep a character spacing or scale set on purpose (a title squeezed
# onto one line); everywhere else they would break the 28 characters a line.
_MAY_SQUEEZE = {"title", "attach_title"}
_TAG_SPAN = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_THEME = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 16 else text[:16] + "……"


# ---- paragraphs ---------------------------------------------------------------------------


def _own_runs(p: etree._Element) -> list[etree._Element]:
    """The runs of ``p`` itself (not of a text box's paragraphs inside it)."""
    return [r for r in p.iter(W + "r") if next(r.iterancestors(W + "p"), None) is p]


def _set_style(p: etree._Element, style_id: str) -> None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        p.insert(0, ppr)
    if style_id == "Normal":
        old = ppr.find(W + "pStyle")
        if old is not None:
            ppr.remove(old)
        return
    style = ppr.find(W + "pStyle")
    if style is None:
        style = etree.Element(W + "pStyle")
        ppr.insert(0, style)
    style.set(W + "val", style_id)


def _strip_paragraph(p: etree._Element, role: str) -> list[str]:
    """Direct paragraph properties that fight the role's style; what was removed."""
    ppr = p.find(W + "pPr")
    removed: list[str] = []
    if ppr is None:
        return removed
    spacing = ppr.find(W + "spacing")
    if (
        spacing is not None
        and (spacing.get(W + "line") or spacing.get(W + "lineRule"))
        and not pagelayout.has_picture(p)  # its single spacing is :func:`pictures`'s, kept
    ):
        for attr in ("line", "lineRule"):
            spacing.attrib.pop(W + attr, None)
        if not spacing.attrib:
            ppr.remove(spacing)
        removed.append("行距")
    indent = ppr.find(W + "ind")
    if indent is not None and role != "signature":
        ppr.remove(indent)
        removed.append("缩进")
    jc = ppr.find(W + "jc")
    if jc is not None and role in ("title", "attach_title") and jc.get(W + "val") != "center":
        ppr.remove(jc)
        removed.append("对齐")
    return removed


def _strip_run(rpr: etree._Element, role: str, face: str, profile: str) -> list[str]:
    """Direct run properties that contradict the role; what was removed. Bold, italics,
    colour (a red run), underline and highlighting are the author's and stay."""
    removed: list[str] = []
    fonts = rpr.find(W + "rFonts")
    if fonts is not None:
        for attr in _THEME:
            if fonts.attrib.pop(W + attr, None) is not None and "主题字体" not in removed:
                removed.append("主题字体")
        for attr in ("eastAsia", "ascii", "hAnsi"):
            name = fonts.get(W + attr)
            kind = spec.face_of(name)
            if name and (attr == "eastAsia" or kind is not None) and kind != face:
                del fonts.attrib[W + attr]
                if "字体" not in removed:
                    removed.append("字体")
        if not fonts.attrib:
            rpr.remove(fonts)
    want = spec.ROLES[_SPEC_ROLE.get(role, role)]
    size = rpr.find(W + "sz")
    if size is not None and size.get(W + "val") != str(spec.half_points(want.size)):
        removed.append(f"字号 {int(size.get(W + 'val', '0')) / 2:g} 磅")
        for tag in ("sz", "szCs"):
            el = rpr.find(W + tag)
            if el is not None:
                rpr.remove(el)
    if role not in _MAY_SQUEEZE:
        for tag, what in (("w", "字符缩放"), ("spacing", "字符间距")):
            el = rpr.find(W + tag)
            if el is not None:
                rpr.remove(el)
                removed.append(what)
    return removed


def _split_at(p: etree._Element, offset: int) -> bool:
    """Split the run holding character ``offset`` of ``p``'s text there (same
    properties on both halves); False when that would cut a tag or a run of several
    pieces. Text is moved, never changed."""
    text = text_of(p)
    if any(m.start() < offset < m.end() for m in _TAG_SPAN.finditer(text)):
        return False
    at = 0
    for r in _own_runs(p):
        pieces = r.findall(W + "t")
        length = sum(len(t.text or "") for t in pieces)
        if at < offset < at + length:
            content = [c for c in r if c.tag != W + "rPr"]
            if len(content) != 1 or content[0].tag != W + "t":
                return False
            t = content[0]
            tail = copy.deepcopy(r)
            cut = offset - at
            tail.find(W + "t").text = t.text[cut:]
            t.text = t.text[:cut]
            for piece in (t, tail.find(W + "t")):
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.addnext(tail)
            return True
        at += length
    return True


def _run_in_fonts(p: etree._Element, para: roles.Para, profile: str) -> bool:
    """Set the heading sentence of a run-in heading in its face (黑体 / 楷体), the rest
    of the paragraph being body text in the Normal style. True when something changed."""
    face = spec.ROLES[para.role].face
    end = para.heading_end or 0
    if not _split_at(p, end):
        return False
    changed, at = False, 0
    for r in _own_runs(p):
        length = sum(len(t.text or "") for t in r.findall(W + "t"))
        if at < end and length:
            rpr = r.find(W + "rPr")
            if rpr is None:
                rpr = etree.Element(W + "rPr")
                r.insert(0, rpr)
            fonts = rpr.find(W + "rFonts")
            if fonts is None or spec.face_of(fonts.get(W + "eastAsia")) != face:
                oxml.set_fonts(rpr, layout.font_name(face, profile))
                changed = True
        at += length
    return changed


def _space_before(p: etree._Element) -> bool:
    """One blank line above ``p`` (the first line under a title typed without an empty
    paragraph between them), unless its author set a space already."""
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = etree.Element(W + "pPr")
        p.insert(0, ppr)
    spacing = ppr.find(W + "spacing")
    if spacing is not None and (spacing.get(W + "before") or spacing.get(W + "beforeLines")):
        return False
    oxml.set_line_spacing(ppr, STYLES["body"].line or layout.PITCH, before=layout.PITCH)
    spacing = ppr.find(W + "spacing")
    for attr in ("line", "lineRule", "after"):
        spacing.attrib.pop(W + attr, None)
    return True


def _right_indent(p: etree._Element) -> bool:
    """A right-aligned signature line 2 characters in from the right (右空二字)."""
    ppr = p.find(W + "pPr")
    if ppr is None or ppr.find(W + "ind") is not None:
        return False
    jc = ppr.find(W + "jc")
    if jc is None or jc.get(W + "val") not in ("right", "end"):
        return False
    oxml.set_indent(ppr, right=STYLES["h1"].first_line)
    return True


_BLOCK = spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)
# At most this much tighter (a tenth of a character) to pull a lone character up.
_MOST_CONDENSED = 0.1


def _condense_title(p: etree._Element, sheet: StyleSheet, block: int) -> bool:
    """A title whose last line would hold one character (GB/T 9704: a title breaks only
    between words), set a little tighter so that its lines take it all. Only a title
    without tags, whose length is known; one with tags is the checker's to report on
    each document."""
    text = text_of(p).strip()
    if not text or _TAG_SPAN.search(text) or p.find(f".//{W}br") is not None:
        return False
    measure = geometry.measure(sheet, p, block)
    lines = measure.lone(text) if measure is not None else None
    if lines is None or measure is None:
        return False
    per_line = math.ceil(geometry.units(text) / (lines - 1))
    tighter = math.ceil(measure.advance - block / per_line) + 1
    if tighter > measure.advance * _MOST_CONDENSED:
        return False  # more than a squeeze: the author must break it at a word
    for r in _own_runs(p):
        rpr = r.find(W + "rPr")
        if rpr is None:
            rpr = etree.Element(W + "rPr")
            r.insert(0, rpr)
        oxml.rpr_child(rpr, "w:spacing").set(W + "val", str(-tighter))
    return True


def paragraphs(doc, profile: str, changes: list[str]) -> None:  # noqa: ANN001
    """Each body paragraph outside tables in the style of its role, direct formatting
    that contradicts it removed. Table cells are :mod:`.tablelayout`'s."""
    body = doc.element.body
    sheet = StyleSheet(doc.styles.element)
    block = min(geometry.text_width(body.find(W + "sectPr")), _BLOCK)
    restyled_body = 0
    previous_note = False
    previous_role = ""
    for para in roles.classify(body, sheet):
        after_title = previous_role in ("title", "byline")
        if not para.in_table:
            previous_role = para.role
        if para.in_table or para.role not in ROLE_STYLE:
            previous_note = False
            continue
        p = para.element
        run_in = para.role in ("h1", "h2") and para.heading_end is not None
        key = "body" if run_in else ROLE_STYLE[para.role]
        if key == "attach_note" and previous_note:
            key = "attach_note_more"
        previous_note = para.role == "attach_note"
        current = paragraph_style_id(p) or "Normal"
        what: list[str] = []
        wanted = STYLES[key]
        if current not in OUR_STYLES or (current == "Normal" and key != "body"):
            _set_style(p, wanted.style_id)
            what.append(f"设为「{wanted.name}」样式")
        role = "body" if run_in else para.role
        removed = _strip_paragraph(p, role)
        face = spec.ROLES[_SPEC_ROLE.get(role, role)].face
        for r in _own_runs(p):
            rpr = r.find(W + "rPr")
            if rpr is not None:
                removed += [x for x in _strip_run(rpr, role, face, profile) if x not in removed]
        if after_title and para.role not in ("title", "byline") and _space_before(p):
            what.append("与标题之间空一行")
        if para.role == "signature" and _right_indent(p):
            what.append("右空二字")
        if para.role in ("title", "attach_title") and _condense_title(p, sheet, block):
            what.append("字距略微收紧，最后一行不再只有一个字")
        if run_in and _run_in_fonts(p, para, profile):
            what.append(f"开头一句用{spec.ROLES[para.role].face}（{roles.ROLE_NAMES[para.role]}）")
        if removed:
            what.append("去掉了直接设置的" + "、".join(removed))
        if not what:
            continue
        if key == "body" and not run_in and what == ["设为「Normal」样式"]:
            restyled_body += 1
            continue
        changes.append(f"第 {para.number} 段「{_shown(para.text)}」：{'，'.join(what)}")
    if restyled_body:
        changes.append(f"另有 {restyled_body} 段正文改用正文样式（仿宋三号，首行缩进 2 字）")
