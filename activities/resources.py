"""The clients a worker builds once and hands to every step."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from redis.asyncio import Redis

from activities.clients import WorkerClient
from activities.config_cache import ConfigCache
from infra.circuit_breaker import Breakers, LocalBreakers
from infra.simulation import SimulationGate
from store.documents import Documents
from store.quarantine import Quarantine

T = TypeVar("T")


def step_threads() -> ThreadPoolExecutor:
    """The threads steps run their CPU work in (``StepContext.cpu``), one per core."""
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="irx-step")


@dataclass
class StepResources:
    """Long-lived clients shared by all step implementations of one worker.

    Attributes:
        documents: Loads and saves working documents (inline or blob store).
        http: A pooled HTTP client for engines and lookups.
        config: Cached run-time config (systems, mappings, rules) and compiled forms.
        breakers: Circuit breakers of the systems steps call.
        redis: The Redis client, when Redis is configured.
        event_log: The file events go to when the ``file`` sink is chosen.
        quarantine: Where steps keep the invalid documents they refuse.
        cpu: The threads steps' CPU work runs in, off the event loop.
        simulations: Bounds the simulated calls each system takes at once.
    """

    documents: Documents
    http: httpx.AsyncClient
    config: ConfigCache
    breakers: Breakers = field(default_factory=LocalBreakers)
    redis: Redis | None = None
    event_log: Path = Path(".irx/events.jsonl")
    quarantine: Quarantine | None = None
    cpu: ThreadPoolExecutor = field(default_factory=step_threads)
    simulations: SimulationGate = field(default_factory=SimulationGate)
    _clients: dict[str, Any] = field(default_factory=dict)
    _lazy: dict[str, Any] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def open_clients(self, clients: Iterable[WorkerClient[Any]]) -> None:
        """Opens the clients the registered step modules declared."""
        for client in clients:
            self._clients[client.name] = await self._stack.enter_async_context(client.open())

    def client(self, key: WorkerClient[T]) -> T:
        try:
            value: T = self._clients[key.name]
        except KeyError:
            raise RuntimeError(f"worker client {key.name!r} was not opened") from None
        return value

    async def lazy(
        self, key: str, open: Callable[[], Awaitable[T]], close: Callable[[T], Awaitable[Any]]
    ) -> T:
        """A client opened on first use (one per key, e.g. per Kafka cluster), closed at stop."""
        async with self._lock:
            if key not in self._lazy:
                value = await open()
                self._lazy[key] = value
                self._stack.push_async_callback(close, value)
        found: T = self._lazy[key]
        return found

    async def aclose(self) -> None:
        """Closes every client opened for the steps, last opened first, and the step threads."""
        await self._stack.aclose()
        self.cpu.shutdown(wait=False, cancel_futures=True)
