"""Small helpers for tests that build templates in code and read rendered .docx files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document

from officekit.gongwen import layout


def make_template(path: Path, paragraphs: list[str], role: str = "body") -> Path:
    """A 公文 .docx whose body is ``paragraphs`` (each may hold Jinja tags)."""
    doc = layout.new_document()
    for text in paragraphs:
        layout.add_paragraph(doc, role, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def texts(path: Path) -> list[str]:
    """Every paragraph's text, body paragraphs and table cells, in order."""
    doc = Document(path)
    out = []
    body = doc.element.body
    for p in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        out.append(
            "".join(
                t.text or ""
                for t in p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
            )
        )
    return out


def part(path: Path, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode("utf-8")
