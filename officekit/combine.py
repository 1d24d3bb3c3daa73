"""One print file from many documents rendered from the same template.

Each document becomes a section that starts on an odd (right-hand) page and restarts
page numbering at 1, so a duplex print separates cleanly into letters. Because every
document shares the template's styles, footers and relationships, joining their bodies
is exact; documents from different templates are not combined here.
"""

from __future__ import annotations

import copy

from lxml import etree

from officekit.gongwen.oxml import W_NS

W = f"{{{W_NS}}}"


def _section_properties(sect_pr: etree._Element) -> etree._Element:
    """A copy of the template's section: starts on an odd page, numbering from 1."""
    sect = copy.deepcopy(sect_pr)
    for child in sect.findall(f"{W}type") + sect.findall(f"{W}pgNumType"):
        sect.remove(child)
    kind = etree.SubElement(sect, f"{W}type")
    kind.set(f"{W}val", "oddPage")
    # w:type must come before w:pgSz; w:pgNumType after w:pgMar/w:paperSrc… (schema order).
    sect.remove(kind)
    anchor = sect.find(f"{W}pgSz")
    (anchor.addprevious(kind) if anchor is not None else sect.insert(0, kind))
    numbering = etree.Element(f"{W}pgNumType")
    numbering.set(f"{W}start", "1")
    follower = next(
        (
            sect.find(f"{W}{t}")
            for t in (
                "cols",
                "formProt",
                "vAlign",
                "noEndnote",
                "titlePg",
                "textDirection",
                "bidi",
                "rtlGutter",
                "docGrid",
            )
            if sect.find(f"{W}{t}") is not None
        ),
        None,
    )
    if follower is not None:
        follower.addprevious(numbering)
    else:
        sect.append(numbering)
    return sect


def combine_documents(documents: list[bytes]) -> bytes:
    """``word/document.xml`` of each document (same template) → one combined document.xml."""
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
                children.append(etree.Element(f"{W}p"))
            paragraph = children[-1]
            ppr = paragraph.find(f"{W}pPr")
            if ppr is None:
                ppr = etree.Element(f"{W}pPr")
                paragraph.insert(0, ppr)
            for old in ppr.findall(f"{W}sectPr"):
                ppr.remove(old)
            # sectPr sits after rPr and before pPrChange inside pPr.
            change = ppr.find(f"{W}pPrChange")
            section = _section_properties(template_sect)
            (change.addprevious(section) if change is not None else ppr.append(section))
        new_body.extend(children)
    new_body.append(_section_properties(template_sect))
    first.replace(body, new_body)
    return etree.tostring(first, xml_declaration=True, encoding="UTF-8", standalone=True)
