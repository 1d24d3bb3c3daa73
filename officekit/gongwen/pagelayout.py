"""The steps of :mod:`officekit.gongwen.formatter` on the package: style ids, page setup,
page numbers, pictures.

Each step changes a python-docx Document in place and appends, in the clerk's words,
what it changed to ``changes``. A step finds nothing to do on a compliant document: the
formatter relies on that to return a compliant template unchanged.
"""

from __future__ import annotations

from lxml import etree

from officekit.gongwen import layout, oxml, spec
from officekit.gongwen.styles import W
from officekit.gongwen.stylesheet import STYLES

# ---- style ids ----------------------------------------------------------------------------

# Where a style is named by its id.
_STYLE_REFERENCES = {W + tag for tag in ("pStyle", "rStyle", "tblStyle", "basedOn", "next", "link")}


def style_ids(doc) -> None:  # noqa: ANN001 - docx.Document
    """Give our styles their ids back. LibreOffice writes a style's id anew ("公文标题"
    becomes ``Style5``) and keeps its name; the layout finds our styles by name and
    would otherwise leave every paragraph pointing at an id that no longer exists."""
    ours = {style.name: style.style_id for style in STYLES.values() if style.style_id != "Normal"}
    root = doc.styles.element
    taken = {el.get(W + "styleId") for el in root.iter(W + "style")}
    renamed: dict[str, str] = {}
    for style in root.iter(W + "style"):
        name = style.find(W + "name")
        want = ours.get(name.get(W + "val") if name is not None else None)
        sid = style.get(W + "styleId")
        if want and sid != want and want not in taken:
            renamed[sid] = want
            style.set(W + "styleId", want)
            taken.add(want)
    if not renamed:
        return
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for el in element.iter(*_STYLE_REFERENCES):
            if el.get(W + "val") in renamed:
                el.set(W + "val", renamed[el.get(W + "val")])


# ---- page setup ---------------------------------------------------------------------------


_PAGE_PARTS = {
    "pgSz": "纸张 A4 纵向（原为 {was}）",
    "pgMar": "页边距上 37、下 35、左 28、右 26 mm",
    "docGrid": "每页 22 行",
}


def _attributes(sect: etree._Element, tag: str) -> dict[str, str] | None:
    el = sect.find(W + tag)
    if el is None:
        return None
    found = dict(el.attrib)
    if tag == "pgMar":  # header and footer distances are the footer's business
        for side in ("header", "footer", "gutter"):
            found.pop(W + side, None)
    return found


def page_setup(doc, changes: list[str]) -> None:  # noqa: ANN001 - docx.Document
    """Every section: A4 portrait, 37/28/35/26 mm margins, 22 lines of 28.95 pt."""
    for index, section in enumerate(doc.sections, start=1):
        sect = section._sectPr
        size = sect.find(W + "pgSz")
        before = etree.tostring(sect, method="c14n")
        was = (
            f"{int(size.get(W + 'w', 0)) / spec.TWIPS_PER_MM:.0f} × "
            f"{int(size.get(W + 'h', 0)) / spec.TWIPS_PER_MM:.0f} mm"
            if size is not None and size.get(W + "w")
            else "未设置"
        )
        was_set = {tag: _attributes(sect, tag) for tag in _PAGE_PARTS}
        layout.setup_page(section)
        if etree.tostring(sect, method="c14n") == before:
            continue
        what = [
            text.format(was=was)
            for tag, text in _PAGE_PARTS.items()
            if was_set[tag] != _attributes(sect, tag)
        ]
        changes.append(f"第 {index} 节页面设置：{'，'.join(what) or '页眉页脚距离按公文格式'}")


# ---- page numbers -------------------------------------------------------------------------


def _numbered(footer) -> bool:  # noqa: ANN001 - docx footer
    """The footer holds "— PAGE —": em dashes around a PAGE field."""
    if footer.is_linked_to_previous:
        return False
    root = footer._element
    instructions = "".join(el.text or "" for el in root.iter(W + "instrText"))
    instructions += " ".join(el.get(W + "instr") or "" for el in root.iter(W + "fldSimple"))
    text = "".join(el.text or "" for el in root.iter(W + "t"))
    return "PAGE" in instructions.upper() and spec.PAGE_NUMBER_DASH in text


def page_numbers(doc, changes: list[str]) -> None:  # noqa: ANN001
    """ "— 1 —" odd pages right, even pages left, and Word's 奇偶页不同 set; a later
    section with footers of its own but no number takes the first section's."""
    for later in list(doc.sections)[1:]:
        for footer in (later.footer, later.even_page_footer):
            if not footer.is_linked_to_previous and not _numbered(footer):
                footer.is_linked_to_previous = True
                changes.append("页码：后面各节沿用第 1 节的页码")
    section = doc.sections[0]
    even_odd = doc.settings.odd_and_even_pages_header_footer
    if even_odd and _numbered(section.footer) and _numbered(section.even_page_footer):
        return
    for footer in (section.footer, section.even_page_footer):
        if not footer.is_linked_to_previous:
            root = footer._element
            for child in list(root):
                root.remove(child)
            etree.SubElement(root, W + "p")
    layout.setup_footers(doc, section)
    changes.append("页码：页脚改为“— 1 —”（宋体四号，单页居右、双页居左，设“奇偶页不同”）")


# ---- pictures -----------------------------------------------------------------------------

_PICTURES = (W + "drawing", W + "pict", W + "object")
_WP_INLINE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"


def has_picture(p: etree._Element) -> bool:
    """Whether ``p`` holds a picture in line with its text."""
    return any(
        el.tag != W + "drawing" or el.find(f".//{_WP_INLINE}") is not None
        for el in p.iter(*_PICTURES)
    )


def pictures(doc, changes: list[str]) -> None:  # noqa: ANN001
    """A paragraph holding a picture in line with its text (a seal, a photo, a QR code)
    gets single line spacing: the 公文's fixed 28.95 pt lines would show only a strip of
    a picture taller than one line. Floating pictures take no line and are left alone."""
    count = 0
    for p in doc.element.body.iter(W + "p"):
        if not has_picture(p):
            continue
        ppr = p.find(W + "pPr")
        if ppr is None:
            ppr = etree.Element(W + "pPr")
            p.insert(0, ppr)
        spacing = ppr.find(W + "spacing")
        if (
            spacing is not None
            and spacing.get(W + "lineRule") in (None, "auto")
            and (spacing.get(W + "line") == "240")
        ):
            continue
        spacing = oxml.ppr_child(ppr, "w:spacing")
        spacing.set(W + "line", "240")
        spacing.set(W + "lineRule", "auto")
        count += 1
    if count:
        changes.append(f"图片：{count} 段含图片的段落改为单倍行距（固定行距会把图片裁掉）")
