"""One build at a time per output folder, and what builds that died left behind.

A clerk double-clicks 生成公文.bat twice, or a colleague builds into the same shared
folder: two builds swapping files into one folder would interleave their outputs and
their manifest. A build therefore holds a lock on ``output/.officekit-lock`` for its whole
run. The lock is the operating system's (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows): it ends with the process however the process ends, so
the lock of a build killed hard (SIGKILL, a closed window, a power cut) is never stale in
the operating system's eyes. The file holds the holder's process id, for the message a
second build prints, and is removed on a normal release: a process id found in it when
the lock is taken means the last build died, and the new one takes over. (A build that
locked a file its holder removed meanwhile opens it anew: two builds never hold two
files.)

A build that died also left its staging folder (``output/.officekit-xxxxxxxx``, a full
set of documents). Once the lock is held no other build is running here, so every such
folder belongs to a dead one and is removed before the build's own work (the sheet
cache, ``.officekit.cache``, and the manifest are not staging folders and stay).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from officekit.errors import BusyError

LOCK_NAME = ".officekit-lock"
# How a staging folder is named: tempfile.mkdtemp(prefix=".officekit-") adds 8 characters.
STAGING = re.compile(r"\.officekit-[a-z0-9_]{8}")
WAIT_SECONDS = 5.0  # a second build waits this long for the first before it refuses
_POLL = 0.1
# The byte locked on Windows (msvcrt locks are mandatory: the process id at the start of
# the file must stay readable by a build that is waiting).
_LOCKED_BYTE = 4096

if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCKED_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # BlockingIOError: held through another open of the file
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# Descriptors of the locks this process holds. A process forked by the build (the
# workbook's read-ahead helper, render workers) closes its copy at once: a worker left
# orphaned by a build killed hard must not keep the folder locked (a flock lasts while
# any copy of the descriptor is open; closing a copy does not release it).
_held_fds: set[int] = set()


def _forget_in_child() -> None:
    for fd in _held_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_fds.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


@dataclass
class Held:
    """The lock of one build; what it found of builds that died before it."""

    path: Path
    fd: int
    taken_over: int | None = None  # process id of a dead build whose lock this took over
    removed: list[Path] = field(default_factory=list)  # their staging folders, now gone

    waited: bool = False  # another build held the folder when this one started

    def note(self) -> str:
        """What the summary says of other builds (one sentence each), else ""."""
        said = []
        if self.waited:
            said.append("开始时另一次生成正在使用这个输出文件夹，本次等它结束后才生成。")
        if self.removed:
            said.append(
                f"上次生成没有正常结束（可能被强行关闭），已删除它留下的 {len(self.removed)} 个"
                "临时文件夹；之前生成的文件未受影响。"
            )
        elif self.taken_over is not None:
            said.append("上次生成没有正常结束（可能被强行关闭），已接管；之前生成的文件未受影响。")
        return "\n".join(said)

    def release(self) -> None:
        """Remove the file (a normal end leaves no process id behind) and let go. Where
        it cannot be removed (Windows, another build has it open) it is emptied."""
        _held_fds.discard(self.fd)
        try:
            os.ftruncate(self.fd, 0)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            _unlock(self.fd)
        finally:
            os.close(self.fd)


def _holder(fd: int) -> int | None:
    """The process id written in the lock file, if any."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        words = os.read(fd, 64).split()
    except OSError:
        return None
    return int(words[0]) if words and words[0].isdigit() else None


def acquire(folder: Path, wait: float | None = None) -> Held:
    """Lock ``folder`` for this build, waiting up to ``wait`` seconds (default
    :data:`WAIT_SECONDS`) for another build; then remove what dead builds left."""
    path = folder / LOCK_NAME
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    waited = False
    while True:
        # Created when missing, never truncated before the lock is ours.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        while not _try_lock(fd):
            waited = True
            if time.monotonic() >= deadline:
                pid = _holder(fd)
                os.close(fd)
                who = f"（进程 {pid}）" if pid else ""
                raise BusyError(
                    f"输出文件夹 {folder} 正被另一次生成{who}使用；请等它结束后再生成"
                    "（不要同时运行两次），之前生成的文件未受影响。"
                )
            time.sleep(_POLL)
        if _still_there(fd, path):
            break
        os.close(fd)  # locked a file its last holder removed on release: open it anew
    _held_fds.add(fd)
    held = Held(path, fd, taken_over=_holder(fd), waited=waited)
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    held.removed = remove_dead_staging(folder)
    return held


def _still_there(fd: int, path: Path) -> bool:
    """Whether ``path`` is still the file locked through ``fd``."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev)


def remove_dead_staging(folder: Path) -> list[Path]:
    """Remove the staging folders in ``folder`` (only while its lock is held: then no
    build is running there); returns those removed."""
    removed = []
    with os.scandir(folder) as entries:
        found = [
            Path(e.path)
            for e in entries
            if STAGING.fullmatch(e.name) and e.is_dir(follow_symlinks=False)
        ]
    for staging in found:
        shutil.rmtree(staging, ignore_errors=True)
        if not staging.exists():
            removed.append(staging)
    return removed
