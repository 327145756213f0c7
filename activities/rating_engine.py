"""``call_rating_engine``: sends the working data to a rating engine system over HTTP.

5xx answers, timeouts and connection failures are RATING_ENGINE_UNAVAILABLE and
retried; 4xx answers and unreadable bodies are RATING_ENGINE_REJECTED and not.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
import orjson
from pydantic import BaseModel, Field

from activities.paths import get_path, with_path
from activities.registry import StepContext, StepResult, step_type
from models.errors import ErrorCode, PlatformError
from models.flow import RetrySpec
from store.directory import SystemInfo


class CallRatingEngineConfig(BaseModel):
    """Config of ``call_rating_engine``."""

    system: str = Field(description="Code of the rating-engine system to call.")
    path: str = Field("/v1/rate", description="Path appended to the system's base URL.")
    request: str | None = Field(
        None, description="Dotted path of the part of the working data to send (all if unset)."
    )
    response: str | None = Field(
        None, description="Dotted path where the answer is put (replaces the data if unset)."
    )


def auth_headers(system: SystemInfo) -> dict[str, str]:
    """Headers for the system's auth mode: none, bearer, basic or header."""
    auth = system.auth or {}
    mode = auth.get("mode", "none")
    if mode == "bearer":
        return {"Authorization": f"Bearer {auth['token']}"}
    if mode == "basic":
        raw = f"{auth['username']}:{auth['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    if mode == "header":
        return {str(auth["name"]): str(auth["value"])}
    return {}


async def post_json(http: httpx.AsyncClient, system: SystemInfo, path: str, body: Any) -> Any:
    """POSTs ``body`` to the system and returns its parsed JSON answer."""
    url = system.base_url.rstrip("/") + "/" + path.lstrip("/")
    headers = {"Content-Type": "application/json", **auth_headers(system)}
    try:
        response = await http.post(
            url,
            content=orjson.dumps(body),
            headers=headers,
            timeout=system.timeout_ms / 1000,
        )
    except httpx.TimeoutException as exc:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_UNAVAILABLE,
            f"Rating engine '{system.code}' did not answer within {system.timeout_ms} ms.",
        ) from exc
    except httpx.HTTPError as exc:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_UNAVAILABLE,
            f"Rating engine '{system.code}' cannot be reached: {type(exc).__name__}.",
        ) from exc
    if response.status_code >= 500:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_UNAVAILABLE,
            f"Rating engine '{system.code}' answered {response.status_code}.",
            details={"status": response.status_code},
        )
    if response.status_code >= 400:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_REJECTED,
            f"Rating engine '{system.code}' refused the request ({response.status_code}).",
            details={"status": response.status_code, "body": response.text[:2000]},
        )
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError as exc:
        raise PlatformError(
            ErrorCode.RATING_ENGINE_REJECTED,
            f"Rating engine '{system.code}' answered a body that is not JSON.",
            details={"status": response.status_code, "body": response.text[:200]},
        ) from exc


@step_type(
    "call_rating_engine",
    config=CallRatingEngineConfig,
    local=False,
    timeout_ms=30_000,
    retry=RetrySpec(max_attempts=3, initial_interval_ms=200, max_interval_ms=2_000),
    description="Calls the configured rating engine over HTTP and merges its answer.",
)
async def call_rating_engine(
    ctx: StepContext, config: CallRatingEngineConfig, data: Any
) -> StepResult:
    system = await ctx.resources.directory.system(ctx.run.organization_id, config.system)
    answer = await post_json(
        ctx.resources.http, system, config.path, get_path(data, config.request)
    )
    return StepResult(with_path(data, config.response, answer), {"system": system.code})
