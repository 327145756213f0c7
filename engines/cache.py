"""A small in-process TTL cache for config reads on the hot path."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    """Caches loader results per key for ``ttl`` seconds (0 disables caching).

    ``observe(hit)``, when given, is told of every lookup (for hit and miss counters).
    """

    def __init__(
        self,
        ttl: float,
        max_entries: int = 10_000,
        observe: Callable[[bool], None] | None = None,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.observe = observe
        self._items: dict[Hashable, tuple[float, V]] = {}

    async def get(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and hit[0] > now:
            if self.observe is not None:
                self.observe(True)
            return hit[1]
        if self.observe is not None:
            self.observe(False)
        value = await load()
        if self.ttl > 0:
            if len(self._items) >= self.max_entries:
                self._items.clear()
            self._items[key] = (now + self.ttl, value)
        return value

    def invalidate(self, key: Hashable | None = None) -> None:
        if key is None:
            self._items.clear()
        else:
            self._items.pop(key, None)
