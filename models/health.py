"""What the health endpoints answer."""

from __future__ import annotations

from typing import Any, Literal

from models.base import CamelModel, UtcDateTime


class DependencyHealth(CamelModel):
    status: Literal["healthy", "degraded", "unhealthy"]
    latency_ms: float | None = None
    error: str | None = None
    detail: str | None = None
    # The config store's connection pool (seed 8c).
    pool_active: int | None = None
    pool_max: int | None = None


class HealthReport(CamelModel):
    """``unhealthy`` (503) when the config store or Temporal is down; ``degraded`` when
    something the platform works around is (Redis, the blob store, an open breaker)."""

    status: Literal["healthy", "degraded", "unhealthy"]
    service: str
    version: str
    uptime: int
    timestamp: UtcDateTime
    # With an admin key only:
    dependencies: dict[str, DependencyHealth] | None = None
    circuit_breakers: dict[str, dict[str, Any]] | None = None


class Liveness(CamelModel):
    status: Literal["alive"] = "alive"


class Readiness(CamelModel):
    status: Literal["ready", "degraded", "not ready"]
