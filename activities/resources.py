"""The clients a worker builds once and hands to every step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from redis.asyncio import Redis

from activities.circuit_breaker import Breakers, LocalBreakers
from store.directory import ConfigDirectory
from store.documents import Documents


@dataclass
class StepResources:
    """Long-lived clients shared by all step implementations of one worker.

    Attributes:
        documents: Loads and saves working documents (inline or blob store).
        http: A pooled HTTP client for engines and lookups.
        directory: Cached config reads (systems, mappings, rules).
        breakers: Circuit breakers of the systems steps call.
        redis: The Redis client, when Redis is configured.
        extras: Clients that plugins add for their own step types.
    """

    documents: Documents
    http: httpx.AsyncClient
    directory: ConfigDirectory
    breakers: Breakers = field(default_factory=LocalBreakers)
    redis: Redis | None = None
    extras: dict[str, Any] = field(default_factory=dict)
