"""Pictures named in the workbook, placed in the document: ``{{ 单位.公章|图片(宽=40) }}``.

A cell holds a file name (a seal, a photo, a QR code, a chart), relative to the job folder
or absolute; the filter puts the picture there as an inline drawing, ``宽``/``高`` in
millimetres (one of them keeps the picture's proportions; neither: its own size at its
resolution, never wider than the 156 mm text block). An empty cell places nothing.
A missing or unreadable picture stops the build with one sentence naming the cell.

As docxtpl's InlineImage, the drawing sits in a run of its own: the tag must stand in
the text of a paragraph (where a value would be printed). Each render collects the
pictures its parts placed (:func:`collecting`); :func:`attach` then adds them to the
document as media parts with their relationships and content types.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from officekit.errors import WorkbookError

EMU_PER_MM = 36000
BLOCK_WIDTH_MM = 156  # GB/T 9704 text block
_IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The picture's ids are far above what Word numbers from 1, so they never collide.
_FIRST_ID = 7000
_NAME = "officekit 图片 "  # the drawings this module placed, by their name


@dataclass
class Placed:
    """The pictures of one render: file → (relationship id, part name, content type)."""

    root: Path
    files: dict[Path, tuple[str, str, str]] = field(default_factory=dict)
    drawings: int = 0


_current: contextvars.ContextVar[Placed | None] = contextvars.ContextVar(
    "officekit_pictures", default=None
)


@contextlib.contextmanager
def collecting(root: Path) -> Iterator[Placed]:
    """Pictures placed while rendering inside the block, relative paths read from ``root``."""
    placed = Placed(root)
    token = _current.set(placed)
    try:
        yield placed
    finally:
        _current.reset(token)


def picture(value: Any, 宽: object = None, 高: object = None) -> Markup:
    """The 图片 filter (see the module docstring)."""
    raw = getattr(value, "raw", value)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Markup("")
    placed = _current.get()
    if placed is None:  # a file name pattern, say: no document to place it in
        raise WorkbookError("图片过滤器只能用在模板的正文里，不能用在文件名中。")
    place = getattr(value, "place", "") or "工作簿"
    path = Path(str(raw).strip())
    if not path.is_absolute():
        path = placed.root / path
    image = _read(path, place, str(raw).strip())
    cx, cy = _extent(image, _mm(宽, "宽", place), _mm(高, "高", place))
    if path not in placed.files:
        number = len(placed.files) + 1
        ext = image.ext.lower()
        placed.files[path] = (
            f"rIdOfficekitPic{number}",
            f"word/media/officekit-{number}.{ext}",
            image.content_type,
        )
    rid = placed.files[path][0]
    placed.drawings += 1
    return (
        Markup("</w:t></w:r><w:r>")
        + _drawing(_FIRST_ID + placed.drawings, path.name, rid, cx, cy)
        + Markup('</w:r><w:r><w:t xml:space="preserve">')
    )


def _read(path: Path, place: str, name: str) -> Any:
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image

    if not path.is_file():
        raise WorkbookError(
            f"{place} 的图片“{name}”找不到（应在 {path.parent}）；"
            "请把图片放到任务文件夹中，或在单元格中改正文件名（含扩展名，如 公章.png）。"
        )
    try:
        return Image.from_file(str(path))
    except (UnrecognizedImageError, OSError, ValueError, IndexError, KeyError) as exc:
        raise WorkbookError(
            f"{place} 的图片“{name}”无法读取（不是 PNG、JPEG、GIF、BMP 或 TIFF 图片，或已损坏）；"
            "请用画图或 WPS 图片把它另存为 PNG 后重试。"
        ) from exc


def _mm(value: object, name: str, place: str) -> float | None:
    if value is None:
        return None
    raw = getattr(value, "raw", value)
    try:
        mm = float(raw)
    except (TypeError, ValueError):
        mm = -1.0
    if not 0 < mm <= 1000 or isinstance(raw, bool):
        raise WorkbookError(
            f"{place} 的图片的{name}“{raw}”不是正数；请在模板中写毫米数，如 图片(宽=40)。"
        )
    return mm


def _extent(image: Any, width: float | None, height: float | None) -> tuple[int, int]:
    """Width and height in EMU: as asked, proportions kept where one is missing."""
    natural_w, natural_h = image.width, image.height  # EMU at the image's resolution
    if natural_w <= 0 or natural_h <= 0:
        natural_w = natural_h = 40 * EMU_PER_MM
    if width is None and height is None:
        width_emu = min(natural_w, BLOCK_WIDTH_MM * EMU_PER_MM)
        return int(width_emu), int(natural_h * width_emu / natural_w)
    if width is not None and height is not None:
        return int(width * EMU_PER_MM), int(height * EMU_PER_MM)
    if width is not None:
        cx = width * EMU_PER_MM
        return int(cx), int(natural_h * cx / natural_w)
    cy = float(height) * EMU_PER_MM  # type: ignore[arg-type]
    return int(natural_w * cy / natural_h), int(cy)


def _drawing(number: int, name: str, rid: str, cx: int, cy: int) -> Markup:
    title = escape(name)
    return Markup(
        f'<w:drawing><wp:inline xmlns:wp="{_WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="{_NAME}{number}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_A}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{_A}"><a:graphicData uri="{_PIC}">'
        f'<pic:pic xmlns:pic="{_PIC}"><pic:nvPicPr><pic:cNvPr id="0" name="{title}"/>'
        f"<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>"
        f'<a:blip xmlns:r="{_R}" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
        f'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f"</a:graphicData></a:graphic></wp:inline></w:drawing>"
    )


_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"}


def stamp(root: Path, skip: Path) -> str:
    """Every picture file under ``root`` (not under ``skip``, the output folder) by name,
    size and time: part of the digest of a template that places pictures, so that a
    picture replaced under the same name makes its documents again."""
    found = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        # Not the output (ten thousand letters) nor hidden folders (.venv, .git)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and here / d != skip)
        for name in sorted(names):
            if Path(name).suffix.lower() in _SUFFIXES:
                with contextlib.suppress(OSError):
                    info = (here / name).stat()
                    found.append(
                        (str((here / name).relative_to(root)), info.st_size, info.st_mtime_ns)
                    )
    return repr(found)


def unclip(xml: bytes) -> bytes:
    """Paragraphs holding a placed picture get single line spacing: with the fixed 28.95 pt
    lines of a 公文, Word shows only a strip of a picture taller than one line."""
    from lxml import etree

    from officekit.gongwen.oxml import ppr_child, qn

    root = etree.fromstring(xml)
    for doc_pr in root.iter(f"{{{_WP}}}docPr"):
        paragraph = next(doc_pr.iterancestors(qn("w:p")), None)
        if paragraph is None or not doc_pr.get("name", "").startswith(_NAME):
            continue
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = etree.Element(qn("w:pPr"))
            paragraph.insert(0, ppr)
        spacing = ppr_child(ppr, "w:spacing")
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rels_name(part: str) -> str:
    """word/document.xml → word/_rels/document.xml.rels."""
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


_EMPTY_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"</Relationships>"
)


_TYPES = re.compile(rb"<Types[^>]*>")


def attach(
    placed: Placed, part: str, rels: bytes | None, content_types: bytes
) -> tuple[dict[str, bytes], bytes]:
    """The media parts and ``part``'s relationships with the pictures ``placed`` in it,
    and the content types naming their kinds."""
    out: dict[str, bytes] = {}
    entries = []
    for path, (rid, media, content_type) in placed.files.items():
        out[media] = path.read_bytes()
        target = media.removeprefix(part.rpartition("/")[0] + "/")
        entries.append(f'<Relationship Id="{rid}" Type="{_IMAGE_REL}" Target="{target}"/>')
        ext = media.rpartition(".")[2]
        if not re.search(rf'Extension="{ext}"'.encode(), content_types, re.IGNORECASE):
            default = f'<Default Extension="{ext}" ContentType="{content_type}"/>'.encode()
            found = _TYPES.search(content_types)
            if found:
                content_types = (
                    content_types[: found.end()] + default + content_types[found.end() :]
                )
    out[rels_name(part)] = (rels or _EMPTY_RELS).replace(
        b"</Relationships>", "".join(entries).encode() + b"</Relationships>"
    )
    return out, content_types
