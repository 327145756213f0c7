"""ASGI middleware: the headers every answer carries, and the last-resort error guard.

Pure ASGI rather than ``BaseHTTPMiddleware``: it adds nothing to the hot path but
headers, and never buffers a streamed body.
"""

from __future__ import annotations

import logging
import re
import uuid

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import internal_error, unavailable_store
from api.versions import deprecation_headers, version_of
from models import log_context
from store.db import store_unavailable

log = logging.getLogger(__name__)

_VALID_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
)
# JSON answers are never cached by intermediaries nor rendered as a page; the
# OpenAPI pages (/docs) keep their own needs.
API_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
)


class StandardHeadersMiddleware:
    """Correlation and request ids (echoed, or made), security and rate-limit headers,
    and v1's deprecation (``api.versions``).

    An exception that escapes the app answers INTERNAL_ERROR with the correlation
    id and no internal detail.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        correlation_id = _id(scope, b"x-correlation-id")
        request_id = _id(scope, b"x-request-id")
        state["correlation_id"] = correlation_id
        deprecated = version_of(scope["path"]) == "v1"
        fixed = [
            (b"x-correlation-id", correlation_id.encode()),
            (b"x-request-id", request_id.encode()),
            *SECURITY_HEADERS,
            *(API_HEADERS if scope["path"].startswith("/api/") else ()),
            *(_deprecation(scope) if deprecated else ()),
        ]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                limits = state.get("rate_limit_headers", {})
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.lower().encode(), v.encode())
                    for k, v in limits.items()
                    if k.lower().encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *fixed, *extra]
            await send(message)

        try:
            # Every line about a v1 call says so: who still calls it, before its sunset.
            with log_context.bound(
                correlation_id=correlation_id, deprecated="true" if deprecated else None
            ):
                await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if store_unavailable(exc):
                log.warning(
                    "config store unavailable on %s %s",
                    scope.get("method"),
                    scope.get("path"),
                    exc_info=exc,
                )
                answer = unavailable_store(correlation_id, scope["path"])
            else:
                log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
                answer = internal_error(correlation_id, scope["path"])
            if started:
                raise
            await answer(scope, receive, send_with_headers)


def _deprecation(scope: Scope) -> list[tuple[bytes, bytes]]:
    api = scope["app"].state.services.settings.api
    return deprecation_headers(api.v2_released, api.v1_sunset_day, scope["path"])


# zlib's fastest level, as nginx's default: a 27.6 MB result took 0.12 s to 3.9 MB, where
# Starlette's default (9) took 0.92 s to 3.0 MB, on the event loop that serves HTTP.
GZIP_LEVEL = 1


class OptionalGZipMiddleware:
    """gzip above ``minimum_size`` for clients that accept it, unless they send
    ``x-no-compression``."""

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=GZIP_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _header(scope, b"x-no-compression") is not None:
            await self.app(scope, receive, send)
        else:
            await self.gzip(scope, receive, send)


def _id(scope: Scope, name: bytes) -> str:
    given = _header(scope, name)
    return given if given and _VALID_ID.match(given) else str(uuid.uuid4())


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None
