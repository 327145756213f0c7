"""``enrich``: looks the insured up in a lookup system and merges the answer.

The query takes its values from the working data; the answer (JSON) is put at
``target``. A miss (404, or no value to query with) leaves the data as it was,
unless the step says ``required``.
"""

from __future__ import annotations

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


class EnrichConfig(BaseModel):
    """Config of ``enrich``."""

    system: str = Field(description="Code of the lookup system.")
    path: str = Field("/v1/companies", description="Path appended to the system's base URL.")
    query: dict[str, str] = Field(
        description="Query parameter -> dotted path of its value in the working data."
    )
    target: str = Field(description="Dotted path where the answer is merged.")
    required: bool = Field(False, description="Fail the step (ENRICHMENT_FAILED) on a miss.")


@step_type(
    "enrich",
    config=EnrichConfig,
    local=False,
    timeout_ms=10_000,
    retry=RetrySpec(max_attempts=3, initial_interval_ms=200, max_interval_ms=2_000),
    description="Calls a lookup system and merges its answer into the working data.",
    references=lambda c: [("system", c.system)],
)
async def enrich(ctx: StepContext, config: EnrichConfig, data: Any) -> StepResult:
    params = {
        name: value
        for name, path in config.query.items()
        if (value := get_path(data, path)) not in (None, "")
    }
    if not params:
        return _miss(config, "no value to look up with", list(config.query.values()))
    res = ctx.resources
    async with ctx.system(config.system) as system:
        response = await call_system(
            res.http,
            res.breakers,
            ctx.breaker(system),
            system,
            "GET",
            config.path,
            unavailable=ErrorCode.ENRICHMENT_SERVICE_UNAVAILABLE,
            rejected=ErrorCode.ENRICHMENT_FAILED,
            params=params,
            headers={"X-Correlation-Id": ctx.run.correlation_id},
            accept_status=(404,),
        )
    if response.status_code == 404:
        return _miss(config, "not found", params)
    try:
        answer = orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise PlatformError(
            ErrorCode.ENRICHMENT_FAILED,
            f"Lookup system '{system.code}' answered a body that is not JSON.",
        ) from exc
    return StepResult.changed(with_path(data, config.target, answer), hit=True, query=params)


def _miss(config: EnrichConfig, reason: str, query: Any) -> StepResult:
    if config.required:
        raise PlatformError(
            ErrorCode.ENRICHMENT_FAILED,
            f"Lookup in '{config.system}' found nothing: {reason}.",
            details={"query": query},
        )
    return StepResult.same(hit=False, reason=reason)
