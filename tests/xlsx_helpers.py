"""Workbooks as other programs write them, for tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_INLINE = re.compile(
    r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t( xml:space="preserve")?>(.*?)</t></is></c>', re.S
)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def to_shared_strings(path: Path) -> None:
    """Rewrite the .xlsx at ``path`` (as openpyxl saves it: every text inline) the way
    Excel and WPS save: texts in one shared-string table, in order of first use, cells
    naming them by index. Each save of an edited workbook then renumbers the texts."""
    with zipfile.ZipFile(path) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    strings: dict[tuple[str, str], int] = {}

    def shared(match: re.Match[str]) -> str:
        key = (match.group(3) or "", match.group(4))
        index = strings.setdefault(key, len(strings))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index}</v></c>'

    sheets = sorted(n for n in parts if n.startswith("xl/worksheets/sheet"))
    for name in sorted(sheets, key=lambda n: int(re.sub(r"\D", "", n))):
        parts[name] = _INLINE.sub(shared, parts[name].decode("utf-8")).encode("utf-8")
    items = "".join(f"<si><t{space}>{text}</t></si>" for space, text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    if "sharedStrings" not in types:
        override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
        parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    if "sharedStrings" not in rels:
        rel = f'<Relationship Id="rIdSst" Type="{_SST_REL}" Target="sharedStrings.xml"/>'
        rels = rels.replace("</Relationships>", rel + "</Relationships>")
        parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
