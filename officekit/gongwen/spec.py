"""The numbers of GB/T 9704-2012 as data (see shared gongwen-spec.md).

Every figure the layout engine, the templates and the tests use is defined here once.
Each carries its kind: ``standard`` (the standard states it; a checker reports an error),
``derived`` (computed from standard figures) or ``practice`` (common use; a warning at most).

Units: twips (1/20 pt, 1 mm = 56.69 twips) for geometry, half-points for Word font sizes.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["standard", "derived", "practice"]

TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20


def mm_to_twips(mm: float) -> int:
    """Millimetres → twips, rounded to the nearest twip."""
    return round(mm * TWIPS_PER_MM)


class Figure(NamedTuple):
    """One number of the spec: its value, unit, tolerance and kind."""

    value: float
    unit: str
    kind: Kind
    tolerance: float = 0.0
    note: str = ""


# ---- page (GB/T 9704 5.1, 5.2.1) -------------------------------------------------------
PAPER_WIDTH_MM = Figure(210, "mm", "standard", note="A4")
PAPER_HEIGHT_MM = Figure(297, "mm", "standard", note="A4, portrait")
MARGIN_TOP_MM = Figure(37, "mm", "standard", tolerance=1, note="天头")
MARGIN_LEFT_MM = Figure(28, "mm", "standard", tolerance=1, note="订口")
MARGIN_RIGHT_MM = Figure(26, "mm", "derived", tolerance=1, note="切口 = 210 − 28 − 156")
MARGIN_BOTTOM_MM = Figure(35, "mm", "derived", tolerance=1, note="297 − 37 − 225")
TEXT_WIDTH_MM = Figure(156, "mm", "standard", note="版心宽")
TEXT_HEIGHT_MM = Figure(225, "mm", "standard", note="版心高，不含页码")
LINES_PER_PAGE = Figure(22, "lines", "standard", note="一般每面排22行")
CHARS_PER_LINE = Figure(28, "chars", "standard", note="一般每行排28个字")
# 225 mm / 22 = 28.99 pt; 28.95 pt keeps 22 lines from overflowing the block by rounding.
LINE_PITCH_TWIPS = Figure(579, "twips", "practice", note="28.95 pt 固定行距")
# 156 mm / 28 = 15.79 pt per character: 三号 (16 pt) text must be narrowed by about 1.3 %.
# gongwen-spec.md names a document grid or −0.25 pt character spacing. Both fail in
# LibreOffice, which makes the PDFs: its character grid gives a 16 pt character two cells
# (14 a line), and with negative spacing it silently drops a full line's hanging "，"/"。".
# A 98 % horizontal scale (15.68 pt a character) holds 28 a line (29 × 15.68 > 442 pt),
# keeps every glyph, and Word and WPS honour it the same way.
CHAR_SCALE_PERCENT = Figure(98, "%", "derived", note="字符缩放 98%（每行 28 字）")
PAGE_NUMBER_GAP_MM = Figure(7, "mm", "standard", note="页码在版心下边缘之下 7 mm")

# ---- font sizes (half-points, as Word stores them) -------------------------------------
SIZE_NAMES_PT: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
}


def half_points(size_name: str) -> int:
    """Chinese size name (e.g. ``三号``) → Word half-points (``w:sz``)."""
    return round(SIZE_NAMES_PT[size_name] * 2)


# ---- typefaces ---------------------------------------------------------------------------
# Roles name the typeface *kind*; a font profile maps kinds to the names written into the
# file. The _GB2312 names are the long-standing local practice, the plain names are what
# current Windows ships.
FONT_PROFILES: dict[str, dict[str, str]] = {
    "GB2312": {
        "仿宋": "仿宋_GB2312",
        "楷体": "楷体_GB2312",
        "黑体": "黑体",
        "宋体": "宋体",
        "小标宋": "方正小标宋简体",
    },
    "Windows": {
        "仿宋": "仿宋",
        "楷体": "楷体",
        "黑体": "黑体",
        "宋体": "宋体",
        "小标宋": "方正小标宋简体",
    },
}
DEFAULT_FONT_PROFILE = "GB2312"


class Role(NamedTuple):
    """Typeface kind and size of one paragraph role, with the kind of the rule."""

    face: str  # a key of FONT_PROFILES[...]
    size: str  # a key of SIZE_NAMES_PT
    kind: Kind
    bold: bool = False


ROLES: dict[str, Role] = {
    "body": Role("仿宋", "三号", "standard"),
    "title": Role("小标宋", "二号", "standard"),
    "byline": Role("楷体", "三号", "practice"),
    "greeting": Role("仿宋", "三号", "standard"),
    "h1": Role("黑体", "三号", "standard"),
    "h2": Role("楷体", "三号", "standard"),
    "h3": Role("仿宋", "三号", "standard"),
    "attach_note": Role("仿宋", "三号", "standard"),
    "signature": Role("仿宋", "三号", "standard"),
    "attach_label": Role("黑体", "三号", "standard"),
    "attach_title": Role("小标宋", "二号", "standard"),
    "page_number": Role("宋体", "四号", "standard"),
    # Annex tables are commonly set smaller (小四) so a row of figures fits the block.
    "table": Role("仿宋", "小四", "practice"),
    "table_head": Role("黑体", "小四", "practice"),
    "imprint": Role("仿宋", "四号", "standard"),
}

# Page number: "— 1 —" with U+2014 em dashes, odd pages right / even pages left, one
# character (of the number's size) in from the block edge.
PAGE_NUMBER_DASH = "\u2014"
PAGE_NUMBER_INDENT_CHARS = 1

# Names under which each typeface kind appears in real files: both profiles above, the
# English names Word writes for the same fonts, and any 小标宋 build (方正小标宋简体,
# 方正小标宋_GBK …). The checker accepts all of them for a role's kind.
FACE_ALIASES: dict[str, frozenset[str]] = {
    "仿宋": frozenset({"仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong"}),
    "楷体": frozenset({"楷体_GB2312", "楷体", "KaiTi_GB2312", "KaiTi"}),
    "黑体": frozenset({"黑体", "SimHei"}),
    "宋体": frozenset({"宋体", "SimSun"}),
    "小标宋": frozenset({"方正小标宋简体", "方正小标宋_GBK", "方正小标宋"}),
}


def face_of(name: str | None) -> str | None:
    """The typeface kind (``仿宋``…) a font name stands for, or None when it is none of them."""
    if not name:
        return None
    for face, names in FACE_ALIASES.items():
        if name in names:
            return face
    return "小标宋" if "小标宋" in name else None


# Tolerances the checker allows on measured figures.
PAPER_TOLERANCE_MM = Figure(1, "mm", "practice", note="纸张尺寸取整误差")
TEXT_BLOCK_TOLERANCE_MM = Figure(1, "mm", "practice", note="版心尺寸允许误差（同页边距）")
# Single spacing of 三号 text in Word: about 1.3 × the font size (仿宋's ascent + descent).
SINGLE_LINE_FACTOR = Figure(1.3, "×", "practice", note="单倍行距约为字号的 1.3 倍")
# Three or more empty paragraphs in a row are someone pushing text to the next page.
EMPTY_RUN_AS_PAGE_BREAK = Figure(3, "paragraphs", "practice", note="连续空段落代替分页符")
