"""officekit.package: parts compressed whole or in pieces read back the same."""

from __future__ import annotations

import zipfile
from pathlib import Path

from officekit import package


def test_a_part_given_in_pieces_is_the_part_given_whole(tmp_path: Path) -> None:
    text = "".join(f"<w:p><w:t>第{i}段</w:t></w:p>" for i in range(3000)).encode("utf-8")
    pieces = [text[i : i + 777] for i in range(0, len(text), 777)]
    whole = package.member("word/document.xml", text, level=1)
    streamed = package.member_from("word/document.xml", iter(pieces), level=1)
    assert (streamed.crc, streamed.size) == (whole.crc, whole.size)
    package.write(tmp_path / "a.docx", [streamed, package.member("x.xml", b"<x/>")])
    with zipfile.ZipFile(tmp_path / "a.docx") as zf:
        assert zf.testzip() is None
        assert zf.read("word/document.xml") == text
        assert zf.read("x.xml") == b"<x/>"
