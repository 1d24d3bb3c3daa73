"""Work done ahead in one forked process while this one goes on with its own.

A large workbook is read sheet by sheet; with two cores, a forked helper reads the last
sheets while the build process reads the first ones, and hands each over as it is done.
Each task is a generator of picklable pieces (a sheet's head, then its rows in batches,
so neither process ever holds a second copy of a whole sheet); the build process takes a
task's pieces when it reaches it. A task that fails in the helper, or a helper that dies,
gives None: the caller then does the work itself, so what it reports (a problem in a
sheet, a warning) is exactly what it would have reported without the helper.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

Task = Callable[[], Iterator[Any]]
_END, _FAILED = "end", "failed"


def _run(tasks: list[tuple[str, Task]], send: BinaryIO) -> None:
    # A thread sends what the tasks produce: a pipe holds 64 KB, and a helper blocked on a
    # full pipe until the build process comes for its first sheet would not be reading
    # its second one meanwhile.
    out: queue.SimpleQueue = queue.SimpleQueue()

    def sender() -> None:
        with contextlib.suppress(OSError):  # the build process has gone
            while (message := out.get()) is not None:
                pickle.dump(message, send, pickle.HIGHEST_PROTOCOL)
                send.flush()  # each piece as soon as it is made

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    for key, task in tasks:
        try:
            for piece in task():
                out.put((key, "piece", piece))
            out.put((key, _END, None))
        except BaseException:  # the build process does this task itself
            out.put((key, _FAILED, None))
    out.put(None)
    thread.join()


def can_fork() -> bool:
    """Whether work can go to forked processes that share this one's memory (Linux)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class Prefetch:
    """``tasks`` run one after another in a forked process (Linux only: the caller checks
    that fork is available).

    A bare fork and a pipe of pickles, not multiprocessing: a rebuild that reads one
    changed sheet ahead would spend a third of what it gains importing and starting it."""

    def __init__(self, tasks: list[tuple[str, Task]]) -> None:
        read, write = os.pipe()

        def helper() -> None:
            os.close(read)
            with open(write, "wb") as send:
                _run(tasks, send)

        self.pid: int | None = _fork(helper)
        os.close(write)
        self.receive = open(read, "rb")  # noqa: SIM115 - closed by close()
        self.open = {key for key, _ in tasks}
        self.pieces: dict[str, list[Any]] = {}
        self.done: dict[str, list[Any] | None] = {}

    def take(self, key: str) -> list[Any] | None:
        """The pieces of task ``key``, waiting for them; None when it failed."""
        while key not in self.done and key in self.open:
            try:
                name, kind, piece = pickle.load(self.receive)
            except (EOFError, OSError, pickle.UnpicklingError):
                # The helper is gone (a message cut short by its death included): the
                # rest is done here.
                self.open.clear()
                break
            if kind == "piece":
                self.pieces.setdefault(name, []).append(piece)
                continue
            self.open.discard(name)
            found = self.pieces.pop(name, [])
            self.done[name] = found if kind == _END else None
        return self.done.pop(key, None)

    def alive(self) -> bool:
        """Whether the helper process still runs."""
        if self.pid is None:
            return False
        done, _ = os.waitpid(self.pid, os.WNOHANG)
        if done:
            self.pid = None
        return not done

    def close(self) -> None:
        """Stop the helper (it may still be reading a sheet nobody needs any more)."""
        _stop(self.pid)
        self.pid = None
        self.receive.close()


class Worker:
    """One forked process that runs the calls sent to it, one after another, in the order
    sent; each result (or the fact that it failed) comes back in the same order.

    For a build too small for a pool of workers that still has work beside its own (a
    rebuild: the new letter's check, then its volume's, while this process writes the
    volume): forked when the first call comes, it shares this process's imports and
    memory, and what it has read (a template's styles) stays read for the next call."""

    def __init__(self, prepare: Callable[[], None] | None = None) -> None:
        """``prepare`` runs there first (imports the calls will need, say); should it
        fail, so do the calls (and the caller makes them itself)."""
        calls_read, calls_write = os.pipe()
        results_read, results_write = os.pipe()

        def worker() -> None:
            os.close(calls_write)
            os.close(results_read)
            with open(calls_read, "rb") as calls, open(results_write, "wb") as results:
                if prepare is not None:
                    prepare()
                _serve(calls, results)

        self.pid: int | None = _fork(worker)
        os.close(calls_read)
        os.close(results_write)
        self.calls = open(calls_write, "wb")  # noqa: SIM115 - closed by close()
        self.results = open(results_read, "rb")  # noqa: SIM115 - closed by close()

    def send(self, func: Callable[[Any], Any], arg: Any) -> bool:
        """Hand over ``func(arg)`` (both picklable); False when the worker is gone."""
        try:
            pickle.dump((func, arg), self.calls, pickle.HIGHEST_PROTOCOL)
            self.calls.flush()
        except (OSError, pickle.PicklingError, AttributeError, TypeError):
            return False
        return True

    def take(self) -> tuple[bool, Any]:
        """The next result, waiting for it: (True, value), or (False, None) when the call
        failed there or the worker is gone (the caller then makes the call itself)."""
        try:
            return pickle.load(self.results)
        except (EOFError, OSError, pickle.UnpicklingError):
            return False, None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.calls.close()
        _stop(self.pid)
        self.pid = None
        self.results.close()


def _fork(child: Callable[[], None]) -> int:
    """A forked process running ``child``; its pid."""
    _reap()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            child()
        except BaseException:
            code = 1
        finally:
            # Gone without this process's exit handlers or buffered output: those are
            # the build process's.
            os._exit(code)
    return pid


# Killed processes not yet collected: a build does not wait a millisecond or two for its
# idle helper to die; the next fork (or the end of this process) collects it.
_STOPPED: list[int] = []


def _stop(pid: int | None) -> None:
    """Kill the forked process ``pid`` (if still there); collected when it is gone."""
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _STOPPED.append(pid)
    _reap()


def _reap() -> None:
    for pid in list(_STOPPED):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # collected already
            done = pid
        if done:
            _STOPPED.remove(pid)


_UNREADABLE = object()


def _serve(calls: BinaryIO, results: BinaryIO) -> None:
    # A thread takes the calls as they come: the build process never waits on a full pipe
    # (a volume's skeleton is tens of kilobytes) while this one works or sends a result.
    waiting: queue.SimpleQueue = queue.SimpleQueue()

    def receive() -> None:
        try:
            while True:
                waiting.put(pickle.load(calls))
        except (EOFError, OSError):  # the build process is done with this worker
            pass
        except BaseException:  # a call that cannot be read: answered as failed, and the
            waiting.put(_UNREADABLE)  # ones after it as the worker ends (done there again)
        finally:
            waiting.put(None)

    threading.Thread(target=receive, daemon=True).start()
    while (call := waiting.get()) is not None:
        try:
            if call is _UNREADABLE:
                raise ValueError("call not readable")
            func, arg = call
            result: tuple[bool, Any] = (True, func(arg))
        except BaseException:
            result = (False, None)
        try:
            pickle.dump(result, results, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            pickle.dump((False, None), results, pickle.HIGHEST_PROTOCOL)
        results.flush()
