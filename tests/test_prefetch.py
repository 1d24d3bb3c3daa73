"""officekit.prefetch: tasks run in a forked helper; a failed task or a dead helper gives
None, so the caller does the work itself."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from officekit.prefetch import Prefetch, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="the helper is a forked process")


def _counting(n: int) -> Iterator[int]:
    yield from range(n)


def _failing() -> Iterator[int]:
    yield 1
    raise ValueError("broken halfway")


def test_pieces_come_back_in_order_whatever_order_they_are_taken_in() -> None:
    helper = Prefetch([("a", lambda: _counting(3)), ("b", lambda: _counting(5000))])
    try:
        assert helper.take("b") == list(range(5000))
        assert helper.take("a") == [0, 1, 2]
        assert helper.take("a") is None  # taken once
        assert helper.take("unknown") is None
    finally:
        helper.close()


def test_a_failed_task_gives_none_and_the_others_still_come() -> None:
    helper = Prefetch([("bad", _failing), ("good", lambda: _counting(2))])
    try:
        assert helper.take("bad") is None
        assert helper.take("good") == [0, 1]
    finally:
        helper.close()


def test_a_helper_that_dies_gives_none() -> None:
    def die() -> Iterator[int]:
        os.kill(os.getpid(), signal.SIGKILL)
        yield 0

    helper = Prefetch([("dies", die), ("after", lambda: _counting(1))])
    try:
        assert helper.take("dies") is None
        assert helper.take("after") is None
    finally:
        helper.close()
    assert not helper.alive()


def test_close_stops_a_helper_still_working() -> None:
    def forever() -> Iterator[int]:
        while True:
            yield 0

    helper = Prefetch([("forever", forever)])
    helper.close()
    assert not helper.alive()


def test_the_helper_goes_on_while_its_first_results_wait(tmp_path) -> None:  # noqa: ANN001
    """The first task's pieces overflow the pipe; the second task still runs before the
    build process takes anything."""
    started = tmp_path / "second started"

    def big() -> Iterator[bytes]:
        for _ in range(8):
            yield b"x" * 100_000

    def second() -> Iterator[int]:
        started.write_text("yes")
        yield 1

    helper = Prefetch([("big", big), ("second", second)])
    try:
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert started.exists()  # before anything was taken
        assert helper.take("big") == [b"x" * 100_000] * 8
        assert helper.take("second") == [1]
    finally:
        helper.close()
