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
from enum import StrEnum
from typing import Any

from pydantic import Field

from models.base import CamelModel, UtcDateTime


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
    API_KEY_VERSION_DENIED = "API_KEY_VERSION_DENIED"
    PLAN_LIMIT_EXCEEDED = "PLAN_LIMIT_EXCEEDED"
    API_OVERLOADED = "API_OVERLOADED"
    CONFIG_STORE_UNAVAILABLE = "CONFIG_STORE_UNAVAILABLE"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    RESOURCE_NOT_FOUND = "RESOURCE_NOT_FOUND"
    RESOURCE_CONFLICT = "RESOURCE_CONFLICT"
    PUBLISHED_VERSIONS_DIVERGE = "PUBLISHED_VERSIONS_DIVERGE"
    NO_EFFECTIVE_VERSION = "NO_EFFECTIVE_VERSION"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    REPLAY_UNAVAILABLE = "REPLAY_UNAVAILABLE"
    SIMULATION_REFUSED = "SIMULATION_REFUSED"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    PRECONDITION_REQUIRED = "PRECONDITION_REQUIRED"
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
    WORKING_DOCUMENT_LOST = "WORKING_DOCUMENT_LOST"
    ARCHIVE_CORRUPT = "ARCHIVE_CORRUPT"
    SECRETS_UNAVAILABLE = "SECRETS_UNAVAILABLE"
    PAYLOAD_KEYS_UNAVAILABLE = "PAYLOAD_KEYS_UNAVAILABLE"
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
    when: str = ""  # when it is answered, for docs/errors.md


CATALOG: dict[str, ErrorSpec] = {
    ErrorCode.ORCHESTRATOR_NOT_FOUND: ErrorSpec(
        404,
        "No flow configured for product '{product}' endpoint '{endpoint}'.",
        when="unknown product or endpoint, or a flow never published",
    ),
    ErrorCode.NO_STEPS_CONFIGURED: ErrorSpec(
        404,
        "The flow for product '{product}' endpoint '{endpoint}' has no steps.",
        when="the published flow has no steps",
    ),
    ErrorCode.STEP_EXECUTION_FAILED: ErrorSpec(
        500,
        "Step '{step}' failed.",
        planned=True,
        when="a generic step failure (today a failed step reports its own code)",
    ),
    ErrorCode.STEP_HANDLER_NOT_FOUND: ErrorSpec(
        500,
        "No step type named '{type}' is registered.",
        when="a step type is not registered on the worker that ran it "
        "(a plugin not installed there)",
    ),
    ErrorCode.PAYLOAD_TOO_LARGE: ErrorSpec(
        413,
        "The payload exceeds the limit of {limit} bytes.",
        when="body over the product's limit",
    ),
    ErrorCode.RATE_LIMIT_EXCEEDED: ErrorSpec(
        429,
        "Too many requests for this API key: {limit} per minute.",
        retryable=True,
        when="the key used its plan's requests per minute; retry after `Retry-After`",
    ),
    ErrorCode.API_KEY_INVALID: ErrorSpec(
        401,
        "Missing or invalid API key.",
        when="missing, unknown or revoked key",
    ),
    ErrorCode.API_KEY_EXPIRED: ErrorSpec(
        401,
        "The API key has expired.",
        when="expired key",
    ),
    ErrorCode.API_KEY_PRODUCT_DENIED: ErrorSpec(
        403,
        "The API key is not allowed to use product '{product}'.",
        when="the key is not allowed this product",
    ),
    ErrorCode.API_KEY_SCOPE_DENIED: ErrorSpec(
        403,
        "The API key lacks the scope '{scope}'.",
        when="the key lacks the scope of this action",
    ),
    ErrorCode.API_KEY_VERSION_DENIED: ErrorSpec(
        403,
        "The API key is pinned to API {pinned}; this route is {requested}.",
        when="the key is pinned to another API version than the route's",
    ),
    ErrorCode.PLAN_LIMIT_EXCEEDED: ErrorSpec(
        403,
        "The {plan} plan allows at most {limit} {resource}.",
        when="creating one more product, API key, rule or mapping "
        "would pass the organization's plan",
    ),
    ErrorCode.API_OVERLOADED: ErrorSpec(
        503,
        "The API is at capacity; retry shortly.",
        retryable=True,
        when="this API process already waits on its maximum of synchronous ratings, the "
        "product's recent runs take most of its timeout (`details.reason: queueTime`), or "
        "an async request finds the product's maximum of runs in flight "
        "(`asyncInFlight`); retry after `Retry-After`",
    ),
    ErrorCode.CONFIG_STORE_UNAVAILABLE: ErrorSpec(
        503,
        "The config store is busy or cannot be reached; retry shortly.",
        retryable=True,
        when="the database is unreachable, its pool stays exhausted, or (SQLite) another "
        "writer holds it past the busy timeout; retry after `Retry-After`",
    ),
    ErrorCode.VALIDATION_FAILED: ErrorSpec(
        400,
        "The request is not valid.",
        when="malformed JSON, a schema failure, an invalid flow at publish",
    ),
    ErrorCode.RESOURCE_NOT_FOUND: ErrorSpec(
        404,
        "{resource} '{id}' was not found.",
        when="a config entity, transaction or route does not exist",
    ),
    ErrorCode.RESOURCE_CONFLICT: ErrorSpec(
        409,
        "{resource} '{id}' already exists.",
        when="the config entity already exists",
    ),
    ErrorCode.PUBLISHED_VERSIONS_DIVERGE: ErrorSpec(
        409,
        "The published versions of product '{product}' pinned different configurations.",
        when="an export finds a product's endpoints (or the dated versions of one endpoint) "
        "running different mappings, rules or request schemas (publish them again from one "
        "configuration)",
    ),
    ErrorCode.NO_EFFECTIVE_VERSION: ErrorSpec(
        422,
        "No published version of product '{product}' endpoint '{endpoint}' is in force on {date}.",
        when="a rating request is dated (at the product's `effectiveDatePath`, or today) "
        "before the earliest `effectiveFrom` of the endpoint's published versions; "
        "`details`: `effectiveDate`, `earliestEffectiveFrom`",
    ),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: ErrorSpec(
        422,
        "The idempotency key was already used with a different request.",
        when="the idempotency key already names a transaction of another request "
        "(body, product or endpoint)",
    ),
    ErrorCode.REPLAY_UNAVAILABLE: ErrorSpec(
        410,
        "Transaction '{id}' can no longer be replayed: {why}.",
        when="a transaction is replayed or re-rated, but its request is no longer kept (a "
        "small request of a transaction written before requests were kept lives only in its "
        "run's Temporal history, gone past the namespace's retention; a sealed one whose key "
        "left IRX_SECRET_KEYS) or the flow version it was pinned to is gone",
    ),
    ErrorCode.SIMULATION_REFUSED: ErrorSpec(
        422,
        "System '{system}' takes no simulations.",
        when="a simulation (a draft tried, a re-rating, an impact analysis, a challenger) "
        "would call a system marked `simulation: false`",
    ),
    ErrorCode.VERSION_CONFLICT: ErrorSpec(
        412,
        "The resource changed since it was read.",
        when="`If-Match` does not match the current `ETag`",
    ),
    ErrorCode.PRECONDITION_REQUIRED: ErrorSpec(
        428,
        "Replacing this resource needs If-Match with its current ETag.",
        when="a replace of an existing config entity without `If-Match` (read it first; "
        "`If-Match: *` replaces whatever is there)",
    ),
    ErrorCode.MAPPING_FAILED: ErrorSpec(
        422,
        "The mapping could not be applied.",
        when="a mapping could not be applied (reported in a failed run)",
    ),
    ErrorCode.RULE_EVALUATION_FAILED: ErrorSpec(
        422,
        "A rule could not be evaluated.",
        when="a rule could not be evaluated (reported in a failed run)",
    ),
    ErrorCode.RULE_REJECTED: ErrorSpec(
        422,
        "The request was rejected by a rule.",
        when="a rule rejected the request (reported in a failed run)",
    ),
    ErrorCode.TRANSFORM_FAILED: ErrorSpec(
        422,
        "The document could not be transformed.",
        when="a document could not be converted (reported in a failed run)",
    ),
    ErrorCode.SCHEMA_VALIDATION_FAILED: ErrorSpec(
        422,
        "The document does not match its schema.",
        when="an XML document fails its XSD (reported in a failed run)",
    ),
    ErrorCode.RATING_ENGINE_REJECTED: ErrorSpec(
        502,
        "The rating engine refused the request or answered something unreadable.",
        when="the engine refused the request (4xx) or answered garbage; not retried",
    ),
    ErrorCode.ENRICHMENT_FAILED: ErrorSpec(
        422,
        "The enrichment lookup failed.",
        when="a required lookup found nothing (reported in a failed run)",
    ),
    ErrorCode.MAPPING_SERVICE_UNAVAILABLE: ErrorSpec(
        503,
        "Mappings cannot be loaded right now.",
        retryable=True,
        when="a worker cannot read mappings from the config store; retried",
    ),
    ErrorCode.RULES_SERVICE_UNAVAILABLE: ErrorSpec(
        503,
        "Rules cannot be loaded right now.",
        retryable=True,
        when="a worker cannot read rules from the config store; retried",
    ),
    ErrorCode.RATING_ENGINE_UNAVAILABLE: ErrorSpec(
        503,
        "The rating engine cannot be reached.",
        retryable=True,
        when="the engine cannot be reached, times out or answers 5xx; retried",
    ),
    ErrorCode.TRANSFORM_SERVICE_UNAVAILABLE: ErrorSpec(
        503,
        "The transform cannot run right now.",
        retryable=True,
        planned=True,
        when="an external transform service cannot be reached",
    ),
    ErrorCode.ENRICHMENT_SERVICE_UNAVAILABLE: ErrorSpec(
        503,
        "The enrichment service cannot be reached.",
        retryable=True,
        when="the lookup system cannot be reached; retried",
    ),
    ErrorCode.EVENT_SINK_UNAVAILABLE: ErrorSpec(
        503,
        "The event sink cannot be reached.",
        retryable=True,
        when="the event sink cannot be reached; retried",
    ),
    ErrorCode.BLOB_STORE_UNAVAILABLE: ErrorSpec(
        503,
        "The payload store cannot be reached.",
        retryable=True,
        when="the payload store cannot be reached; retried",
    ),
    ErrorCode.WORKING_DOCUMENT_LOST: ErrorSpec(
        503,
        "The working document '{key}' is gone: the worker that held it was lost.",
        when="a local step's document was handed to the next step in a worker's memory and "
        "that worker was lost; the run repeats the steps since its last stored document, so "
        "a caller sees it only if that fails too",
    ),
    ErrorCode.ARCHIVE_CORRUPT: ErrorSpec(
        500,
        "The archive at '{key}' does not match its manifest: {problem}.",
        when="an archived day fails its checksums (irx archive verify, restore, or the "
        "archival run reading a day back); nothing is deleted from the database then",
    ),
    ErrorCode.SECRETS_UNAVAILABLE: ErrorSpec(
        503,
        "Credentials cannot be sealed or opened: the platform's secret keys are not "
        "configured here, or not the ones they were sealed with.",
        # Retried: during a rollout another worker may hold the key this one lacks.
        retryable=True,
        when="a system's credentials are stored or used where `IRX_SECRET_KEYS` is "
        "missing or lacks their key",
    ),
    ErrorCode.PAYLOAD_KEYS_UNAVAILABLE: ErrorSpec(
        503,
        "Temporal payloads cannot be encrypted or decrypted here: the platform's payload "
        "keys are not configured, or not the one this payload was encrypted with.",
        when="the codec server (`/codec/encode`, `/codec/decode`) runs where "
        "`IRX_TEMPORAL__PAYLOAD_KEYS` is missing or lacks a payload's key",
    ),
    ErrorCode.TEMPORAL_UNAVAILABLE: ErrorSpec(
        503,
        "The workflow service cannot be reached.",
        retryable=True,
        when="the workflow service cannot be reached",
    ),
    ErrorCode.REQUEST_TIMEOUT: ErrorSpec(
        408,
        "The request exceeded its timeout.",
        when="the run (or a step) did not finish within its timeout, or the request's "
        "head (`details.headerTimeoutS`) or body (`details.idleTimeoutS`) stopped arriving",
    ),
    ErrorCode.METHOD_NOT_ALLOWED: ErrorSpec(
        405,
        "The route does not accept this method.",
        when="the route does not accept this method (`Allow` lists those it does)",
    ),
    ErrorCode.INTERNAL_ERROR: ErrorSpec(
        500,
        "Unexpected server error.",
        retryable=True,
        when="anything unexpected; no internal detail is returned",
    ),
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
    spec = ErrorSpec(status, message, retryable, when=message)
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
    timestamp: UtcDateTime


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
        headers: HTTP headers the answer carries (``Retry-After``...).
        retryable: Overrides the catalog's retryability for this one failure (an open
            circuit breaker: the system is unavailable, but retrying at once would only
            find the breaker open again).
        **params: Values for the catalog's message template.
    """

    def __init__(
        self,
        code: str,
        message: str | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retryable: bool | None = None,
        **params: Any,
    ) -> None:
        if code not in CATALOG:
            raise ValueError(f"{code!r} is not a registered error code")
        self.code = str(code)
        self.spec = CATALOG[code]
        self.message = message or self.spec.message.format(**params)
        self.details = details or {}
        self.headers = headers or {}
        self.retryable = self.spec.retryable if retryable is None else retryable
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return self.spec.status


def catalog_markdown() -> str:
    """``docs/errors.md``: the catalog as operators and API clients read it."""
    lines = [
        "# Error catalog",
        "",
        "Generated from `models/errors.py` by `irx docs errors > docs/errors.md`; a test",
        "fails when the two differ. Every error answers the envelope of `docs/api.md`.",
        "*Retried* codes are retried by a step's retry policy when a step fails with",
        "them; *planned* codes are reserved for a capability not built yet and nothing",
        "answers them today. Plugins add codes of their own (`docs/extending.md`).",
        "",
        "Under `/api/v2` an error is an RFC 9457 problem (`application/problem+json`) whose",
        "`type` is the code's anchor here (`/docs/errors.md#rule_rejected`), `title` its",
        "catalog message (blanks as `…`), `detail` the occurrence's message; `code`,",
        "`correlationId` and each of the error's `details` are members of their own:",
        "",
        "```json",
        '{"type": "/docs/errors.md#rate_limit_exceeded",',
        ' "title": "Too many requests for this API key: … per minute.",',
        ' "status": 429, "detail": "Too many requests for this API key: 100 per minute.",',
        ' "instance": "/api/v2/IMCE/rate", "code": "RATE_LIMIT_EXCEEDED",',
        ' "correlationId": "3f2c…", "limit": 100, "retryAfterS": 17}',
        "```",
        "",
        "| code | HTTP | retried | when |",
        "| --- | --- | --- | --- |",
    ]
    for code in ErrorCode:
        spec = CATALOG[code]
        when = f"planned: {spec.when}" if spec.planned else spec.when
        retried = "yes" if spec.retryable else "no"
        lines.append(
            f"| <a id='{code.lower()}'></a>`{code}` | {spec.status} | {retried} | {when} |"
        )
    return "\n".join(lines) + "\n"
