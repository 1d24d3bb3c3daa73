"""Packages as other programs re-zip them: members a zip tool encrypted or packed by a
method Office never uses (7-Zip's Deflate64), made by patching a real package's headers."""

from __future__ import annotations

import struct
from pathlib import Path

LOCAL, CENTRAL = b"PK\x03\x04", b"PK\x01\x02"
ENCRYPTED = 0x1  # general purpose bit 0
DEFLATE64 = 9


def repacked(base: Path, path: Path, *, encrypted: bool = False, method: int | None = None) -> Path:
    """A copy of ``base`` whose every member is marked ``encrypted`` or has ``method``."""
    data = bytearray(base.read_bytes())
    # (signature, offset of the flags, offset of the method) in local and central headers
    for signature, flags, kind in ((LOCAL, 6, 8), (CENTRAL, 8, 10)):
        at = data.find(signature)
        while at != -1:
            if encrypted:
                data[at + flags] |= ENCRYPTED
            if method is not None:
                data[at + kind : at + kind + 2] = struct.pack("<H", method)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path
