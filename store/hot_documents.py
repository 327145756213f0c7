"""The working documents a worker just wrote, kept decoded for the step that reads them next.

A run's consecutive steps hand each other their document through the blob store (the
claim check), so that any worker can take over any step. Decoding it back costs far
more than writing it (a 50 MB schedule: 0.3 s to encode and store, 1.4 s to decode into
Python objects with the collector running), and the next step is nearly always a local
activity of the same worker: it finds here the very value the previous step produced.
The blob is written all the same, before the step ends, so nothing depends on this
cache: a miss (another worker, an eviction, a retry) reads the store as before.

A value is handed over once (``take`` removes it): the reader owns it from then on,
and a retry of that step reads the store afresh. What nobody takes leaves after
``ttl_s``, and the oldest leave first past ``capacity_bytes`` (counted as encoded JSON).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any

MISSING: Any = object()

# Room for a few large documents in flight at once (counted as encoded JSON; as Python
# objects they take several times that).
HOT_CAPACITY_BYTES = 256 * 1024 * 1024
HOT_TTL_S = 15.0


class HotDocuments:
    """Decoded documents by blob key, each taken at most once."""

    def __init__(self, capacity_bytes: int = HOT_CAPACITY_BYTES, ttl_s: float = HOT_TTL_S) -> None:
        self.capacity_bytes = capacity_bytes
        self.ttl_s = ttl_s
        self._entries: OrderedDict[str, tuple[Any, int, float]] = OrderedDict()
        self._bytes = 0
        self._sweep: asyncio.TimerHandle | None = None

    def keep(self, key: str, value: Any, size: int) -> None:
        """Keeps ``value`` (``size`` bytes as JSON) for the next reader of ``key``."""
        if size > self.capacity_bytes:
            return
        self._drop(key)
        self._entries[key] = (value, size, time.monotonic() + self.ttl_s)
        self._bytes += size
        while self._bytes > self.capacity_bytes:
            self._drop(next(iter(self._entries)))
        self._schedule_sweep()

    def take(self, key: str) -> Any:
        """The value kept for ``key`` (and forgets it), or ``MISSING``."""
        entry = self._entries.pop(key, None)
        if entry is None:
            return MISSING
        self._bytes -= entry[1]
        return entry[0]

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry[1]

    def _schedule_sweep(self) -> None:
        # A document nobody takes (the run's result, a run that failed) must not hold
        # a worker's memory until the next large step: one timer sweeps the expired.
        if self._sweep is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # kept outside an event loop (a test): expiry on next use
            return
        self._sweep = loop.call_later(self.ttl_s, self._expire)

    def _expire(self) -> None:
        self._sweep = None
        now = time.monotonic()
        for key in [k for k, (_, _, expires) in self._entries.items() if expires <= now]:
            self._drop(key)
        if self._entries:
            self._schedule_sweep()
