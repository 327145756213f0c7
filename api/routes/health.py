"""Liveness, readiness and the dependency report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Request
from sqlalchemy import text
from starlette.responses import Response

from api.deps import Services, ServicesDep
from api.guard import api_key_of
from api.responses import json_response
from infra.egress import GuardedTransport
from models.api_keys import OPS_SCOPE
from models.errors import PlatformError
from models.health import DependencyHealth, HealthReport, Liveness, Readiness
from store.systems import engine_urls

router = APIRouter(prefix="/health", tags=["health"])
_STARTED = time.monotonic()
VERSION = version("insurratex")
PROBE_KEY = "health/irx-api.probe"


# Each check gets this long; answers are reused this long, so health cannot be used
# to flood a dependency.
CHECK_TIMEOUT_S = 2.0
CACHE_S = 2.0
CRITICAL = ("database", "temporal")


async def _probe(check: Callable[[], Awaitable[Any]], down: str = "unhealthy") -> DependencyHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
        status, error = "healthy", None
    except Exception as exc:  # any failure to answer in time is the dependency's state
        status, error = down, type(exc).__name__
    latency = round((time.perf_counter() - started) * 1000, 2)
    return DependencyHealth(status=status, latency_ms=latency, error=error)


async def _check(services: Services) -> dict[str, DependencyHealth]:
    async def database() -> None:
        async with services.sessions() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]

    async def blobs() -> None:
        # A tiny write and read back: the blob store answers both ways.
        await services.blobs.put(PROBE_KEY, b"ok")
        await services.blobs.get(PROBE_KEY)

    async with services.sessions() as session:
        engines = await engine_urls(session)
    # Engines through the workers' egress policy: health never reaches a refused host.
    transport = GuardedTransport(services.url_policy, httpx.AsyncHTTPTransport())
    async with httpx.AsyncClient(transport=transport, timeout=CHECK_TIMEOUT_S) as http:

        def engine(url: str) -> Callable[[], Awaitable[None]]:
            async def answers() -> None:
                # Any answer below 500 is an engine that serves; its routes are its own.
                if (await http.get(url)).status_code >= 500:
                    raise RuntimeError("answered 5xx")

            return answers

        checks: dict[str, Awaitable[DependencyHealth]] = {
            "database": _probe(database),
            "temporal": _probe(services.client.service_client.check_health),
            "blobStore": _probe(blobs),
        }
        if services.redis is not None:
            # Redis only backs shared state that degrades to in-process: report, don't fail.
            checks["redis"] = _probe(services.redis.ping, down="degraded")
        for url, code in engines.items():
            # An engine down fails its ratings (breakers, retries), not the platform.
            checks[f"engine:{code}"] = _probe(engine(url), down="degraded")
        names = list(checks)
        deps = dict(zip(names, await asyncio.gather(*checks.values()), strict=True))
    pool = services.sessions.kw["bind"].pool
    if hasattr(pool, "checkedout"):
        deps["database"].pool_active = pool.checkedout()
        deps["database"].pool_max = pool.size() + max(pool._max_overflow, 0)
    if services.limiter.degraded:
        deps["rateLimiter"] = DependencyHealth(
            status="degraded", detail="limits hold per API process (no Redis reachable)"
        )
    if services.redis is None:
        deps["events"] = DependencyHealth(
            status="degraded",
            detail="no Redis: publish_event's redis sink appends to "
            f"{services.settings.events.log_path}",
        )
    return deps


async def _dependencies(request: Request, services: Services) -> dict[str, DependencyHealth]:
    """The dependency checks, run at most once per ``CACHE_S`` per process."""
    cache: _Cache = request.app.state.__dict__.setdefault("health_cache", _Cache())
    async with cache.lock:
        if cache.value is None or time.monotonic() - cache.at > CACHE_S:
            cache.value, cache.at = await _check(services), time.monotonic()
        return cache.value


class _Cache:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.at = 0.0
        self.value: dict[str, DependencyHealth] | None = None


def _status(
    deps: dict[str, DependencyHealth], breakers: dict[str, dict[str, Any]]
) -> Literal["healthy", "degraded", "unhealthy"]:
    if any(deps[name].status != "healthy" for name in CRITICAL):
        return "unhealthy"
    if any(d.status != "healthy" for d in deps.values()):
        return "degraded"
    if any(b.get("state") == "open" for b in breakers.values()):
        return "degraded"
    return "healthy"


@router.get("", response_model=HealthReport, responses={503: {"model": HealthReport}})
async def health(request: Request, services: ServicesDep) -> Response:
    """The platform's state: 503 when the config store or Temporal is down, `degraded` when
    something it works around is. Dependencies and breakers need an `ops` key."""
    deps = await _dependencies(request, services)
    breakers = await services.breakers.snapshot()
    status = _status(deps, breakers)
    report = HealthReport(
        status=status,
        service="irx-api",
        version=VERSION,
        uptime=round(time.monotonic() - _STARTED),
        timestamp=datetime.now(UTC),
        dependencies=deps,
        circuit_breakers=breakers,
    )
    # Anyone may ask whether the platform is up; which systems and tenants it serves,
    # and how they fare, is for the platform's operators (not a tenant's admin).
    exclude = (
        None if await _is_operator(request, services) else {"dependencies", "circuit_breakers"}
    )
    body = report.model_dump(mode="json", exclude_none=True, exclude=exclude)
    return json_response(body, 503 if status == "unhealthy" else 200)


async def _is_operator(request: Request, services: Services) -> bool:
    key = api_key_of(request)
    if not key:
        return False
    try:
        principal = await services.auth.authenticate(key)
    except PlatformError:
        return False
    return OPS_SCOPE in principal.scopes


@router.get("/live", response_model=Liveness)
async def live() -> Liveness:
    """200 while the process runs."""
    return Liveness()


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(request: Request, services: ServicesDep) -> Response:
    """503 when the config store or Temporal is unreachable; 200 `degraded` when only
    something the platform works around is (Redis, the blob store)."""
    deps = await _dependencies(request, services)
    if any(deps[name].status != "healthy" for name in CRITICAL):
        return json_response(Readiness(status="not ready").model_dump(mode="json"), 503)
    degraded = any(d.status != "healthy" for d in deps.values())
    report = Readiness(status="degraded" if degraded else "ready")
    return json_response(report.model_dump(mode="json"), 200)
