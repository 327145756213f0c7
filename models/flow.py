"""A flow version as it is pinned into a run: steps fully resolved at publish.

A published version is immutable: every step's type defaults (local or regular
activity, timeout, retry policy) are filled in when it is published, so the
workflow needs nothing but this document to run it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

OnError = Literal["fail", "continue"]


class CamelModel(BaseModel):
    """camelCase in JSON (API, storage, history), snake_case in Python."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


class RetrySpec(CamelModel):
    """How a step's activity is retried (exponential backoff between attempts)."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(3, ge=1, le=100)
    initial_interval_ms: int = Field(100, ge=1)
    backoff: float = Field(2.0, ge=1.0)
    max_interval_ms: int = Field(5_000, ge=1)


class StepDraft(CamelModel):
    """A step as a config author writes it; omitted settings take the type's defaults."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    config: dict[str, Any] = Field(default_factory=dict)
    local: bool | None = Field(None, description="Run as a local activity (type default if unset).")
    timeout_ms: int | None = Field(None, ge=1, le=3_600_000)
    retry: RetrySpec | None = None
    on_error: OnError = "fail"
    condition: str | None = Field(
        None, description="JMESPath over the working data; the step is skipped unless truthy."
    )


class StepSpec(CamelModel):
    """A resolved step: what the workflow schedules."""

    name: str
    type: str
    config: dict[str, Any]
    local: bool
    timeout_ms: int
    retry: RetrySpec
    on_error: OnError = "fail"
    condition: str | None = None


class FlowSpec(CamelModel):
    """The published flow version a run is pinned to."""

    flow_version_id: str
    product_code: str
    endpoint: str
    version: int
    steps: list[StepSpec]
    # Consecutive local steps run inside one local activity: a few milliseconds
    # less per step, but those steps share one activity in the Web UI.
    batch_local_steps: bool = False
