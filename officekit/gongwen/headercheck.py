"""Checks of the red header (版头) and the imprint (版记), on the .docx and on the page.

``check(out, styles, paras)`` runs with the other .docx rules (check.check_docx): the
发文机关标志 red, 小标宋, centred, inside the block's width and 35 mm down; the 发文字号 in
the form "X〔2026〕5号" with the red rule under it as wide as the block; the 签发人 in 楷体;
the 版记's 抄送 and "…年…月…日印发" lines, last in the document.

``measure(pdf, docx)`` runs with ``check --pdf`` (pdfcheck.measure_reports): it looks at
the rendered pages — the red pixels of the first page for the mark and the rule (poppler's
``pdftoppm``), the words for the 发文字号, and the last page: even, the imprint at its
foot, its last rule on the block's lower edge.

Paragraphs are known by the styles gongwen/redheader.py gives them (roles.py).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from officekit.gongwen import pagefill, patterns, redheader, spec
from officekit.gongwen.roles import Para
from officekit.gongwen.styles import (
    StyleSheet,
    W,
    east_asian_font,
    first,
    scale_percent,
    size_pt,
)
from officekit.gongwen.words import Collector, Finding

MM_PER_PT = 25.4 / 72
_NUMBER = re.compile(r"^[\u4e00-\u9fff]+〔[0-9]{4}〕[1-9][0-9]*号$")
_PRINTED = re.compile(r"[0-9]{4}年[1-9][0-9]?月[1-9][0-9]?日印发$")
_TOLERANCE_MM = 1.0  # on the .docx: the figures are set, not drawn
_MEASURED_MM = 1.5  # on the page: antialiasing and the stand-in fonts' metrics


def _runs(p: etree._Element) -> list[etree._Element]:
    return [r for r in p.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]


def check(out: Collector, styles: StyleSheet, paras: list[Para]) -> None:
    """The .docx rules of the red header and the imprint."""
    marks = [p for p in paras if p.role == "mark" and p.text.strip()]
    numbers = [p for p in paras if p.role == "doc_number" and p.text.strip()]
    for mark in marks[:1]:
        _check_mark(out, styles, paras, mark)
        if not numbers:
            out.add("版头", "error", mark.where, "发文机关标志下应有发文字号（如 X〔2026〕5号）")
    for number in numbers[:1]:
        _check_number(out, styles, number)
    _check_imprint(out, paras)


def _check_mark(out: Collector, styles: StyleSheet, paras: list[Para], mark: Para) -> None:
    runs = _runs(mark.element)
    layers = styles.run_layers(mark.element, runs[0] if runs else None)
    color = (first(layers, "color") or "000000").upper()
    if color != redheader.RED:
        out.add("版头", "error", mark.where, f"发文机关标志应为红色（FF0000），现在是 {color}")
    face = spec.face_of(east_asian_font(layers).name)
    if face != "小标宋":
        out.add(
            "版头",
            "error",
            mark.where,
            f"发文机关标志应使用小标宋，现在是 {east_asian_font(layers).name or '默认字体'}",
        )
    if first(styles.paragraph_layers(mark.element), "jc") != "center":
        out.add("版头", "error", mark.where, "发文机关标志应居中")
    size = size_pt(layers) or spec.SIZE_NAMES_PT["三号"]
    width_mm = redheader._units(mark.text.strip()) * size * scale_percent(layers) / 100 * MM_PER_PT
    if width_mm > spec.TEXT_WIDTH_MM.value + _TOLERANCE_MM:
        out.add(
            "版头",
            "error",
            mark.where,
            f"发文机关标志宽约 {width_mm:.0f} mm，超出版心宽 156 mm；请缩小字号或压缩字宽",
        )
    top_mm = _top_mm(paras, mark)
    if abs(top_mm - redheader.MARK_TOP_MM) > _TOLERANCE_MM:
        out.add(
            "版头",
            "error",
            mark.where,
            f"发文机关标志上边缘距版心上边缘约 {top_mm:.0f} mm，应为 35 mm",
        )


def _top_mm(paras: list[Para], mark: Para) -> float:
    """Where the mark's top is set, below the block's top (what pagefill counts)."""
    above = 0
    for para in paras:
        if para is mark:
            break
        if not para.in_table:
            above += pagefill.height(para.element)
    before = pagefill.height(mark.element, lines=False)
    return (above + before - redheader.MARK_INK_RISE) / spec.TWIPS_PER_MM


def _check_number(out: Collector, styles: StyleSheet, number: Para) -> None:
    text = number.text.strip()
    own = text.split("签发人")[0].strip()
    # A number of the usual shape with a wrong detail is reported by the word rules
    # (words.text_rules); here only one not of that shape at all.
    if not _NUMBER.match(own) and not patterns.DOC_NUMBER.search(own):
        out.add(
            "发文字号",
            "error",
            number.where,
            f"发文字号“{own}”应写作“机关代字〔年份〕序号号”，如 X〔2026〕5号"
            "（六角括号，不加“第”，序号不编虚位）",
        )
    border = None
    for _, ppr in styles.paragraph_layers(number.element):
        border = ppr.find(f"{W}pBdr/{W}bottom")
        if border is not None:
            break
    if border is None or border.get(W + "val") in (None, "nil", "none"):
        out.add("版头", "error", number.where, "发文字号之下 4 mm 处应有一条红色分隔线")
    elif (border.get(W + "color") or "").upper() != redheader.RED:
        out.add("版头", "error", number.where, "发文字号下的分隔线应为红色")
    ind = first(styles.paragraph_layers(number.element), "ind", "left")
    right = first(styles.paragraph_layers(number.element), "ind", "right")
    if int(ind or 0) or int(right or 0):
        out.add("版头", "error", number.where, "红色分隔线应与版心等宽（发文字号段落不要缩进）")
    if "签发人" in text:
        runs = _runs(number.element)
        name = runs[-1] if runs else None
        face = spec.face_of(east_asian_font(styles.run_layers(number.element, name)).name)
        if name is not None and face != "楷体":
            out.add("版头", "error", number.where, "签发人姓名应使用楷体")


def _check_imprint(out: Collector, paras: list[Para]) -> None:
    lines = [p for p in paras if p.role == "imprint" and p.text.strip() and p.in_table]
    if not lines:
        return
    printed = [p for p in lines if "印发" in p.text]
    for para in lines:
        text = para.text.strip()
        if para in printed:
            if not _PRINTED.search(text):
                out.add(
                    "版记",
                    "error",
                    para.where,
                    "印发日期应写全年月日、月日不编虚位，后加“印发”（如 2026年3月2日印发）",
                )
        elif not (text.startswith("抄送：") and text.endswith("。")):
            out.add("版记", "error", para.where, "抄送应写作“抄送：……。”（全角冒号，末尾句号）")
    if not printed:
        out.add("版记", "error", lines[0].where, "版记应有印发机关和印发日期")
    last = lines[-1]
    after = [
        p
        for p in paras
        if p.number > last.number and p.text.strip() and p.role not in ("imprint", "page_number")
    ]
    if after:
        out.add("版记", "error", after[0].where, "版记应在公文的最后，它后面不能再有正文")


# ---- on the page ------------------------------------------------------------------------


def _asks(docx: Path) -> tuple[int, bool]:
    """(red headers, imprint) the document has, by its paragraphs' styles."""
    try:
        with zipfile.ZipFile(docx) as zf:
            data = zf.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return 0, False
    header = f'w:val="{redheader.MARK_STYLE}"'.encode()
    imprint = f'w:val="{redheader.ANCHOR_STYLE}"'.encode()
    return data.count(header), imprint in data


def _pixels(pdf: Path, page: int, dpi: int) -> tuple[int, int, bytes]:
    ppm = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    magic, size, _depth, data = ppm.split(b"\n", 3)
    width, height = (int(v) for v in size.split())
    return width, height, data


def _rows(pdf: Path, page: int, red: bool, dpi: int = 100) -> list[tuple[float, ...]]:
    """(y, x0, x1, filled) in mm of each pixel row holding red (or dark) pixels."""
    width, height, data = _pixels(pdf, page, dpi)
    mm = 25.4 / dpi
    found = []
    stride = width * 3
    for y in range(height):
        row = data[y * stride : (y + 1) * stride]
        r, g, b = row[0::3], row[1::3], row[2::3]
        if red:
            hits = [x for x in range(width) if r[x] > 180 and g[x] < 100 and b[x] < 100]
        else:
            hits = [x for x in range(width) if r[x] < 110 and g[x] < 110 and b[x] < 110]
        if hits:
            found.append((y * mm, hits[0] * mm, (hits[-1] + 1) * mm, len(hits) * mm))
    return found


def _rule(rows: list[tuple[float, ...]], min_mm: float = 100) -> tuple[float, ...] | None:
    """The first row drawn most of its width: a rule."""
    for y, x0, x1, filled in rows:
        if filled >= min_mm:
            return y, x0, x1
    return None


def measure(pdf: Path, docx: Path, label: str) -> list[Finding]:
    """Findings of the red header (first page) and imprint (last page) on ``pdf``."""
    header, imprint = _asks(docx)
    if not (header or imprint) or shutil.which("pdftoppm") is None:
        return []
    from officekit.gongwen.pdfcheck import read_pages

    pages = read_pages(pdf)
    findings: list[Finding] = []
    if header and pages:
        # A combined file (one red header per letter) starts with a section that begins on
        # an odd page; LibreOffice 7 sets such a first page 3.5 mm low (Word does not), so
        # there the mark's height is not measured: its letters are, each on its own.
        findings += _measure_header(pdf, pages[0], f"{label} 第 1 页（PDF）", header == 1)
    if imprint and pages:
        findings += _measure_imprint(pdf, pages, label)
    return findings


def _measure_header(pdf: Path, page, where: str, height: bool = True) -> list[Finding]:  # noqa: ANN001 - pdfcheck.Page
    top = spec.MARGIN_TOP_MM.value
    rows = _rows(pdf, 1, red=True)
    rule = _rule(rows)
    problems = []
    if rule is None:
        return [Finding("实测版头", "error", where, "第 1 页没有与版心等宽的红色分隔线")]
    y, x0, x1 = rule
    if abs((x1 - x0) - spec.TEXT_WIDTH_MM.value) > 2 or abs(x0 - spec.MARGIN_LEFT_MM.value) > 2:
        problems.append(
            Finding(
                "实测版头",
                "error",
                where,
                f"红色分隔线宽 {x1 - x0:.0f} mm、左端距纸边 {x0:.0f} mm，应与版心等宽（156 mm，距左边 28 mm）",
            )
        )
    above = [r for r in rows if r[0] < y - 1]
    if not above:
        problems.append(Finding("实测版头", "error", where, "发文机关标志不是红色"))
    else:
        mark_top = above[0][0] - top
        if height and abs(mark_top - redheader.MARK_TOP_MM) > _MEASURED_MM:
            problems.append(
                Finding(
                    "实测版头",
                    "error",
                    where,
                    f"发文机关标志上边缘距版心上边缘 {mark_top:.1f} mm，应为 35 mm",
                )
            )
    mark_bottom = above[-1][0] if above else top
    words = [
        w
        for w in page.words
        if mark_bottom / MM_PER_PT < w.y0 and w.y1 < y / MM_PER_PT + 1 and w.text.strip()
    ]
    number = "".join(w.text for w in words)
    if "〔" not in number or "〕" not in number:
        problems.append(
            Finding("实测版头", "error", where, f"红色分隔线上方没有带〔〕的发文字号（“{number}”）")
        )
    elif words:
        gap = y - max(w.y1 for w in words) * MM_PER_PT
        if abs(gap - redheader.RULE_GAP_MM) > _MEASURED_MM:
            problems.append(
                Finding(
                    "实测版头",
                    "warning",
                    where,
                    f"红色分隔线在发文字号下方 {gap:.1f} mm，应为 4 mm",
                )
            )
    return problems


def _measure_imprint(pdf: Path, pages: list, label: str) -> list[Finding]:
    count = len(pages)
    where = f"{label} 第 {count} 页（PDF）"
    problems = []
    if count % 2:
        problems.append(
            Finding(
                "实测版记",
                "error",
                where,
                f"版记在第 {count} 页（单页）；应在最后一页且为双页，请在版记前加一页",
            )
        )
    lines: dict[int, list] = {}
    for word in pages[-1].words:
        lines.setdefault(round(word.y0), []).append(word)
    printed = [
        "".join(w.text for w in sorted(ws, key=lambda w: w.x0))
        for _, ws in sorted(lines.items())
        if any("印发" in w.text for w in ws)
    ]
    if not printed:
        return [*problems, Finding("实测版记", "error", where, "最后一页上没有版记（……印发）")]
    if not _PRINTED.search(printed[-1]):
        problems.append(
            Finding("实测版记", "error", where, f"版记末行“{printed[-1]}”应以“…年…月…日印发”结尾")
        )
    bottom = spec.MARGIN_TOP_MM.value + spec.TEXT_HEIGHT_MM.value
    rules = [r for r in _rows(pdf, count, red=False) if r[3] >= spec.TEXT_WIDTH_MM.value - 3]
    if not rules:
        problems.append(Finding("实测版记", "error", where, "版记没有与版心等宽的分隔线"))
    elif abs(rules[-1][0] - bottom) > _MEASURED_MM:
        problems.append(
            Finding(
                "实测版记",
                "error",
                where,
                f"版记末条分隔线距纸张上边 {rules[-1][0]:.0f} mm，应与版心下边缘（{bottom:.0f} mm）重合",
            )
        )
    return problems
