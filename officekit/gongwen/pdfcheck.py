"""Measure rendered pages: A4, text inside the 156 × 225 mm block, ≤ 22 lines, page numbers.

The .docx checker reads what the file asks for; this module looks at what LibreOffice
actually drew. Word boxes come from poppler's ``pdftotext -bbox`` (points, origin top
left), which gives each word's exact extent; pypdf alone gives only where text starts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from officekit.errors import ExportError
from officekit.gongwen import headercheck, hints, spec
from officekit.gongwen.check import Finding, Report

PT_PER_MM = 72 / 25.4
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
# A line may end with one punctuation mark hanging into the margin, as Word and WPS do.
_HANGING = "，。、；：！？”’）》」』"
_SLACK_PT = 2.0
# Body text is 三号 (16 pt, a glyph box about 21 pt high); table text is smaller and packs
# more lines, so only boxes taller than a 小三 (15 pt) line count toward the 22.
_MIN_LINE_HEIGHT_PT = spec.SIZE_NAMES_PT["小三"] * 1.2


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]


def pdftotext() -> str | None:
    return shutil.which("pdftotext")


def read_pages(pdf: Path) -> list[Page]:
    """Every page with its word boxes (points, origin at the top left)."""
    tool = pdftotext()
    if tool is None:
        raise FileNotFoundError("pdftotext")
    html = subprocess.run(
        [tool, "-bbox", str(pdf), "-"], capture_output=True, check=True, timeout=120
    ).stdout.decode("utf-8", "replace")
    pages: list[Page] = []
    for chunk in html.split("</page>"):
        head = _PAGE.search(chunk)
        if head is None:
            continue
        words = [
            Word(float(a), float(b), float(c), float(d), unescape(t))
            for a, b, c, d, t in _WORD.findall(chunk[head.end() :])
        ]
        pages.append(Page(float(head.group(1)), float(head.group(2)), words))
    return pages


@dataclass(frozen=True)
class Block:
    """The text block of an A4 page in points from the top left."""

    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def a4(cls) -> Block:
        left = spec.MARGIN_LEFT_MM.value * PT_PER_MM
        top = spec.MARGIN_TOP_MM.value * PT_PER_MM
        return cls(
            left,
            top,
            left + spec.TEXT_WIDTH_MM.value * PT_PER_MM,
            top + spec.TEXT_HEIGHT_MM.value * PT_PER_MM,
        )


def _is_page_number(page: Page, block: Block) -> list[Word]:
    return [w for w in page.words if w.y0 >= block.bottom - _SLACK_PT]


def _lines(words: list[Word]) -> list[str]:
    """The page's text lines, top to bottom, each read left to right, spaces dropped."""
    rows: dict[int, list[Word]] = {}
    for word in words:
        rows.setdefault(round(word.y1), []).append(word)
    return [
        "".join(w.text for w in sorted(rows[y], key=lambda w: w.x0)).replace(" ", "")
        for y in sorted(rows)
    ]


def lone_last_lines(
    words: list[Word], headings: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """(heading, its lone character, severity) for each title or heading of ``headings``
    ((text, severity) pairs) drawn with one character alone on its last line."""
    found = []
    lines = _lines(words)
    for before, line in zip(lines, lines[1:], strict=False):
        if len(line) != 1 or line in _HANGING:
            continue
        for text, severity in headings:
            compact = text.replace(" ", "")
            if len(compact) > 1 and compact.endswith(before[-4:] + line):
                found.append((text, line, severity))
                break
    return found


def measure(
    pdf: Path, name: str | None = None, headings: list[tuple[str, str]] | None = None
) -> list[Finding]:
    """Findings on the rendered pages of ``pdf`` (``name``: the document shown in places;
    ``headings``: its titles and headings with the severity of a lone last character)."""
    return measure_pages(read_pages(pdf), name or pdf.name, headings)


def measure_pages(
    pages: list[Page], label: str, headings: list[tuple[str, str]] | None = None
) -> list[Finding]:
    """Findings on pages already read (word boxes in points from the top left)."""
    block = Block.a4()
    findings: list[Finding] = []
    want_w = spec.PAPER_WIDTH_MM.value * PT_PER_MM
    want_h = spec.PAPER_HEIGHT_MM.value * PT_PER_MM
    tol = spec.PAPER_TOLERANCE_MM.value * PT_PER_MM
    max_lines = int(spec.LINES_PER_PAGE.value)
    for number, page in enumerate(pages, start=1):
        where = f"{label} 第 {number} 页（PDF）"
        if abs(page.width - want_w) > tol or abs(page.height - want_h) > tol:
            findings.append(
                Finding(
                    "实测纸张",
                    "error",
                    where,
                    f"页面为 {page.width / PT_PER_MM:.0f} × {page.height / PT_PER_MM:.0f} mm，"
                    "应为 A4（210 × 297 mm）",
                )
            )
            continue
        if not page.words:
            continue  # a blank back page that starts the next document on a front page
        footer = _is_page_number(page, block)
        text = [w for w in page.words if w not in footer]
        outside = [w for w in text if not _inside(w, block)]
        if outside:
            first = outside[0]
            findings.append(
                Finding(
                    "实测版心",
                    "error",
                    where,
                    f"“{first.text[:12]}”超出版心（156 × 225 mm）"
                    f"{f'等 {len(outside)} 处' if len(outside) > 1 else ''}",
                )
            )
        lines = {round(w.y1) for w in text if w.y1 - w.y0 >= _MIN_LINE_HEIGHT_PT}
        if len(lines) > max_lines:
            findings.append(
                Finding(
                    "实测行数",
                    "error",
                    where,
                    f"本页排了 {len(lines)} 行正文，应不超过 {max_lines} 行",
                )
            )
        findings += _page_number(footer, number, where, block)
        for heading, char, severity in lone_last_lines(text, headings or []):
            shown = heading if len(heading) <= 16 else heading[:16] + "……"
            findings.append(
                Finding(
                    "实测标题回行",
                    severity,  # type: ignore[arg-type]
                    where,
                    f"「{shown}」在页面上回行后，最后一行只有“{char}”一个字，词意被拆开；"
                    "请在合适的词后按 Shift+Enter 换行，使各行词意完整、长短适宜",
                )
            )
    return findings


def _inside(word: Word, block: Block) -> bool:
    right = block.right + _SLACK_PT
    if word.text and word.text[-1] in _HANGING:
        right += spec.SIZE_NAMES_PT["三号"]
    return (
        word.x0 >= block.left - _SLACK_PT
        and word.x1 <= right
        and word.y0 >= block.top - _SLACK_PT
        and word.y1 <= block.bottom + _SLACK_PT
    )


def _page_number(footer: list[Word], number: int, where: str, block: Block) -> list[Finding]:
    if not footer:
        return [Finding("实测页码", "error", where, "页面上没有页码")]
    x0 = min(w.x0 for w in footer)
    x1 = max(w.x1 for w in footer)
    y0 = min(w.y0 for w in footer)
    problems: list[Finding] = []
    gap_mm = (y0 - block.bottom) / PT_PER_MM
    want_gap = spec.PAGE_NUMBER_GAP_MM.value
    if not want_gap - 4 <= gap_mm <= want_gap + 6:
        problems.append(
            Finding(
                "实测页码",
                "warning",
                where,
                f"页码在版心下方 {gap_mm:.0f} mm 处，应约为 {want_gap:g} mm",
            )
        )
    centre = (block.left + block.right) / 2
    odd = number % 2 == 1
    if odd and x0 < centre:
        problems.append(Finding("实测页码", "error", where, "单页的页码应在右侧"))
    if not odd and x1 > centre:
        problems.append(Finding("实测页码", "error", where, "双页的页码应在左侧"))
    return problems


def measure_reports(reports: list[Report]) -> str:
    """Render every report's .docx with LibreOffice (one batch) and add the page findings.

    Returns a note for the user when the measurement could not run (no LibreOffice or no
    pdftotext); the .docx findings stand either way.
    """
    from officekit import export

    if not reports:
        return ""
    if export.find_soffice() is None:
        return (
            "未找到 LibreOffice，没有做版面实测（只检查了 .docx 的设置）；请安装 LibreOffice"
            "（Windows/macOS 从 libreoffice.org 下载，Debian/Ubuntu 执行 "
            "sudo apt-get install libreoffice-writer）后重试。"
        )
    if pdftotext() is None:
        return (
            "未找到 pdftotext（poppler-utils），没有做版面实测；"
            "Debian/Ubuntu 上可用 apt-get install poppler-utils 安装。"
        )
    with tempfile.TemporaryDirectory(prefix="officekit-check-") as tmp:
        # convert_pairs names every output itself, so files with the same name from two
        # folders cannot collide.
        pairs = [(r.path, Path(tmp) / f"{n:04d}.pdf") for n, r in enumerate(reports)]
        try:
            pdfs, _ = export.convert_pairs(pairs, export.Target.pdf())
        except ExportError as exc:
            return f"版面实测失败：{exc.message}"
        for report, pdf in zip(reports, pdfs, strict=True):
            measured = measure(pdf, report.path.stem + ".pdf", report.headings)
            measured += headercheck.measure(pdf, report.path, report.path.stem + ".pdf")
            report.findings += hints.advise(measured)
            report.findings.sort(key=lambda f: f.severity != "error")
    return ""
