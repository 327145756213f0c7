"""The one place exceptions become HTTP answers: the standard error envelope.

A ``PlatformError`` answers its catalog code; request validation answers
VALIDATION_FAILED listing every problem; Starlette's HTTP errors (unknown route,
wrong method) answer their own codes; anything else is INTERNAL_ERROR with no
internal detail (:class:`api.middleware.StandardHeadersMiddleware` calls
:func:`internal_error` for what escapes the app). The request's path decides the form:
v1's envelope, or v2's problem details (``api.problems``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.problems import PROBLEM_JSON, problem
from api.responses import json_response
from api.versions import version_of
from models.errors import CATALOG, ErrorBody, ErrorCode, ErrorEnvelope, PlatformError
from models.tables import utcnow

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: (ErrorCode.VALIDATION_FAILED, None),
    404: (ErrorCode.RESOURCE_NOT_FOUND, "No such route."),
    405: (ErrorCode.METHOD_NOT_ALLOWED, None),
    413: (ErrorCode.PAYLOAD_TOO_LARGE, None),
}


class BodyTooLarge(HTTPException):
    """A body that passed its bound while streaming in (raised from ``receive``, which
    FastAPI lets through only as an ``HTTPException``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413)
        self.limit = limit


class BodyStalled(HTTPException):
    """A body that stopped arriving (raised from ``receive``, as :class:`BodyTooLarge`)."""

    def __init__(self, idle_s: float) -> None:
        super().__init__(408)
        self.idle_s = idle_s


def error_response(
    code: str,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    correlation_id: str | None = None,
    headers: dict[str, str] | None = None,
    path: str = "",
) -> Response:
    """The envelope for ``code`` (a problem under ``/api/v2``), with the catalog's status."""
    spec = CATALOG[code]
    if version_of(path) == "v2":
        content = problem(code, message or spec.message, details or {}, correlation_id, path)
        return Response(orjson.dumps(content), spec.status, headers, PROBLEM_JSON)
    body = ErrorEnvelope(
        error=ErrorBody(
            code=code,
            message=message or spec.message,
            details=details or {},
            correlation_id=correlation_id,
            timestamp=utcnow(),
        )
    )
    return json_response(body.model_dump(mode="json"), spec.status, headers)


def internal_error(correlation_id: str | None, path: str = "") -> Response:
    return error_response(ErrorCode.INTERNAL_ERROR, correlation_id=correlation_id, path=path)


def _correlation_id(request: Request) -> str | None:
    return getattr(request.state, "correlation_id", None)


def _refused(request: Request, status: int, code: str, message: str) -> None:
    """One line per refused request, so an operator finds it by its correlation id
    (which the log context adds); the formatter masks what the message quotes."""
    level = logging.WARNING if status >= 500 else logging.INFO
    log.log(
        level, "%s %s answered %s %s: %s", request.method, request.url.path, status, code, message
    )


async def _platform_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PlatformError)
    _refused(request, exc.status, exc.code, exc.message)
    return error_response(
        exc.code,
        exc.message,
        exc.details,
        _correlation_id(request),
        exc.headers or None,
        request.url.path,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"path": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
        for err in exc.errors()
    ]
    _refused(request, 400, ErrorCode.VALIDATION_FAILED, f"{len(problems)} problem(s)")
    return error_response(
        ErrorCode.VALIDATION_FAILED,
        "The request is not valid.",
        {"problems": problems},
        _correlation_id(request),
        path=request.url.path,
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code, message = _HTTP_CODES.get(exc.status_code, (ErrorCode.INTERNAL_ERROR, None))
    if code == ErrorCode.VALIDATION_FAILED:
        message = str(exc.detail)
    headers = dict(exc.headers) if exc.headers else None
    if isinstance(exc, BodyTooLarge):
        too_large = PlatformError(
            ErrorCode.PAYLOAD_TOO_LARGE, details={"limitBytes": exc.limit}, limit=exc.limit
        )
        return await _platform_error(request, too_large)
    if isinstance(exc, BodyStalled):
        stalled = PlatformError(
            ErrorCode.REQUEST_TIMEOUT,
            f"The request body stopped arriving: nothing came for {exc.idle_s:g} s.",
            details={"idleTimeoutS": exc.idle_s},
        )
        return await _platform_error(request, stalled)
    if exc.status_code == 405:
        # Starlette names only the first route that matched the path; every route
        # of the path counts.
        headers = {"Allow": ", ".join(_methods_of(request))}
    return error_response(code, message, None, _correlation_id(request), headers, request.url.path)


def _methods_of(request: Request) -> list[str]:
    """The methods the OpenAPI document lists for this path, whichever route serves them."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), request.url.path):
            methods |= {m.upper() for m in operations}
    return sorted(methods)


def unavailable_store(correlation_id: str | None, path: str = "") -> Response:
    """The config store refused or did not answer (down, pool exhausted, SQLite locked
    under load): the caller may retry, so 503 rather than a fault of ours."""
    return error_response(
        ErrorCode.CONFIG_STORE_UNAVAILABLE,
        correlation_id=correlation_id,
        headers={"Retry-After": "1"},
        path=path,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PlatformError, _platform_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
