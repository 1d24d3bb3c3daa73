"""Documents with a red header and an imprint, made the way a build makes them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx.document import Document as DocumentObject

from officekit.gongwen import layout
from officekit.mastheadtemplate import Masthead
from officekit.render import make_environment

HEADER = (("organ", "{{ 机关 }}文件"), ("number", "{{ 字号 }}"))
IMPRINT = (
    ("cc", "县委办公室，县政府办公室"),
    ("printer", "{{ 机关 }}办公室"),
    ("date", "{{ 日期 }}"),
)
VARIABLES = {"机关": "青禾县禁毒委员会", "字号": "青禁毒委〔2026〕3号", "日期": "2026年3月2日"}
SENTENCE = "为深入贯彻落实全县禁毒工作会议精神，进一步压实禁毒工作责任，现将有关事项通知如下。"


def notice(paragraphs: int) -> DocumentObject:
    """Title, 主送, ``paragraphs`` body paragraphs of two lines each, 署名 and date."""
    doc = layout.new_document()
    layout.add_paragraph(doc, "title", "关于印发禁毒工作目标责任书的通知")
    layout.add_paragraph(doc, "greeting", "各乡镇人民政府，县直各有关单位：")
    for _ in range(paragraphs):
        layout.add_paragraph(doc, "body", SENTENCE)
    layout.add_paragraph(doc, "body")
    layout.add_paragraph(doc, "signature", "青禾县禁毒委员会")
    layout.add_paragraph(doc, "signature", "2026年3月2日")
    return doc


def with_masthead(
    doc: DocumentObject,
    path: Path,
    header: tuple | None = HEADER,
    imprint: tuple | None = IMPRINT,
    variables: dict | None = None,
    edit=None,  # noqa: ANN001 - a str -> str change of document.xml after the masthead
) -> Path:
    """Save ``doc`` to ``path`` with the masthead applied as a build applies it."""
    from officekit.gongwen import redheader

    buffer = io.BytesIO()
    doc.save(buffer)
    masthead = Masthead(header, imprint, make_environment())
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = masthead.apply(data, variables or VARIABLES)
                if edit is not None:
                    data = edit(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "word/styles.xml":
                data = redheader.with_styles(data)
            dst.writestr(info.filename, data)
    return path
