"""A large step's memory: no collector passes while it builds, freed pages back after.

The cyclic collector runs after every few hundred new containers and, as the heap
grows, makes full passes over everything: decoding a 50 MB schedule (millions of dicts,
none of them in a cycle) took 1.4 s with it and 0.3 s without. Steps on large documents
therefore run with it paused (:func:`collector_paused`); JSON documents form no cycles,
and what little cyclic garbage the step makes is collected once it is switched back on.

glibc keeps what a process frees for its next allocations, and after large frees it
raises its threshold for mapping big blocks separately, so a worker that rated one
50 MB document kept most of the gigabyte it peaked at: the next large step then
peaked on top of it. ``malloc_trim`` returns the free pages; elsewhere than glibc
(musl, macOS) there is nothing to call and nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# After a step whose working document is at least this large.
RELEASE_AFTER_BYTES = 8 * 1024 * 1024
# Steps whose working document is at least this large run with the collector paused.
PAUSE_COLLECTOR_BYTES = 1024 * 1024


class _CollectorPause:
    """Pauses the collector while any large step runs (steps overlap on a worker)."""

    def __init__(self) -> None:
        self.holders = 0
        self.was_enabled = False

    @contextmanager
    def held(self) -> Iterator[None]:
        if self.holders == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
        self.holders += 1
        try:
            yield
        finally:
            self.holders -= 1
            if self.holders == 0 and self.was_enabled:
                gc.enable()


_PAUSE = _CollectorPause()


def collector_paused() -> Any:
    """A context in which the cyclic collector does not run (nested and overlapping
    holders on the event loop's thread share one pause; the last one out resumes it)."""
    return _PAUSE.held()


def _malloc_trim() -> Callable[[int], Any] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    trim: Callable[[int], Any] | None = getattr(libc, "malloc_trim", None)
    return trim


_TRIM = _malloc_trim()


def release_free_memory() -> bool:
    """Returns the process's free heap pages to the system; whether it could."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True
