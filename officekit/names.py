"""Output file names that are safe on Windows and unique within a build."""

from __future__ import annotations

import re
import sys

# Characters Windows forbids in names, plus control characters.
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_SEGMENT = 80  # characters; keeps full paths well under Windows' 260-character limit


# A name :func:`safe_segment` keeps as it is: no illegal characters, words separated by
# single spaces (no other whitespace), checked by one match.
_SAFE = re.compile(r'[^<>:"/\\|?*\x00-\x1f\s]+(?: [^<>:"/\\|?*\x00-\x1f\s]+)*')


def safe_segment(name: str) -> str:
    """One folder or file name: illegal characters → "_", no trailing dots or spaces."""
    if (
        len(name) <= MAX_SEGMENT
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
    return name[:MAX_SEGMENT]


def safe_relative(path: str) -> str:
    """A relative path written with "/" made of safe segments ("..", "." dropped)."""
    parts = [p for p in re.split(r"[/\\]", path) if p.strip() not in ("", ".", "..")]
    return "/".join(safe_segment(p) for p in parts) or "未命名"


class UniqueNames:
    """Tells duplicates apart: the second "甲" becomes "甲（2）" (case-insensitive, as on Windows)."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def take(self, relative: str, suffix: str = "") -> str:
        """``relative`` + ``suffix``, or ``relative（2）`` + ``suffix`` … when taken."""
        candidate, n = relative + suffix, 1
        while (folded := candidate.lower()) in self._seen:
            n += 1
            candidate = f"{relative}（{n}）{suffix}"
        # A name with no capitals (a Chinese one) is kept as the string handed back, not
        # as a lowered copy; interned, it is the very string the last build's manifest
        # gave (read interned): ten thousand letters.
        candidate = sys.intern(candidate)
        self._seen.add(candidate if folded == candidate else folded)
        return candidate
