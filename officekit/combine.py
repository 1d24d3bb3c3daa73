"""One print file from many documents rendered from the same template.

Each document becomes a section that starts on an odd (right-hand) page and restarts
page numbering at 1, so a duplex print separates cleanly into letters. Because every
document shares the template's styles, footers and relationships, joining their bodies
is exact; documents from different templates are not combined here.
"""

from __future__ import annotations

import copy

from lxml import etree

from officekit.gongwen.oxml import SECT_ORDER, W_NS, insert_ordered

W = f"{{{W_NS}}}"


def _section_properties(sect_pr: etree._Element, start: str = "oddPage") -> etree._Element:
    """A copy of the template's section: starts on an odd (or the next) page, numbering from 1.

    Other page-number settings of the template (format, chapter style) are kept.
    """
    sect = copy.deepcopy(sect_pr)
    for child in sect.findall(f"{W}type"):
        sect.remove(child)
    kind = etree.Element(f"{W}type")
    kind.set(f"{W}val", start)
    insert_ordered(sect, kind, SECT_ORDER)
    numbering = sect.find(f"{W}pgNumType")
    if numbering is None:
        numbering = etree.Element(f"{W}pgNumType")
        insert_ordered(sect, numbering, SECT_ORDER)
    numbering.set(f"{W}start", "1")
    return sect


def _carrier() -> etree._Element:
    """A 1 pt paragraph to hold a section break after a closing table."""
    paragraph = etree.Element(f"{W}p")
    ppr = etree.SubElement(paragraph, f"{W}pPr")
    snap = etree.SubElement(ppr, f"{W}snapToGrid")
    snap.set(f"{W}val", "0")
    spacing = etree.SubElement(ppr, f"{W}spacing")
    for key, value in (("line", "20"), ("lineRule", "exact"), ("before", "0"), ("after", "0")):
        spacing.set(f"{W}{key}", value)
    rpr = etree.SubElement(ppr, f"{W}rPr")
    etree.SubElement(rpr, f"{W}sz").set(f"{W}val", "2")
    return paragraph


def combine_documents(documents: list[bytes], start: str = "oddPage") -> bytes:
    """``word/document.xml`` of each document (same template) → one combined document.xml.

    ``start`` is the section start type: "oddPage" (duplex printing) or "nextPage".
    """
    if not documents:
        raise ValueError("nothing to combine")
    roots = [etree.fromstring(xml) for xml in documents]
    first = roots[0]
    body = first.find(f"{W}body")
    template_sect = body.find(f"{W}sectPr")
    new_body = etree.Element(f"{W}body")
    for index, root in enumerate(roots):
        children = [c for c in root.find(f"{W}body") if c.tag != f"{W}sectPr"]
        last_is_final = index == len(roots) - 1
        if not last_is_final:
            if not children or children[-1].tag != f"{W}p":
                children.append(_carrier())
            paragraph = children[-1]
            ppr = paragraph.find(f"{W}pPr")
            if ppr is None:
                ppr = etree.Element(f"{W}pPr")
                paragraph.insert(0, ppr)
            for old in ppr.findall(f"{W}sectPr"):
                ppr.remove(old)
            # sectPr sits after rPr and before pPrChange inside pPr.
            change = ppr.find(f"{W}pPrChange")
            section = _section_properties(template_sect, start)
            (change.addprevious(section) if change is not None else ppr.append(section))
        new_body.extend(children)
    new_body.append(_section_properties(template_sect, start))
    first.replace(body, new_body)
    return etree.tostring(first, xml_declaration=True, encoding="UTF-8", standalone=True)
