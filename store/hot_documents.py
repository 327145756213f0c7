"""The working documents a worker holds decoded for the step that reads them next.

A run's steps hand each other their document through the blob store (the claim
check), so that any worker can take over any step. Decoding it back costs far more
than writing it (a 50 MB schedule: 0.3 s to encode and store, 1.4 s to decode into
Python objects with the collector running), and writing it at all is wasted when the
next step is a local activity, run by this same worker within the same workflow task.
So a worker keeps two kinds of document here:

- **kept**: written to the store too. The next reader takes it (``take`` removes it,
  so a retry reads the store afresh); unread, it leaves after ``ttl_s``, and the oldest
  leave first past ``capacity_bytes`` (counted as encoded JSON).
- **handed over**: the output of a local step whose successor is local too, held here
  *instead of* being written. It stays, for every reader (a retry, a step after one that
  failed and continued), until its run moves on (``release``): a later document of the
  run supersedes it, or the run stores one. Should the worker be lost, the run has only
  the documents it stored: it repeats the steps since the last one (``workflows.rating``).
  ``held_ttl_s`` only guards against a run that never comes back to this worker.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

MISSING: Any = object()

# Room for a few large documents in flight at once (counted as encoded JSON; as Python
# objects they take several times that). Handed-over documents do not count: they are
# the runs' working sets, which the worker holds while it runs them anyway.
HOT_CAPACITY_BYTES = 256 * 1024 * 1024
HOT_TTL_S = 15.0
HELD_TTL_S = 600.0
_SLACK_S = 0.05


@dataclass
class _Entry:
    value: Any
    size: int
    expires: float
    owner: str | None = None  # the run holding it, when it exists nowhere else


class HotDocuments:
    """Decoded documents by blob key: kept copies taken once, handed-over ones held."""

    def __init__(
        self,
        capacity_bytes: int = HOT_CAPACITY_BYTES,
        ttl_s: float = HOT_TTL_S,
        held_ttl_s: float = HELD_TTL_S,
    ) -> None:
        self.capacity_bytes = capacity_bytes
        self.ttl_s = ttl_s
        self.held_ttl_s = held_ttl_s
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._kept_bytes = 0
        self._sweep: asyncio.TimerHandle | None = None
        self._sweep_at = 0.0

    def keep(self, key: str, value: Any, size: int) -> None:
        """Keeps ``value`` (``size`` bytes as JSON, also in the store) for the next reader."""
        if size > self.capacity_bytes or self.held(key):
            return
        dropped = [self._drop(key)]
        self._entries[key] = _Entry(value, size, time.monotonic() + self.ttl_s)
        self._kept_bytes += size
        while self._kept_bytes > self.capacity_bytes:
            dropped.append(self._drop(next(k for k, e in self._entries.items() if not e.owner)))
        _discard(dropped)
        self._schedule_sweep()

    def hand_over(self, key: str, owner: str, value: Any, size: int) -> None:
        """Holds ``value``, which is nowhere else, for the run ``owner``; it supersedes
        the documents that run handed over before."""
        self.release(owner)
        _discard([self._drop(key)])
        self._entries[key] = _Entry(value, size, time.monotonic() + self.held_ttl_s, owner)
        self._schedule_sweep()

    def take(self, key: str) -> Any:
        """The value for ``key`` or ``MISSING``; a kept one is forgotten, a held one stays."""
        entry = self._entries.get(key)
        if entry is None:
            return MISSING
        if entry.owner is None:
            self._drop(key)  # the reader owns it now
        return entry.value

    def held(self, key: str) -> bool:
        """Whether ``key`` is a handed-over document, found nowhere but here."""
        entry = self._entries.get(key)
        return entry is not None and entry.owner is not None

    def release(self, owner: str) -> None:
        """Forgets what the run ``owner`` handed over: it has moved past it."""
        _discard([self._drop(k) for k, e in list(self._entries.items()) if e.owner == owner])

    def __len__(self) -> int:
        return len(self._entries)

    def _drop(self, key: str) -> _Entry | None:
        entry = self._entries.pop(key, None)
        if entry is not None and entry.owner is None:
            self._kept_bytes -= entry.size
        return entry

    def _schedule_sweep(self) -> None:
        # A document nobody reads (the run's result, a run that failed or went to another
        # worker) must not hold a worker's memory until the next large step.
        due = min((e.expires for e in self._entries.values()), default=None)
        if due is None or (self._sweep is not None and self._sweep_at <= due):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # used outside an event loop (a test): expiry on next use
            return
        if self._sweep is not None:
            self._sweep.cancel()
        self._sweep_at = due
        # Never sooner than the slack: a timer that fires a hair early must not spin.
        self._sweep = loop.call_later(max(due - time.monotonic(), _SLACK_S), self._expire)

    def _expire(self) -> None:
        self._sweep = None
        now = time.monotonic() + _SLACK_S
        _discard([self._drop(k) for k, e in list(self._entries.items()) if e.expires <= now])
        if self._entries:
            self._schedule_sweep()


def _discard(entries: list[_Entry | None]) -> None:
    """Frees dropped documents in a thread: a large one is millions of objects (60-100 ms
    to free a 50 MB schedule's), time the event loop, polling Temporal and serving HTTP,
    should not spend."""
    values = [entry.value for entry in entries if entry is not None]
    if not values:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop to spare: freed here
        return
    loop.run_in_executor(None, values.clear)
