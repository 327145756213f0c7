"""The config reads' TTL cache: kept for the TTL, bounded, one load per concurrent miss."""

from __future__ import annotations

import asyncio

import pytest

from engines.cache import TTLCache


class Loader:
    """Counts its loads; each waits for ``release`` when it is given."""

    def __init__(self, release: asyncio.Event | None = None) -> None:
        self.loads = 0
        self.release = release
        self.fail: Exception | None = None

    async def __call__(self) -> int:
        self.loads += 1
        if self.release is not None:
            await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return self.loads


async def test_a_value_is_kept_for_the_ttl_and_counted() -> None:
    seen: list[bool] = []
    cache: TTLCache[int] = TTLCache(60, observe=seen.append)
    load = Loader()
    assert await cache.get("k", load) == 1
    assert await cache.get("k", load) == 1
    assert load.loads == 1
    assert seen == [False, True]
    cache.invalidate("k")
    assert await cache.get("k", load) == 2


async def test_a_zero_ttl_loads_every_time() -> None:
    cache: TTLCache[int] = TTLCache(0)
    load = Loader()
    assert [await cache.get("k", load) for _ in range(3)] == [1, 2, 3]


async def test_an_expired_value_is_loaded_again() -> None:
    cache: TTLCache[int] = TTLCache(0.01)
    load = Loader()
    await cache.get("k", load)
    await asyncio.sleep(0.02)
    assert await cache.get("k", load) == 2


async def test_a_full_cache_drops_the_least_recently_used_only() -> None:
    cache: TTLCache[int] = TTLCache(60, max_entries=2)
    loads = {key: Loader() for key in "abc"}
    for key in "abc":
        await cache.get(key, loads[key])
    await cache.get("c", loads["c"])
    await cache.get("b", loads["b"])
    await cache.get("a", loads["a"])
    assert {key: load.loads for key, load in loads.items()} == {"a": 2, "b": 1, "c": 1}


async def test_concurrent_misses_share_one_load() -> None:
    seen: list[bool] = []
    cache: TTLCache[int] = TTLCache(60, observe=seen.append)
    release = asyncio.Event()
    load = Loader(release)
    lookups = [asyncio.create_task(cache.get("k", load)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*lookups) == [1] * 5
    assert load.loads == 1
    assert seen == [False] * 5


async def test_concurrent_misses_share_a_failure_and_it_is_not_kept() -> None:
    cache: TTLCache[int] = TTLCache(60)
    release = asyncio.Event()
    load = Loader(release)
    load.fail = RuntimeError("store down")
    lookups = [asyncio.create_task(cache.get("k", load)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*lookups, return_exceptions=True)
    assert all(r is load.fail for r in results)
    assert load.loads == 1
    load.fail = None
    assert await cache.get("k", load) == 2


async def test_a_cancelled_load_is_started_again_by_a_waiter() -> None:
    cache: TTLCache[int] = TTLCache(60)
    release = asyncio.Event()
    load = Loader(release)
    first = asyncio.create_task(cache.get("k", load))
    await asyncio.sleep(0)
    second = asyncio.create_task(cache.get("k", load))
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    release.set()
    assert await second == 2
    assert load.loads == 2


async def test_a_load_under_way_when_invalidated_is_not_kept_nor_joined() -> None:
    cache: TTLCache[int] = TTLCache(60)
    release = asyncio.Event()
    stale = asyncio.create_task(cache.get("k", Loader(release)))
    await asyncio.sleep(0)
    cache.invalidate("k")
    fresh = Loader()
    fresh.loads = 1
    assert await cache.get("k", fresh) == 2  # does not wait for the stale load
    release.set()
    assert await stale == 1
    assert await cache.get("k", fresh) == 2  # the stale value did not replace it
