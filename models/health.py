"""What the health endpoints answer."""

from __future__ import annotations

from typing import Any, Literal

from models.base import CamelModel


class DependencyHealth(CamelModel):
    status: Literal["healthy", "degraded", "unhealthy"]
    latency_ms: float | None = None
    error: str | None = None
    detail: str | None = None


class HealthReport(CamelModel):
    status: Literal["healthy", "unhealthy"]
    service: str
    uptime: int
    # With an admin key only:
    dependencies: dict[str, DependencyHealth] | None = None
    circuit_breakers: dict[str, dict[str, Any]] | None = None


class Liveness(CamelModel):
    status: Literal["alive"] = "alive"


class Readiness(CamelModel):
    status: Literal["ready", "not ready"]
