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


def test_read_part_reads_what_zipfile_reads_and_refuses_damage(tmp_path: Path) -> None:
    """A volume reads each letter's document.xml with read_part: the same bytes as
    zipfile gives, for officekit's own packages and for any other zip (zipfile reads
    those), and damage is zipfile's error, never wrong bytes."""
    import pytest

    text = "".join(f"<w:p><w:t>第{i}段</w:t></w:p>" for i in range(500)).encode("utf-8")
    own = tmp_path / "own.docx"
    package.write(
        own, [package.member("a.xml", b"<a/>"), package.member("word/document.xml", text)]
    )
    other = tmp_path / "other.docx"
    with zipfile.ZipFile(other, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.comment = b"written by another program"
        zf.writestr("word/document.xml", text)
        zf.writestr("b.xml", b"<b/>", compress_type=zipfile.ZIP_STORED)
    for path in (own, other):
        assert package.read_part(path, "word/document.xml") == text
    # officekit's own package is read without zipfile; the other one is left to it.
    assert package._read_part(own.read_bytes(), b"word/document.xml") == text
    with pytest.raises(package._Unusual):
        package._read_part(other.read_bytes(), b"word/document.xml")
    assert package.read_part(own, "a.xml") == b"<a/>"
    assert package.read_part(other, "b.xml") == b"<b/>"
    with pytest.raises(KeyError):
        package.read_part(own, "word/missing.xml")
    # One byte of a stored part changed: the CRC no longer matches.
    stored = tmp_path / "stored.docx"
    package.write(
        stored, [package.Member(b"s.xml", __import__("zlib").crc32(b"<s/>"), 4, b"<s/>", 0)]
    )
    data = bytearray(stored.read_bytes())
    data[data.index(b"<s/>") + 1] = ord("t")
    stored.write_bytes(bytes(data))
    with pytest.raises(zipfile.BadZipFile):
        package.read_part(stored, "s.xml")


def test_a_copied_part_is_the_archive_own_compressed_bytes(tmp_path: Path) -> None:
    source = tmp_path / "in.zip"
    styles = b"<w:styles>" + b"<w:style/>" * 2000 + b"</w:styles>"
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("word/styles.xml", styles, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("[Content_Types].xml", b"<Types/>", compress_type=zipfile.ZIP_STORED)
        zf.writestr("odd.bin", b"x" * 100, compress_type=zipfile.ZIP_BZIP2)
    archive = source.read_bytes()
    with zipfile.ZipFile(source) as zf:
        infos = {info.filename: info for info in zf.infolist()}
    copied = {n: package.copied(archive, infos[n]) for n in infos}
    assert copied["odd.bin"] is None  # not stored or deflated: compressed again instead
    deflated = copied["word/styles.xml"]
    assert deflated is not None and deflated.method == 8 and len(deflated.data) < len(styles)
    out = tmp_path / "out.zip"
    package.write(out, [m for m in copied.values() if m is not None])
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert zf.read("word/styles.xml") == styles
        assert zf.read("[Content_Types].xml") == b"<Types/>"
