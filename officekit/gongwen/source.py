"""Read a draft for the typesetter: plain text or a Word file, as a list of lines.

Drafts arrive as text pasted from the web into Notepad (UTF-8, with or without BOM, or
GB18030 from older Chinese Windows) or as a .docx with whatever formatting the author
used. Formatting is thrown away here: the typesetter decides every font and indent itself.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from officekit.errors import DocumentError

SUFFIXES = (".txt", ".docx")


def read_lines(path: Path) -> list[str]:
    """Lines of the draft at ``path`` (.txt or .docx), in order, unstripped.

    Raises DocumentError (one Chinese sentence naming the file) when the file is missing,
    of another type, not decodable text, or not a readable Word document.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise DocumentError(f"找不到文件 {path}，请检查文件名和所在文件夹后重试。")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise DocumentError(
            f"文件 {name} 是旧版 Word 格式（.doc），请用 Word 或 WPS 另存为 .docx 后重试。"
        )
    if suffix not in SUFFIXES:
        raise DocumentError(
            f"文件 {name} 不是 .txt 文本或 .docx 文档，请另存为其中一种格式后重试。"
        )
    if suffix == ".txt":
        return _text_lines(path)
    return _docx_lines(path)


def decode(data: bytes, name: str) -> str:
    """Bytes of a text file → str: UTF-16 with BOM, UTF-8 (BOM optional) or GB18030.

    UTF-8 is tried strictly first: valid UTF-8 Chinese is almost never valid GB18030 by
    accident the other way round, but GB18030 accepts many byte strings, so it comes last.
    Notepad's "Unicode" (UTF-16 with BOM) is recognised by its BOM.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            # NUL bytes mean a binary file that happened to decode, not text.
            if "\x00" not in text:
                return text
    raise DocumentError(
        f"文件 {name} 不是 UTF-8 或 GB18030 编码的文本，请用记事本另存为 UTF-8 后重试。"
    )


def _text_lines(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            f"无法读取文件 {path.name}（{exc.strerror or exc}），请关闭占用它的程序后重试。"
        ) from exc
    return decode(data, path.name).splitlines()


def _docx_lines(path: Path) -> list[str]:
    try:
        document = docx.Document(str(path))
    # python-docx raises its own PackageNotFoundError, zipfile and lxml errors and more
    # for a damaged file; every one means the same thing to the clerk.
    except Exception as exc:
        raise DocumentError(
            f"文件 {path.name} 不是有效的 Word 文档（可能已损坏），"
            "请用 Word 或 WPS 打开后另存为 .docx 再试。"
        ) from exc
    lines: list[str] = []
    body = getattr(document.element, "body", None)
    if body is None:  # a main part that is not a Word document (no w:body)
        raise DocumentError(
            f"文件 {path.name} 里没有 Word 正文（可能已损坏），请用 Word 或 WPS 打开后另存为 .docx 再试。"
        )
    for child in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:p"):
            lines.extend(_paragraph_lines(Paragraph(child, document)))
        else:
            lines.extend(_table_lines(Table(child, document)))
    return lines


def _paragraph_lines(paragraph: Paragraph) -> list[str]:
    # python-docx renders a soft line break (Shift+Enter) as "\n": each is its own line.
    return paragraph.text.replace("\t", " ").split("\n")


def _table_lines(table: Table) -> list[str]:
    """Cell paragraphs row by row; a merged cell is read once.

    Drafts sometimes wrap the whole speech in a one-cell table (a pasted web page); real
    data tables come out as one line per cell, which the author then sees and fixes.
    """
    lines: list[str] = []
    # Holding the elements keeps their lxml proxies alive, so identity is stable.
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                lines.extend(_paragraph_lines(paragraph))
    return lines
