"""Output file names that are safe on every file system a clerk uses and unique within a
build.

A name is one segment of at most 255 bytes in UTF-8 (ext4 and most Linux file systems)
and 255 UTF-16 units (NTFS, exFAT, FAT32's long names): a unit name of seventy 4-byte
characters (𠮷…) is 280 bytes. On Windows the whole path must also stay under MAX_PATH
(260 characters), which Word and Explorer still honour: :func:`path_room` says how much
of it the names inside an output folder may use. Names are cut at a character, never
inside one, and the duplicate counter ("（2）") and suffix are kept whole.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from officekit.errors import OutputError

# Characters Windows forbids in names, control characters, and lone surrogates (no file
# system can store one).
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\ud800-\udfff]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_SEGMENT = 80  # characters; keeps full paths well under Windows' 260-character limit
MAX_NAME = 255  # bytes in UTF-8 (ext4) and units in UTF-16 (NTFS), per segment
# Left in every segment for what may follow it: ".docx" and a counter "（99）" (20 bytes).
SUFFIX_ROOM = 24
WINDOWS_PATH = 259  # MAX_PATH less its terminating NUL, in UTF-16 units
# The staging folder (".officekit-xxxxxxxx/", 20) and the preview folder ("预览/", 3)
# lengthen a path inside the output folder while it is being written.
STAGING_ROOM = 24
# A name whose every character could be 4 bytes fits with room for counter and suffix.
_SURELY_FITS = (MAX_NAME - SUFFIX_ROOM) // 4


# A name :func:`safe_segment` keeps as it is: no illegal characters, words separated by
# single spaces (no other whitespace), checked by one match.
_SAFE = re.compile(
    r'[^<>:"/\\|?*\x00-\x1f\ud800-\udfff\s]+(?: [^<>:"/\\|?*\x00-\x1f\ud800-\udfff\s]+)*'
)


def safe_segment(name: str) -> str:
    """One folder or file name: illegal characters → "_", no trailing dots or spaces."""
    if (
        len(name) <= MAX_SEGMENT
        and (len(name) <= _SURELY_FITS or _fits(name, MAX_NAME - SUFFIX_ROOM))
        and _SAFE.fullmatch(name)
        and name[-1] != "."
        and name.split(".")[0].upper() not in _RESERVED
    ):
        return name  # nearly every name (ten thousand letters': two segments each)
    return _cleaned(name)


def _cleaned(name: str) -> str:
    name = _ILLEGAL.sub("_", name).strip().rstrip(". ")
    name = re.sub(r"\s+", " ", name)
    if not name:
        name = "未命名"
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    if len(name) > MAX_SEGMENT:
        name = _tidy_end(name[:MAX_SEGMENT])
    return _cut(name, MAX_NAME - SUFFIX_ROOM) or "未命名"


def _units(text: str) -> int:
    """Length in UTF-16 code units (a character beyond U+FFFF takes two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _fits(text: str, limit: int) -> bool:
    return len(text.encode("utf-8", "surrogatepass")) <= limit and _units(text) <= limit


def _cut(text: str, limit: int, units: int | None = None) -> str:
    """``text`` shortened at a character boundary to ``limit`` bytes (UTF-8) and UTF-16
    units, and to ``units`` UTF-16 units when given; no trailing joiner, dot or blank."""
    size = width = 0
    for end, ch in enumerate(text):
        size += len(ch.encode("utf-8", "surrogatepass"))
        width += 2 if ord(ch) > 0xFFFF else 1
        if size > limit or width > limit or (units is not None and width > units):
            text = text[:end]
            break
    else:
        return text
    return _tidy_end(text)


def _tidy_end(text: str) -> str:
    """The end of a cut name: a joiner or variation selector left there would bind to the
    counter or suffix, and Windows drops trailing dots and blanks."""
    return text.rstrip("\u200d\ufe0e\ufe0f").rstrip(". ")


def path_room(folder: Path, windows: bool = os.name == "nt") -> int | None:
    """UTF-16 units left for a relative path inside ``folder`` under Windows' MAX_PATH
    (``None`` elsewhere: Linux and macOS allow 1,024 to 4,096 bytes)."""
    if not windows:
        return None
    return WINDOWS_PATH - _units(str(folder)) - 1 - STAGING_ROOM


def safe_relative(path: str) -> str:
    """A relative path written with "/" made of safe segments ("..", "." dropped)."""
    parts = [p for p in re.split(r"[/\\]", path) if p.strip() not in ("", ".", "..")]
    return "/".join(safe_segment(p) for p in parts) or "未命名"


class UniqueNames:
    """Tells duplicates apart: the second "甲" becomes "甲（2）" (case-insensitive, as on Windows)."""

    def __init__(self, room: int | None = None) -> None:
        """``room``: UTF-16 units a whole relative path may take (see :func:`path_room`)."""
        self._seen: set[str] = set()
        self._room = room

    def take(self, relative: str, suffix: str = "") -> str:
        """``relative`` + ``suffix``, or ``relative（2）`` + ``suffix`` … when taken; the
        last segment cut to fit (:data:`MAX_NAME`, the path room) with both kept."""
        candidate, n = self._fit(relative, "", suffix), 1
        while (folded := candidate.lower()) in self._seen:
            n += 1
            candidate = self._fit(relative, f"（{n}）", suffix)
        # A name with no capitals (a Chinese one) is kept as the string handed back, not
        # as a lowered copy; interned, it is the very string the last build's manifest
        # gave (read interned): ten thousand letters.
        candidate = sys.intern(candidate)
        self._seen.add(candidate if folded == candidate else folded)
        return candidate

    def _fit(self, relative: str, counter: str, suffix: str) -> str:
        whole = relative + counter + suffix
        last = len(whole) - whole.rfind("/") - 1
        if last <= _SURELY_FITS and (self._room is None or len(whole) * 2 <= self._room):
            return whole  # nearly every name: no byte counted
        folder, _, stem = relative.rpartition("/")
        tail = counter + suffix
        limit = MAX_NAME - len(tail.encode("utf-8"))
        units = None
        if self._room is not None:
            units = self._room - _units(tail) - (_units(folder) + 1 if folder else 0)
            if units < 1:
                raise OutputError(
                    f"输出文件夹的路径太长，Windows 放不下“{relative}{suffix}”这样的文件名；"
                    "请把任务文件夹移到路径较短的地方（例如 D:\\公文）后重新生成。"
                )
        stem = _cut(stem, limit, units) or "未命名"
        return f"{folder}/{stem}{tail}" if folder else stem + tail
