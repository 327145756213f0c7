"""The clients a worker builds once and hands to every step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from redis.asyncio import Redis

from activities.circuit_breaker import Breakers, LocalBreakers
from store.directory import ConfigDirectory
from store.documents import Documents
from store.quarantine import Quarantine


@dataclass
class StepResources:
    """Long-lived clients shared by all step implementations of one worker.

    Attributes:
        documents: Loads and saves working documents (inline or blob store).
        http: A pooled HTTP client for engines and lookups.
        directory: Cached config reads (systems, mappings, rules).
        breakers: Circuit breakers of the systems steps call.
        redis: The Redis client, when Redis is configured.
        event_log: The file events go to when no event broker is configured.
        closers: Called when the worker stops (clients opened on first use).
        quarantine: Where steps keep the invalid documents they refuse.
        extras: Clients that plugins add for their own step types.
    """

    documents: Documents
    http: httpx.AsyncClient
    directory: ConfigDirectory
    breakers: Breakers = field(default_factory=LocalBreakers)
    redis: Redis | None = None
    event_log: Path = Path(".irx/events.jsonl")
    closers: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)
    quarantine: Quarantine | None = None
    extras: dict[str, Any] = field(default_factory=dict)
