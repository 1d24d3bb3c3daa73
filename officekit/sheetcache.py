"""Typed rows of worksheets kept between builds: a rebuild re-reads only changed sheets.

A clerk edits one unit's row and builds again; the other sheets (thousands of
assignment and assessment rows) are byte for byte what the last build read. Each sheet
read without a single problem or warning is stored here under a key made of everything
its rows depend on: the sheet's XML, the shared strings and styles of the workbook
(SHA-256 of the bytes, not the zip's CRC), the date system, the sheet's name, the
job's rule for it, and officekit's version. Anything else misses and is read afresh.

Hashing a part means reading it whole (twenty megabytes of XML at ten thousand units),
so each part's SHA-256 is kept too, beside the zip directory's description of the part
it was computed from (CRC-32, compressed and full size): a part the directory describes
exactly so again is not read (``git`` trusts a file's size and time the same way; an
edit that keeps the CRC and both sizes is a chance of one in billions). ``--force``
hashes every part anew.

Beside each entry the sheet's XML is kept as the workbook stores it (compressed, copied
without inflating it), and per sheet of the job (its name, rule and styles: its
*lineage*) which entry was its last: when a sheet changed, the next build compares the
two XMLs row by row (officekit.sheetdiff) and reads only the rows that differ.

Entries are pickles restricted on load to plain values and dates (a file planted in the
output folder cannot run code), written atomically, and pruned to those the last load
used, once the build has published its outputs. Any trouble with the cache (unwritable folder, damaged file) only costs the time
of reading the sheet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from officekit import __version__, xlsx
from officekit.package import stored_pieces
from officekit.sheetshape import VERSION as SHAPE  # how header, totals and notes are told

FOLDER = ".officekit.cache"  # not ".officekit-*": that is how staging folders are named
_KINDS = (".pickle", ".xml", ".last")  # an entry, a sheet's stored XML, a lineage's last entry
_SOURCE = b"officekit-sheet-xml 1"  # first line of a stored XML: then method, CRC, size
_ALLOWED = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
}


class _Plain(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")
        return super().find_class(module, name)


class SheetCache:
    """Typed rows by sheet key, in ``folder`` (None: no cache)."""

    def __init__(self, folder: Path | None, read: bool = True) -> None:
        self.folder = folder / FOLDER / "sheets" if folder is not None else None
        self.read = read  # False: store fresh entries but use none (officekit build --force)
        self.used: set[str] = set()
        self.missed = 0  # keys :meth:`has` did not find: sheets changed since the last build
        self.pending: dict[str, Any] = {}
        self._parts: dict[str, str] = {}
        # part name → (the directory's description of it, its SHA-256): the last build's,
        # and this one's to keep
        self._known: dict[str, list[str]] | None = None
        self._stamps: dict[str, list[str]] = {}
        # XML to keep beside new entries (key → workbook and the part's zip entry), and
        # each lineage's last entry (lineage → [entry key, shared strings key])
        self._sources: dict[str, tuple[Path, zipfile.ZipInfo]] = {}
        self._last: dict[str, list[str]] = {}
        self._peeked: dict[str, tuple] = {}  # entries read by previous(), kept for get()

    def _index(self) -> Path | None:
        return self.folder.parent / "parts.json" if self.folder is not None else None

    def _known_parts(self) -> dict[str, list[str]]:
        if self._known is None:
            self._known = {}
            index = self._index()
            if self.read and index is not None:
                try:
                    found = json.loads(index.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    found = None
                if isinstance(found, dict):
                    self._known = {
                        k: v
                        for k, v in found.items()
                        if isinstance(v, list)
                        and len(v) == 2
                        and all(isinstance(x, str) for x in v)
                    }
        return self._known

    def _part(self, book: xlsx.Book, name: str | None) -> str:
        """SHA-256 of a part's bytes; "" when it cannot be read whole (a damaged part:
        no key, so the sheet is read, and its reader names it)."""
        if name is None or name not in book.zip.NameToInfo:
            return "-"
        if name not in self._parts:
            info = book.zip.NameToInfo[name]
            stamp = f"{info.CRC:08x} {info.compress_size} {info.file_size}"
            known = self._known_parts().get(name)
            if known is not None and known[0] == stamp:
                self._parts[name] = known[1]
            else:
                h = hashlib.sha256()
                try:
                    with book.zip.open(name) as stream:  # in pieces: a sheet can be 20 MB
                        while chunk := stream.read(1 << 20):
                            h.update(chunk)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                    self._parts[name] = ""
                    return ""
                self._parts[name] = h.hexdigest()
            self._stamps[name] = [stamp, self._parts[name]]
        return self._parts[name]

    def key(self, book: xlsx.Book, sheet: xlsx.Sheet, rule: object) -> str:
        """The sheet's key; "" without a cache folder (nothing is hashed then)."""
        if self.folder is None:
            return ""
        parts = [self._part(book, p) for p in (sheet.part, book.strings_part, book.styles_part)]
        if not all(parts):
            return ""
        # The sheet is still part of the job: its lineage and the strings its rows name
        # stay (a later change of the sheet is read against them).
        self.used.update((self.lineage(book, sheet, rule), parts[1]))
        return _digest(__version__, SHAPE, *parts, repr(book.epoch), sheet.title, repr(rule))

    def lineage(self, book: xlsx.Book, sheet: xlsx.Sheet, rule: object) -> str:
        """What the sheet's key holds but its XML and the shared strings: the same sheet
        of the same job through the clerk's edits ("" when it cannot be told)."""
        styles = self._part(book, book.styles_part)
        if self.folder is None or not styles:
            return ""
        return _digest(
            "lineage", __version__, SHAPE, styles, repr(book.epoch), sheet.title, repr(rule)
        )

    def remember(self, book: xlsx.Book, sheet: xlsx.Sheet, rule: object, key: str) -> None:
        """Keep the sheet's XML beside entry ``key`` and make that entry its lineage's
        last, for the next build to compare a changed sheet with (written by
        :meth:`commit`)."""
        lineage = self.lineage(book, sheet, rule)
        if not key or not lineage:
            return
        strings = self._part(book, book.strings_part) if book.strings_part else ""
        if strings:
            self._sources[strings] = (book.path, book.zip.getinfo(book.strings_part))
        self._sources[key] = (book.path, book.zip.getinfo(sheet.part))
        self._last[lineage] = [key, strings]
        self.used.update(k for k in (lineage, key, strings) if k)

    def comparable(self, book: xlsx.Book, sheet: xlsx.Sheet, rule: object) -> bool:
        """Whether the sheet may be read against a last reading (:meth:`previous`)."""
        if self.folder is None or not self.read:
            return False
        return (self.folder / f"{self.lineage(book, sheet, rule)}.last").exists()

    def previous(
        self, book: xlsx.Book, sheet: xlsx.Sheet, rule: object
    ) -> tuple[tuple, bytes, bytes | None] | None:
        """The sheet's last stored reading: (the entry as :meth:`get` gives it, the XML it
        was read from, the shared strings XML its workbook had then, or None when it had
        none); None when there is none or any of it cannot be read."""
        if self.folder is None or not self.read:
            return None
        lineage = self.lineage(book, sheet, rule)
        try:
            last = json.loads((self.folder / f"{lineage}.last").read_text(encoding="utf-8"))
            key, strings = last
            if not isinstance(key, str) or not isinstance(strings, str) or not key:
                return None
        except (OSError, ValueError, TypeError):
            return None
        entry = self._peek(key)
        xml = self._source(key) if entry is not None else None
        if xml is None:
            return None
        if not strings:
            return entry, xml, None
        old_strings = self._source(strings)
        return (entry, xml, old_strings) if old_strings is not None else None

    def _source(self, key: str) -> bytes | None:
        """The XML stored beside entry ``key`` (or the shared strings stored as ``key``),
        checked against the CRC and size its workbook gave; None when missing or damaged."""
        try:
            with (self.folder / f"{key}.xml").open("rb") as stream:
                head = stream.readline().split()
                data = stream.read()
            name, method, crc, size = head[0] + b" " + head[1], *map(int, head[2:])
            if name != _SOURCE:
                return None
            # no more than it says it holds (a planted file cannot fill the memory)
            xml = zlib.decompressobj(-15).decompress(data, size + 1) if method else data
        except (OSError, ValueError, IndexError, TypeError, zlib.error):
            return None
        return xml if len(xml) == size and zlib.crc32(xml) == crc else None

    def _peek(self, key: str) -> tuple | None:
        """Entry ``key`` without counting it as used (a changed sheet's last entry is
        dropped once the new one is written); :meth:`get` then finds it without reading."""
        if key not in self._peeked:
            entry = self._load(key)
            if entry is None:
                return None
            self._peeked[key] = entry
        return self._peeked[key]

    def empty(self) -> bool:
        """Whether :meth:`get` cannot find anything (not read, or nothing stored yet)."""
        if self.folder is None or not self.read:
            return True
        try:
            return not any(self.folder.glob("*.pickle"))
        except OSError:
            return True

    def has(self, key: str) -> bool:
        """Whether :meth:`get` may find ``key`` (the sheet need not be read ahead)."""
        found = bool(key) and self.read and (self.folder / f"{key}.pickle").exists()
        self.missed += not found
        return found

    def get(self, key: str) -> tuple | None:
        """(head, pieces) stored under ``key``, or None."""
        if not key or not self.read:
            return None
        self.used.add(key)
        return self._peeked.pop(key, None) or self._load(key)

    def _load(self, key: str) -> tuple | None:
        try:
            with (self.folder / f"{key}.pickle").open("rb") as stream:
                head = _Plain(stream).load()
                pieces: list = []
                while (piece := _Plain(stream).load()) is not None:
                    pieces.append(piece)
            return head, pieces
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, head: Any, rows: Callable[[], Iterator[Any]]) -> None:
        """Keep ``head`` and the pieces ``rows()`` will give (a table's columns) for the
        next load; written by :meth:`commit`."""
        if self.folder is None:
            return
        self.used.add(key)
        self.pending[key] = (head, rows)

    def commit(self) -> None:
        """Write the new entries and drop those this load did not use (sheets changed or
        gone). Called when the build has published its outputs: a failed build leaves
        the output folder as it was, cache included. Each piece (a column) is its own
        pickle, so writing holds no copy of a large sheet; within a column a text met on
        many rows is written once and read back as one string."""
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, (head, rows) in self.pending.items():
                target = self.folder / f"{key}.pickle"
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as stream:
                    for piece in (head, *rows(), None):
                        pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(piece)
                os.replace(tmp, target)
            for key, (path, info) in self._sources.items():
                with contextlib.suppress(OSError, ValueError):
                    _keep_source(path, info, self.folder / f"{key}.xml")
            for lineage, last in self._last.items():
                target = self.folder / f"{lineage}.last"
                text = json.dumps(last)
                with contextlib.suppress(OSError):
                    if target.read_text(encoding="utf-8") == text:
                        continue  # a sheet found in the cache, as it was last time
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, target)
            for entry in self.folder.iterdir():
                if entry.stem not in self.used or entry.suffix not in _KINDS:
                    with contextlib.suppress(OSError):
                        entry.unlink()
            index = self._index()
            if index is not None and self._stamps != self._known:
                tmp = index.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(self._stamps), encoding="utf-8")
                os.replace(tmp, index)
        except OSError:
            pass
        self.pending.clear()
        self._sources.clear()
        self._last.clear()


def _digest(*pieces: str) -> str:
    h = hashlib.sha256()
    for piece in pieces:
        h.update(piece.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()


def _keep_source(path: Path, info: zipfile.ZipInfo, target: Path) -> None:
    """Copy part ``info`` of the workbook at ``path`` to ``target`` as the zip stores it
    (its key names its bytes: one already there is the same)."""
    if target.exists():
        return
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as stream:
            stream.write(b"%s %d %d %d\n" % (_SOURCE, info.compress_type, info.CRC, info.file_size))
            for piece in stored_pieces(path, info):
                stream.write(piece)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
