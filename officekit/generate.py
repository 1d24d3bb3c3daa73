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

import itertools
import os
import queue
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from officekit.context import DocumentContext, RowContexts
from officekit.package import Member, read_part, unpacked
from officekit.prefetch import Worker, can_fork
from officekit.render import CompiledTemplate

if TYPE_CHECKING:
    from officekit.gongwen.check import Finding

DOCUMENT_XML = "word/document.xml"
# Below this many documents per worker, starting processes costs more than it saves.
MIN_PER_WORKER = 50
# Chunks of letters handed out per worker before their results come back.
CHUNKS_AHEAD = 2


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


class Items(Sequence[Item]):
    """The documents of a per-row spec as items, each made when asked for from its
    context and its path: all a build keeps of a letter is its path (ten thousand)."""

    def __init__(
        self, contexts: Sequence[DocumentContext], relatives: list[str], folder: Path
    ) -> None:
        if len(contexts) != len(relatives):
            raise ValueError("one path per context")
        self.contexts, self.relatives, self.folder = contexts, relatives, folder

    def __len__(self) -> int:
        return len(self.relatives)

    @property
    def indices(self) -> Sequence[int]:
        """Each item's index (1-based among its spec's documents), without making it."""
        if isinstance(self.contexts, RowContexts):  # a table's rows: 1, 2, 3 …
            return range(1, len(self.contexts) + 1)
        return [ctx.index for ctx in self.contexts]

    @overload
    def __getitem__(self, i: int) -> Item: ...
    @overload
    def __getitem__(self, i: slice) -> list[Item]: ...

    def __getitem__(self, i: int | slice) -> Item | list[Item]:
        if isinstance(i, slice):
            return [self[n] for n in range(*i.indices(len(self)))]
        ctx = self.contexts[i]
        return Item(ctx.index, ctx, self.folder, self.relatives[i])


def index_of(items: Sequence[Item]) -> Sequence[int]:
    """Each item's index, in order, without making the items of :class:`Items`."""
    if isinstance(items, Items):
        return items.indices
    return [item.index for item in items]


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


class Volume(NamedTuple):
    """One combined print file: its members (written letters) and how they start."""

    target: Path
    title: str
    members: tuple[str | Path, ...]
    copies: int
    start: str  # "oddPage" or "nextPage"
    check: bool = False  # check its sections once written (the first volume of a build)


# The helper a rebuild's checks go to, forked early (prepare_aside)
_EARLY: list[Worker] = []


def prepare_aside(templates: Sequence[CompiledTemplate] = ()) -> None:
    """Fork now the helper that checks aside (:class:`_Tasks`) and let it import the
    package checker (lxml, roles, styles: some 20 ms) and parse the parts every letter
    of ``templates`` shares with its template (styles, settings, footers: 8 ms more) while
    this process reads the workbook and renders: a rebuild's new letter is then checked
    without waiting for that. Where fork is available; :func:`release_aside` stops it if
    no check came. (A whole check of a last-build letter was tried there too: small
    rebuilds then waited for the part of it they could not use.)"""
    if can_fork() and not _EARLY:
        # each part as the template holds it (its bytes, or compressed once for copying):
        # inflated in the helper, which inherits them
        shared: list[tuple[str, bytes | Member]] = []
        for template in templates:
            for info, data in template.entries:
                name = info.filename
                if name not in template.parts and _SHARED.fullmatch(name):
                    part = data if data is not None else template.packed.get(name)
                    if part is not None:
                        shared.append((name, part))
        _EARLY.append(Worker(prepare=partial(_ready_checker, shared)))


# The parts of a letter the checker parses once for all letters of a template
_SHARED = re.compile(r"word/(?:styles|settings|(?:footer|header)\d*)\.xml")


def _ready_checker(shared: list[tuple[str, bytes | Member]]) -> None:
    from officekit.gongwen import check

    check.read_shared(
        (name, part if isinstance(part, bytes) else unpacked(part)) for name, part in shared
    )


def release_aside() -> None:
    while _EARLY:
        _EARLY.pop().close()


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


# The work of one build, inherited by forked workers (never pickled).
_WORK: dict[str, Any] = {}


def _render_chunk(indices: list[int]) -> list[Done]:
    template: CompiledTemplate = _WORK["template"]
    items: Sequence[Item] = _WORK["items"]
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
        # The word rules are imported here, in each worker, when a letter is written (a
        # rebuild whose chunk has nothing new does not import them at all); the package
        # checker is not needed for letters after the first.
        from officekit.gongwen.words import check_text

        parts = template.render(variables)
        template.write(parts, item.target, title=item.title)
        done.append(Done(item.index, digest, check_text(parts[DOCUMENT_XML])))
    return done


def _write_volume(volume: Volume) -> list[Finding] | None:
    """Write one combined volume from its written members; its page findings when
    ``volume.check`` asks for them, else None."""
    skeleton = _write(volume)
    return _check_sections((volume.target, skeleton)) if volume.check else None


def _write(volume: Volume) -> bytes | None:
    """Write one combined volume; its section skeleton, when gathered as it was spliced."""
    template: CompiledTemplate = _WORK["template"]
    # Imported here, in the worker that writes a volume: it brings lxml, which the build
    # process needs for nothing else (a rebuild that writes one letter and one volume).
    from officekit.combine import NotSpliceable, Sections, combine_trees, splice_stream

    with zipfile.ZipFile(volume.members[0]) as zf:  # headers and footers as rendered
        parts: dict[str, Any] = {
            name: zf.read(name) for name in template.parts if name != DOCUMENT_XML
        }

    def bodies() -> Iterator[bytes]:  # each letter read when its turn comes
        for member in volume.members:
            body = read_part(member, DOCUMENT_XML)
            for _ in range(volume.copies):
                yield body

    count = len(volume.members) * volume.copies
    sections = Sections()
    try:
        parts[DOCUMENT_XML] = splice_stream(bodies(), count, volume.start, sections)
        template.write(parts, volume.target, title=volume.title)
    except NotSpliceable:  # not the shape joined as bytes: the trees, all at once
        parts[DOCUMENT_XML] = combine_trees(list(bodies()), volume.start)
        template.write(parts, volume.target, title=volume.title)
        return None
    return sections.skeleton()


def _check_full(path: Path) -> list[Finding]:
    from officekit.gongwen.check import check_docx

    return check_docx(path, scope="full").findings


def _check_sections(written: tuple[Path, bytes | None]) -> list[Finding]:
    """A combined volume's page findings (its letters were checked on their own), from
    its section skeleton when its writer gathered it."""
    from officekit.gongwen.check import check_docx

    path, skeleton = written
    return check_docx(path, scope="sections", skeleton=skeleton).findings


def _chunks(positions: list[int], jobs: int) -> list[list[int]]:
    size = max(1, min(MIN_PER_WORKER, len(positions) // (jobs * 4)))
    # The last letters go in chunks a quarter as large, so the workers finish together:
    # a whole chunk is a tenth of a second that one worker would work alone at the end.
    tail = min(len(positions), size * jobs * 2)
    head = len(positions) - tail
    small = max(1, size // 4)
    return [positions[start : min(start + size, head)] for start in range(0, head, size)] + [
        positions[start : start + small] for start in range(head, len(positions), small)
    ]


class _Tasks:
    """Tasks run in forked workers (or here, one after another), their results taken in
    the order they finish; a task may be added while others run.

    Without workers (too few documents to start them) but with ``jobs`` > 1, tasks added
    ``aside`` (independent of the others: checks) go to one forked helper, in order,
    while this process goes on: a rebuild checks its one new letter, then the volume
    that holds it, while it writes that volume."""

    def __init__(self, jobs: int, documents: int) -> None:
        self.done: queue.SimpleQueue = queue.SimpleQueue()
        self.pool = None
        self.outstanding = 0
        self.jobs = jobs
        self.helper: Worker | None = None
        self.aside: list[tuple[tuple, Callable[[Any], Any], Any]] = []  # sent, not taken
        if jobs > 1 and documents >= 2 * MIN_PER_WORKER and can_fork():
            import multiprocessing  # only when processes are started

            release_aside()  # the pool checks; and its processes do not inherit the pipes

            self.pool = multiprocessing.get_context("fork").Pool(jobs)

    @property
    def inline(self) -> bool:
        """Whether a task added now is done before ``add`` returns."""
        return self.pool is None

    def _here(self, tag: tuple, func: Callable[[Any], Any], arg: Any) -> None:
        try:
            self.done.put((tag, func(arg), None))
        except Exception as exc:  # raised by next(), as a worker's would be
            self.done.put((tag, None, exc))

    def add(self, tag: tuple, func: Callable[[Any], Any], arg: Any, aside: bool = False) -> None:
        self.outstanding += 1
        if self.pool is None:
            if aside and self.jobs > 1 and can_fork():
                self.helper = self.helper or (_EARLY.pop() if _EARLY else Worker())
                if self.helper.send(func, arg):
                    self.aside.append((tag, func, arg))
                    return
            self._here(tag, func, arg)
            return
        self.pool.apply_async(
            func,
            (arg,),
            callback=lambda value: self.done.put((tag, value, None)),
            error_callback=lambda exc: self.done.put((tag, None, exc)),
        )

    def next(self) -> tuple[tuple, Any]:
        if self.done.empty() and self.aside and self.helper is not None:
            tag, func, arg = self.aside.pop(0)
            ok, value = self.helper.take()
            if ok:
                self.done.put((tag, value, None))
            else:  # it failed (or the helper died): done here, to say what it says
                self._here(tag, func, arg)
        tag, value, error = self.done.get()
        self.outstanding -= 1
        if error is not None:
            raise error
        return tag, value

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()
        if self.pool is not None:
            self.pool.terminate()  # every task has been taken, or the build failed
            self.pool.join()


@dataclass
class Outcome:
    """What a run produced: each item's fate by index, and the findings of the package
    checks (the first written document in full, the first volume for its sections)."""

    done: dict[int, Done]
    checks: dict[Path, list[Finding]]


# The parent's decision for one volume once all its letters are done: the Volume to
# write, or None when the last build's file is still right.
# (group, each letter's Done, the letters themselves: made only when asked for, as a
# volume that is still right needs only its letters' digests)
PlanVolume = Callable[[int, list[Done], Callable[[], Sequence[Item]]], Volume | None]


def run(
    template: CompiledTemplate,
    items: Sequence[Item],
    jobs: int,
    progress: Callable[[int], None],
    digest: Digest = _no_digest,
    unchanged: Unchanged = _never,
    volume_size: int = 0,
    plan_volume: PlanVolume | None = None,
    known: dict[int, Done] | None = None,
) -> Outcome:
    """Write the ``items`` that changed since the last build, in parallel; combine each
    group of ``volume_size`` items into a volume (``plan_volume`` decides) as soon as its
    letters are done, and check the first written letter, while the other letters are
    still being rendered: the workers are never idle waiting for a phase to end.

    ``known``: items already found unchanged by index (their last build's digest); they
    go to no worker, and processes are started only when enough others remain."""
    _WORK.update(template=template, items=items, digest=digest, unchanged=unchanged)
    outcome = Outcome(dict(known or {}), {})
    indices = index_of(items)
    pending = [n for n, index in enumerate(indices) if index not in outcome.done]
    tasks = _Tasks(jobs, len(pending))
    size = volume_size or len(items)
    # Where each item is in ``items``: its index less one when they come in order (a
    # build's letters do; no dict of ten thousand entries then).
    in_order = all(index == n for n, index in enumerate(indices, start=1))
    position = None if in_order else {index: n for n, index in enumerate(indices)}
    waiting = [0] * ((len(items) + size - 1) // size)
    for n in pending:
        waiting[n // size] += 1
    first = 0  # items before this position are done and unchanged
    checked = False
    superseded: set[Path] = set()  # volumes whose planned check gave way to another
    # Letters are handed out a few chunks ahead of the workers, not all at once: a volume
    # or check added meanwhile then runs next instead of after every remaining letter (a
    # rebuild's one changed volume is written while the other letters' digests are
    # still being compared).
    chunks = iter(_chunks(pending, jobs))
    ahead = jobs * CHUNKS_AHEAD

    def feed(count: int) -> None:
        for chunk in itertools.islice(chunks, count):
            tasks.add(("render",), _render_chunk, chunk)

    def plan(group: int) -> None:
        if plan_volume is None:
            return
        start, end = group * size, min((group + 1) * size, len(items))
        done = [outcome.done[indices[n]] for n in range(start, end)]
        volume = plan_volume(group, done, lambda: items[start:end])
        if volume is None:
            return
        if volume.check and tasks.inline:
            # Checked aside (by the helper, when there is one) while this process writes
            # it: on the section skeleton it will have, planned from its first letter
            # (whose footers, settings and styles it takes). Should the skeleton gathered
            # in writing differ (a letter with section breaks of its own), that one is
            # checked instead.
            from officekit.combine import planned_skeleton

            letter = Path(volume.members[0])
            count = len(volume.members) * volume.copies
            planned = planned_skeleton(read_part(letter, DOCUMENT_XML), count, volume.start)
            if planned is not None:
                tag = ("check", volume.target, "planned")
                tasks.add(tag, _check_sections, (letter, planned), aside=True)
            skeleton = _write(volume)
            if planned is None or skeleton != planned:
                superseded.add(volume.target)
                written = (volume.target, skeleton)
                tasks.add(("check", volume.target), _check_sections, written, aside=True)
        else:
            tasks.add(("volume", volume.target), _write_volume, volume)

    try:
        for group, count in enumerate(waiting):
            if count == 0:  # every letter known unchanged: decided now
                plan(group)
        if known:
            progress(len(outcome.done))
        feed(ahead)
        while tasks.outstanding:
            tag, value = tasks.next()
            if tag[0] != "render":
                # a check's findings (an unchecked volume has none), unless superseded
                if value is not None and not (tag[2:] and tag[1] in superseded):
                    outcome.checks[tag[1]] = value
                continue
            feed(1)
            complete = []  # groups whose letters are all done now
            for done in value:
                outcome.done[done.index] = done
                group = (done.index - 1 if position is None else position[done.index]) // size
                waiting[group] -= 1
                if waiting[group] == 0:
                    complete.append(group)
            progress(len(outcome.done))
            # The check first: it may run aside while the volumes are written here
            while not checked and first < len(items) and indices[first] in outcome.done:
                if outcome.done[indices[first]].findings is not None:
                    target = items[first].target
                    tasks.add(("check", target), _check_full, target, aside=True)
                    checked = True
                first += 1
            for group in complete:
                plan(group)
    finally:
        tasks.close()
        _WORK.clear()
    return outcome


def build_volumes(
    template: CompiledTemplate, volumes: list[Volume], jobs: int
) -> dict[Path, list[Finding]]:
    """Write each combined volume from its already written members; the findings of
    those marked for checking."""
    _WORK.update(template=template)
    tasks = _Tasks(jobs, sum(len(v.members) for v in volumes))
    found: dict[Path, list[Finding]] = {}
    try:
        for volume in volumes:
            tasks.add(("volume", volume.target), _write_volume, volume)
        while tasks.outstanding:
            tag, value = tasks.next()
            if value is not None:
                found[tag[1]] = value
    finally:
        tasks.close()
        _WORK.clear()
    return found
