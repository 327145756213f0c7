"""Liveness, readiness and the dependency report."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import Response

from api.deps import Services, ServicesDep
from api.guard import api_key_of
from api.responses import json_response
from models.errors import PlatformError
from models.health import DependencyHealth, HealthReport, Liveness, Readiness

router = APIRouter(prefix="/api/v1/health", tags=["health"])
_STARTED = time.monotonic()


async def _probe(check: Callable[[], Awaitable[Any]], down: str = "unhealthy") -> DependencyHealth:
    started = time.perf_counter()
    try:
        await check()
        status, error = "healthy", None
    except Exception as exc:
        status, error = down, type(exc).__name__
    latency = round((time.perf_counter() - started) * 1000, 2)
    return DependencyHealth(status=status, latency_ms=latency, error=error)


async def _check(services: Services) -> dict[str, DependencyHealth]:
    async def database() -> None:
        async with services.sessions() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]

    deps = {
        "database": await _probe(database),
        "temporal": await _probe(services.client.service_client.check_health),
    }
    if services.limiter.degraded:
        deps["rateLimiter"] = DependencyHealth(
            status="degraded", detail="limits hold per API process (no Redis reachable)"
        )
    if services.redis is not None:
        # Redis only backs shared state that degrades to in-process: report, don't fail.
        deps["redis"] = await _probe(services.redis.ping, down="degraded")
    else:
        deps["events"] = DependencyHealth(
            status="degraded",
            detail="no Redis: publish_event's redis sink appends to "
            f"{services.settings.events.log_path}",
        )
    return deps


@router.get("", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request, services: ServicesDep) -> Response:
    """The platform's state; 503 when a dependency is down. Details need an admin key."""
    deps = await _check(services)
    healthy = all(d.status != "unhealthy" for d in deps.values())
    report = HealthReport(
        status="healthy" if healthy else "unhealthy",
        service="irx-api",
        uptime=round(time.monotonic() - _STARTED),
        dependencies=deps,
        circuit_breakers=await services.breakers.snapshot(),
    )
    # Anyone may ask whether the platform is up; which systems and tenants it
    # serves, and how they fare, is for operators.
    exclude = (
        None if await _is_operator(request, services) else {"dependencies", "circuit_breakers"}
    )
    body = report.model_dump(mode="json", exclude_none=True, exclude=exclude)
    return json_response(body, 200 if healthy else 503)


async def _is_operator(request: Request, services: Services) -> bool:
    key = api_key_of(request)
    if not key:
        return False
    try:
        principal = await services.auth.authenticate(key)
    except PlatformError:
        return False
    return "admin" in principal.scopes


@router.get("/live", response_model=Liveness)
async def live() -> Liveness:
    """200 while the process runs."""
    return Liveness()


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(services: ServicesDep) -> Response:
    """200 only when the database and Temporal are reachable."""
    deps = await _check(services)
    healthy = all(d.status != "unhealthy" for d in deps.values())
    report = Readiness(status="ready" if healthy else "not ready")
    return json_response(report.model_dump(mode="json"), 200 if healthy else 503)
