"""Liveness, readiness and the dependency report."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text
from starlette.responses import Response

from api.deps import ServicesDep
from api.responses import json_response

router = APIRouter(prefix="/api/v1/health", tags=["health"])
_STARTED = time.monotonic()


async def _check(services: ServicesDep) -> dict[str, dict[str, Any]]:
    deps: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    try:
        async with services.sessions() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        deps["database"] = {"status": "healthy"}
    except Exception as exc:
        deps["database"] = {"status": "unhealthy", "error": type(exc).__name__}
    deps["database"]["latencyMs"] = round((time.perf_counter() - started) * 1000, 2)
    started = time.perf_counter()
    try:
        await services.client.service_client.check_health()
        deps["temporal"] = {"status": "healthy"}
    except Exception as exc:
        deps["temporal"] = {"status": "unhealthy", "error": type(exc).__name__}
    deps["temporal"]["latencyMs"] = round((time.perf_counter() - started) * 1000, 2)
    if services.redis is not None:
        started = time.perf_counter()
        try:
            await services.redis.ping()
            deps["redis"] = {"status": "healthy"}
        except Exception as exc:
            # Redis only backs shared state that degrades to in-process: report, don't fail.
            deps["redis"] = {"status": "degraded", "error": type(exc).__name__}
        deps["redis"]["latencyMs"] = round((time.perf_counter() - started) * 1000, 2)
    return deps


@router.get("")
async def health(services: ServicesDep) -> Response:
    """Every dependency's state; 503 when one is down."""
    deps = await _check(services)
    healthy = all(d["status"] != "unhealthy" for d in deps.values())
    return json_response(
        {
            "status": "healthy" if healthy else "unhealthy",
            "service": "irx-api",
            "uptime": round(time.monotonic() - _STARTED),
            "dependencies": deps,
            "circuitBreakers": await services.breakers.snapshot(),
        },
        200 if healthy else 503,
    )


@router.get("/live")
async def live() -> Response:
    """200 while the process runs."""
    return json_response({"status": "alive"})


@router.get("/ready")
async def ready(services: ServicesDep) -> Response:
    """200 only when the database and Temporal are reachable."""
    deps = await _check(services)
    healthy = all(d["status"] != "unhealthy" for d in deps.values())
    return json_response({"status": "ready" if healthy else "not ready"}, 200 if healthy else 503)
