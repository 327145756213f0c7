"""``validate_request``: JSON Schema (Draft 2020-12) validation of the working data.

Without a schema of its own, the step checks the product's ``requestSchema`` (as the
run's version pinned it), so the schema a product declares is the one enforced.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from activities.sdk import ErrorCode, PlatformError, StepContext, StepResult, step_type
from engines.json_schema import check_schema, schema_errors


class ValidateRequestConfig(BaseModel):
    """Config of ``validate_request``."""

    json_schema: dict[str, Any] | None = Field(
        None,
        alias="schema",
        description="A JSON Schema (Draft 2020-12) the working data must satisfy, formats "
        "asserted; unset: the product's requestSchema.",
    )

    model_config = {"populate_by_name": True, "serialize_by_alias": True}

    @field_validator("json_schema")
    @classmethod
    def _schema_is_valid(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            check_schema(value)
        return value


@step_type(
    "validate_request",
    config=ValidateRequestConfig,
    local=True,
    timeout_ms=5_000,
    description="JSON Schema validation of the working data; lists every failing path.",
    references=lambda c: [] if c.json_schema is not None else [("request_schema", "product")],
)
async def validate_request(
    ctx: StepContext, config: ValidateRequestConfig, data: Any
) -> StepResult:
    schema = config.json_schema or await ctx.resources.config.request_schema(ctx.run)
    if schema is None:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "The step names no schema and the product has no requestSchema.",
        )
    errors = await ctx.cpu(schema_errors, schema, data)
    if errors:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"The request fails its schema at {len(errors)} path(s).",
            details={"errors": errors},
        )
    return StepResult.same()
