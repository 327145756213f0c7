"""``field_mapping``: applies a named mapping of the product to the working data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from activities.mapping_engine import CompiledMapping, MappingDefinition, compile_mapping
from activities.paths import get_path, with_path
from activities.registry import StepContext, StepResult, step_type
from models.flow import RetrySpec
from store.directory import MappingInfo

_compiled: dict[tuple[str, int], CompiledMapping] = {}


class FieldMappingConfig(BaseModel):
    """Config of ``field_mapping``."""

    mapping: str = Field(description="Name of the product's mapping to apply.")
    source: str | None = Field(None, description="Dotted path mapped from (all data if unset).")
    target: str | None = Field(
        None, description="Dotted path the output is put at (replaces the data if unset)."
    )


def compiled(info: MappingInfo) -> CompiledMapping:
    """The mapping compiled once per (mapping, revision) in this worker."""
    key = (info.id, info.revision)
    mapping = _compiled.get(key)
    if mapping is None:
        if len(_compiled) >= 1024:
            _compiled.clear()
        definition = MappingDefinition(name=info.name, direction=info.direction, fields=info.fields)
        mapping = _compiled[key] = compile_mapping(definition)
    return mapping


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
    info = await ctx.resources.directory.mapping(
        ctx.run.organization_id, ctx.run.product_code, config.mapping
    )
    result = compiled(info).apply(get_path(data, config.source))
    return StepResult(
        with_path(data, config.target, result.document),
        {
            "mapping": info.name,
            "revision": info.revision,
            "fieldsApplied": result.fields_applied,
            "fieldsDefaulted": result.fields_defaulted,
        },
    )
