"""A small in-process TTL cache for config reads on the hot path."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

import cachetools

V = TypeVar("V")


class TTLCache(Generic[V]):
    """Caches loader results per key for ``ttl`` seconds (0 disables caching).

    Entries are kept in a :class:`cachetools.TTLCache`: once ``max_entries`` are held,
    the least recently used goes first. Concurrent misses of one key share one load:
    the first caller runs it, the others wait for its value or its error (a load whose
    caller is cancelled is started again by a waiter). An invalidated key's load under
    way is not kept, nor joined by later callers.

    ``observe(hit)``, when given, is told of every lookup (for hit and miss counters);
    a lookup that waits for another's load is a miss.
    """

    def __init__(
        self,
        ttl: float,
        max_entries: int = 10_000,
        observe: Callable[[bool], None] | None = None,
    ) -> None:
        self.ttl = ttl
        self.observe = observe
        self._fresh: cachetools.TTLCache[Hashable, V] = cachetools.TTLCache(max_entries, ttl)
        self._loading: dict[Hashable, asyncio.Future[V]] = {}

    async def get(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        try:
            value = self._fresh[key]
        except KeyError:
            pass
        else:
            if self.observe is not None:
                self.observe(True)
            return value
        if self.observe is not None:
            self.observe(False)
        if self.ttl <= 0:
            return await load()
        while (loading := self._loading.get(key)) is not None:
            await asyncio.wait([loading])
            if not loading.cancelled():
                return loading.result()
        return await self._load(key, load)

    async def _load(self, key: Hashable, load: Callable[[], Awaitable[V]]) -> V:
        """Runs ``load`` for ``key`` on behalf of every caller that misses it meanwhile."""
        loading = self._loading[key] = asyncio.get_running_loop().create_future()
        try:
            value = await load()
        except Exception as exc:
            loading.set_exception(exc)
            loading.exception()  # retrieved here: with no waiter, asyncio need not log it
            raise
        except BaseException:
            loading.cancel()
            raise
        finally:
            current = self._loading.get(key) is loading
            if current:
                del self._loading[key]
        loading.set_result(value)
        if current:  # not invalidated while it loaded
            self._fresh[key] = value
        return value

    def invalidate(self, key: Hashable | None = None) -> None:
        if key is None:
            self._fresh.clear()
            self._loading.clear()
        else:
            self._fresh.pop(key, None)
            self._loading.pop(key, None)
