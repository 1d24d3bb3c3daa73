"""Word mail-merge fields written in code, the way Word, WPS and LibreOffice store them."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from officekit.gongwen import layout

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def simple(code: str, result: str, rpr: str = "") -> str:
    """``w:fldSimple`` (Word's “插入合并域” in older files, python tools)."""
    return (
        f"<w:fldSimple w:instr={quoteattr(code)}><w:r>{rpr}<w:t>{escape(result)}</w:t></w:r>"
        "</w:fldSimple>"
    )


def complex_field(code: str, result: str, pieces: int = 3, rpr: str = "") -> str:
    """A complex field whose code is split over ``pieces`` runs (Word and WPS split it
    where spell-checking, revision marks or typing left run boundaries)."""
    size = max(1, -(-len(code) // pieces))
    parts = [code[i : i + size] for i in range(0, len(code), size)]
    runs = [f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>']
    runs += [
        f'<w:r>{rpr}<w:instrText xml:space="preserve">{escape(p)}</w:instrText></w:r>'
        for p in parts
    ]
    runs.append(f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>')
    runs.append(f"<w:r>{rpr}<w:t>{escape(result)}</w:t></w:r>")
    runs.append(f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
    return "".join(runs)


def nested_if(name: str, operator: str, value: str, yes: str, no: str) -> str:
    """``IF «name» operator "value" "yes" "no"`` with the MERGEFIELD nested, as Word's
    规则 → 如果…那么…否则 writes it."""
    inner = complex_field(f" MERGEFIELD {name} ", f"«{name}»", pieces=1)
    tail = f' {operator} "{value}" "{yes}" "{no}" '
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>'
        + inner
        + f'<w:r><w:instrText xml:space="preserve">{escape(tail)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{escape(yes)}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def text(value: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(value)}</w:t></w:r>'


def runs(xml: str) -> list[etree._Element]:
    return list(etree.fromstring(f'<x xmlns:w="{W_NS}">{xml}</x>'))


def merge_template(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A 公文 .docx whose body paragraphs are the run XML ``paragraphs`` (from the
    helpers above), and optionally a table whose cells are run XML, after them."""
    doc = layout.new_document()
    for xml in paragraphs:
        p = layout.add_paragraph(doc, "body", "")
        for run in runs(xml):
            p._p.append(run)
    if table:
        grid = layout.add_table(doc, [2000] * len(table[0]), [[""] * len(table[0])] * len(table))
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, xml in zip(row.cells, cells, strict=True):
                for run in runs(xml):
                    cell.paragraphs[0]._p.append(run)
        layout.add_paragraph(doc, "body", "")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


_SIMPLE = re.compile(
    r'<w:fldSimple w:instr="([^"]*)"\s*>(<w:r>(?:(?!</w:r>).)*</w:r>)</w:fldSimple>', re.DOTALL
)


def to_complex(source: Path, target: Path, pieces: int = 3) -> Path:
    """``source`` with every ``w:fldSimple`` written as a complex field split over runs."""

    def split(match: re.Match[str]) -> str:
        run = match.group(2)
        rpr = re.search(r"<w:rPr>.*?</w:rPr>|<w:rPr/>", run, re.DOTALL)
        result = re.search(r"<w:t[^>]*>([^<]*)</w:t>", run)
        code = match.group(1).replace("&quot;", '"').replace("&amp;", "&")
        return complex_field(
            code, (result.group(1) if result else ""), pieces, rpr.group(0) if rpr else ""
        )

    with zipfile.ZipFile(source) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    parts["word/document.xml"] = _SIMPLE.sub(split, xml).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return target
