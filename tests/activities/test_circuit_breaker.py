"""Circuit breakers: in-process and shared through a real Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from infra.circuit_breaker import BreakerOpen, Breakers, LocalBreakers, RedisBreakers
from models.systems import BreakerSettings

FAST = BreakerSettings(failure_threshold=2, reset_timeout_s=0.3)


async def exercise(breakers: Breakers, name: str) -> None:
    await breakers.before_call(name, FAST)
    await breakers.record(name, FAST, ok=False)
    await breakers.before_call(name, FAST)  # one failure: still closed
    await breakers.record(name, FAST, ok=False)
    with pytest.raises(BreakerOpen):
        await breakers.before_call(name, FAST)
    await asyncio.sleep(0.35)
    await breakers.before_call(name, FAST)  # half-open: the probe goes through
    with pytest.raises(BreakerOpen):
        await breakers.before_call(name, FAST)  # ...and only the probe
    await breakers.record(name, FAST, ok=False)  # probe failed: open again
    with pytest.raises(BreakerOpen):
        await breakers.before_call(name, FAST)
    await asyncio.sleep(0.35)
    await breakers.before_call(name, FAST)
    await breakers.record(name, FAST, ok=True)  # probe succeeded: closed
    await breakers.before_call(name, FAST)
    await breakers.before_call(name, FAST)


async def test_local_breaker_opens_probes_and_closes() -> None:
    await exercise(LocalBreakers(), "engine")


async def test_redis_breaker_opens_probes_and_closes(redis: Redis) -> None:
    await exercise(RedisBreakers(redis), f"test-{uuid.uuid4().hex}")


async def test_redis_breaker_state_is_shared_between_workers(redis: Redis) -> None:
    name = f"test-{uuid.uuid4().hex}"
    one, two = RedisBreakers(redis), RedisBreakers(redis)
    await one.record(name, FAST, ok=False)
    await two.record(name, FAST, ok=False)
    with pytest.raises(BreakerOpen):
        await one.before_call(name, FAST)
    assert (await two.snapshot())[name]["state"] == "open"


async def test_breaker_degrades_to_local_state_when_redis_is_down() -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    breakers = RedisBreakers(dead)
    await breakers.record("engine", FAST, ok=False)
    await breakers.record("engine", FAST, ok=False)
    with pytest.raises(BreakerOpen):
        await breakers.before_call("engine", FAST)
    # ... and health reads that local view rather than failing with Redis.
    assert await breakers.snapshot() == {"engine": {"state": "open", "failures": 2}}
    await dead.aclose()
