"""``format_transform``: JSON -> XML and XML -> JSON, with optional XSD validation.

An invalid document (malformed, unsafe, or failing the XSD) fails the step and
is quarantined: kept with its reason and transaction id for operators
(``GET /api/v1/quarantine``) and counted by ``rating_quarantined_documents_total``.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, field_validator

from activities.sdk import (
    ErrorCode,
    PlatformError,
    RetrySpec,
    StepContext,
    StepResult,
    get_path,
    step_type,
    with_path,
)
from engines.xml_codec import (
    compile_schema,
    conforms,
    json_to_xml,
    parse_xml,
    validate,
    xml_to_json,
)
from infra.metrics import QUARANTINED

T = TypeVar("T")


class FormatTransformConfig(BaseModel):
    """Config of ``format_transform``."""

    direction: Literal["json_to_xml", "xml_to_json"]
    root: str = Field("Document", description="Root element written (json_to_xml).")
    source: str | None = Field(None, description="Dotted path of the input (all data if unset).")
    target: str | None = Field(
        None, description="Dotted path of the output (replaces the data if unset)."
    )
    xsd: str | None = Field(None, description="XSD the XML (written or read) must satisfy.")
    force_list: list[str] = Field(
        default_factory=list, description="Element names always read as arrays."
    )
    numbers: list[str] = Field(
        default_factory=list, description="Element (or @attribute) names read as numbers."
    )
    booleans: list[str] = Field(
        default_factory=list, description="Element (or @attribute) names read as booleans."
    )
    max_bytes: int = Field(
        100 * 1024 * 1024,
        ge=1,
        description="Largest XML document read (xml_to_json); XML this step writes has no cap "
        "of its own, its input being bounded by the product's payload limit.",
    )

    @field_validator("xsd")
    @classmethod
    def _xsd_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                compile_schema(value)
            except PlatformError as exc:
                raise ValueError(exc.message) from exc
        return value


@step_type(
    "format_transform",
    config=FormatTransformConfig,
    local=True,
    timeout_ms=30_000,
    retry=RetrySpec(max_attempts=2),
    description="JSON to XML or XML to JSON (lxml), with XSD validation and quarantine.",
    max_input_bytes=lambda c: c.max_bytes if c.direction == "xml_to_json" else None,
)
async def format_transform(
    ctx: StepContext, config: FormatTransformConfig, data: Any
) -> StepResult:
    value = get_path(data, config.source)
    if config.direction == "json_to_xml":
        xml = await ctx.cpu(json_to_xml, value, config.root)
        if config.xsd is not None:
            await _checked(ctx, xml, config.xsd, None)
        return StepResult.changed(with_path(data, config.target, xml.decode()), xmlBytes=len(xml))
    if not isinstance(value, str):
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"xml_to_json needs XML text at '{config.source or '$'}', "
            f"found a {type(value).__name__}.",
        )
    raw = value.encode()
    # Reading checks the XML too (hardened, streamed), against the XSD if there is one
    # in the same pass; what it refuses is quarantined as a failed check would be.
    converted = await _quarantining(ctx, raw, ctx.cpu(_read, raw, config))
    return StepResult.changed(with_path(data, config.target, converted), xmlBytes=len(raw))


def _read(xml: bytes, config: FormatTransformConfig) -> Any:
    return xml_to_json(
        xml,
        force_list=config.force_list,
        numbers=config.numbers,
        booleans=config.booleans,
        max_bytes=config.max_bytes,
        schema=None if config.xsd is None else compile_schema(config.xsd),
    )


async def _checked(ctx: StepContext, xml: bytes, xsd: str, max_bytes: int | None) -> None:
    """Parses (hardened) and validates ``xml``; quarantines it when it is refused."""
    await _quarantining(ctx, xml, ctx.cpu(_parse_and_validate, xml, max_bytes, xsd))


async def _quarantining(ctx: StepContext, xml: bytes, work: Awaitable[T]) -> T:
    """What ``work`` on ``xml`` gives; ``xml`` is quarantined when it is refused."""
    try:
        return await work
    except PlatformError as exc:
        if ctx.resources.quarantine is not None:
            entry = await ctx.resources.quarantine.keep(
                organization_id=ctx.run.organization_id,
                transaction_id=ctx.run.transaction_id,
                product_code=ctx.run.product_code,
                step_index=ctx.index,
                step=ctx.step.name,
                code=exc.code,
                reason=exc.message,
                details=exc.details,
                document=xml,
            )
            exc.details = {**exc.details, "quarantineId": entry}
        QUARANTINED.labels(ctx.run.product_code, "format_transform", exc.code).inc()
        raise


def _parse_and_validate(xml: bytes, max_bytes: int | None, xsd: str) -> None:
    schema = compile_schema(xsd)
    if (max_bytes is None or len(xml) <= max_bytes) and conforms(xml, schema):
        return  # the usual case, checked streaming, in bounded memory
    # Refused: the whole tree says what is wrong, and where.
    validate(parse_xml(xml, max_bytes), schema)
