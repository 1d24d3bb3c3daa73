"""Raw WordprocessingML helpers: the one place that touches XML elements directly.

Everything else in officekit calls these. Units: twips for lengths, half-points for sizes.
"""

from __future__ import annotations

from lxml import etree

from officekit.gongwen.schema import W_NS


def qn(tag: str) -> str:
    """``w:name`` → ``{namespace}name`` (python-docx's ``qn`` for the one prefix used here;
    importing python-docx costs a build that only combines letters 30 ms)."""
    prefix, name = tag.split(":")
    if prefix != "w":
        raise ValueError(f"unexpected prefix in {tag}")
    return f"{{{W_NS}}}{name}"


_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Elements of w:rPr / w:pPr must appear in schema order or Word calls the file corrupt.
_RPR_ORDER = [
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
]  # fmt: skip
_PPR_ORDER = [
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
]  # fmt: skip


def _prefixed(element: etree._Element) -> str | None:
    """``w:name`` for an element of the WordprocessingML namespace, else None."""
    name = element.tag
    return (
        "w:" + name.split("}")[1] if isinstance(name, str) and name.startswith("{" + W_NS) else None
    )


def insert_ordered(parent: etree._Element, child: etree._Element, order: list[str]) -> None:
    """Insert ``child`` before the first sibling that comes later in schema ``order``."""
    rank = order.index(_prefixed(child))
    for index, sibling in enumerate(parent):
        prefixed = _prefixed(sibling)
        if prefixed in order and order.index(prefixed) > rank:
            parent.insert(index, child)
            return
    parent.append(child)


def _set_child(parent: etree._Element, tag: str, order: list[str]) -> etree._Element:
    """Return ``parent``'s child ``tag``, creating it at its schema position if missing."""
    existing = parent.find(qn(tag))
    if existing is not None:
        return existing
    # python-docx's element classes, so that the python-docx objects around ``parent``
    # keep working on the child (imported here: only typesetting needs it).
    from docx.oxml import OxmlElement

    child = OxmlElement(tag)
    insert_ordered(parent, child, order)
    return child


def rpr_child(rpr: etree._Element, tag: str) -> etree._Element:
    """Child ``tag`` of a ``w:rPr``, created in schema order."""
    return _set_child(rpr, tag, _RPR_ORDER)


def ppr_child(ppr: etree._Element, tag: str) -> etree._Element:
    """Child ``tag`` of a ``w:pPr``, created in schema order."""
    return _set_child(ppr, tag, _PPR_ORDER)


def set_fonts(rpr: etree._Element, name: str) -> None:
    """Set one typeface for Latin, East Asian and complex script text, no theme fonts.

    python-docx's ``font.name`` writes only ``w:ascii``/``w:hAnsi``; Chinese text is drawn
    with ``w:eastAsia``, and any ``*Theme`` attribute would override the explicit name.
    """
    fonts = rpr_child(rpr, "w:rFonts")
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr: etree._Element, half_points: int) -> None:
    """Font size for all scripts, in half-points."""
    rpr_child(rpr, "w:sz").set(qn("w:val"), str(half_points))
    rpr_child(rpr, "w:szCs").set(qn("w:val"), str(half_points))


def set_bold(rpr: etree._Element, bold: bool) -> None:
    for tag in ("w:b", "w:bCs"):
        rpr_child(rpr, tag).set(qn("w:val"), "1" if bold else "0")


def set_char_scale(rpr: etree._Element, percent: int) -> None:
    """Horizontal character scale (``w:w``) in percent."""
    rpr_child(rpr, "w:w").set(qn("w:val"), str(percent))


def set_on_off(parent: etree._Element, tag: str, on: bool, order: str = "p") -> None:
    """An on/off property such as ``w:keepNext`` or ``w:snapToGrid``."""
    child = ppr_child(parent, tag) if order == "p" else rpr_child(parent, tag)
    child.set(qn("w:val"), "1" if on else "0")


def set_line_spacing(ppr: etree._Element, twips: int, before: int = 0, after: int = 0) -> None:
    """Exact line spacing (twips) with space before/after (twips)."""
    spacing = ppr_child(ppr, "w:spacing")
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")
    spacing.set(qn("w:before"), str(before))
    spacing.set(qn("w:after"), str(after))


def set_indent(
    ppr: etree._Element,
    *,
    first_line: int = 0,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
) -> None:
    """Paragraph indents in twips. Setting one clears the character-unit variants."""
    ind = ppr_child(ppr, "w:ind")
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:right"), str(right))
    if hanging:
        ind.set(qn("w:hanging"), str(hanging))
    else:
        ind.set(qn("w:firstLine"), str(first_line))


def set_justification(ppr: etree._Element, value: str) -> None:
    """``w:jc``: left, center, right, both."""
    ppr_child(ppr, "w:jc").set(qn("w:val"), value)


def page_number_field(run_props_xml: str) -> list[etree._Element]:
    """Runs of a PAGE field (begin, instruction, separate, placeholder, end)."""
    from docx.oxml import OxmlElement  # python-docx's element classes (see _set_child)

    runs = []
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = OxmlElement("w:r")
        if run_props_xml:
            run.append(etree.fromstring(run_props_xml))
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instr.text = " PAGE "
            run.append(instr)
        elif kind == "text":
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
        runs.append(run)
    return runs
