"""Render and write many documents, in several processes when there are many.

Documents are written as they are rendered: nothing but their small results (the input
digest, and the word findings of officekit's checker) comes back, so memory stays flat
however many letters a job has. Whether a document changed since the last build is
decided in the workers too: its digest walks its row's related rows, which is per-letter
work like rendering. Workers are forked from the build process, so they share its compiled
templates and workbook without copying or pickling them; where fork is not available
(Windows, macOS) the work runs in the build process.

Combined print files are built by the same workers, one volume per task, from the
letters already written.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from officekit.combine import combine_documents
from officekit.context import DocumentContext
from officekit.gongwen.check import Finding, check_text
from officekit.render import CompiledTemplate

DOCUMENT_XML = "word/document.xml"
# Below this many documents per worker, starting processes costs more than it saves.
MIN_PER_WORKER = 50


@dataclass(frozen=True, slots=True)
class Item:
    """One document to write: from what, and where (``folder`` / ``relative``; the paths
    are made when needed: a build of ten thousand letters holds ten thousand items)."""

    index: int  # 1-based among the documents of its spec
    variables: dict[str, Any] | DocumentContext  # a context builds them in the worker
    folder: Path  # the staging folder
    relative: str  # its path in the output folder (names its last build's digest)

    @property
    def target(self) -> Path:
        return self.folder / self.relative

    @property
    def title(self) -> str:
        return Path(self.relative).stem

    def values(self) -> dict[str, Any]:
        return (
            self.variables.variables
            if isinstance(self.variables, DocumentContext)
            else self.variables
        )


@dataclass(frozen=True, slots=True)
class Done:
    """What became of one item: its input digest, and its word findings when it was
    written (``findings`` is None when the last build's file is still right)."""

    index: int
    digest: str
    findings: list[Finding] | None


# Decides, in the worker, whether an item must be written: its digest, and whether the
# output folder already holds that digest's document.
Digest = Callable[[Item, dict[str, Any]], str]
Unchanged = Callable[[str, str], bool]


def _no_digest(item: Item, variables: dict[str, Any]) -> str:
    return ""


def _never(relative: str, digest: str) -> bool:
    return False


@dataclass(frozen=True)
class Volume:
    """One combined print file: its members (written letters) and how they start."""

    target: Path
    title: str
    members: tuple[Path, ...]
    copies: int
    start: str  # "oddPage" or "nextPage"


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return platform.system() == "Linux" and "fork" in multiprocessing.get_all_start_methods()


# The work of one build, inherited by forked workers (never pickled).
_WORK: dict[str, Any] = {}


def _render_chunk(indices: list[int]) -> list[Done]:
    template: CompiledTemplate = _WORK["template"]
    items: list[Item] = _WORK["items"]
    digest_of: Digest = _WORK["digest"]
    unchanged: Unchanged = _WORK["unchanged"]
    done = []
    for i in indices:
        item = items[i]
        # The digest walks the row's related rows: done here, it runs in parallel too.
        variables = item.values()
        digest = digest_of(item, variables)
        if unchanged(item.relative, digest):
            done.append(Done(item.index, digest, None))
            continue
        parts = template.render(variables)
        template.write(parts, item.target, title=item.title)
        done.append(Done(item.index, digest, check_text(parts[DOCUMENT_XML])))
    return done


def _build_volume(i: int) -> int:
    template: CompiledTemplate = _WORK["template"]
    volume: Volume = _WORK["volumes"][i]
    bodies = []
    parts: dict[str, bytes] = {}
    for member in volume.members:
        with zipfile.ZipFile(member) as zf:
            if not parts:  # headers and footers as rendered for the first letter
                parts = {name: zf.read(name) for name in template.parts if name != DOCUMENT_XML}
            body = zf.read(DOCUMENT_XML)
        bodies += [body] * volume.copies
    parts[DOCUMENT_XML] = combine_documents(bodies, volume.start)
    template.write(parts, volume.target, title=volume.title)
    return i


def _chunks(count: int, jobs: int) -> list[list[int]]:
    size = max(1, min(MIN_PER_WORKER, count // (jobs * 4)))
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]


def _map(func: Callable[[Any], Any], tasks: list[Any], jobs: int, documents: int) -> Iterator[Any]:
    """``func`` over ``tasks``, in forked workers when ``documents`` make it worth it."""
    if jobs <= 1 or len(tasks) < 2 or documents < 2 * MIN_PER_WORKER or not can_fork():
        yield from map(func, tasks)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap_unordered(func, tasks)


def render_all(
    template: CompiledTemplate,
    items: list[Item],
    jobs: int,
    progress: Callable[[int], None],
    digest: Digest = _no_digest,
    unchanged: Unchanged = _never,
) -> dict[int, Done]:
    """Write the ``items`` that changed since the last build; what became of each, by
    item index."""
    _WORK.update(template=template, items=items, digest=digest, unchanged=unchanged)
    results: dict[int, Done] = {}
    try:
        for batch in _map(_render_chunk, _chunks(len(items), jobs), jobs, len(items)):
            results.update((done.index, done) for done in batch)
            progress(len(results))
    finally:
        _WORK.clear()
    return results


def build_volumes(template: CompiledTemplate, volumes: list[Volume], jobs: int) -> None:
    """Write each combined volume from its already written members."""
    _WORK.update(template=template, volumes=volumes)
    try:
        letters = sum(len(v.members) for v in volumes)
        for _ in _map(_build_volume, list(range(len(volumes))), jobs, letters):
            pass
    finally:
        _WORK.clear()
