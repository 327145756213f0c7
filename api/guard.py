"""The door: every ``/api/`` request but health is authenticated, rate limited and its
body bounded before the app reads a single byte of it.

FastAPI reads a request's body before it solves the route's dependencies, so a
dependency would authenticate only after a 200 MB body had been buffered. This
middleware runs first: an unknown key, an exhausted rate or a too-large body is
answered at once, and a client address that keeps failing authentication is
slowed down with 429s.
"""

from __future__ import annotations

import asyncio
import re

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import BodyStalled, BodyTooLarge, error_response
from models.errors import ErrorCode, PlatformError
from models.principal import Principal

PUBLIC = re.compile(r"^/api/v[12]/health(/live|/ready)?/?$")
RATE_ROUTE = re.compile(r"^/api/v[12]/[^/]+/[^/]+/?$")  # POST /api/{version}/{product}/{endpoint}


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith("/api/") or PUBLIC.match(path):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            scope["state"]["principal"] = await admit(request)
            limit = body_limit(request)
        except PlatformError as exc:
            cid = scope["state"].get("correlation_id")
            answer = error_response(
                exc.code, exc.message, exc.details, cid, exc.headers or None, path
            )
            await answer(scope, receive, send)
            return
        if limit is not None:
            receive = _bounded(receive, limit)
        idle_s: float = request.app.state.services.settings.api.body_idle_timeout_s
        await self.app(scope, _stalls_after(receive, idle_s), send)


async def admit(request: Request) -> Principal:
    """The caller: authenticated, on its pinned API version, within its rate limit."""
    services = request.app.state.services
    limiter, api = services.limiter, services.settings.api
    address = f"authfail:{request.client.host if request.client else 'unknown'}"
    # An address that keeps presenting bad keys is refused before its next guess is checked.
    if not (await limiter.hit(address, api.auth_failures_per_minute, consume=False)).allowed:
        raise _throttled(api.auth_failures_per_minute)
    try:
        principal: Principal = await services.auth.authenticate(api_key_of(request))
    except PlatformError:
        if not (await limiter.hit(address, api.auth_failures_per_minute)).allowed:
            raise _throttled(api.auth_failures_per_minute) from None
        raise
    version = request.url.path.split("/")[2]  # /api/{version}/...: the path decides
    principal.require_version(version)
    limit = principal.limits.requests_per_minute
    decision = await limiter.hit(principal.api_key_id, limit)
    # Every answer to this caller carries its limit (api/middleware.py adds them).
    request.state.rate_limit_headers = decision.headers(version)
    if not decision.allowed:
        raise PlatformError(
            ErrorCode.RATE_LIMIT_EXCEEDED,
            details={"limit": limit, "retryAfterS": max(1, decision.reset_s)},
            headers=decision.headers(version),
            limit=limit,
        )
    return principal


def body_limit(request: Request) -> int | None:
    """The bound of a config write's body (the rate route bounds its own, per product)."""
    if request.method not in ("POST", "PUT", "PATCH") or (
        request.method == "POST" and RATE_ROUTE.match(request.url.path)
    ):
        return None
    limit: int = request.app.state.services.settings.api.max_config_body_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PlatformError(ErrorCode.PAYLOAD_TOO_LARGE, details={"limitBytes": limit}, limit=limit)
    return limit


def api_key_of(request: Request) -> str | None:
    """The key a request presents: ``X-API-Key``, or ``Authorization: Bearer``."""
    key = request.headers.get("x-api-key")
    if key:
        return key
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _throttled(limit: int) -> PlatformError:
    return PlatformError(
        ErrorCode.RATE_LIMIT_EXCEEDED,
        "Too many failed authentications from this address.",
        details={"limit": limit, "retryAfterS": 60},
        headers={"Retry-After": "60"},
        limit=limit,
    )


def _stalls_after(receive: Receive, idle_s: float) -> Receive:
    """``receive`` that refuses (408) a body once nothing of it arrives for ``idle_s``;
    after the body's last piece it waits as long as the server does (a disconnect)."""
    complete = False

    async def watched() -> Message:
        nonlocal complete
        if complete:
            return await receive()
        try:
            message = await asyncio.wait_for(receive(), idle_s)
        except TimeoutError:
            raise BodyStalled(idle_s) from None
        complete = message["type"] != "http.request" or not message.get("more_body", False)
        return message

    return watched


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive`` that refuses (413) a body the moment it passes ``limit`` bytes."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                # FastAPI passes HTTPExceptions raised while reading a body through.
                raise BodyTooLarge(limit)
        return message

    return bounded
