"""The standard error envelope, built in exactly one place."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from api.responses import json_response
from models.errors import CATALOG, ErrorCode


def error_body(
    code: str, message: str, details: dict[str, Any] | None, correlation_id: str | None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details or {},
            "correlationId": correlation_id,
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
    }


def error_response(
    code: ErrorCode,
    message: str | None = None,
    details: dict[str, Any] | None = None,
    correlation_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    spec = CATALOG[code]
    return json_response(
        error_body(code.value, message or spec.message, details, correlation_id),
        spec.status,
        headers,
    )
