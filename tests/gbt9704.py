"""An independent GB/T 9704-2012 format checker for .docx files, used by the tests.

Every number here is typed from shared/gongwen-spec.md on purpose: nothing is imported
from ``officekit.gongwen.spec`` or ``officekit.gongwen.layout``, so a wrong figure there
shows up as a difference between what the library writes and what this module expects.

``check_docx(path)`` returns human-readable problems; an empty list means compliant.
``role_of(paragraph)`` tells which 公文 element a paragraph is (title, h1, body, …).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as DocumentObject
from docx.text.paragraph import Paragraph
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"

# ---- the numbers (gongwen-spec.md) -------------------------------------------------------
TWIPS_PER_MM = 56.69
TWIPS_PER_PT = 20
PAPER_TWIPS = (11906, 16838)  # A4 portrait
PAPER_TOLERANCE_TWIPS = 20
# (margin, millimetres, tolerance in millimetres)
MARGINS_MM: dict[str, tuple[float, float]] = {
    "top": (37, 1),
    "left": (28, 1),
    "right": (26, 1),
    "bottom": (35, 1),
}
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_PT = (28.6, 29.0)  # 225 mm / 22 lines = 28.99 pt; 28.95 pt in practice
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
PAGE_NUMBER_PT = 14  # 四号
TABLE_PT = (10.5, 16)  # 五号 … 三号
EM_DASH = "\u2014"

FANGSONG = frozenset({"仿宋_GB2312", "仿宋"})
KAITI = frozenset({"楷体_GB2312", "楷体"})
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "小标宋"  # 方正小标宋简体 and friends: any name containing it

# Paragraph style ids and names (Chinese names as a clerk sees them) → role.
STYLE_ROLES: dict[str, str] = {
    "GwTitle": "title",
    "公文标题": "title",
    "GwByline": "byline",
    "讲话署名": "byline",
    "GwHeading1": "h1",
    "一级标题": "h1",
    "GwHeading2": "h2",
    "二级标题": "h2",
    "GwAttachLabel": "attach_label",
    "附件标识": "attach_label",
    "GwAttachTitle": "attach_title",
    "附件标题": "attach_title",
    "GwTable": "table",
    "GwTableHead": "table",
    "表格文字": "table",
    "表格标题行": "table",
    # The note under an annex table is set like the table (小四) in practice.
    "GwTableNote": "table_note",
    "表注": "table_note",
}
_NUMERALS = "一二三四五六七八九十"
H1_RE = re.compile(f"[{_NUMERALS}]+、")
H2_RE = re.compile(f"（[{_NUMERALS}]+）")
ATTACH_LABEL_RE = re.compile(r"附件\s*[0-9０-９]*")
ANNEX_START_RE = re.compile(r"附件\s*[0-9０-９]")

TAG_MARKERS = ("{{", "}}", "{%", "%}")
PLACEHOLDER_RES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"20[0-9]{0,2}[*＊_＿]+[0-9]{0,2}年"), "year placeholder"),
    (re.compile(r"[XxＸｘ×]{2,}同志"), "name placeholder"),
    (re.compile(r"×{2,}|Ｘ{3,}|XXX"), "placeholder"),
)
ZERO_PADDED_DATE_RE = re.compile(r"\d{4}年0\d月|\d{4}年\d{1,2}月0\d日")
PAGE_NUMBER_RE = re.compile(f"{EM_DASH}\\s*PAGE\\s*{EM_DASH}")


def _val(element: etree._Element | None, attr: str = "val") -> str | None:
    return None if element is None else element.get(W + attr)


def _on(element: etree._Element | None) -> bool | None:
    """An on/off property: None when absent."""
    if element is None:
        return None
    return element.get(W + "val") not in ("0", "false", "off")


def _text_of(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _short(text: str, n: int = 16) -> str:
    text = text.strip()
    return text if len(text) <= n else text[:n] + "…"


# ---- styles -------------------------------------------------------------------------------


@dataclass
class Styles:
    """styles.xml: style lookup, basedOn chains and the docDefaults run properties."""

    root: etree._Element
    by_id: dict[str, etree._Element] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)  # type → default style id

    def __post_init__(self) -> None:
        for style in self.root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if sid is None:
                continue
            self.by_id[sid] = style
            if _on_attr(style.get(W + "default")):
                self.defaults.setdefault(style.get(W + "type") or "paragraph", sid)

    def chain(self, style_id: str | None, kind: str) -> list[etree._Element]:
        """The style and its basedOn ancestors, most derived first."""
        if style_id is None or style_id not in self.by_id:
            style_id = self.defaults.get(kind)
        result: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            result.append(style)
            style_id = _val(style.find(W + "basedOn"))
        return result

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id or "")
        if style is None:
            return ""
        return _val(style.find(W + "name")) or ""

    def default_rpr(self) -> etree._Element | None:
        return self.root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")

    def default_ppr(self) -> etree._Element | None:
        return self.root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _paragraph_style_id(p: etree._Element) -> str | None:
    return _val(p.find(f"{W}pPr/{W}pStyle"))


def _table_style_id(p: etree._Element) -> str | None:
    tbl = next((a for a in p.iterancestors(W + "tbl")), None)
    if tbl is None:
        return None
    return _val(tbl.find(f"{W}tblPr/{W}tblStyle")) or "\0default-table"


def _rpr_layers(styles: Styles, p: etree._Element, r: etree._Element) -> list[etree._Element]:
    """Run property layers, highest precedence first: run, run style, paragraph style,
    table style, docDefaults."""
    layers: list[etree._Element] = []
    rpr = r.find(W + "rPr")
    if rpr is not None:
        layers.append(rpr)
    for style in styles.chain(_val(r.find(f"{W}rPr/{W}rStyle")), "character"):
        layers.extend(style.findall(W + "rPr"))
    for style in styles.chain(_paragraph_style_id(p), "paragraph"):
        layers.extend(style.findall(W + "rPr"))
    table_style = _table_style_id(p)
    if table_style is not None:
        for style in styles.chain(table_style, "table"):
            layers.extend(style.findall(W + "rPr"))
    default = styles.default_rpr()
    if default is not None:
        layers.append(default)
    return layers


def _ppr_layers(styles: Styles, p: etree._Element) -> list[etree._Element]:
    layers: list[etree._Element] = []
    ppr = p.find(W + "pPr")
    if ppr is not None:
        layers.append(ppr)
    for style in styles.chain(_paragraph_style_id(p), "paragraph"):
        layers.extend(style.findall(W + "pPr"))
    default = styles.default_ppr()
    if default is not None:
        layers.append(default)
    return layers


def east_asian_font(layers: Iterable[etree._Element]) -> str | None:
    """Effective ``w:eastAsia`` typeface; a theme attribute wins over a name in its layer."""
    for rpr in layers:
        fonts = rpr.find(W + "rFonts")
        if fonts is None:
            continue
        theme = fonts.get(W + "eastAsiaTheme")
        if theme:
            return f"(theme {theme})"
        name = fonts.get(W + "eastAsia")
        if name:
            return name
    return None


def _first_value(layers: Iterable[etree._Element], tag: str, attr: str = "val") -> str | None:
    """``attr`` of child ``tag`` in the first layer (run → style chain → defaults) that sets it."""
    for layer in layers:
        value = _val(layer.find(W + tag), attr)
        if value is not None:
            return value
    return None


def font_size_pt(layers: Iterable[etree._Element]) -> float | None:
    size = _first_value(layers, "sz")
    return int(size) / 2 if size is not None else None


def char_spacing_twips(layers: Iterable[etree._Element]) -> int:
    return int(_first_value(layers, "spacing") or 0)


def char_scale_percent(layers: Iterable[etree._Element]) -> int:
    return int(_first_value(layers, "w") or 100)


def _ppr_on(layers: Iterable[etree._Element], tag: str) -> bool:
    for ppr in layers:
        state = _on(ppr.find(W + tag))
        if state is not None:
            return state
    return False


# ---- roles --------------------------------------------------------------------------------


def _role(style_id: str | None, style_name: str, text: str, in_table: bool, first: bool) -> str:
    if in_table:
        return "table"
    by_style = STYLE_ROLES.get(style_id or "") or STYLE_ROLES.get(style_name)
    if by_style is not None:
        return by_style
    stripped = text.strip()
    if first:
        return "title"
    if ATTACH_LABEL_RE.fullmatch(stripped):
        return "attach_label"
    if H1_RE.match(stripped):
        return "h1"
    if H2_RE.match(stripped):
        return "h2"
    return "body"


def role_of(paragraph: Paragraph, *, first: bool = False) -> str:
    """The 公文 element a python-docx paragraph is: ``title``, ``byline``, ``h1``, ``h2``,
    ``attach_label``, ``attach_title``, ``table``, ``table_note`` or ``body``.

    Decided by the paragraph style (id or Chinese name), then by the text ("一、", "（一）",
    "附件1"). ``first``: the paragraph is the document's first non-empty one (the title
    when its style says nothing else).
    """
    p = paragraph._p
    style_id = _paragraph_style_id(p)
    style_name = ""
    try:
        style_name = paragraph.style.name if paragraph.style is not None else ""
        style_id = style_id or (paragraph.style.style_id if paragraph.style is not None else None)
    except (KeyError, AttributeError):
        pass
    in_table = any(True for _ in p.iterancestors(W + "tc"))
    return _role(style_id, style_name, paragraph.text, in_table, first)


def _element_role(styles: Styles, p: etree._Element, first: bool) -> str:
    style_id = _paragraph_style_id(p)
    in_table = any(True for _ in p.iterancestors(W + "tc"))
    return _role(style_id, styles.name(style_id), _text_of(p), in_table, first)


def _font_ok(role: str, name: str | None) -> bool:
    if name is None:
        return False
    if role in ("title", "attach_title"):
        return XIAOBIAOSONG in name
    if role in ("h1", "attach_label"):
        return name == HEITI
    if role in ("h2", "byline"):
        return name in KAITI
    if role in ("table", "table_note"):
        return name in FANGSONG or name == HEITI
    return name in FANGSONG


ROLE_FONT_TEXT = {
    "title": "小标宋",
    "attach_title": "小标宋",
    "h1": "黑体",
    "attach_label": "黑体",
    "h2": "楷体_GB2312/楷体",
    "byline": "楷体_GB2312/楷体",
    "table": "仿宋_GB2312/仿宋/黑体",
    "table_note": "仿宋_GB2312/仿宋/黑体",
    "body": "仿宋_GB2312/仿宋",
}
ROLE_SIZE_PT: dict[str, tuple[float, float] | None] = {
    "title": (TITLE_PT, TITLE_PT),
    "attach_title": (TITLE_PT, TITLE_PT),
    "h1": (BODY_PT, BODY_PT),
    "attach_label": (BODY_PT, BODY_PT),
    "h2": (BODY_PT, BODY_PT),
    "byline": None,  # practice: 三号, not an error
    "table": TABLE_PT,
    "table_note": TABLE_PT,
    "body": (BODY_PT, BODY_PT),
}


# ---- the checker --------------------------------------------------------------------------


def _body_paragraphs(body: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph of the body in document order, table cells included."""
    yield from body.iter(W + "p")


def _sections(body: etree._Element) -> list[etree._Element]:
    found = [p.find(f"{W}pPr/{W}sectPr") for p in body.iter(W + "p")]
    sections = [s for s in found if s is not None]
    final = body.find(W + "sectPr")
    if final is not None:
        sections.append(final)
    return sections


def _check_section(index: int, sect: etree._Element, styles: Styles, problems: list[str]) -> None:
    where = f"section {index}"
    pg_sz = sect.find(W + "pgSz")
    if pg_sz is None:
        problems.append(f"{where}: no page size (w:pgSz)")
    else:
        width = int(pg_sz.get(W + "w", "0"))
        height = int(pg_sz.get(W + "h", "0"))
        want_w, want_h = PAPER_TWIPS
        if (
            abs(width - want_w) > PAPER_TOLERANCE_TWIPS
            or abs(height - want_h) > PAPER_TOLERANCE_TWIPS
        ):
            problems.append(
                f"{where}: paper {width}×{height} twips, want A4 portrait {want_w}×{want_h}"
            )
        if pg_sz.get(W + "orient") == "landscape":
            problems.append(f"{where}: landscape orientation, want portrait")
    pg_mar = sect.find(W + "pgMar")
    if pg_mar is None:
        problems.append(f"{where}: no margins (w:pgMar)")
    else:
        for side, (mm, tolerance) in MARGINS_MM.items():
            raw = pg_mar.get(W + side)
            actual = abs(int(raw)) / TWIPS_PER_MM if raw is not None else 0.0
            if abs(actual - mm) > tolerance:
                problems.append(
                    f"{where}: {side} margin {actual:.1f} mm, want {mm} ± {tolerance} mm"
                )
        gutter = int(pg_mar.get(W + "gutter", "0") or 0)
        if gutter:
            problems.append(f"{where}: gutter {gutter} twips, want 0")

    # Line pitch: the Normal style's exact line spacing, else the document grid.
    normal = styles.chain(None, "paragraph")
    normal_ppr = [ppr for s in normal for ppr in s.findall(W + "pPr")]
    default_ppr = styles.default_ppr()
    if default_ppr is not None:
        normal_ppr.append(default_ppr)
    rule = _first_value(normal_ppr, "spacing", "lineRule")
    line = _first_value(normal_ppr, "spacing", "line")
    grid = sect.find(W + "docGrid")
    grid_type = _val(grid, "type") or "default"
    pitch_pt: float | None = None
    if rule == "exact" and line is not None:
        pitch_pt = int(line) / TWIPS_PER_PT
        how = "Normal style exact line spacing"
    elif grid_type in ("lines", "linesAndChars", "snapToChars") and _val(grid, "linePitch"):
        pitch_pt = int(_val(grid, "linePitch") or 0) / TWIPS_PER_PT
        how = "document grid"
    if pitch_pt is None:
        problems.append(
            f"{where}: no line pitch (neither a document grid nor exact Normal line spacing)"
        )
    elif not LINE_PITCH_PT[0] <= pitch_pt <= LINE_PITCH_PT[1]:
        lines = TEXT_HEIGHT_MM * TWIPS_PER_MM / TWIPS_PER_PT / pitch_pt
        problems.append(
            f"{where}: line pitch {pitch_pt:.2f} pt ({how}) gives {lines:.1f} lines in "
            f"{TEXT_HEIGHT_MM} mm, want {LINES_PER_PAGE} ({LINE_PITCH_PT[0]}–{LINE_PITCH_PT[1]} pt)"
        )

    # Characters per line: body size (horizontally scaled) plus character spacing, or the
    # character grid.
    layers = [r for s in normal for r in s.findall(W + "rPr")]
    default_rpr = styles.default_rpr()
    if default_rpr is not None:
        layers.append(default_rpr)
    size = font_size_pt(layers)
    if size is None:
        problems.append(f"{where}: body text has no font size")
        return
    char_space = _val(grid, "charSpace")
    if grid_type in ("linesAndChars", "snapToChars") and char_space is not None:
        char_pitch = size + int(char_space) / 4096
    else:
        char_pitch = (
            size * char_scale_percent(layers) / 100 + char_spacing_twips(layers) / TWIPS_PER_PT
        )
    text_width_pt = TEXT_WIDTH_MM * TWIPS_PER_MM / TWIPS_PER_PT
    per_line = math.floor(text_width_pt / char_pitch) if char_pitch > 0 else 0
    if per_line != CHARS_PER_LINE:
        problems.append(
            f"{where}: {size:g} pt body text at a {char_pitch:.2f} pt pitch fits {per_line} "
            f"characters in {TEXT_WIDTH_MM} mm, want {CHARS_PER_LINE}"
        )


def _field_text(p: etree._Element) -> str:
    """Paragraph text with each field replaced by its instruction's name (``PAGE``)."""
    parts: list[str] = []
    depth = 0
    instruction = ""
    for el in p.iter():
        if el.tag == W + "fldSimple":
            parts.append(next(iter((el.get(W + "instr") or "").split()), ""))
        elif el.tag == W + "fldChar":
            kind = el.get(W + "fldCharType")
            if kind == "begin":
                depth += 1
                instruction = ""
            elif kind == "end" and depth:
                depth -= 1
                parts.append(next(iter(instruction.split()), ""))
        elif el.tag == W + "instrText" and depth:
            instruction += el.text or ""
        elif el.tag == W + "t":
            if depth or any(True for _ in el.iterancestors(W + "fldSimple")):
                continue  # the field's cached result
            parts.append(el.text or "")
    return "".join(parts)


def _check_footers(
    doc: DocumentObject, sections: list[etree._Element], styles: Styles, problems: list[str]
) -> None:
    settings = doc.settings.element
    even_odd = settings.find(W + "evenAndOddHeaders")
    if even_odd is None or not _on(even_odd):
        problems.append("settings: w:evenAndOddHeaders missing (odd/even page numbers need it)")
    related = doc.part.related_parts
    checked: set[str] = set()
    for index, sect in enumerate(sections, start=1):
        refs = {
            ref.get(W + "type"): ref.get(f"{{{R_NS}}}id")
            for ref in sect.findall(W + "footerReference")
        }
        for kind, align in (("default", ("right", "end")), ("even", ("left", "start"))):
            rid = refs.get(kind)
            if rid is None:
                problems.append(f"section {index}: no {kind} footer reference")
                continue
            if rid in checked:
                continue
            checked.add(rid)
            part = related.get(rid)
            if part is None:
                problems.append(f"section {index}: {kind} footer {rid} does not exist")
                continue
            _check_footer(f"{kind} footer", part.element, align, styles, problems)


def _check_footer(
    where: str, root: etree._Element, align: tuple[str, ...], styles: Styles, problems: list[str]
) -> None:
    paragraphs = [p for p in root.iter(W + "p") if _field_text(p).strip()]
    if not paragraphs:
        problems.append(f"{where}: no page number")
    for p in paragraphs:
        text = " ".join(_field_text(p).split())
        if not PAGE_NUMBER_RE.fullmatch(text):
            problems.append(
                f"{where}: page number reads {text!r}, want '— PAGE —' with U+2014 em dashes"
            )
        jc = _first_value(_ppr_layers(styles, p), "jc") or "left"
        if jc not in align:
            problems.append(f"{where}: page number aligned {jc}, want {align[0]}")
        for r in p.iter(W + "r"):
            if not any((t.text or "").strip() for t in r.iter(W + "t")):
                continue
            layers = _rpr_layers(styles, p, r)
            font = east_asian_font(layers)
            size = font_size_pt(layers)
            if font != SONGTI:
                problems.append(f"{where}: page number font {font}, want {SONGTI}")
                break
            if size != PAGE_NUMBER_PT:
                problems.append(f"{where}: page number size {size} pt, want {PAGE_NUMBER_PT} pt")
                break


def _check_theme_fonts(name: str, root: etree._Element, problems: list[str]) -> None:
    for fonts in root.iter(W + "rFonts"):
        themed = [
            etree.QName(attr).localname
            for attr in fonts.attrib
            if etree.QName(attr).localname.lower().endswith("theme")
        ]
        if themed:
            owner = next((a.get(W + "styleId") for a in fonts.iterancestors(W + "style")), None)
            at = f" (style {owner})" if owner else ""
            problems.append(f"{name}: theme font attribute {', '.join(themed)}{at}")


def _check_fonts(body: etree._Element, styles: Styles, problems: list[str]) -> None:
    first_seen = False
    for number, p in enumerate(_body_paragraphs(body), start=1):
        text = _text_of(p)
        if not text.strip():
            continue
        in_table = any(True for _ in p.iterancestors(W + "tc"))
        first = not first_seen and not in_table
        if not in_table:
            first_seen = True
        role = _element_role(styles, p, first)
        want_size = ROLE_SIZE_PT[role]
        for r in p.iter(W + "r"):
            if not any((t.text or "").strip() for t in r.findall(W + "t")):
                continue
            layers = _rpr_layers(styles, p, r)
            font = east_asian_font(layers)
            size = font_size_pt(layers)
            label = f"paragraph {number} ({role}) {_short(text)!r}"
            if not _font_ok(role, font):
                problems.append(f"{label}: east-Asian font {font}, want {ROLE_FONT_TEXT[role]}")
                break
            if want_size is not None and (size is None or not want_size[0] <= size <= want_size[1]):
                want = (
                    f"{want_size[0]:g} pt"
                    if want_size[0] == want_size[1]
                    else f"{want_size[0]:g}–{want_size[1]:g} pt"
                )
                problems.append(f"{label}: size {size} pt, want {want}")
                break


def _check_text(name: str, root: etree._Element, allow_tags: bool, problems: list[str]) -> None:
    for p in root.iter(W + "p"):
        text = _text_of(p)
        if not text:
            continue
        if not allow_tags and any(marker in text for marker in TAG_MARKERS):
            problems.append(f"{name}: template tag left in {_short(text, 40)!r}")
        for pattern, what in PLACEHOLDER_RES:
            found = pattern.search(text)
            if found:
                problems.append(f"{name}: {what} {found.group()!r} in {_short(text, 40)!r}")
        date = ZERO_PADDED_DATE_RE.search(text)
        if date:
            problems.append(
                f"{name}: zero-padded date {date.group()!r} (write 2026年3月5日) "
                f"in {_short(text, 40)!r}"
            )


def _starts_new_page(p: etree._Element, styles: Styles, sections: list[etree._Element]) -> bool:
    if _ppr_on(_ppr_layers(styles, p), "pageBreakBefore"):
        return True
    # A page break at the start of the paragraph itself, before any text.
    for el in p.iter(W + "br", W + "t"):
        if el.tag == W + "t":
            if el.text:
                break
        elif el.get(W + "type") == "page":
            return True
    previous = p.getprevious()
    if previous is None or previous.tag != W + "p":
        return False
    # The previous paragraph ends a section: the next section's type decides.
    ending = previous.find(f"{W}pPr/{W}sectPr")
    if ending is not None:
        index = next(n for n, s in enumerate(sections) if s is ending)
        following = sections[index + 1] if index + 1 < len(sections) else None
        kind = _val(following.find(W + "type")) if following is not None else None
        return kind != "continuous"
    # A page break run with no text after it, at the end of the previous paragraph.
    last_break = None
    for el in previous.iter(W + "br", W + "t"):
        if el.tag == W + "br" and el.get(W + "type") == "page":
            last_break = el
        elif el.tag == W + "t" and el.text and last_break is not None:
            last_break = None
    return last_break is not None


def _check_annex_pages(
    body: etree._Element, styles: Styles, sections: list[etree._Element], problems: list[str]
) -> None:
    for p in body.findall(W + "p"):
        text = _text_of(p).strip()
        if ANNEX_START_RE.match(text) and not _starts_new_page(p, styles, sections):
            problems.append(f"annex label {_short(text)!r} does not start a new page")


def check_docx(path: str | Path, *, allow_tags: bool = False) -> list[str]:
    """Problems of a .docx against GB/T 9704-2012 (empty: compliant).

    ``allow_tags``: template tags (``{{ }}``, ``{% %}``) are expected (a template, not a
    rendered document).
    """
    doc = docx.Document(str(path))
    problems: list[str] = []
    styles = Styles(doc.styles.element)
    body = doc.element.find(W + "body")
    sections = _sections(body)
    if not sections:
        problems.append("document has no section properties")
    for index, sect in enumerate(sections, start=1):
        _check_section(index, sect, styles, problems)
    _check_footers(doc, sections, styles, problems)
    _check_theme_fonts("styles.xml", styles.root, problems)
    _check_theme_fonts("document.xml", doc.element, problems)
    _check_fonts(body, styles, problems)
    _check_text("document.xml", doc.element, allow_tags, problems)
    for rel in doc.part.rels.values():
        if rel.reltype.endswith(("/footer", "/header")) and not rel.is_external:
            part = rel.target_part
            _check_theme_fonts(str(part.partname), part.element, problems)
            _check_text(str(part.partname), part.element, allow_tags, problems)
    _check_annex_pages(body, styles, sections, problems)
    return problems
