"""The cyclic garbage collector paused while a build makes objects that all live on."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[bool]:
    """The cyclic collector off inside, back as it was afterwards (after an error too);
    yields whether it was on. For the phases that make tens of thousands of objects that
    all live on (a build's modules, templates, a workbook's rows): the collector would
    scan them again and again as they accumulate and free nothing."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield collecting
    finally:
        if collecting:
            gc.enable()
