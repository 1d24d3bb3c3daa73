"""officekit.gongwen.layout and .oxml against the independent checker in tests/gbt9704.py.

A document holding every role is built once and must pass ``check_docx``; then each
planted defect (one change to the saved file) must be reported, which proves the checker
sees it. The oxml helpers are tested directly, including the schema order of everything
the layout engine writes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from gbt9704 import W_NS, W, check_docx, role_of
from lxml import etree

from officekit.gongwen import layout, oxml

TEXT_WIDTH = 8844  # 156 mm in twips

# ---- a document with every role ------------------------------------------------------------

CONTENT: list[tuple[str, str]] = [
    ("title", "在全县禁毒工作会议上的讲话"),
    ("byline", "县委副书记、县长　邵文昌"),
    ("byline", "（2026年3月5日）"),
    ("body", ""),
    ("greeting", "同志们："),
    ("body", "今天，县委、县政府召开全县禁毒工作会议，下面，我讲三点意见。"),
    ("h1", "一、正视成绩、认清形势"),
    ("h2", "（一）严打整治保持高压态势"),
    ("body", "全年共破获毒品刑事案件91起，同比增长13.8%，完成任务数的102.2%。"),
    ("h3", "1. 打团伙、摧网络"),
    ("body", "会议于2026年3月5日召开，责任期限自2026年1月1日至2026年12月31日。"),
    ("body", ""),
    ("attach_note", "附件：1. 2025年全县禁毒工作主要指标完成情况"),
    ("attach_note_more", "2. 2026年度禁毒工作目标责任书（样本）"),
]


def _build_document(profile: str = "GB2312") -> DocumentObject:
    doc = layout.new_document(profile)
    for role, text in CONTENT:
        layout.add_paragraph(doc, role, text)
    # Annex 1 on a new page: label, title, a table and its note.
    label = layout.add_paragraph(doc, "attach_label", "附件1")
    oxml.set_on_off(label._p.get_or_add_pPr(), "w:pageBreakBefore", True)
    layout.add_paragraph(doc, "attach_title", "2025年全县禁毒工作主要指标完成情况")
    layout.add_table(
        doc,
        [3000, 1000, 2000, TEXT_WIDTH - 6000],
        [["指标名称", "单位", "本年数", "上年数"], ["破获毒品刑事案件", "起", "91", "80"]],
        align=["left", "center", "right", "right"],
    )
    layout.add_paragraph(doc, "table_note", "注：同比按上年数计算。")
    # Annex 2 after a page-break run, then a party line and a borderless signature table.
    layout.add_page_break(doc)
    layout.add_paragraph(doc, "attach_label", "附件2")
    layout.add_paragraph(doc, "attach_title", "2026年度禁毒工作目标责任书（样本）")
    layout.add_paragraph(doc, "party", "甲方：青禾县禁毒委员会")
    layout.add_table(
        doc,
        [TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2],
        [["甲方（盖章）：", "乙方（盖章）："], ["2026年3月5日", "2026年3月5日"]],
        header_rows=0,
        borders=False,
        role="signature",
    )
    layout.add_paragraph(doc, "tiny")
    return doc


@pytest.fixture(scope="module")
def clean_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "clean.docx"
    _build_document().save(str(path))
    return path


@pytest.mark.parametrize("profile", ["GB2312", "Windows"])
def test_new_document_is_compliant(tmp_path: Path, profile: str) -> None:
    path = tmp_path / f"{profile}.docx"
    _build_document(profile).save(str(path))
    assert check_docx(path) == []


def test_font_profiles_write_their_names(tmp_path: Path) -> None:
    names = {}
    for profile in ("GB2312", "Windows"):
        doc = layout.new_document(profile)
        normal = doc.styles["Normal"].element.find(f"{W}rPr/{W}rFonts")
        h2 = doc.styles["二级标题"].element.find(f"{W}rPr/{W}rFonts")
        names[profile] = (normal.get(qn("w:eastAsia")), h2.get(qn("w:eastAsia")))
    assert names == {"GB2312": ("仿宋_GB2312", "楷体_GB2312"), "Windows": ("仿宋", "楷体")}


def test_new_document_has_no_paragraphs() -> None:
    doc = layout.new_document()
    assert [child.tag for child in doc.element.body] == [qn("w:sectPr")]


# ---- planted defects ------------------------------------------------------------------------

Mutation = Callable[[DocumentObject], None]


def _style_rpr(doc: DocumentObject, style_id: str) -> etree._Element:
    style = doc.styles.element.find(f"{W}style[@{W}styleId='{style_id}']")
    assert style is not None, style_id
    return style.find(f"{W}rPr")


def _set_east_asia(style_id: str, name: str) -> Mutation:
    def mutate(doc: DocumentObject) -> None:
        _style_rpr(doc, style_id).find(f"{W}rFonts").set(qn("w:eastAsia"), name)

    return mutate


def _set_size(style_id: str, half_points: int) -> Mutation:
    def mutate(doc: DocumentObject) -> None:
        _style_rpr(doc, style_id).find(f"{W}sz").set(qn("w:val"), str(half_points))

    return mutate


def _sect_attr(tag: str, **attrs: str) -> Mutation:
    def mutate(doc: DocumentObject) -> None:
        element = doc.element.body.find(f"{W}sectPr/{W}{tag}")
        for key, value in attrs.items():
            element.set(qn(f"w:{key}"), value)

    return mutate


def _add_body(text: str) -> Mutation:
    def mutate(doc: DocumentObject) -> None:
        layout.add_paragraph(doc, "body", text)

    return mutate


def _theme_in_style(doc: DocumentObject) -> None:
    _style_rpr(doc, "GwHeading2").find(f"{W}rFonts").set(qn("w:eastAsiaTheme"), "minorEastAsia")


def _theme_in_run(doc: DocumentObject) -> None:
    run = doc.paragraphs[5].runs[0]
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    run._r.get_or_add_rPr().insert(0, fonts)


def _run_font(doc: DocumentObject) -> None:
    run = doc.paragraphs[5].runs[0]
    oxml.set_fonts(run._r.get_or_add_rPr(), "宋体")


def _footer_hyphen(doc: DocumentObject) -> None:
    for t in doc.sections[0].footer._element.iter(qn("w:t")):
        t.text = t.text.replace("\u2014", "-")


def _footer_align(doc: DocumentObject) -> None:
    ppr = doc.sections[0].footer.paragraphs[0]._p.get_or_add_pPr()
    oxml.set_justification(ppr, "left")


def _even_footer_align(doc: DocumentObject) -> None:
    ppr = doc.sections[0].even_page_footer.paragraphs[0]._p.get_or_add_pPr()
    oxml.set_justification(ppr, "center")


def _drop_even_footer(doc: DocumentObject) -> None:
    sect = doc.element.body.find(f"{W}sectPr")
    for ref in sect.findall(f"{W}footerReference"):
        if ref.get(qn("w:type")) == "even":
            sect.remove(ref)


def _drop_even_and_odd(doc: DocumentObject) -> None:
    settings = doc.settings.element
    settings.remove(settings.find(f"{W}evenAndOddHeaders"))


def _drop_char_scale(doc: DocumentObject) -> None:
    rpr = _style_rpr(doc, "Normal")
    rpr.remove(rpr.find(f"{W}w"))


def _line_pitch(doc: DocumentObject) -> None:
    normal = doc.styles.element.find(f"{W}style[@{W}styleId='Normal']")
    normal.find(f"{W}pPr/{W}spacing").set(qn("w:line"), "480")


def _annex_without_break(doc: DocumentObject) -> None:
    label = next(p for p in doc.paragraphs if p.text == "附件1")
    ppr = label._p.get_or_add_pPr()
    ppr.remove(ppr.find(f"{W}pageBreakBefore"))


def _annex_after_break_removed(doc: DocumentObject) -> None:
    for br in list(doc.element.body.iter(qn("w:br"))):
        br.getparent().remove(br)


DEFECTS: dict[str, tuple[Mutation, str]] = {
    "paper Letter": (_sect_attr("pgSz", w="12240", h="15840"), "paper"),
    "landscape": (_sect_attr("pgSz", w="16838", h="11906", orient="landscape"), "landscape"),
    "top margin 25.4 mm": (_sect_attr("pgMar", top="1440"), "top margin"),
    "top margin 38.5 mm": (_sect_attr("pgMar", top="2183"), "top margin"),
    "left margin": (_sect_attr("pgMar", left="1800"), "left margin"),
    "right margin": (_sect_attr("pgMar", right="1800"), "right margin"),
    "bottom margin": (_sect_attr("pgMar", bottom="1440"), "bottom margin"),
    "line pitch 24 pt": (_line_pitch, "line pitch"),
    "no character narrowing": (_drop_char_scale, "characters"),
    "body font 宋体": (_set_east_asia("Normal", "宋体"), "(body)"),
    "body size 14 pt": (_set_size("Normal", 28), "(body)"),
    "run font 宋体": (_run_font, "(body)"),
    "title font 黑体": (_set_east_asia("GwTitle", "黑体"), "(title)"),
    "title size 18 pt": (_set_size("GwTitle", 36), "(title)"),
    "h1 font 仿宋": (_set_east_asia("GwHeading1", "仿宋_GB2312"), "(h1)"),
    "h2 font 黑体": (_set_east_asia("GwHeading2", "黑体"), "(h2)"),
    "byline font 仿宋": (_set_east_asia("GwByline", "仿宋_GB2312"), "(byline)"),
    "annex label font 仿宋": (_set_east_asia("GwAttachLabel", "仿宋_GB2312"), "(attach_label)"),
    "annex title size 16 pt": (_set_size("GwAttachTitle", 32), "(attach_title)"),
    "table font 宋体": (_set_east_asia("GwTable", "宋体"), "(table)"),
    "table size 9 pt": (_set_size("GwTable", 18), "(table)"),
    "theme font in a style": (_theme_in_style, "theme font"),
    "theme font in a run": (_theme_in_run, "theme font"),
    "footer dash '-'": (_footer_hyphen, "page number reads"),
    "odd footer left": (_footer_align, "aligned"),
    "even footer centred": (_even_footer_align, "aligned"),
    "footer font 仿宋": (_set_east_asia("GwPageNumber", "仿宋_GB2312"), "page number font"),
    "footer size 16 pt": (_set_size("GwPageNumber", 32), "page number size"),
    "no even footer": (_drop_even_footer, "no even footer"),
    "evenAndOddHeaders removed": (_drop_even_and_odd, "evenAndOddHeaders"),
    "leftover {{ x }}": (_add_body("{{ x }}"), "template tag"),
    "leftover {% if %}": (_add_body("{% if 单位 %}本单位"), "template tag"),
    "20**年": (_add_body("20**年全县禁毒工作"), "placeholder"),
    "202_年": (_add_body("202_年全县禁毒工作"), "placeholder"),
    "XX同志": (_add_body("刚才，XX同志通报了情况。"), "placeholder"),
    "×××": (_add_body("×××县禁毒委员会"), "placeholder"),
    "zero-padded date": (_add_body("2026年03月05日"), "zero-padded date"),
    "zero-padded day": (_add_body("2026年3月05日"), "zero-padded date"),
    "annex 1 without page break": (_annex_without_break, "附件1"),
    "annex 2 without page break": (_annex_after_break_removed, "附件2"),
}


@pytest.mark.parametrize("name", list(DEFECTS))
def test_checker_reports_planted_defect(clean_docx: Path, tmp_path: Path, name: str) -> None:
    mutate, expected = DEFECTS[name]
    doc = docx.Document(str(clean_docx))
    mutate(doc)
    broken = tmp_path / "broken.docx"
    doc.save(str(broken))
    problems = check_docx(broken)
    assert any(expected in problem for problem in problems), problems


def test_allow_tags_skips_only_tags(clean_docx: Path, tmp_path: Path) -> None:
    doc = docx.Document(str(clean_docx))
    layout.add_paragraph(doc, "body", "{{ 会议名称 }}")
    layout.add_paragraph(doc, "body", "2026年03月05日")
    path = tmp_path / "tagged.docx"
    doc.save(str(path))
    assert any("template tag" in p for p in check_docx(path))
    problems = check_docx(path, allow_tags=True)
    assert problems and not any("template tag" in p for p in problems)
    assert any("zero-padded date" in p for p in problems)


def _annex_doc(tmp_path: Path, before_label: Callable[[DocumentObject], None]) -> list[str]:
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于禁毒工作的通知")
    layout.add_paragraph(doc, "body", "正文。")
    before_label(doc)
    layout.add_paragraph(doc, "attach_label", "附件1")
    path = tmp_path / "annex.docx"
    doc.save(str(path))
    return [p for p in check_docx(path) if "附件1" in p]


def _section_break(kind: str | None) -> Callable[[DocumentObject], None]:
    """End the section at the last paragraph; the label's section starts as ``kind``."""

    def add(doc: DocumentObject) -> None:
        final = doc.element.body.find(f"{W}sectPr")
        ending = etree.fromstring(etree.tostring(final))
        doc.paragraphs[-1]._p.get_or_add_pPr().append(ending)
        if kind is not None:
            start = OxmlElement("w:type")
            start.set(qn("w:val"), kind)
            final.find(f"{W}pgSz").addprevious(start)

    return add


@pytest.mark.parametrize(
    ("how", "reported"),
    [
        ("nothing", True),
        ("page break run", False),
        ("next-page section break", False),
        ("odd-page section break", False),
        ("continuous section break", True),
    ],
)
def test_annex_page_start_rules(tmp_path: Path, how: str, reported: bool) -> None:
    actions: dict[str, Callable[[DocumentObject], None]] = {
        "nothing": lambda doc: None,
        "page break run": layout.add_page_break,
        "next-page section break": _section_break(None),
        "odd-page section break": _section_break("oddPage"),
        "continuous section break": _section_break("continuous"),
    }
    assert bool(_annex_doc(tmp_path, actions[how])) is reported


def test_page_break_after_a_table_starts_the_next_paragraph_on_a_new_page(
    tmp_path: Path,
) -> None:
    """add_page_break after add_table must break after the table, not before it.

    ``doc.paragraphs[-1]`` is the last body paragraph *before* the table, so the break
    run lands there: the table moves to a new page and the annex label that follows
    does not.
    """
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于禁毒工作的通知")
    layout.add_paragraph(doc, "body", "正文。")
    layout.add_table(doc, [4422, 4422], [["指标", "数值"], ["案件", "91"]])
    layout.add_page_break(doc)
    layout.add_paragraph(doc, "attach_label", "附件1")
    body = list(doc.element.body)
    table_at = next(n for n, el in enumerate(body) if el.tag == qn("w:tbl"))
    breaks_at = [
        n
        for n, el in enumerate(body)
        if any(br.get(qn("w:type")) == "page" for br in el.iter(qn("w:br")))
    ]
    assert breaks_at and all(n > table_at for n in breaks_at), (table_at, breaks_at)
    path = tmp_path / "table_then_annex.docx"
    doc.save(str(path))
    assert check_docx(path) == []


# ---- roles ----------------------------------------------------------------------------------


def test_role_of_paragraphs_by_style(clean_docx: Path) -> None:
    doc = docx.Document(str(clean_docx))
    roles = {p.text: role_of(p) for p in doc.paragraphs if p.text}
    assert roles["在全县禁毒工作会议上的讲话"] == "title"
    assert roles["（2026年3月5日）"] == "byline"
    assert roles["同志们："] == "body"
    assert roles["一、正视成绩、认清形势"] == "h1"
    assert roles["（一）严打整治保持高压态势"] == "h2"
    assert roles["1. 打团伙、摧网络"] == "body"
    assert roles["附件1"] == "attach_label"
    assert roles["2026年度禁毒工作目标责任书（样本）"] == "attach_title"
    assert roles["注：同比按上年数计算。"] == "table_note"
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert cells and {role_of(p) for p in cells} == {"table"}


def test_role_of_paragraphs_by_text() -> None:
    doc = layout.new_document()
    texts = {
        "二、突出重点、精准发力": "h1",
        "十一、其他": "h1",
        "（三）加强禁毒工作保障": "h2",
        "附件3": "attach_label",
        "附件：1. 主要指标": "body",
        "一是毒品来源更加隐蔽。": "body",
    }
    for text, expected in texts.items():
        paragraph = layout.add_paragraph(doc, "body", text)
        assert role_of(paragraph) == expected, text
    first = layout.add_paragraph(doc, "body", "关于加强禁毒工作的意见")
    assert role_of(first, first=True) == "title"
    assert role_of(first) == "body"


# ---- oxml helpers ---------------------------------------------------------------------------

# Schema order (ECMA-376 Part 1, CT_RPr / CT_PPrBase / CT_Style / CT_TblPr / CT_TcPr /
# CT_SectPr), typed here rather than taken from officekit.gongwen.oxml. ins/del/moveFrom/
# moveTo occur only in a paragraph mark's rPr.
RPR_ORDER = [
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
    "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath"
]  # fmt: skip
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange"
]  # fmt: skip
STYLE_ORDER = [
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"
]  # fmt: skip
TBLPR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription", "tblPrChange"
]  # fmt: skip
TCPR_ORDER = [
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
    "cellMerge", "tcPrChange"
]  # fmt: skip
SECTPR_ORDER = [
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"
]  # fmt: skip
ORDERS = {
    "rPr": RPR_ORDER,
    "pPr": PPR_ORDER,
    "style": STYLE_ORDER,
    "tblPr": TBLPR_ORDER,
    "tcPr": TCPR_ORDER,
    "sectPr": SECTPR_ORDER,
}


def schema_order_problems(root: etree._Element) -> list[str]:
    """Elements whose w: children are out of schema order or unknown to the order list."""
    problems = []
    for local, order in ORDERS.items():
        for parent in root.iter(W + local):
            names = [etree.QName(c).localname for c in parent if etree.QName(c).namespace == W_NS]
            unknown = [n for n in names if n not in order]
            if unknown:
                problems.append(f"{local}: unknown children {unknown}")
                continue
            ranks = [order.index(n) for n in names]
            if ranks != sorted(ranks):
                problems.append(f"{local}: {names}")
    return problems


def _children(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def test_rpr_children_created_in_schema_order() -> None:
    rpr = OxmlElement("w:rPr")
    for tag in ("w:lang", "w:sz", "w:kern", "w:rFonts", "w:color", "w:b", "w:spacing"):
        oxml.rpr_child(rpr, tag)
    assert _children(rpr) == ["rFonts", "b", "color", "spacing", "kern", "sz", "lang"]
    assert oxml.rpr_child(rpr, "w:sz") is rpr.find(qn("w:sz"))
    assert len(rpr) == 7


def test_ppr_children_created_in_schema_order() -> None:
    ppr = OxmlElement("w:pPr")
    ppr.append(OxmlElement("w:rPr"))
    ppr.append(OxmlElement("w:sectPr"))
    for tag in (
        "w:outlineLvl",
        "w:jc",
        "w:ind",
        "w:spacing",
        "w:snapToGrid",
        "w:widowControl",
        "w:pageBreakBefore",
        "w:keepNext",
        "w:pStyle",
    ):
        oxml.ppr_child(ppr, tag)
    assert _children(ppr) == [
        "pStyle",
        "keepNext",
        "pageBreakBefore",
        "widowControl",
        "snapToGrid",
        "spacing",
        "ind",
        "jc",
        "outlineLvl",
        "rPr",
        "sectPr",
    ]


def test_set_fonts_removes_theme_attributes() -> None:
    rpr = etree.fromstring(
        f'<w:rPr xmlns:w="{oxml.W_NS}"><w:rFonts w:asciiTheme="minorHAnsi" '
        'w:hAnsiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:cstheme="minorBidi" '
        'w:eastAsia="SimSun"/><w:b/></w:rPr>'
    )
    oxml.set_fonts(rpr, "黑体")
    fonts = rpr.find(qn("w:rFonts"))
    assert {etree.QName(a).localname: v for a, v in fonts.attrib.items()} == {
        "ascii": "黑体",
        "hAnsi": "黑体",
        "eastAsia": "黑体",
        "cs": "黑体",
        "hint": "eastAsia",
    }
    # The existing rFonts is reused, not duplicated.
    assert _children(rpr) == ["rFonts", "b"]


def test_set_fonts_creates_rfonts_first() -> None:
    rpr = OxmlElement("w:rPr")
    oxml.set_size(rpr, 32)
    oxml.set_fonts(rpr, "仿宋_GB2312")
    assert _children(rpr) == ["rFonts", "sz", "szCs"]
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == "32"


def test_set_indent_and_spacing() -> None:
    ppr = OxmlElement("w:pPr")
    ind = oxml.ppr_child(ppr, "w:ind")
    ind.set(qn("w:firstLineChars"), "200")
    oxml.set_indent(ppr, left=1600, hanging=960)
    attrs = {etree.QName(a).localname: v for a, v in ind.attrib.items()}
    assert attrs == {"left": "1600", "right": "0", "hanging": "960"}
    oxml.set_indent(ppr, first_line=640)
    attrs = {etree.QName(a).localname: v for a, v in ind.attrib.items()}
    assert attrs == {"left": "0", "right": "0", "firstLine": "640"}
    oxml.set_line_spacing(ppr, 579, before=579)
    spacing = ppr.find(qn("w:spacing"))
    assert {etree.QName(a).localname: v for a, v in spacing.attrib.items()} == {
        "line": "579",
        "lineRule": "exact",
        "before": "579",
        "after": "0",
    }
    assert _children(ppr) == ["spacing", "ind"]


def test_set_on_off_writes_explicit_values() -> None:
    ppr = OxmlElement("w:pPr")
    oxml.set_on_off(ppr, "w:keepNext", True)
    oxml.set_on_off(ppr, "w:snapToGrid", False)
    assert ppr.find(qn("w:keepNext")).get(qn("w:val")) == "1"
    assert ppr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    rpr = OxmlElement("w:rPr")
    oxml.set_on_off(rpr, "w:vanish", False, order="r")
    oxml.set_on_off(rpr, "w:b", True, order="r")
    assert _children(rpr) == ["b", "vanish"]
    assert rpr.find(qn("w:vanish")).get(qn("w:val")) == "0"


def test_page_number_field_runs() -> None:
    runs = oxml.page_number_field("")
    assert [r.tag for r in runs] == [qn("w:r")] * 5
    fld = [r.find(qn("w:fldChar")) for r in runs]
    assert [f.get(qn("w:fldCharType")) if f is not None else None for f in fld] == [
        "begin",
        None,
        "separate",
        None,
        "end",
    ]
    instr = runs[1].find(qn("w:instrText"))
    assert instr.text.split() == ["PAGE"]
    assert instr.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert runs[3].find(qn("w:t")).text == "1"
    assert all(r.find(qn("w:rPr")) is None for r in runs)


def test_page_number_field_copies_run_properties() -> None:
    props = f'<w:rPr xmlns:w="{oxml.W_NS}"><w:rFonts w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr>'
    runs = oxml.page_number_field(props)
    rprs = [r[0] for r in runs]
    assert all(etree.QName(rpr).localname == "rPr" for rpr in rprs)
    assert all(rpr.find(qn("w:sz")).get(qn("w:val")) == "28" for rpr in rprs)
    assert len({id(rpr) for rpr in rprs}) == 5


def test_layout_writes_everything_in_schema_order(clean_docx: Path) -> None:
    doc = docx.Document(str(clean_docx))
    problems = schema_order_problems(doc.element) + schema_order_problems(doc.styles.element)
    for section in doc.sections:
        for footer in (section.footer, section.even_page_footer):
            problems += schema_order_problems(footer._element)
    assert problems == []


def test_schema_order_check_can_fail() -> None:
    ppr = etree.fromstring(f'<w:pPr xmlns:w="{oxml.W_NS}"><w:jc w:val="left"/><w:ind/></w:pPr>')
    assert schema_order_problems(ppr)


def test_no_theme_fonts_anywhere(clean_docx: Path) -> None:
    doc = docx.Document(str(clean_docx))
    themed = [
        (etree.QName(a).localname, fonts.getparent().getparent().get(qn("w:styleId")))
        for root in (doc.element, doc.styles.element)
        for fonts in root.iter(qn("w:rFonts"))
        for a in fonts.attrib
        if etree.QName(a).localname.lower().endswith("theme")
    ]
    assert themed == []
    every = list(doc.styles.element.iter(qn("w:rFonts")))
    assert every and all(fonts.get(qn("w:eastAsia")) for fonts in every)


def test_page_geometry_numbers() -> None:
    section = layout.new_document().sections[0]
    mm = 1440 / 25.4
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert round(section.top_margin.twips / mm) == 37
    assert round(section.left_margin.twips / mm) == 28
    assert round(section.right_margin.twips / mm) == 26
    assert round(section.bottom_margin.twips / mm) == 35
    # The page number's top sits 7 mm below the text block: footer distance + the number's
    # 14 pt line = 35 − 7 mm.
    number_line = 280
    assert abs(section.footer_distance.twips + number_line - 28 * mm) <= 1
