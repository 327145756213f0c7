"""The error catalog: every error the platform reports, in one place.

Each code has an HTTP status, a message template and whether a step that fails
with it may be retried. Activities raise ``ApplicationError(type=code)``; the API
turns any ``PlatformError`` (or a failed step) into the standard envelope by code.
Plugins add their own codes with :func:`register_error_code` (through
``activities.sdk``); codes marked ``planned`` are reserved for a capability that
is not built yet and nothing raises them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from models.base import CamelModel


class ErrorCode(StrEnum):
    ORCHESTRATOR_NOT_FOUND = "ORCHESTRATOR_NOT_FOUND"
    NO_STEPS_CONFIGURED = "NO_STEPS_CONFIGURED"
    STEP_EXECUTION_FAILED = "STEP_EXECUTION_FAILED"
    STEP_HANDLER_NOT_FOUND = "STEP_HANDLER_NOT_FOUND"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED"
    API_KEY_INVALID = "API_KEY_INVALID"
    API_KEY_EXPIRED = "API_KEY_EXPIRED"
    API_KEY_PRODUCT_DENIED = "API_KEY_PRODUCT_DENIED"
    API_KEY_SCOPE_DENIED = "API_KEY_SCOPE_DENIED"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
    RESOURCE_CONFLICT = "RESOURCE_CONFLICT"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    MAPPING_FAILED = "MAPPING_FAILED"
    RULE_EVALUATION_FAILED = "RULE_EVALUATION_FAILED"
    RULE_REJECTED = "RULE_REJECTED"
    TRANSFORM_FAILED = "TRANSFORM_FAILED"
    SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
    RATING_ENGINE_REJECTED = "RATING_ENGINE_REJECTED"
    ENRICHMENT_FAILED = "ENRICHMENT_FAILED"
    MAPPING_SERVICE_UNAVAILABLE = "MAPPING_SERVICE_UNAVAILABLE"
    RULES_SERVICE_UNAVAILABLE = "RULES_SERVICE_UNAVAILABLE"
    RATING_ENGINE_UNAVAILABLE = "RATING_ENGINE_UNAVAILABLE"
    TRANSFORM_SERVICE_UNAVAILABLE = "TRANSFORM_SERVICE_UNAVAILABLE"
    ENRICHMENT_SERVICE_UNAVAILABLE = "ENRICHMENT_SERVICE_UNAVAILABLE"
    EVENT_SINK_UNAVAILABLE = "EVENT_SINK_UNAVAILABLE"
    BLOB_STORE_UNAVAILABLE = "BLOB_STORE_UNAVAILABLE"
    TEMPORAL_UNAVAILABLE = "TEMPORAL_UNAVAILABLE"
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    INTERNAL_ERROR = "INTERNAL_ERROR"


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    """A code's HTTP status, message template, and whether a step failing with it retries.

    ``planned`` marks a code reserved for a capability not built yet.
    """

    status: int
    message: str
    retryable: bool = False
    planned: bool = False


CATALOG: dict[str, ErrorSpec] = {
    ErrorCode.ORCHESTRATOR_NOT_FOUND: ErrorSpec(
        404, "No flow configured for product '{product}' endpoint '{endpoint}'."
    ),
    ErrorCode.NO_STEPS_CONFIGURED: ErrorSpec(
        404, "The flow for product '{product}' endpoint '{endpoint}' has no steps."
    ),
    ErrorCode.STEP_EXECUTION_FAILED: ErrorSpec(500, "Step '{step}' failed.", planned=True),
    ErrorCode.STEP_HANDLER_NOT_FOUND: ErrorSpec(500, "No step type named '{type}' is registered."),
    ErrorCode.PAYLOAD_TOO_LARGE: ErrorSpec(413, "The payload exceeds the limit of {limit} bytes."),
    ErrorCode.RATE_LIMIT_EXCEEDED: ErrorSpec(
        429, "Too many requests for this API key.", planned=True
    ),
    ErrorCode.API_KEY_INVALID: ErrorSpec(401, "Missing or invalid API key."),
    ErrorCode.API_KEY_EXPIRED: ErrorSpec(401, "The API key has expired."),
    ErrorCode.API_KEY_PRODUCT_DENIED: ErrorSpec(
        403, "The API key is not allowed to use product '{product}'."
    ),
    ErrorCode.API_KEY_SCOPE_DENIED: ErrorSpec(403, "The API key lacks the scope '{scope}'."),
    ErrorCode.VALIDATION_FAILED: ErrorSpec(400, "The request is not valid."),
    ErrorCode.RESOURCE_NOT_FOUND: ErrorSpec(404, "{resource} '{id}' was not found."),
    ErrorCode.RESOURCE_CONFLICT: ErrorSpec(409, "{resource} '{id}' already exists."),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: ErrorSpec(
        422, "The idempotency key was already used with a different request body.", planned=True
    ),
    ErrorCode.VERSION_CONFLICT: ErrorSpec(412, "The resource changed since it was read."),
    ErrorCode.MAPPING_FAILED: ErrorSpec(422, "The mapping could not be applied."),
    ErrorCode.RULE_EVALUATION_FAILED: ErrorSpec(422, "A rule could not be evaluated."),
    ErrorCode.RULE_REJECTED: ErrorSpec(422, "The request was rejected by a rule."),
    ErrorCode.TRANSFORM_FAILED: ErrorSpec(422, "The document could not be transformed."),
    ErrorCode.SCHEMA_VALIDATION_FAILED: ErrorSpec(422, "The document does not match its schema."),
    ErrorCode.RATING_ENGINE_REJECTED: ErrorSpec(
        502, "The rating engine refused the request or answered something unreadable."
    ),
    ErrorCode.ENRICHMENT_FAILED: ErrorSpec(422, "The enrichment lookup failed."),
    ErrorCode.MAPPING_SERVICE_UNAVAILABLE: ErrorSpec(
        503, "Mappings cannot be loaded right now.", retryable=True
    ),
    ErrorCode.RULES_SERVICE_UNAVAILABLE: ErrorSpec(
        503, "Rules cannot be loaded right now.", retryable=True
    ),
    ErrorCode.RATING_ENGINE_UNAVAILABLE: ErrorSpec(
        503, "The rating engine cannot be reached.", retryable=True
    ),
    ErrorCode.TRANSFORM_SERVICE_UNAVAILABLE: ErrorSpec(
        503, "The transform cannot run right now.", retryable=True, planned=True
    ),
    ErrorCode.ENRICHMENT_SERVICE_UNAVAILABLE: ErrorSpec(
        503, "The enrichment service cannot be reached.", retryable=True
    ),
    ErrorCode.EVENT_SINK_UNAVAILABLE: ErrorSpec(
        503, "The event sink cannot be reached.", retryable=True
    ),
    ErrorCode.BLOB_STORE_UNAVAILABLE: ErrorSpec(
        503, "The payload store cannot be reached.", retryable=True
    ),
    ErrorCode.TEMPORAL_UNAVAILABLE: ErrorSpec(
        503, "The workflow service cannot be reached.", retryable=True
    ),
    ErrorCode.REQUEST_TIMEOUT: ErrorSpec(408, "The request exceeded its timeout."),
    ErrorCode.METHOD_NOT_ALLOWED: ErrorSpec(405, "The route does not accept this method."),
    ErrorCode.INTERNAL_ERROR: ErrorSpec(500, "Unexpected server error.", retryable=True),
}

# The platform's own non-retryable codes, named in every step's Temporal retry
# policy (a plugin's codes are marked non-retryable on the error itself).
NON_RETRYABLE_CODES: tuple[str, ...] = tuple(
    code for code, spec in CATALOG.items() if not spec.retryable
)
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{2,63}$")


def register_error_code(code: str, *, status: int, message: str, retryable: bool = False) -> str:
    """Adds a plugin's error code to the catalog; returns the code.

    Registering the same code again with the same spec is a no-op (modules may be
    imported twice); anything else that reuses a code is refused.

    Raises:
        ValueError: the code is malformed, or already means something else.
    """
    if not _CODE.match(code):
        raise ValueError(f"error code {code!r} must be UPPER_SNAKE_CASE (3-64 characters)")
    if not 400 <= status <= 599:
        raise ValueError(f"error code {code!r} needs an HTTP error status, not {status}")
    spec = ErrorSpec(status, message, retryable)
    existing = CATALOG.get(code)
    if existing is not None and existing != spec:
        raise ValueError(f"error code {code!r} is already registered")
    CATALOG[code] = spec
    return code


def spec_of(code: str) -> ErrorSpec:
    """The catalog entry for ``code``; unknown codes read as INTERNAL_ERROR."""
    return CATALOG.get(code) or CATALOG[ErrorCode.INTERNAL_ERROR]


class ErrorBody(CamelModel):
    """The standard error: the body of every error response, and a failed run's ``error``."""

    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)
    correlation_id: str | None = None
    timestamp: datetime


class RunErrorPublic(ErrorBody):
    """Why a run failed: the standard error, plus the step that failed (if one did)."""

    step: str | None = None


class ErrorEnvelope(CamelModel):
    error: ErrorBody


class PlatformError(Exception):
    """An error with a catalog code; raised anywhere, rendered in one place.

    Args:
        code: A catalog code (an ``ErrorCode`` or a plugin's registered code).
        message: Overrides the catalog's message template.
        details: Machine-readable details for the caller (paths, limits...).
        **params: Values for the catalog's message template.
    """

    def __init__(
        self,
        code: str,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        if code not in CATALOG:
            raise ValueError(f"{code!r} is not a registered error code")
        self.code = str(code)
        self.spec = CATALOG[code]
        self.message = message or self.spec.message.format(**params)
        self.details = details or {}
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return self.spec.status

    @property
    def retryable(self) -> bool:
        return self.spec.retryable
