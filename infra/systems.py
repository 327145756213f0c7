"""HTTP calls to configured systems: auth, timeout, circuit breaker, error codes.

Shared by every step that calls out (rating engines, lookups, webhooks), so each
classifies failures the same way: a 5xx, a timeout or a refused connection is the
system being *unavailable* (retryable, and counted by the breaker); a 4xx is the
system *rejecting* the request (not retryable, and not the system's fault).
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from pydantic import SecretStr

from infra.circuit_breaker import BreakerOpen, Breakers
from infra.egress import ResponseTooLarge
from models.errors import PlatformError
from models.systems import System


def auth_headers(system: System) -> dict[str, str]:
    """Headers for the system's auth mode: none, bearer, basic or header."""
    auth = system.auth
    secret = SecretStr.get_secret_value
    if auth.mode == "bearer" and auth.token is not None:
        return {"Authorization": f"Bearer {secret(auth.token)}"}
    if auth.mode == "basic" and auth.password is not None:
        raw = f"{auth.username}:{secret(auth.password)}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    if auth.mode == "header" and auth.name is not None and auth.value is not None:
        return {auth.name: secret(auth.value)}
    return {}


async def call_system(
    http: httpx.AsyncClient,
    breakers: Breakers,
    breaker_name: str,
    system: System,
    method: str,
    path: str,
    *,
    unavailable: str,
    rejected: str,
    content: bytes | None = None,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    accept_status: tuple[int, ...] = (),
) -> httpx.Response:
    """One call to ``system``; answers below 400 (or in ``accept_status``) are returned."""
    settings = system.circuit_breaker
    if settings.enabled:
        try:
            await breakers.before_call(breaker_name, settings)
        except BreakerOpen as exc:
            # Not retried: the breaker would still be open, and the run waiting for it
            # is what the breaker exists to spare (2.2 s of backoff per rating).
            raise _breaker_open(system, unavailable, exc) from exc
    url = system.base_url.rstrip("/") + "/" + path.lstrip("/")
    try:
        response = await http.request(
            method,
            url,
            content=content,
            params=params,
            headers={**(headers or {}), **auth_headers(system)},
            timeout=system.timeout_ms / 1000,
        )
    except ResponseTooLarge as exc:
        # The system answered, only far too much: not a fault a retry would mend.
        raise _too_large(system, rejected, exc) from exc
    except httpx.HTTPError as exc:
        if settings.enabled:
            await breakers.record(breaker_name, settings, ok=False)
        raise _unreachable(system, unavailable, exc) from exc
    if settings.enabled:
        await breakers.record(breaker_name, settings, ok=response.status_code < 500)
    if response.status_code >= 400 and response.status_code not in accept_status:
        raise _refused(system, response, unavailable=unavailable, rejected=rejected)
    return response


def _breaker_open(system: System, unavailable: str, exc: BreakerOpen) -> PlatformError:
    return PlatformError(
        unavailable,
        f"System '{system.code}' is failing; its circuit breaker is open.",
        details={"system": system.code, "retryInS": round(exc.retry_in_s, 1)},
        retryable=False,
    )


def _too_large(system: System, rejected: str, exc: ResponseTooLarge) -> PlatformError:
    return PlatformError(
        rejected,
        f"System '{system.code}' answered more than {exc.limit} bytes; the answer was "
        "refused as it arrived.",
        details={"system": system.code, "maxResponseBytes": exc.limit},
    )


def _unreachable(system: System, unavailable: str, exc: httpx.HTTPError) -> PlatformError:
    reason = (
        f"did not answer within {system.timeout_ms} ms"
        if isinstance(exc, httpx.TimeoutException)
        else f"cannot be reached ({type(exc).__name__})"
    )
    return PlatformError(
        unavailable, f"System '{system.code}' {reason}.", details={"system": system.code}
    )


def _refused(
    system: System, response: httpx.Response, *, unavailable: str, rejected: str
) -> PlatformError:
    """The error for an answer of 400 or more: a 5xx is the system being unavailable,
    a 4xx the system rejecting the request."""
    if response.status_code >= 500:
        return PlatformError(
            unavailable,
            f"System '{system.code}' answered {response.status_code}.",
            details={"system": system.code, "status": response.status_code},
        )
    return PlatformError(
        rejected,
        f"System '{system.code}' refused the request ({response.status_code}).",
        details={
            "system": system.code,
            "status": response.status_code,
            "body": response.text[:2000],
        },
    )
