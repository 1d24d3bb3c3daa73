"""Write .docx packages fast: a template's untouched parts are compressed once.

A letter is a zip of a dozen parts of which only document.xml (and maybe a footer)
differs from the template. ``zipfile`` would deflate styles.xml, the theme, the font
table … again for every letter; here each untouched part is copied as the template's
own zip compressed it (:func:`copied`; deflated once per build when officekit changed
it, the font table say), and every document just copies those bytes. Only the rendered
parts are compressed per document. The archive layout follows APPNOTE 6.3 (no zip64:
a document is far below 4 GiB), with UTF-8 names and a fixed timestamp.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8 = 0x0800
_DEFLATE = 8
_STORED = 0
# 2026-01-01 00:00:00 in DOS format: reproducible output, whatever the clock says.
_DOS_TIME = 0
_DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1


class Member(NamedTuple):
    """One part, ready to copy into an archive."""

    name: bytes
    crc: int
    size: int
    data: bytes  # compressed
    method: int


def deflate(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def member(name: str, data: bytes, level: int = 6) -> Member:
    """A part ready to copy; ``level`` 1 for the parts compressed anew for every document
    (three times faster than 6, files about a tenth larger)."""
    packed = deflate(data, level)
    if len(packed) >= len(data):  # tiny parts: storing is smaller
        return Member(name.encode("utf-8"), zlib.crc32(data), len(data), data, _STORED)
    return Member(name.encode("utf-8"), zlib.crc32(data), len(data), packed, _DEFLATE)


def unpacked(part: Member) -> bytes:
    """The bytes of a part made by :func:`member` or :func:`copied` (no more than the
    size it claims)."""
    if part.method == _STORED:
        return part.data
    return zlib.decompressobj(-15).decompress(part.data, part.size)


def copied(archive: bytes, info: zipfile.ZipInfo) -> Member | None:
    """Part ``info`` of the zip ``archive`` as the archive compressed it, to copy without
    inflating and deflating it again (a template's theme, styles, fonts); None when it is
    not plainly stored or deflated. ``archive`` was read whole by ``zipfile``, which
    checked the part's CRC: the bytes here are the ones it inflated."""
    if info.flag_bits & 1 or info.compress_type not in (_STORED, _DEFLATE):
        return None
    try:
        data = _stored(archive, info.header_offset, info.compress_size)
    except (_Unusual, struct.error):
        return None
    return Member(info.filename.encode("utf-8"), info.CRC, info.file_size, data, info.compress_type)


def _stored(archive: bytes, offset: int, size: int) -> bytes:
    """The ``size`` bytes a member stores after its local header at ``offset``."""
    begin = _data_start(archive[offset : offset + _LOCAL.size], offset)
    data = archive[begin : begin + size]
    if len(data) != size:
        raise _Unusual
    return data


def _data_start(local: bytes, offset: int) -> int:
    """Where the stored bytes of the member whose local header (``local``, its first
    bytes) is at ``offset`` begin."""
    fields = _LOCAL.unpack_from(local)
    if fields[0] != 0x04034B50:
        raise _Unusual
    return offset + _LOCAL.size + fields[9] + fields[10]


def stored_pieces(path: Path, info: zipfile.ZipInfo, piece: int = 1 << 20) -> Iterator[bytes]:
    """Member ``info`` of the zip at ``path`` as the zip stores it (compressed), in
    pieces, without inflating it; raises ValueError when it is not plainly stored or
    deflated, OSError when the file cannot be read, and the caller checks what it
    inflates against ``info.CRC`` (the file may have changed since ``info`` was read)."""
    if info.flag_bits & 1 or info.compress_type not in (_STORED, _DEFLATE):
        raise ValueError(f"{info.filename}: not plainly stored")
    with open(path, "rb") as fh:
        fh.seek(info.header_offset)
        try:
            begin = _data_start(fh.read(_LOCAL.size), info.header_offset)
        except (_Unusual, struct.error) as exc:
            raise ValueError(f"{info.filename}: no local header") from exc
        fh.seek(begin)
        left = info.compress_size
        while left > 0:
            data = fh.read(min(piece, left))
            if not data:
                raise ValueError(f"{info.filename}: cut short")
            left -= len(data)
            yield data


def member_from(name: str, chunks: Iterable[bytes], level: int = 1) -> Member:
    """:func:`member` of a part given in pieces, compressed as they come (a combined
    volume: ten megabytes of XML, never joined)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed: list[bytes] = []
    crc = size = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        packed.append(compressor.compress(chunk))
    packed.append(compressor.flush())
    return Member(name.encode("utf-8"), crc, size, b"".join(packed), _DEFLATE)


def write(dest: Path, members: list[Member]) -> None:
    """Write ``members`` as a zip archive at ``dest`` (in that order)."""
    central: list[bytes] = []
    offset = 0
    with open(dest, "wb") as fh:
        for m in members:
            header = _LOCAL.pack(
                0x04034B50,
                20,
                _UTF8,
                m.method,
                _DOS_TIME,
                _DOS_DATE,
                m.crc,
                len(m.data),
                m.size,
                len(m.name),
                0,
            )
            fh.write(header)
            fh.write(m.name)
            fh.write(m.data)
            central.append(
                _CENTRAL.pack(
                    0x02014B50,
                    20,
                    20,
                    _UTF8,
                    m.method,
                    _DOS_TIME,
                    _DOS_DATE,
                    m.crc,
                    len(m.data),
                    m.size,
                    len(m.name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + m.name
            )
            offset += len(header) + len(m.name) + len(m.data)
        directory = b"".join(central)
        fh.write(directory)
        fh.write(_END.pack(0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0))


class _Unusual(Exception):
    """Not the plain layout :func:`read_part` reads itself."""


def read_part(path: str | Path, name: str) -> bytes:
    """Part ``name`` of the package at ``path``: one read of the file, one inflate, its
    CRC checked. For the packages :func:`write` makes (a combined volume reads a hundred
    letters, and ``zipfile`` spends most of its time on their directories); anything
    else (zip64, a comment, encryption, a CRC that does not match) goes to ``zipfile``,
    which raises what it raises (KeyError for a missing part, BadZipFile for damage)."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return _read_part(data, name.encode("utf-8"))
    except (_Unusual, struct.error, zlib.error):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read(name)


def _read_part(data: bytes, name: bytes) -> bytes:
    end = len(data) - _END.size
    if end < 0:
        raise _Unusual
    signature, _, _, _, count, size, start, comment = _END.unpack_from(data, end)
    if signature != 0x06054B50 or comment or start + size != end:
        raise _Unusual
    at = start
    for _ in range(count):
        fields = _CENTRAL.unpack_from(data, at)
        if fields[0] != 0x02014B50:
            raise _Unusual
        flags, method, crc, packed, unpacked = fields[3], fields[4], fields[7], fields[8], fields[9]
        name_length, extra, note, offset = fields[10], fields[11], fields[12], fields[16]
        here = at + _CENTRAL.size
        if data[here : here + name_length] == name:
            if flags & 1 or method not in (_STORED, _DEFLATE):
                raise _Unusual
            body = _stored(data, offset, packed)
            value = zlib.decompress(body, -15) if method == _DEFLATE else body
            if len(value) != unpacked or zlib.crc32(value) != crc:
                raise _Unusual
            return value
        at = here + name_length + extra + note
    raise _Unusual  # not there: zipfile says so (KeyError)
