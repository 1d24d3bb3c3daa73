"""The red header (版头) and the imprint (版记) of GB/T 9704-2012, as WordprocessingML.

A template author does not draw them: the job asks for them (``[documents.red_header]``,
``[documents.imprint]``, see :mod:`officekit.masthead`) and these functions write the
paragraphs into each rendered document.

版头, top of the first page: 份号/密级/紧急程度 flush left (when given); the 发文机关标志 in
red 小标宋, centred, its top edge 35 mm below the top of the text block, its size chosen so
it fits the block's width; the 发文字号 two blank lines below it, centred ("X〔2026〕5号"),
or flush left with the 签发人 flush right in a 上行文; the red rule 4 mm below the number,
as wide as the block; the title follows two blank lines below the rule.

版记, foot of the last (even) page: 抄送 and 印发机关/印发日期 between rules as wide as the
block (first and last 0.35 mm, the one between 0.25 mm), set in a frame at the bottom of
the block so the last rule lies on the block's lower edge.

Every paragraph carries its formatting itself (any template's styles.xml may lack ours)
and a style id of its own, by which the checker knows it. Lengths in twips.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from officekit.gongwen import spec
from officekit.gongwen.stylesheet import PITCH

# Style ids of the paragraphs written here (roles.py maps them to roles).
MARK_STYLE = "GwMark"  # 发文机关标志
NUMBER_STYLE = "GwDocNumber"  # 发文字号 (carries the red rule)
CORNER_STYLE = "GwCorner"  # 份号、密级、紧急程度
IMPRINT_STYLE = "GwImprint"  # 抄送, 印发机关和印发日期
ANCHOR_STYLE = "GwImprintAnchor"  # the 1 pt paragraph holding the 版记's text box

RED = "FF0000"
BLOCK_WIDTH = spec.mm_to_twips(spec.TEXT_WIDTH_MM.value)  # 8844
BLOCK_HEIGHT = spec.mm_to_twips(spec.TEXT_HEIGHT_MM.value)  # 12756
MARK_TOP_MM = 35.0  # 发文机关标志 top edge below the top of the block (standard 7.2.3)
RULE_GAP_MM = 4.0  # red rule below the 发文字号 (standard 7.2.5)
MARK_MAX_PT = spec.SIZE_NAMES_PT["小初"]  # the usual largest size
MARK_MIN_PT = spec.SIZE_NAMES_PT["二号"]  # below this the mark is condensed instead
# In an exact line as tall as the font, LibreOffice draws a CJK glyph's top this far
# above the line's top (measured on its PDFs: 0.6 mm at 小初).
MARK_INK_RISE = 34
RULE_EIGHTHS = 8  # red rule 1 pt (w:sz is in eighths of a point); the standard sets none
OUTER_RULE_EIGHTHS = 8  # 0.35 mm ≈ 1 pt
INNER_RULE_EIGHTHS = 6  # 0.25 mm ≈ 0.75 pt
_IMPRINT_SIZE = "四号"
_IMPRINT_CHAR = round(spec.SIZE_NAMES_PT[_IMPRINT_SIZE] * spec.TWIPS_PER_PT)  # 280
_BODY_CHAR = round(spec.SIZE_NAMES_PT["三号"] * spec.TWIPS_PER_PT)  # 320


@dataclass(frozen=True)
class Header:
    """What the 版头 says; empty strings are left out."""

    organ: str  # 发文机关标志, e.g. "青禾县禁毒委员会文件"
    number: str = ""  # 发文字号, e.g. "青禁毒委〔2026〕3号"
    signer: str = ""  # 签发人 (上行文), e.g. "李明" or "李明　王芳"
    copy_number: str = ""  # 份号, six digits
    secrecy: str = ""  # 密级和保密期限
    urgency: str = ""  # 紧急程度


@dataclass(frozen=True)
class Imprint:
    """What the 版记 says; empty strings are left out."""

    printer: str  # 印发机关
    date: str  # 印发日期, "2026年3月2日" ("印发" is added)
    cc: str = ""  # 抄送机关, "县委办公室，县政府办公室" ("抄送：" and the final "。" are added)


def _units(text: str) -> float:
    """Width of ``text`` in em: a CJK character is one, an ASCII one half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def mark_size(text: str) -> tuple[int, int]:
    """(w:sz half-points, w:w percent) for the mark: the largest size up to 小初 that fits
    the block's width; under 二号, 二号 condensed to fit."""
    units = max(_units(text), 1.0)
    width_pt = BLOCK_WIDTH / spec.TWIPS_PER_PT
    size = min(MARK_MAX_PT, width_pt / units)
    if size >= MARK_MIN_PT:
        return int(size * 2), 100  # half-points, rounded down so it still fits
    return int(MARK_MIN_PT * 2), max(33, int(100 * width_pt / (units * MARK_MIN_PT)))


def _fonts(name: str) -> str:
    n = escape(name, {'"': "&quot;"})
    return f'<w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}" w:hint="eastAsia"/>'


def _run(text: str, font: str, half_points: int, *, color: str = "000000", scale: int = 100) -> str:
    rpr = (
        f'<w:rPr>{_fonts(font)}<w:color w:val="{color}"/>'
        f'<w:w w:val="{scale}"/><w:kern w:val="0"/>'
        f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _tab_run() -> str:
    return "<w:r><w:tab/></w:r>"


def _ppr(
    style: str,
    *,
    before: int = 0,
    after: int = 0,
    line: int = PITCH,
    jc: str = "left",
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
    keep_next: bool = True,
    extra: str = "",
    borders: str = "",
    tabs: str = "",
) -> str:
    """A paragraph's properties, children in schema order (see oxml._PPR_ORDER)."""
    indent = f'<w:ind w:left="{left}" w:right="{right}"' + (
        f' w:hanging="{hanging}"/>' if hanging else ' w:firstLine="0"/>'
    )
    return (
        f'<w:pPr><w:pStyle w:val="{style}"/>'
        + ("<w:keepNext/>" if keep_next else "")
        + extra
        + '<w:widowControl w:val="0"/>'
        + (f"<w:pBdr>{borders}</w:pBdr>" if borders else "")
        + (f"<w:tabs>{tabs}</w:tabs>" if tabs else "")
        + '<w:snapToGrid w:val="0"/>'
        + f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>'
        + indent
        + f'<w:jc w:val="{jc}"/></w:pPr>'
    )


def _corner_lines(header: Header, profile: str) -> list[str]:
    fonts = spec.FONT_PROFILES[profile]
    size = spec.half_points("三号")
    lines = []
    if header.copy_number:
        lines.append(_run(header.copy_number, fonts["仿宋"], size))
    if header.secrecy:
        lines.append(_run(header.secrecy, fonts["黑体"], size))
    if header.urgency:
        lines.append(_run(header.urgency, fonts["黑体"], size))
    return [f"<w:p>{_ppr(CORNER_STYLE)}{run}</w:p>" for run in lines]


def mark_before(corner_lines: int) -> int:
    """Space above the mark (twips) that puts its top edge 35 mm below the block's top."""
    return max(0, spec.mm_to_twips(MARK_TOP_MM) + MARK_INK_RISE - corner_lines * PITCH)


def header_xml(header: Header, profile: str = spec.DEFAULT_FONT_PROFILE) -> str:
    """The 版头 paragraphs, to stand first in the body."""
    fonts = spec.FONT_PROFILES[profile]
    corner = _corner_lines(header, profile)
    size, scale = mark_size(header.organ)
    mark = (
        "<w:p>"
        + _ppr(
            MARK_STYLE,
            before=mark_before(len(corner)),
            line=size * 10,
            jc="center",
        )
        + _run(header.organ, fonts["小标宋"], size, color=RED, scale=scale)
        + "</w:p>"
    )
    # The red rule is the number paragraph's bottom border, w:space points below its text
    # (4 mm = 11 pt); the title comes two blank lines below the rule (spacing after).
    space_pt = round(RULE_GAP_MM * 72 / 25.4)
    rule = f'<w:bottom w:val="single" w:sz="{RULE_EIGHTHS}" w:space="{space_pt}" w:color="{RED}"/>'
    body_size = spec.half_points("三号")
    scale_body = int(spec.CHAR_SCALE_PERCENT.value)
    common = {"before": 2 * PITCH, "after": 2 * PITCH, "borders": rule, "keep_next": True}
    if header.signer:
        # 上行文: number 1 character in from the left, 签发人 1 character in from the right;
        # by tab stops, not indents, so the rule (the paragraph's border) spans the block.
        tabs = (
            f'<w:tab w:val="left" w:pos="{_BODY_CHAR}"/>'
            f'<w:tab w:val="right" w:pos="{BLOCK_WIDTH - _BODY_CHAR}"/>'
        )
        runs = (
            _tab_run()
            + _run(header.number, fonts["仿宋"], body_size, scale=scale_body)
            + _tab_run()
            + _run("签发人：", fonts["仿宋"], body_size, scale=scale_body)
            + _run(header.signer, fonts["楷体"], body_size, scale=scale_body)
        )
        number = "<w:p>" + _ppr(NUMBER_STYLE, tabs=tabs, **common) + runs + "</w:p>"
    else:
        number = (
            "<w:p>"
            + _ppr(NUMBER_STYLE, jc="center", **common)
            + _run(header.number, fonts["仿宋"], body_size, scale=scale_body)
            + "</w:p>"
        )
    return "".join(corner) + mark + number


def cc_text(cc: str) -> str:
    """ "抄送：…。" from the organs (a prefix or end mark already there is kept)."""
    text = cc.strip().removeprefix("抄送：").removeprefix("抄送:").strip()
    return f"抄送：{text}" + ("" if text.endswith("。") else "。")


def printed_text(date: str) -> str:
    date = date.strip()
    return date if date.endswith("印发") else f"{date}印发"


def imprint_lines(imprint: Imprint) -> int:
    """Lines the 版记 takes (for the page estimate): the 抄送 may wrap."""
    lines = 1
    if imprint.cc:
        per_line = int((BLOCK_WIDTH - 5 * _IMPRINT_CHAR) / _IMPRINT_CHAR)
        lines += max(1, -(-int(_units(cc_text(imprint.cc)) - 3) // per_line))
    return lines


def _cell_row(paragraph: str, top: int, bottom: int) -> str:
    """One table row holding ``paragraph``, with a top/bottom rule of ``top``/``bottom``
    eighths of a point (0: none)."""

    def edge(side: str, eighths: int) -> str:
        if not eighths:
            return f'<w:{side} w:val="nil"/>'
        return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="0" w:color="000000"/>'

    return (
        "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr>"
        f'<w:tcW w:w="{BLOCK_WIDTH}" w:type="dxa"/>'
        f"<w:tcBorders>{edge('top', top)}{edge('bottom', bottom)}</w:tcBorders>"
        f'<w:vAlign w:val="center"/></w:tcPr>{paragraph}</w:tc></w:tr>'
    )


def _imprint_table(imprint: Imprint, profile: str) -> str:
    font = spec.FONT_PROFILES[profile]["仿宋"]
    size = spec.half_points(_IMPRINT_SIZE)
    one = _IMPRINT_CHAR
    rows = []
    if imprint.cc:
        cc = (
            "<w:p>"
            + _ppr(IMPRINT_STYLE, left=4 * one, right=one, hanging=3 * one, keep_next=False)
            + _run(cc_text(imprint.cc), font, size)
            + "</w:p>"
        )
        rows.append(_cell_row(cc, OUTER_RULE_EIGHTHS, INNER_RULE_EIGHTHS))
    tab = f'<w:tab w:val="right" w:pos="{BLOCK_WIDTH - one}"/>'
    printer = (
        "<w:p>"
        + _ppr(IMPRINT_STYLE, left=one, right=one, tabs=tab, keep_next=False)
        + _run(imprint.printer.strip(), font, size)
        + _tab_run()
        + _run(printed_text(imprint.date), font, size)
        + "</w:p>"
    )
    rows.append(_cell_row(printer, 0 if imprint.cc else OUTER_RULE_EIGHTHS, OUTER_RULE_EIGHTHS))
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{BLOCK_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{BLOCK_WIDTH}"/></w:tblGrid>' + "".join(rows) + "</w:tbl>"
    )


WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_EMU_PER_TWIP = 635
_TINY = f"{_ppr(ANCHOR_STYLE, line=20, keep_next=False)}"


def _text_box(content: str, lines: int) -> str:
    """A text box as wide as the block, its bottom on the block's lower edge (anchored
    to the page's text area, so Word and LibreOffice both put it there; frames and
    floating tables LibreOffice 7 places where they stand instead)."""
    width = BLOCK_WIDTH * _EMU_PER_TWIP
    height = (lines * PITCH + 40) * _EMU_PER_TWIP
    return (
        f'<w:r><w:drawing xmlns:wp="{WP_NS}"><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"'
        ' relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="1"'
        ' allowOverlap="0"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="9001" name="版记"/><wp:cNvGraphicFramePr/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{width}" cy="{height}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx>"
        f"<w:txbxContent>{content}<w:p>{_TINY}</w:p></w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"'
        ' anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData>'
        "</a:graphic></wp:anchor></w:drawing></w:r>"
    )


def imprint_xml(
    imprint: Imprint, profile: str = spec.DEFAULT_FONT_PROFILE, page_breaks: int = 0
) -> str:
    """The 版记, to stand last in the body: a 1 pt paragraph holding the text box;
    ``page_breaks`` breaks before it move it to the next (even) page, or over a blank one."""
    breaks = '<w:r><w:br w:type="page"/></w:r>' * page_breaks
    box = _text_box(_imprint_table(imprint, profile), imprint_lines(imprint))
    return f"<w:p>{_TINY}{breaks}{box}</w:p>"


# Paragraph styles of the paragraphs above, added to a template's styles.xml when it lacks
# them: a paragraph naming a style the file does not define loses its own formatting in
# LibreOffice, and the names are what a clerk sees in Word's style pane.
STYLE_NAMES = {
    MARK_STYLE: "发文机关标志",
    NUMBER_STYLE: "发文字号",
    CORNER_STYLE: "份号密级紧急程度",
    IMPRINT_STYLE: "版记",
    ANCHOR_STYLE: "版记位置",
}


def with_styles(styles_xml: bytes) -> bytes:
    """``styles_xml`` with the styles of :data:`STYLE_NAMES` it does not define yet."""
    text = styles_xml.decode("utf-8")
    missing = [
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{name}"/><w:qFormat/></w:style>'
        for sid, name in STYLE_NAMES.items()
        if f'w:styleId="{sid}"' not in text
    ]
    if not missing:
        return styles_xml
    end = text.rindex("</w:styles>")
    return (text[:end] + "".join(missing) + text[end:]).encode("utf-8")
