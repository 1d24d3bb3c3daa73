"""Compiled templates kept between builds, like Python's own ``__pycache__``.

Compiling a template means importing docxtpl (and with it python-docx, docxcompose and
babel), rejoining tags split across runs, compiling the Jinja source to Python code and
finding the names it reads: 0.05 s for a letter, 0.12 s with the speech, on every build
of an unchanged template. The compiled parts are kept here, marshalled, under a key made
of the template's bytes and path, the font renaming of the profile, the Jinja
environment's settings, and the versions of everything that shapes the compiled code
(officekit, its renderer's source, docxtpl, Jinja, Python).

The entries hold Python code, which the build runs: they live in the user's own cache
folder (``OFFICEKIT_CACHE``, else ``%LOCALAPPDATA%`` on Windows or ``$XDG_CACHE_HOME`` /
``~/.cache``), never in a job or output folder that others may write to. Any trouble
(unwritable folder, damaged entry) only costs the time of compiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from officekit import __version__

# Entries kept at most: a clerk who edits a template a hundred times leaves a hundred.
KEEP = 64

# part name → (lines, source, code, top-level names, what the render must mend: see
# officekit.render.CompiledPart.mends)
Parts = dict[str, tuple[list[str], str, Any, list[str], tuple[str, ...]]]
# part name → (CRC-32, size, deflated bytes, zip method): the untouched parts officekit
# changed all the same (the profile's font names), compressed once (a template's
# styles.xml: 7 ms at every build otherwise)
Packed = dict[str, tuple[int, int, bytes, int]]


def folder() -> Path:
    base = os.environ.get("OFFICEKIT_CACHE")
    if base:
        return Path(base) / "templates"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "officekit" / "templates"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "officekit" / "templates"


def _stamp(path: str | None) -> str:
    try:
        info = os.stat(path) if path else None
    except OSError:
        info = None
    return f"{info.st_size}:{info.st_mtime_ns}" if info else "-"


def key(path: Path, data: bytes, fonts: str, environment: str, compilers: tuple[str, ...]) -> str:
    """The entry of the template at ``path`` holding ``data``, its font names renamed as
    ``fonts`` says, compiled in the Jinja ``environment`` by the modules at ``compilers``
    (every source file whose change changes the compiled code)."""
    import jinja2

    spec = importlib.util.find_spec("docxtpl")
    docxtpl = spec.origin if spec else None
    h = hashlib.sha256(data)
    for piece in (
        str(path.resolve()),  # compiled code names its file: errors point at this one
        fonts,
        environment,
        __version__,
        *(_stamp(compiler) for compiler in compilers),
        _stamp(os.path.join(os.path.dirname(docxtpl), "template.py") if docxtpl else None),
        jinja2.__version__,
        importlib.util.MAGIC_NUMBER.hex(),
    ):
        h.update(b"\0" + piece.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def load(entry: str) -> tuple[Parts, Packed] | None:
    """The compiled and the packed parts stored under ``entry``, or None."""
    try:
        stored = marshal.loads((folder() / f"{entry}.marshal").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    parts, packed = stored
    if not isinstance(parts, dict) or not all(
        isinstance(v, tuple) and len(v) == 5 for v in parts.values()
    ):
        return None
    if not isinstance(packed, dict) or not all(
        isinstance(v, tuple)
        and len(v) == 4
        and isinstance(v[2], bytes)
        and all(isinstance(n, int) for n in (v[0], v[1], v[3]))
        for v in packed.values()
    ):
        return None
    return parts, packed


def store(entry: str, parts: Parts, packed: Packed) -> None:
    """Keep ``parts`` and ``packed`` under ``entry`` (written whole or not at all)."""
    target = folder() / f"{entry}.marshal"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    with contextlib.suppress(OSError, ValueError):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((parts, packed)))
        os.replace(tmp, target)
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)
    _prune(target.parent)


def _prune(where: Path) -> None:
    """Delete the oldest entries beyond :data:`KEEP` (an entry in use is stored again,
    compiled once more, if it ever goes)."""
    with contextlib.suppress(OSError):
        entries = sorted(where.glob("*.marshal"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[: max(0, len(entries) - KEEP)]:
            old.unlink(missing_ok=True)
