"""officekit.gcpause: the collector off inside, back as it was after, errors included."""

from __future__ import annotations

import gc

import pytest

from officekit.gcpause import paused


def test_off_inside_and_back_after_even_on_error() -> None:
    assert gc.isenabled()
    with paused() as collecting:
        assert collecting and not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused():
        raise ValueError("a failed build")
    assert gc.isenabled()


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with paused() as collecting:
            assert not collecting
        assert not gc.isenabled()
    finally:
        gc.enable()
