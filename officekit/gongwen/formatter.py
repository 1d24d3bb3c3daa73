"""Give any .docx template the 公文 layout: ``format_docx(data) -> Formatted``.

A template typed from scratch in Word (Letter paper, Normal style, theme fonts, a table
in Word's "Table Grid" style) comes out with GB/T 9704 page setup and line grid, the 公文
styles, page numbers "— 1 —" on odd and even pages, and each paragraph set in the style
of its role (:mod:`officekit.gongwen.roles`: the judgement the checker uses). Tables get
table text (:mod:`officekit.gongwen.tablelayout`).

What the author set on purpose and the standard allows (bold, centring, a red run, a
picture) is kept; what contradicts the standard is removed. Only paragraph and run
properties, styles, sections, settings and footers are touched: never the text, so a
``{{ }}`` / ``{% %}`` tag comes out exactly as it went in.

A template that already complies comes out byte for byte the same: every part is
compared after the steps in canonical XML (C14N), and when none differs the input bytes
are returned. The build runs this once per template at compile time (cached with the
compiled template, see :mod:`officekit.render`); ``officekit format`` writes the result.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from officekit.errors import DocumentError
from officekit.gongwen import spec

# Bump when the formatter's output changes for the same input: the build's cache of
# formatted templates is keyed by it (with the formatter's own source).
VERSION = "1"


@dataclass
class Formatted:
    """The formatted template and, in the clerk's words, what was changed."""

    data: bytes
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _canonical(element) -> bytes:  # noqa: ANN001 - lxml element
    # lxml imported here, not above: a rebuild reads VERSION without needing lxml.
    from lxml import etree

    return etree.tostring(element, method="c14n")


def _xml_parts(doc) -> dict[str, bytes]:  # noqa: ANN001 - docx.Document
    """Canonical XML of every XML part of the package, by part name."""
    found: dict[str, bytes] = {}
    for part in doc.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            found[str(part.partname)] = _canonical(element)
    return found


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding=["']([^"']+)["']""")


def _foreign_encoding(data: bytes) -> bool:
    """Whether a part the formatter rewrites declares an encoding other than UTF-8: read
    through it, the text (and the tags) would not survive being written back as UTF-8."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name in zf.namelist():
                if name.startswith("word/") and name.endswith(".xml"):
                    with zf.open(name) as part:
                        match = _DECLARED.match(part.read(200))
                    if match and match.group(1).lower() not in (b"utf-8", b"utf8"):
                        return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # python-docx's turn to say what is wrong
    return False


def format_docx(data: bytes, profile: str = spec.DEFAULT_FONT_PROFILE) -> Formatted:
    """``data`` (a .docx) with the 公文 layout applied; see the module docstring."""
    from docx import Document

    from officekit.gongwen import layout, normalise, pagelayout, tablelayout

    if _foreign_encoding(data):
        return Formatted(data)  # left to the compiler, which names the part in one sentence
    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a bad file
        raise DocumentError(
            f"无法读取这个 Word 文档（{type(exc).__name__}）；请用 Word/WPS 打开后“另存为” .docx 再试。"
        ) from exc
    before = _xml_parts(doc)
    changes: list[str] = []
    pagelayout.style_ids(doc)
    pagelayout.page_setup(doc, changes)
    styles_before = _canonical(doc.styles.element)
    layout.apply_styles(doc, profile)
    if _canonical(doc.styles.element) != styles_before:
        changes.append(
            "样式：正文设为仿宋三号、每页 22 行，加上「公文标题」「一级标题」等样式，去掉主题字体"
        )
    pagelayout.page_numbers(doc, changes)
    normalise.paragraphs(doc, profile, changes)
    tablelayout.tables(doc, profile, changes)
    pagelayout.pictures(doc, changes)
    layout.compat(doc)
    after = _xml_parts(doc)
    if after == before:
        return Formatted(data)
    if not changes:  # a difference no step described (a compatibility flag, an order)
        changes.append("文档设置：按公文格式调整")
    out = io.BytesIO()
    doc.save(out)
    return Formatted(out.getvalue(), changes)


def default_output(src: Path) -> Path:
    """Where ``officekit format`` writes when no ``-o`` is given: beside the template."""
    return src.with_name(f"{src.stem}-公文格式.docx")


def format_file(
    src: Path, out: Path | None = None, profile: str = spec.DEFAULT_FONT_PROFILE
) -> tuple[Path, Formatted]:
    """Format the template ``src`` into ``out`` (never over ``src``), atomically."""
    from officekit import files
    from officekit.errors import OutputError

    src = Path(src)
    files.inspect(src, files.TEMPLATE, DocumentError)
    target = Path(out) if out is not None else default_output(src)
    if target.suffix.lower() != ".docx":
        target = target / default_output(src).name if target.is_dir() else target
    if target.resolve() == src.resolve():
        raise OutputError(
            f"输出文件不能是模板本身（{src.name}），请用 -o 另写一个文件名，原模板保持不动。"
        )
    formatted = format_docx(src.read_bytes(), profile)
    from officekit.gongwen.typeset import save_atomic

    save_atomic(_Saved(formatted.data), target)  # type: ignore[arg-type]
    return target, formatted


class _Saved:
    """Bytes with python-docx's ``save``, so the typesetter's atomic writer writes them."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.data)


def refuse_template(src: Path) -> None:
    """Raise when the .docx ``src`` holds template tags: typesetting would set the tags as
    text and lose the template; ``officekit format`` is what formats a template."""
    import zipfile

    from officekit.errors import OfficekitError

    if Path(src).suffix.lower() != ".docx":
        return
    try:
        with zipfile.ZipFile(src) as zf:
            xml = zf.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return  # not readable: the typesetter says why
    if b"{{" in xml or b"{%" in xml:
        raise OfficekitError(
            f"{Path(src).name} 里有模板标签（{{{{ }}}} 或 {{% %}}），它是模板而不是讲话稿草稿，"
            f"排版会把标签当作正文；给模板套用公文格式请用 officekit format {Path(src).name}。"
        )
