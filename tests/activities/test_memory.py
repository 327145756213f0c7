"""A large step's memory: the collector paused during it, freed memory given back after."""

from __future__ import annotations

import gc

import psutil

from activities.memory import collector_paused, release_free_memory


def test_freed_heap_pages_go_back_to_the_system() -> None:
    process = psutil.Process()
    # 200 MB in blocks that come from the heap, then one more that pins its top, so
    # freeing the first ones cannot shrink the heap by itself.
    blocks = [bytes(2048) + i.to_bytes(4, "little") for i in range(100_000)]
    pin = bytes(2048) + b"pin"
    held = process.memory_info().rss
    del blocks
    kept = process.memory_info().rss
    assert release_free_memory()
    released = process.memory_info().rss
    assert kept - released > 100 * 1024 * 1024, (held, kept, released)
    assert pin.endswith(b"pin")


def test_the_collector_pauses_while_any_large_step_runs() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # an overlapping step
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first still runs
    assert gc.isenabled()
