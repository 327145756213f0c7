"""Gives the memory a step on a large document freed back to the operating system.

glibc keeps what a process frees for its next allocations, and after large frees it
raises its threshold for mapping big blocks separately, so a worker that rated one
50 MB document kept most of the gigabyte it peaked at: the next large step then
peaked on top of it. ``malloc_trim`` returns the free pages; elsewhere than glibc
(musl, macOS) there is nothing to call and nothing happens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from typing import Any

# After a step whose working document is at least this large.
RELEASE_AFTER_BYTES = 8 * 1024 * 1024


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
