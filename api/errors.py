"""Maps exceptions to the standard error envelope.

Unexpected exceptions are caught by :class:`api.middleware.CorrelationMiddleware`,
which answers INTERNAL_ERROR without any internal detail.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from api.envelope import error_response
from models.errors import ErrorCode, PlatformError

_HTTP_CODES = {
    404: ErrorCode.RESOURCE_NOT_FOUND,
    405: ErrorCode.VALIDATION_FAILED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
}


def correlation_id(request: Request) -> str | None:
    return getattr(request.state, "correlation_id", None)


async def _platform_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PlatformError)
    return error_response(exc.code, exc.message, exc.details, correlation_id(request))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {
            "path": ".".join(str(p) for p in err.get("loc", ())),
            "message": err.get("msg", ""),
        }
        for err in exc.errors()
    ]
    return error_response(
        ErrorCode.VALIDATION_FAILED,
        "The request is not valid.",
        {"problems": problems},
        correlation_id(request),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _HTTP_CODES.get(exc.status_code, ErrorCode.INTERNAL_ERROR)
    message = "No such route." if exc.status_code == 404 else str(exc.detail)
    response = error_response(code, message, None, correlation_id(request))
    response.status_code = exc.status_code
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PlatformError, _platform_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
