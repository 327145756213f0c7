"""``field_mapping``: applies a named mapping of the product to the working data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from activities.sdk import RetrySpec, StepContext, StepResult, get_path, step_type, with_path
from infra.metrics import MAPPING_FIELDS


class FieldMappingConfig(BaseModel):
    """Config of ``field_mapping``."""

    mapping: str = Field(description="Name of the product's mapping to apply.")
    source: str | None = Field(None, description="Dotted path mapped from (all data if unset).")
    target: str | None = Field(
        None, description="Dotted path the output is put at (replaces the data if unset)."
    )


@step_type(
    "field_mapping",
    config=FieldMappingConfig,
    local=True,
    timeout_ms=10_000,
    retry=RetrySpec(max_attempts=2),
    description="Applies a named mapping: paths, transforms, defaults, required fields.",
    references=lambda c: [("mapping", c.mapping)],
)
async def field_mapping(ctx: StepContext, config: FieldMappingConfig, data: Any) -> StepResult:
    entry = await ctx.resources.config.mapping(ctx.run, config.mapping)
    result = await ctx.cpu(entry.compiled.apply, get_path(data, config.source))
    MAPPING_FIELDS.labels(ctx.run.product_code, entry.mapping.direction).inc(result.fields_applied)
    return StepResult.changed(
        with_path(data, config.target, result.document),
        mapping=entry.mapping.name,
        revision=entry.mapping.revision,
        fieldsApplied=result.fields_applied,
        fieldsDefaulted=result.fields_defaulted,
    )
