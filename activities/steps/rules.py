"""``apply_rules``: the product's active rules for a phase, in priority order."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from activities.sdk import (
    ErrorCode,
    PlatformError,
    RetrySpec,
    StepContext,
    StepResult,
    get_path,
    step_type,
)
from infra.metrics import RULES_APPLIED, RULES_EVALUATED


class ApplyRulesConfig(BaseModel):
    """Config of ``apply_rules``."""

    phase: Literal["pre_rating", "post_rating"]
    scope: dict[str, str] = Field(
        default_factory=dict,
        description="Scope tag -> dotted path of its value in the data, e.g. {'state': 'state'}.",
    )
    as_of: str | None = Field(
        None, description="Dotted path of the date rules are effective at (today if unset)."
    )


def _as_of(data: Any, path: str | None) -> date:
    if path is None:
        return datetime.now(UTC).date()
    value = get_path(data, path)
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise PlatformError(
            ErrorCode.RULE_EVALUATION_FAILED,
            f"The effective date at '{path}' is not a date: {value!r}.",
        ) from exc


@step_type(
    "apply_rules",
    config=ApplyRulesConfig,
    local=True,
    timeout_ms=10_000,
    retry=RetrySpec(max_attempts=2),
    description="Evaluates the product's active rules for a phase; records a rating worksheet.",
)
async def apply_rules(ctx: StepContext, config: ApplyRulesConfig, data: Any) -> StepResult:
    rules = await ctx.resources.config.rules(ctx.run, config.phase)
    scope = {tag: get_path(data, path) for tag, path in config.scope.items()}
    result = await ctx.cpu(
        rules.compiled.evaluate, data, as_of=_as_of(data, config.as_of), scope=scope
    )
    RULES_EVALUATED.labels(ctx.run.product_code, config.phase).inc(result.evaluated)
    RULES_APPLIED.labels(ctx.run.product_code, config.phase).inc(result.fired)
    detail = {
        "phase": config.phase,
        "evaluated": result.evaluated,
        "fired": result.fired,
        "worksheet": result.worksheet,
    }
    if result.document is data:
        return StepResult.same(**detail)
    return StepResult.changed(result.document, **detail)
