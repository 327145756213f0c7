"""``call_rating_engine``: sends the working data to a rating engine over HTTP.

JSON engines (Earnix-like) get a JSON body and answer JSON; XML engines
(Ratabase-like) get the XML text found at ``request`` (usually written there by a
``format_transform`` step) and their XML answer is put at ``response`` as text.
"""

from __future__ import annotations

import time
from typing import Any

import orjson
from pydantic import BaseModel, Field

from activities.sdk import (
    ErrorCode,
    PlatformError,
    RetrySpec,
    StepContext,
    StepResult,
    call_system,
    get_path,
    step_type,
    with_path,
)
from infra.metrics import ENGINE_SECONDS

_XML_TYPES = ("application/xml", "text/xml")


class CallRatingEngineConfig(BaseModel):
    """Config of ``call_rating_engine``."""

    system: str = Field(description="Code of the rating-engine system to call.")
    path: str = Field("/v1/rate", description="Path appended to the system's base URL.")
    request: str | None = Field(
        None,
        description="Dotted path of what to send (all if unset); XML text for XML systems.",
    )
    response: str | None = Field(
        None, description="Dotted path where the answer is put (replaces the data if unset)."
    )


def _request_body(protocol: str, value: Any, system: str) -> tuple[bytes, str]:
    if protocol == "xml":
        if not isinstance(value, str):
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                f"XML system '{system}' needs XML text at the step's request path, "
                f"found a {type(value).__name__}; convert it with format_transform first.",
            )
        return value.encode(), "application/xml"
    return orjson.dumps(value), "application/json"


def _answer(protocol: str, body: bytes, content_type: str, system: str) -> Any:
    if protocol == "xml":
        text = body.decode("utf-8", errors="replace").lstrip()
        if not text.startswith("<") or not any(t in content_type for t in _XML_TYPES):
            raise PlatformError(
                ErrorCode.RATING_ENGINE_REJECTED,
                f"Rating engine '{system}' answered something that is not XML.",
                details={"body": text[:200]},
            )
        return text
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_REJECTED,
            f"Rating engine '{system}' answered a body that is not JSON.",
            details={"body": body[:200].decode("utf-8", errors="replace")},
        ) from exc


@step_type(
    "call_rating_engine",
    config=CallRatingEngineConfig,
    local=False,
    timeout_ms=30_000,
    retry=RetrySpec(max_attempts=3, initial_interval_ms=200, max_interval_ms=2_000),
    description="Calls the configured rating engine over HTTP (JSON or XML).",
    references=lambda c: [("system", c.system)],
)
async def call_rating_engine(
    ctx: StepContext, config: CallRatingEngineConfig, data: Any
) -> StepResult:
    res = ctx.resources
    async with ctx.system(config.system) as system:
        request = get_path(data, config.request)
        body, content_type = _request_body(system.protocol, request, system.code)
        started = time.perf_counter()
        response = await call_system(
            res.http,
            res.breakers,
            ctx.breaker(system),
            system,
            "POST",
            config.path,
            unavailable=ErrorCode.RATING_ENGINE_UNAVAILABLE,
            rejected=ErrorCode.RATING_ENGINE_REJECTED,
            content=body,
            headers={
                "Content-Type": content_type,
                "X-Correlation-Id": ctx.run.correlation_id,
            },
        )
    if ctx.run.mode == "live":  # production's engine latency, not a test region's
        # The reference engine names itself: its calls are the mock's, not a real engine's.
        mock = "true" if response.headers.get("x-rating-engine") == "irx-reference" else "false"
        ENGINE_SECONDS.labels(system.code, mock).observe(time.perf_counter() - started)
    answer = _answer(
        system.protocol, response.content, response.headers.get("content-type", ""), system.code
    )
    return StepResult.changed(
        with_path(data, config.response, answer),
        system=system.code,
        protocol=system.protocol,
        status=response.status_code,
    )
