"""Apply the 公文 layout of :mod:`officekit.gongwen.spec` to a python-docx Document.

Used to build the shipped templates (tools/build_templates.py) and by anything that
creates a 公文 from scratch. Roles map to paragraph styles with ASCII ids (stable for
code) and Chinese names (what a clerk sees in Word's style pane).
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Twips
from docx.table import Table
from lxml import etree

from officekit.gongwen import oxml, spec
from officekit.gongwen.stylesheet import PITCH, STYLES, ParagraphStyle
from officekit.gongwen.stylesheet import chars as _chars


def font_name(face: str, profile: str) -> str:
    """Typeface kind (``仿宋``…) → the name written into the file for ``profile``."""
    return spec.FONT_PROFILES[profile][face]


def setup_page(section: Section) -> None:
    """A4 portrait, 37/28/35/26 mm margins, 22 lines of 28.95 pt, footer 7 mm below."""
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Twips(spec.mm_to_twips(spec.PAPER_WIDTH_MM.value))
    section.page_height = Twips(spec.mm_to_twips(spec.PAPER_HEIGHT_MM.value))
    section.top_margin = Twips(spec.mm_to_twips(spec.MARGIN_TOP_MM.value))
    section.bottom_margin = Twips(spec.mm_to_twips(spec.MARGIN_BOTTOM_MM.value))
    section.left_margin = Twips(spec.mm_to_twips(spec.MARGIN_LEFT_MM.value))
    section.right_margin = Twips(spec.mm_to_twips(spec.MARGIN_RIGHT_MM.value))
    section.header_distance = Twips(spec.mm_to_twips(15))
    # Word measures the footer from the page edge to the bottom of the footer line; the
    # number's top should sit 7 mm below the text block.
    number_line = STYLES["page_number"].line or PITCH
    section.footer_distance = Twips(
        spec.mm_to_twips(spec.MARGIN_BOTTOM_MM.value - spec.PAGE_NUMBER_GAP_MM.value) - number_line
    )
    section.gutter = Twips(0)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(PITCH))


def _strip_theme_fonts(root: etree._Element) -> None:
    for fonts in root.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)


def _apply_style(doc: DocumentObject, style: ParagraphStyle, profile: str) -> None:
    styles = doc.styles
    try:
        obj = styles[style.name]
    except KeyError:
        obj = styles.add_style(style.name, WD_STYLE_TYPE.PARAGRAPH)
        obj.base_style = styles["Normal"]
        obj.quick_style = True
    element = obj.element
    element.set(qn("w:styleId"), style.style_id)
    role = spec.ROLES[style.role]
    rpr = element.get_or_add_rPr()
    oxml.set_fonts(rpr, font_name(role.face, profile))
    oxml.set_size(rpr, spec.half_points(role.size))
    oxml.set_bold(rpr, role.bold)
    if role.size == "三号":  # the 28-characters-a-line text; titles and tables keep 100 %
        oxml.set_char_scale(rpr, int(spec.CHAR_SCALE_PERCENT.value))
    oxml.rpr_child(rpr, "w:color").set(qn("w:val"), "000000")
    oxml.rpr_child(rpr, "w:kern").set(qn("w:val"), "0")
    ppr = element.get_or_add_pPr()
    oxml.set_on_off(ppr, "w:widowControl", False)
    oxml.set_on_off(ppr, "w:keepNext", style.keep_next)
    oxml.set_on_off(ppr, "w:snapToGrid", style.snap_to_grid)
    oxml.set_line_spacing(ppr, style.line or PITCH, style.before, style.after)
    oxml.set_indent(
        ppr, first_line=style.first_line, left=style.left, right=style.right, hanging=style.hanging
    )
    oxml.set_justification(ppr, style.justify)
    if style.outline_level is not None:
        oxml.ppr_child(ppr, "w:outlineLvl").set(qn("w:val"), str(style.outline_level))


def apply_styles(doc: DocumentObject, profile: str = spec.DEFAULT_FONT_PROFILE) -> None:
    """Body defaults and one paragraph style per role; theme fonts removed everywhere."""
    styles_root = doc.styles.element
    _strip_theme_fonts(styles_root)
    defaults = styles_root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    oxml.set_fonts(rpr, font_name("仿宋", profile))
    oxml.set_size(rpr, spec.half_points("三号"))
    lang = oxml.rpr_child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    for style in STYLES.values():
        _apply_style(doc, style, profile)
    # Styles we do not use must not carry theme fonts either (a table style's text, say).
    _strip_theme_fonts(styles_root)
    for fonts in styles_root.iter(qn("w:rFonts")):
        if not fonts.get(qn("w:eastAsia")):
            fonts.set(qn("w:eastAsia"), font_name("仿宋", profile))


def _number_paragraph(paragraph, odd: bool) -> None:
    """ "— N —": em dashes around a PAGE field, odd right / even left, 1 character in."""
    paragraph.style = STYLES["page_number"].name
    ppr = paragraph._p.get_or_add_pPr()
    indent = _chars(spec.PAGE_NUMBER_INDENT_CHARS, "page_number")
    if odd:
        oxml.set_justification(ppr, "right")
        oxml.set_indent(ppr, right=indent)
    else:
        oxml.set_justification(ppr, "left")
        oxml.set_indent(ppr, left=indent)
    dash = spec.PAGE_NUMBER_DASH
    paragraph.add_run(f"{dash} ")
    for run in oxml.page_number_field(""):
        paragraph._p.append(run)
    paragraph.add_run(f" {dash}")


def setup_footers(doc: DocumentObject, section: Section | None = None) -> None:
    """Odd/even page-number footers and ``w:evenAndOddHeaders`` in settings."""
    section = section or doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _number_paragraph(section.footer.paragraphs[0], odd=True)
    _number_paragraph(section.even_page_footer.paragraphs[0], odd=False)


def compat(doc: DocumentObject) -> None:
    """A line ended by Shift+Enter (an Alt+Enter cell) is not stretched across the block.

    ``w:doNotExpandShiftReturn`` comes first among CT_Compat's flags (schema order)."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def new_document(profile: str = spec.DEFAULT_FONT_PROFILE) -> DocumentObject:
    """An empty 公文 document: page, styles and footers set, no paragraphs."""
    doc = Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    setup_page(doc.sections[0])
    apply_styles(doc, profile)
    setup_footers(doc)
    compat(doc)
    return doc


def add_paragraph(doc_or_cell, role: str, text: str = ""):
    """A paragraph of ``role`` (a key of :data:`STYLES`) holding ``text`` in one run."""
    paragraph = doc_or_cell.add_paragraph(style=STYLES[role].name)
    if text:
        paragraph.add_run(text)
    return paragraph


def add_page_break(doc: DocumentObject) -> None:
    """Start the next paragraph on a new page (a real break, never empty paragraphs).

    The break goes at the end of the last body paragraph; after a table, into a 1 pt
    paragraph, so the table stays where it is.
    """
    body = doc.element.body
    last = next((el for el in reversed(body) if el.tag != qn("w:sectPr")), None)
    p = last if last is not None and last.tag == qn("w:p") else add_paragraph(doc, "tiny")._p
    oxml.set_on_off(p.get_or_add_pPr(), "w:keepNext", False)
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    p.append(run)


def _table_properties(table: Table, width: int, borders: bool) -> None:
    """Rebuild ``w:tblPr`` in schema order: width, centring, borders, fixed layout, margins.

    Word and LibreOffice both ignore or misplace properties that are out of order.
    """
    tbl_pr = table._tbl.tblPr
    for child in list(tbl_pr):
        if child.tag != qn("w:tblStyle"):
            tbl_pr.remove(child)

    def add(tag: str, **attrs: str) -> etree._Element:
        el = OxmlElement(tag)
        for key, value in attrs.items():
            el.set(qn(f"w:{key}"), value)
        tbl_pr.append(el)
        return el

    add("w:tblW", w=str(width), type="dxa")
    add("w:jc", val="center")
    edges = add("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            el.set(qn("w:sz"), "4")  # eighths of a point: 0.5 pt
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        edges.append(el)
    add("w:tblLayout", type="fixed")
    margins = add("w:tblCellMar")
    for side, value in (("top", 0), ("left", 85), ("bottom", 0), ("right", 85)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    add(
        "w:tblLook",
        val="0000",
        firstRow="0",
        lastRow="0",
        firstColumn="0",
        lastColumn="0",
        noHBand="1",
        noVBand="1",
    )


def add_table(
    doc: DocumentObject,
    widths: list[int],
    rows: list[list[str]],
    *,
    header_rows: int = 1,
    borders: bool = True,
    role: str = "table",
    align: list[str] | None = None,
) -> Table:
    """A table of fixed column ``widths`` (twips) with one paragraph per cell.

    Header rows repeat on each page; no row splits across pages.
    """
    table = doc.add_table(rows=len(rows), cols=len(widths))
    table.autofit = False
    _table_properties(table, sum(widths), borders)
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Twips(w)
    for r, (row, values) in enumerate(zip(table.rows, rows, strict=True)):
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
        if r < header_rows:
            head = OxmlElement("w:tblHeader")
            tr_pr.append(head)
        for c, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Twips(widths[c])
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "center")
            cell._tc.get_or_add_tcPr().append(valign)
            paragraph = cell.paragraphs[0]
            paragraph.style = STYLES["table_head" if r < header_rows else role].name
            if align and r >= header_rows:
                oxml.set_justification(paragraph._p.get_or_add_pPr(), align[c])
            if text:
                paragraph.add_run(text)
    return table
