"""Judge a .docx against GB/T 9704-2012: ``check_docx(path) -> Report``.

Each rule reports findings with a severity and a place. A figure the standard states is
an error; one that is only common practice is a warning (spec.Figure.kind). Every number
comes from :mod:`officekit.gongwen.spec`; text patterns from :mod:`.patterns`; paragraph
roles from :mod:`.roles`; effective formatting from :mod:`.styles`.

Findings of the same kind are merged into one line ("第 5 段… 等 12 处") so a document set
in the wrong font says so once, not four hundred times.
"""

from __future__ import annotations

import functools
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from officekit.errors import DocumentError
from officekit.gongwen import fieldcheck, patterns, roles, spec
from officekit.gongwen.roles import ROLE_NAMES, Para
from officekit.gongwen.styles import (
    StyleSheet,
    W,
    east_asian_font,
    first,
    first_on,
    resolved_font,
    scale_percent,
    size_pt,
    spacing_twips,
    text_of,
    val,
)
from officekit.gongwen.words import Collector as _Collector
from officekit.gongwen.words import Finding, Severity
from officekit.gongwen.words import check_text as check_text  # re-exported: callers' name
from officekit.gongwen.words import text_rules as _text_rules

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
PT_PER_MM = 72 / 25.4


@dataclass
class Report:
    """The findings of one checked document."""

    path: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def verdict(self) -> str:
        """One line: does the file meet the standard, and how many findings."""
        name = self.path.name
        if self.ok:
            extra = f"（{len(self.warnings)} 条提醒）" if self.warnings else ""
            return f"{name} 符合 GB/T 9704-2012 公文格式{extra}"
        return (
            f"{name} 不符合 GB/T 9704-2012：{len(self.errors)} 个错误"
            f"{f'、{len(self.warnings)} 条提醒' if self.warnings else ''}"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [asdict(f) for f in self.findings],
        }


def severity_of(kind: spec.Kind) -> Severity:
    return "error" if kind == "standard" else "warning"


# ---- reading the package ----------------------------------------------------------------


@dataclass
class _Package:
    """The parts of a .docx the checks read, parsed."""

    document: etree._Element
    styles: StyleSheet
    settings: etree._Element | None
    parts: dict[str, etree._Element]  # footers/headers by relationship id
    part_names: dict[str, str]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


# Documents made from one template share styles, settings and footers byte for byte; a
# build checks hundreds of them, so those parts are parsed once. Nothing here mutates them.
@functools.lru_cache(maxsize=16)
def _shared_part(data: bytes) -> etree._Element:
    return etree.fromstring(data, _PARSER)


@functools.lru_cache(maxsize=8)
def _stylesheet(data: bytes | None) -> StyleSheet:
    return StyleSheet(_shared_part(data) if data is not None else None)


def read_shared(parts: Iterable[tuple[str, bytes]]) -> None:
    """Parse now, as :func:`check_docx` will, the parts the documents of a template share
    (``word/styles.xml``, settings, footers and headers: (name, bytes) pairs): a helper
    that waits for a build's first document does it while it waits. A part that does not
    parse, or whatever else goes wrong, is left for the check itself to report."""
    for name, data in parts:
        try:
            if name == "word/styles.xml":
                _stylesheet(data)
            else:
                _shared_part(data)
        except Exception:  # noqa: BLE001 - only a head start; the check says what is wrong
            continue


def _section_skeleton(data: bytes) -> etree._Element:
    """document.xml with only what page checks read: the body, its section properties and
    the paragraphs that carry them. A combined volume of a hundred letters is megabytes of
    text whose tree would outweigh everything else a build holds."""
    found = _sections_in_bytes(data)
    if found is not None:
        return etree.fromstring(found, _PARSER)
    events = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=(W + "p", W + "tbl"),
        resolve_entities=False, no_network=True, huge_tree=False,
    )  # fmt: skip
    carrier = f"{W}pPr/{W}sectPr"
    for _, element in events:
        if element.tag == W + "p" and element.find(carrier) is not None:
            for child in list(element):
                if child.tag != W + "pPr":
                    element.remove(child)
            continue
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return events.root


_BODY = b"<w:body>"
_SECT, _SECT_END = b"<w:sectPr", b"</w:sectPr>"


def _sections_in_bytes(data: bytes) -> bytes | None:
    """The skeleton of :func:`_section_skeleton` as bytes, made by finding the section
    properties in the text instead of parsing every paragraph (a volume of a hundred
    letters: a tenth of the time). Only for the plain shape Word and officekit write
    (prefix ``w``, sections in body-level paragraphs and at the end of the body); None
    for anything else (tracked changes of properties, text boxes, other prefixes), which
    the parser handles."""
    body = data.find(_BODY)
    if body < 0 or data.rfind(b"<w:document", 0, body) < 0:
        return None
    if b"PrChange" in data or b"txbxContent" in data:  # properties inside properties
        return None
    pieces = [data[: body + len(_BODY)]]
    at, depth = body, 0  # depth: tables open at ``at`` (their paragraphs' sections do not count)
    while (start := data.find(_SECT, at)) >= 0:
        depth += (
            data.count(b"<w:tbl>", at, start)
            + data.count(b"<w:tbl ", at, start)
            - data.count(b"</w:tbl>", at, start)
        )
        close = data.find(b">", start)
        if close < 0 or data[start + len(_SECT)] not in b" />":
            return None
        if data[close - 1] == ord("/"):
            end = close + 1
        else:
            end = data.find(_SECT_END, close)
            if end < 0:
                return None
            end += len(_SECT_END)
        after = data[end : end + 9]
        if after.startswith(b"</w:pPr>"):
            if depth == 0:
                pieces.append(b"<w:p><w:pPr>" + data[start:end] + b"</w:pPr></w:p>")
        elif after == b"</w:body>":
            pieces.append(data[start:end])
        else:
            return None
        at = end
    pieces.append(b"</w:body></w:document>")
    return b"".join(pieces)


def _read(path: Path, sections_only: bool = False, skeleton: bytes | None = None) -> _Package:
    if not path.exists():
        raise DocumentError(f"找不到文件 {path}，请检查文件名和所在文件夹。")
    if path.suffix.lower() != ".docx":
        hint = (
            "请在 Word/WPS 中“另存为” .docx 后再检查"
            if path.suffix.lower() in (".doc", ".wps")
            else "只能检查 .docx 文件"
        )
        raise DocumentError(f"文件 {path.name} 不是 .docx 文档，{hint}。")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())

            def xml(name: str) -> etree._Element | None:
                return etree.fromstring(zf.read(name), _PARSER) if name in names else None

            def shared(name: str) -> etree._Element | None:
                return _shared_part(zf.read(name)) if name in names else None

            document = xml("word/document.xml") if not sections_only else None
            if sections_only and skeleton is not None and "word/document.xml" in names:
                document = etree.fromstring(skeleton, _PARSER)
            elif sections_only and "word/document.xml" in names:
                document = _section_skeleton(zf.read("word/document.xml"))
            if document is None:
                raise DocumentError(
                    f"文件 {path.name} 里没有正文（word/document.xml），它不是 Word 文档；请用 Word/WPS 打开后另存为 .docx。"
                )
            rels = xml("word/_rels/document.xml.rels")
            parts: dict[str, etree._Element] = {}
            part_names: dict[str, str] = {}
            for rel in rels.iter(f"{{{REL_NS}}}Relationship") if rels is not None else ():
                kind = rel.get("Type", "")
                if kind.endswith(("/footer", "/header")) and rel.get("TargetMode") != "External":
                    name = "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
                    root = shared(name)
                    if root is not None:
                        parts[rel.get("Id", "")] = root
                        part_names[rel.get("Id", "")] = name
            return _Package(
                document,
                _stylesheet(zf.read("word/styles.xml") if "word/styles.xml" in names else None),
                shared("word/settings.xml"),
                parts,
                part_names,
            )
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as exc:
        raise DocumentError(
            f"文件 {path.name} 已损坏或不是 Word 文档（{exc}）；请用 Word/WPS 打开后另存为 .docx 再检查。"
        ) from exc


# ---- the checker ----------------------------------------------------------------------


Scope = Literal["full", "sections"]


def check_docx(
    path: str | Path,
    *,
    allow_tags: bool = False,
    scope: Scope = "full",
    skeleton: bytes | None = None,
) -> Report:
    """Findings of ``path`` against GB/T 9704-2012.

    ``allow_tags``: the file is a template, so ``{{ }}`` / ``{% %}`` tags are expected.
    ``scope``: "sections" checks only page geometry and page numbers — for a combined
    file whose letters were each checked already. ``skeleton``: for "sections", the
    document's section skeleton as its writer gathered it (:class:`combine.Sections`),
    instead of finding the sections in the file's text.
    """
    path = Path(path)
    package = _read(path, sections_only=scope == "sections", skeleton=skeleton)
    out = _Collector()
    body = package.document.find(W + "body")
    if body is None:
        raise DocumentError(f"文件 {path.name} 没有正文，请用 Word/WPS 打开后另存为 .docx。")
    sections = _sections(body)
    if not sections:
        out.add("页面", "error", "文档", "没有页面设置（w:sectPr），无法确定纸张和页边距")
    if scope == "sections":
        # A combined file: every section is one document of it, whose words and fonts
        # were checked on its own; only the page setup and numbering are the file's.
        for index, sect in enumerate(sections, start=1):
            _check_page(out, index, sect)
        _check_page_numbers(out, package, sections, None)
        return Report(path, out.findings())
    paras = roles.classify(body, package.styles)
    for index, (sect, members) in enumerate(_section_members(body, sections, paras), start=1):
        _check_page(out, index, sect)
        _check_grid(out, package.styles, sect, members)
    _check_page_numbers(out, package, sections, paras)
    _check_theme_fonts(out, package)
    _check_fonts(out, package.styles, paras)
    _check_headings(out, paras)
    _check_text(out, paras, package, allow_tags)
    _check_attachments(out, package.styles, sections, paras)
    _check_empty_runs(out, paras)
    return Report(path, out.findings())


# ---- page geometry ------------------------------------------------------------------------


def _sections(body: etree._Element) -> list[etree._Element]:
    found = [p.find(f"{W}pPr/{W}sectPr") for p in body.iter(W + "p")]
    sections = [s for s in found if s is not None]
    final = body.find(W + "sectPr")
    if final is not None:
        sections.append(final)
    return sections


def _section_members(
    body: etree._Element, sections: list[etree._Element], paras: list[Para]
) -> Iterator[tuple[etree._Element, list[Para]]]:
    """Each section with the paragraphs it holds (a section ends at its sectPr's paragraph)."""
    index = 0
    members: list[Para] = []
    for para in paras:
        members.append(para)
        own = para.element.find(f"{W}pPr/{W}sectPr")
        if own is not None and index < len(sections) - 1:
            yield sections[index], members
            index += 1
            members = []
    if sections:
        yield sections[index], members


def _mm(twips: str | None) -> float:
    return abs(int(twips or 0)) / spec.TWIPS_PER_MM


def _check_page(out: _Collector, index: int, sect: etree._Element) -> None:
    where = f"第 {index} 节（页面设置）"
    pg_sz, pg_mar = sect.find(W + "pgSz"), sect.find(W + "pgMar")
    size = tuple(pg_sz.items()) if pg_sz is not None else None
    margins = tuple(pg_mar.items()) if pg_mar is not None else None
    for rule, severity, message in _page_findings(size, margins):
        out.add(rule, severity, where, message)


@functools.lru_cache(maxsize=64)
def _page_findings(
    size: tuple[tuple[str, str], ...] | None, margins: tuple[tuple[str, str], ...] | None
) -> list[tuple[str, Severity, str]]:
    """The findings of a section's paper size and margins (attributes of its w:pgSz and
    w:pgMar), once per setup: a volume of a hundred letters has a hundred alike."""
    sect = etree.Element(W + "sectPr")
    for tag, attributes in (("pgSz", size), ("pgMar", margins)):
        if attributes is not None:
            etree.SubElement(sect, W + tag, dict(attributes))
    found = _Found()
    _page_rules(found, sect)
    return found.found


class _Found:
    """Findings as (rule, severity, message), for a place given later."""

    def __init__(self) -> None:
        self.found: list[tuple[str, Severity, str]] = []

    def add(self, rule: str, severity: Severity, where: str, message: str) -> None:
        self.found.append((rule, severity, message))


def _page_rules(out: _Found, sect: etree._Element) -> None:
    where = ""  # said by the caller
    pg_sz = sect.find(W + "pgSz")
    width = _mm(val(pg_sz, "w"))
    height = _mm(val(pg_sz, "h"))
    tol = spec.PAPER_TOLERANCE_MM.value
    if pg_sz is None:
        out.add("纸张", "error", where, "没有设置纸张大小，应为 A4（210 × 297 mm）")
        return
    if val(pg_sz, "orient") == "landscape" or width > height:
        out.add("纸张", "error", where, "纸张为横向，公文应为纵向")
    short, long = sorted((width, height))
    if abs(short - spec.PAPER_WIDTH_MM.value) > tol or abs(long - spec.PAPER_HEIGHT_MM.value) > tol:
        out.add(
            "纸张",
            "error",
            where,
            f"纸张为 {width:.0f} × {height:.0f} mm，应为 A4（210 × 297 mm）",
        )
    pg_mar = sect.find(W + "pgMar")
    if pg_mar is None:
        out.add(
            "页边距", "error", where, "没有设置页边距，应为上 37 mm、左 28 mm、版心 156 × 225 mm"
        )
        return
    for side, figure, name in (
        ("top", spec.MARGIN_TOP_MM, "上边距（天头）"),
        ("left", spec.MARGIN_LEFT_MM, "左边距（订口）"),
    ):
        actual = _mm(val(pg_mar, side))
        if abs(actual - figure.value) > figure.tolerance:
            out.add(
                "页边距",
                severity_of(figure.kind),
                where,
                f"{name}为 {actual:.1f} mm，应为 {figure.value:g} ± {figure.tolerance:g} mm",
            )
    gutter = _mm(val(pg_mar, "gutter"))
    text_width = width - _mm(val(pg_mar, "left")) - _mm(val(pg_mar, "right")) - gutter
    text_height = height - _mm(val(pg_mar, "top")) - _mm(val(pg_mar, "bottom"))
    block_tol = spec.TEXT_BLOCK_TOLERANCE_MM.value
    for actual, figure, name, fix in (
        (text_width, spec.TEXT_WIDTH_MM, "版心宽", "右边距应为 26 mm"),
        (text_height, spec.TEXT_HEIGHT_MM, "版心高", "下边距应为 35 mm"),
    ):
        if abs(actual - figure.value) > block_tol:
            out.add(
                "版心",
                severity_of(figure.kind),
                where,
                f"{name} {actual:.1f} mm，应为 {figure.value:g} mm（{fix}）",
            )


def _natural_line_pt(size: float, line: int) -> float:
    """Height of an "auto" line: Word's single spacing is about 1.3 × the font size."""
    return size * spec.SINGLE_LINE_FACTOR.value * line / 240


def _line_pitch(styles: StyleSheet, p: etree._Element, sect: etree._Element) -> float | None:
    """The distance from one line to the next of paragraph ``p``, in points."""
    layers = styles.paragraph_layers(p)
    rule = first(layers, "spacing", "lineRule") or "auto"
    line = int(first(layers, "spacing", "line") or 240)
    run = next((r for r in p.iter(W + "r") if r.find(W + "t") is not None), None)
    size = size_pt(styles.run_layers(p, run)) or 10.5
    if rule == "exact":
        return line / spec.TWIPS_PER_PT
    natural = _natural_line_pt(size, 240 if rule == "atLeast" else line)
    if rule == "atLeast":
        natural = max(natural, line / spec.TWIPS_PER_PT)
    grid = sect.find(W + "docGrid")
    grid_pitch = int(val(grid, "linePitch") or 0) / spec.TWIPS_PER_PT
    snaps = first(layers, "snapToGrid") not in ("0", "false", "off")
    if val(grid, "type") in ("lines", "linesAndChars", "snapToChars") and grid_pitch and snaps:
        return grid_pitch * max(1, math.ceil(natural / grid_pitch - 0.01))
    return natural


def _lines_per_page(pitch: float) -> int:
    height_pt = spec.TEXT_HEIGHT_MM.value * PT_PER_MM
    return math.floor(height_pt / pitch + 0.01)


def _chars_per_line(styles: StyleSheet, p: etree._Element, sect: etree._Element) -> int | None:
    run = next((r for r in p.iter(W + "r") if r.find(W + "t") is not None), None)
    layers = styles.run_layers(p, run)
    size = size_pt(layers)
    if size is None:
        return None
    grid = sect.find(W + "docGrid")
    char_space = val(grid, "charSpace")
    snaps = first(styles.paragraph_layers(p), "snapToGrid") not in ("0", "false", "off")
    if val(grid, "type") in ("linesAndChars", "snapToChars") and char_space is not None and snaps:
        default_size = size_pt(styles.run_layers(p, None)) or size
        pitch = default_size + int(char_space) / 4096
    else:
        pitch = size * scale_percent(layers) / 100 + spacing_twips(layers) / spec.TWIPS_PER_PT
    width_pt = spec.TEXT_WIDTH_MM.value * PT_PER_MM
    return math.floor(width_pt / pitch) if pitch > 0 else 0


_GRID_ROLES = {"body", "greeting", "h1", "h2", "h3", "h4", "attach_note", "signature"}


def _check_grid(
    out: _Collector, styles: StyleSheet, sect: etree._Element, paras: list[Para]
) -> None:
    """22 lines a page and 28 characters a line, measured on the paragraphs of the text."""
    want_lines = int(spec.LINES_PER_PAGE.value)
    want_chars = int(spec.CHARS_PER_LINE.value)
    for para in paras:
        if para.in_table or para.role not in _GRID_ROLES or not para.text.strip():
            continue
        pitch = _line_pitch(styles, para.element, sect)
        if pitch is not None and _lines_per_page(pitch) != want_lines:
            lines = _lines_per_page(pitch)
            out.add(
                "行数",
                severity_of(spec.LINES_PER_PAGE.kind),
                para.where,
                f"行距约 {pitch:.1f} 磅，每页排 {lines} 行，应为 {want_lines} 行"
                f"（行距固定值 {spec.LINE_PITCH_TWIPS.value / spec.TWIPS_PER_PT:g} 磅）",
            )
        if para.role == "body":
            chars = _chars_per_line(styles, para.element, sect)
            if chars is not None and chars != want_chars:
                out.add(
                    "每行字数",
                    severity_of(spec.CHARS_PER_LINE.kind),
                    para.where,
                    f"每行排 {chars} 个字，应为 {want_chars} 个字（三号字配合字符缩放 "
                    f"{spec.CHAR_SCALE_PERCENT.value:g}% 或文档网格每行 28 字）",
                )


# ---- page numbers -----------------------------------------------------------------------

_PAGE_NUMBER = re.compile(rf"{spec.PAGE_NUMBER_DASH}\s*PAGE\s*{spec.PAGE_NUMBER_DASH}")


def _field_text(p: etree._Element) -> str:
    """Paragraph text with each field shown as its instruction's name (``PAGE``)."""
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
                parts.append(next(iter(instruction.split()), "").upper())
        elif el.tag == W + "instrText" and depth:
            instruction += el.text or ""
        elif el.tag == W + "t":
            if depth or next(el.iterancestors(W + "fldSimple"), None) is not None:
                continue  # the field's cached result
            parts.append(el.text or "")
    return "".join(parts)


def _check_page_numbers(
    out: _Collector,
    package: _Package,
    sections: list[etree._Element],
    paras: list[Para] | None,
) -> None:
    """``paras`` None: a combined file, where every section starts a document."""
    even_odd = package.settings is not None and any(
        val(el) not in ("0", "false", "off")
        for el in package.settings.iter(W + "evenAndOddHeaders")
    )
    if not even_odd:
        out.add(
            "页码",
            "error",
            "文档设置",
            "没有设置“奇偶页不同”（w:evenAndOddHeaders），页码无法单页居右、双页居左",
        )
    refs: dict[str, str] = {}
    checked: set[str] = set()
    starts = (
        set(range(1, len(sections) + 1)) if paras is None else _document_starts(sections, paras)
    )
    for index, sect in enumerate(sections, start=1):
        # A section without its own footer reference inherits the previous section's.
        for ref in sect.findall(W + "footerReference"):
            refs[ref.get(W + "type") or "default"] = ref.get(f"{{{R_NS}}}id") or ""
        wanted = [("default", "单页", ("right", "end"))]
        if even_odd:
            wanted.append(("even", "双页", ("left", "start")))
        for kind, side, align in wanted:
            where = f"第 {index} 节{side}页脚"
            rid = refs.get(kind)
            root = package.parts.get(rid or "")
            if root is None:
                out.add("页码", "error", where, f"没有{side}页码，应为“— 1 —”（宋体四号）")
                continue
            if rid in checked:
                continue
            checked.add(rid)
            _check_footer(out, package.styles, where, side, root, align)
        number_type = sect.find(W + "pgNumType")
        start = val(number_type, "start")
        if index in starts and index > 1 and start != "1":
            out.add(
                "页码",
                "error",
                f"第 {index} 节",
                "合订文件中新的一份文档没有从第 1 页重新编页码（节的页码格式应设为“起始页码 1”）",
            )


def _document_starts(sections: list[etree._Element], paras: list[Para]) -> set[int]:
    """Sections (1-based) whose first paragraph with text is a title: a new document."""
    starts: set[int] = set()
    index = 1
    at_start = True
    for para in paras:
        if at_start and para.text.strip():
            if para.role == "title":
                starts.add(index)
            at_start = False
        if para.element.find(f"{W}pPr/{W}sectPr") is not None:
            index += 1
            at_start = True
    return starts


def _check_footer(
    out: _Collector,
    styles: StyleSheet,
    where: str,
    side: str,
    root: etree._Element,
    align: tuple[str, ...],
) -> None:
    paragraphs = [p for p in root.iter(W + "p") if _field_text(p).strip()]
    if not paragraphs:
        out.add("页码", "error", where, f"{side}页脚中没有页码，应为“— 1 —”（宋体四号）")
        return
    role = spec.ROLES["page_number"]
    for p in paragraphs:
        text = " ".join(_field_text(p).split())
        if "PAGE" not in text:
            out.add("页码", "error", where, f"{side}页脚“{text}”中没有页码域（PAGE）")
            continue
        if not _PAGE_NUMBER.search(text):
            shown = text.replace("PAGE", "1")
            out.add(
                "页码",
                "error",
                where,
                f"页码为“{shown}”，应为“— 1 —”：两侧是一字线（长破折号 —，U+2014）",
            )
        layers = styles.paragraph_layers(p)
        jc = first(layers, "jc") or "left"
        if jc not in align:
            want = "居右" if align[0] == "right" else "居左"
            out.add("页码", "error", where, f"{side}页码应{want}（单页居右、双页居左）")
        indent_attr = ("right", "end") if align[0] == "right" else ("left", "start")
        indent = max(int(first(layers, "ind", a) or 0) for a in indent_attr)
        one_char = spec.SIZE_NAMES_PT[role.size] * spec.TWIPS_PER_PT
        if not (0.5 * one_char <= indent <= 1.5 * one_char) and not re.search(
            r"[\u3000 ]$" if align[0] == "right" else r"^[\u3000 ]", text
        ):
            out.add(
                "页码",
                "warning",
                where,
                f"{side}页码应离版心边缘空 1 个字（缩进约 {one_char / spec.TWIPS_PER_PT:g} 磅）",
            )
        for r in p.iter(W + "r"):
            if not any((t.text or "").strip() for t in r.findall(W + "t")):
                continue
            layers = styles.run_layers(p, r)
            font = east_asian_font(layers)
            size = size_pt(layers)
            if font.theme or spec.face_of(font.name) != role.face:
                out.add(
                    "页码",
                    "error",
                    where,
                    f"页码字体为 {_font_text(font)}，应为{role.face}",
                )
                break
            if size != spec.SIZE_NAMES_PT[role.size]:
                out.add(
                    "页码",
                    "error",
                    where,
                    f"页码字号为 {_size_text(size)}，应为{role.size}（{spec.SIZE_NAMES_PT[role.size]:g} 磅）",
                )
                break


# ---- fonts -------------------------------------------------------------------------------


def _font_text(font) -> str:  # noqa: ANN001 - styles.Font
    if font.theme:
        return f"主题字体（{font.theme}）"
    return font.name or "未设置（由 Word 默认决定）"


_SIZE_BY_PT = {pt: name for name, pt in spec.SIZE_NAMES_PT.items()}


def _size_text(size: float | None) -> str:
    if size is None:
        return "未设置（Word 默认五号）"
    name = _SIZE_BY_PT.get(size)
    return f"{name}（{size:g} 磅）" if name else f"{size:g} 磅"


# Roles whose size/face come from spec.ROLES under another key.
_ROLE_SPEC = {"party": "body", "h4": "h3", "table": "table", "table_head": "table_head"}
_TABLE_FACES = {"仿宋", "黑体", "楷体"}
_TABLE_SIZES = (spec.SIZE_NAMES_PT["五号"], spec.SIZE_NAMES_PT["三号"])


def _has_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _has_latin(text: str) -> bool:
    return any(ch.isascii() and ch.isalnum() for ch in text)


def _check_fonts(out: _Collector, styles: StyleSheet, paras: list[Para]) -> None:
    for para in paras:
        if para.role in ("empty", "page_number") or not para.text.strip():
            continue
        offset = 0
        for r in para.element.iter(W + "r"):
            run_text = "".join(t.text or "" for t in r.findall(W + "t"))
            start, offset = offset, offset + len(run_text)
            if not run_text.strip():
                continue
            role = para.role
            if para.heading_end is not None and start >= para.heading_end:
                role = "body"  # the text after a run-in heading's first sentence
            layers = styles.run_layers(para.element, r)
            latin = resolved_font(layers, "ascii")
            if latin.theme and (latin.shadows or _has_latin(run_text)):
                # A theme hiding an explicit name is the error the standard's fonts forbid;
                # a theme with nothing below it only matters where digits or Latin appear.
                out.add(
                    "主题字体",
                    "error" if latin.shadows else "warning",
                    para.where,
                    f"数字和西文的字体是主题字体（{latin.theme}，来自{latin.where}）"
                    + (f"，盖过了“{latin.shadows}”" if latin.shadows else "")
                    + "，在别的电脑上会变；请改为明确的字体名",
                )
                break
            font = east_asian_font(layers)
            size = size_pt(layers)
            if _run_font_problem(out, para, role, font, size, run_text):
                break


def _run_font_problem(out: _Collector, para: Para, role: str, font, size, text: str) -> bool:  # noqa: ANN001
    """Report the run's font or size if wrong for ``role``; True when something was."""
    name = ROLE_NAMES.get(role, role)
    if font.theme and _has_cjk(text):
        out.add(
            "主题字体",
            "error",
            para.where,
            f"{name}的中文字体是主题字体（{font.theme}，来自{font.where}），"
            "在别的电脑上会变成别的字体；请改为明确的字体名",
        )
        return True
    face = spec.face_of(font.name)
    if role in ("table", "table_head"):
        if _has_cjk(text) and face not in _TABLE_FACES:
            out.add(
                "字体",
                "warning",
                para.where,
                f"表格文字字体为 {_font_text(font)}，通常用仿宋（表头可用黑体）",
            )
            return True
        if size is None or not _TABLE_SIZES[0] <= size <= _TABLE_SIZES[1]:
            out.add(
                "字号",
                "warning",
                para.where,
                f"表格文字字号为 {_size_text(size)}，通常在五号到三号之间",
            )
            return True
        return False
    want = spec.ROLES.get(_ROLE_SPEC.get(role, role))
    if want is None:
        return False
    severity = severity_of(want.kind)
    if _has_cjk(text) and face != want.face:
        out.add(
            "字体",
            severity,
            para.where,
            f"{name}字体为 {_font_text(font)}（来自{font.where or '默认'}），应为{want.face}",
        )
        return True
    want_pt = spec.SIZE_NAMES_PT[want.size]
    if size != want_pt:
        out.add(
            "字号",
            severity,
            para.where,
            f"{name}字号为 {_size_text(size)}，应为{want.size}（{want_pt:g} 磅）",
        )
        return True
    return False


def _check_theme_fonts(out: _Collector, package: _Package) -> None:
    """A theme attribute next to an explicit name overrides it in Word: an error."""
    parts = [("styles.xml", package.styles.root), ("document.xml", package.document)]
    parts += [(package.part_names[rid], root) for rid, root in package.parts.items()]
    for name, root in parts:
        if root is None:
            continue
        for fonts in root.iter(W + "rFonts"):
            for script in ("eastAsia", "ascii", "hAnsi"):
                theme = fonts.get(W + script + "Theme")
                if theme and fonts.get(W + script):
                    owner = next(fonts.iterancestors(W + "style"), None)
                    place = (
                        f"样式“{val(owner.find(W + 'name')) or owner.get(W + 'styleId')}”"
                        if owner is not None
                        else name
                    )
                    out.add(
                        "主题字体",
                        "error",
                        place,
                        f"主题字体 {theme} 覆盖了明确指定的字体“{fonts.get(W + script)}”；"
                        "请删除主题字体设置",
                    )


# ---- headings, text, attachments ----------------------------------------------------------


def _check_headings(out: _Collector, paras: list[Para]) -> None:
    for para in paras:
        text = para.text.strip()
        if para.role == "h2" and patterns.HALF_WIDTH_H2.match(text):
            out.add(
                "标题层次",
                "error",
                para.where,
                "二级标题序号应使用全角括号“（一）”，不能用半角“(一)”",
            )
        if para.role == "h1" and para.heading_end is None and text.endswith("。"):
            out.add(
                "标题层次",
                "warning",
                para.where,
                "单独成行的一级标题末尾不加标点",
            )
        if para.role == "h3" and re.match(r"^[0-9０-９]+、", text):
            out.add(
                "标题层次",
                "warning",
                para.where,
                "三级标题序号应写作“1.”（阿拉伯数字加下脚点），不用“1、”",
            )


def _all_texts(paras: list[Para], package: _Package) -> Iterator[tuple[str, str]]:
    for para in paras:
        if para.text.strip():
            yield para.where, para.text
    for rid, root in package.parts.items():
        for p in root.iter(W + "p"):
            text = text_of(p)
            if text.strip():
                yield f"页眉页脚 {package.part_names[rid]}", text


def _check_text(out: _Collector, paras: list[Para], package: _Package, allow_tags: bool) -> None:
    _text_rules(out, _all_texts(paras, package), allow_tags)
    if not allow_tags:  # merge fields left in a finished document (fieldcheck)
        for where, message in fieldcheck.field_problems(
            etree.tostring(package.document, encoding="utf-8")
        ):
            out.add("遗留标记", "error", where, message)


def _check_attachments(
    out: _Collector, styles: StyleSheet, sections: list[etree._Element], paras: list[Para]
) -> None:
    notes = [p for p in paras if p.role == "attach_note" and p.text.strip()]
    for number, para in enumerate(notes):
        text = para.text.strip()
        if number == 0:
            if not text.startswith("附件："):
                out.add("附件说明", "error", para.where, "附件说明应写作“附件：”（全角冒号）")
            item = text.removeprefix("附件：").removeprefix("附件:").strip()
        else:
            item = text
        if re.match(r"^[0-9０-９]+[、，,]", item):
            out.add("附件说明", "error", para.where, "附件序号应写作“1.”，不用“1、”")
        if item.endswith(("。", "；", ";", "，", ",", ".")):
            out.add("附件说明", "error", para.where, "附件名称后不加标点符号")
    if len(notes) > 1 and not re.match(r"^附件：\s*1[.．]", notes[0].text.strip()):
        out.add("附件说明", "error", notes[0].where, "有多个附件时应写作“附件：1. ……”并逐项编号")
    for index, para in enumerate(paras):
        if para.role == "attach_label" and not _starts_new_page(styles, paras, index, sections):
            out.add("附件", "error", para.where, "附件应另起一页（在附件标识前插入分页符）")


def _starts_new_page(
    styles: StyleSheet, paras: list[Para], index: int, sections: list[etree._Element]
) -> bool:
    p = paras[index].element
    if first_on(styles.paragraph_layers(p), "pageBreakBefore"):
        return True
    for el in p.iter(W + "br", W + "t"):
        if el.tag == W + "t" and el.text:
            break
        if el.tag == W + "br" and el.get(W + "type") == "page":
            return True
    previous = next((q for q in reversed(paras[:index]) if not q.in_table), None)
    if previous is None:
        return True  # the first paragraph of the file
    ending = previous.element.find(f"{W}pPr/{W}sectPr")
    if ending is not None:
        following = next(
            (
                sections[n + 1]
                for n, s in enumerate(sections)
                if s is ending and n + 1 < len(sections)
            ),
            None,
        )
        return val(following.find(W + "type") if following is not None else None) != "continuous"
    broke = False
    for el in previous.element.iter(W + "br", W + "t"):
        if el.tag == W + "br" and el.get(W + "type") == "page":
            broke = True
        elif el.tag == W + "t" and el.text:
            broke = False
    return broke


def _check_empty_runs(out: _Collector, paras: list[Para]) -> None:
    """Several empty paragraphs in a row push text down: a page break done by hand."""
    limit = int(spec.EMPTY_RUN_AS_PAGE_BREAK.value)
    run: list[Para] = []
    for para in [*paras, None]:
        if para is not None and para.role == "empty" and not para.in_table:
            run.append(para)
            continue
        if len(run) >= limit:
            out.add(
                "空段落",
                "warning",
                f"第 {run[0].number}–{run[-1].number} 段",
                f"连续 {len(run)} 个空段落，疑似用空行代替分页；请改用分页符（Ctrl+Enter）",
            )
        run = []
