"""A flow version as it is pinned into a run: steps fully resolved at publish.

A published version is immutable: every step's type defaults (local or regular
activity, timeout, retry policy) are filled in when it is published, so the
workflow needs nothing but this document to run it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator
from temporalio.common import RetryPolicy

from models.base import CamelModel, NoNul, UtcDateTime

OnError = Literal["fail", "continue"]
ENDPOINT = r"^[A-Za-z0-9_.-]{1,100}$"
# A path of object keys (no array index): what a step may drop from the document.
KEY_PATH = re.compile(r"^[^.\[\]\s]+(\.[^.\[\]\s]+)*$")


class RetrySpec(CamelModel):
    """How a step's activity is retried (exponential backoff between attempts)."""

    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(3, ge=1, le=100)
    initial_interval_ms: int = Field(100, ge=1)
    backoff: float = Field(2.0, ge=1.0)
    max_interval_ms: int = Field(5_000, ge=1)

    def policy(self, non_retryable: Sequence[str], attempts_used: int = 0) -> RetryPolicy:
        """Temporal's retry policy for this spec, less the attempts already used.

        Raises:
            ValueError: no attempt is left.
        """
        if attempts_used >= self.max_attempts:
            raise ValueError(f"all {self.max_attempts} attempts are used")
        return RetryPolicy(
            initial_interval=timedelta(milliseconds=self.initial_interval_ms),
            backoff_coefficient=self.backoff,
            maximum_interval=timedelta(milliseconds=self.max_interval_ms),
            maximum_attempts=self.max_attempts - attempts_used,
            non_retryable_error_types=list(non_retryable),
        )


class StepDraft(CamelModel):
    """A step as a config author writes it; omitted settings take the type's defaults."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[^/\\\x00-\x1f]+$",
        description="Unique in the flow; no slashes or control characters (it names documents).",
    )
    type: str = Field(min_length=1, max_length=100)
    config: dict[str, Any] = Field(default_factory=dict)
    local: bool | None = Field(None, description="Run as a local activity (type default if unset).")
    timeout_ms: int | None = Field(None, ge=1, le=3_600_000)
    retry: RetrySpec | None = None
    on_error: OnError = "fail"
    condition: str | None = Field(
        None, description="JMESPath over the working data; the step is skipped unless truthy."
    )
    drop: list[str] = Field(
        default_factory=list,
        max_length=50,
        description=(
            "Keys (dotted paths of object keys) removed from the working document once the "
            "step has succeeded: what later steps no longer need (the schedule once it is "
            "XML, the engine's XML once it is read), so a large document stops carrying it."
        ),
    )

    @field_validator("drop")
    @classmethod
    def _key_paths(cls, paths: list[str]) -> list[str]:
        for path in paths:
            if not KEY_PATH.match(path):
                raise ValueError(f"{path!r} is not a dotted path of object keys")
        return paths

    @field_validator("name")
    @classmethod
    def _not_a_path(cls, value: str) -> str:
        if ".." in value:
            raise ValueError("a step name may not contain '..'")
        return value


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
    drop: list[str] = []


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


def flow_digest(flow: FlowSpec) -> str:
    """The SHA-256 of a pinned flow's content: what a step's activity input names it by
    (``activities.pinned_flows``)."""
    return hashlib.sha256(flow.model_dump_json().encode()).hexdigest()


def activity_name(step: StepSpec) -> str:
    """The activity a step runs as (from shape 2 runs): its type and its name, so the
    Web UI's timeline tells two steps of one type apart."""
    return f"{step.type}: {step.name}"


def step_type_of(activity_type: str) -> str:
    """The step type of an activity named by :func:`activity_name` (or by its type)."""
    return activity_type.split(": ", 1)[0]


def hands_over(steps: list[StepSpec], index: int) -> bool:
    """Whether step ``index`` is local and so is the step after it: the same worker runs
    both within one workflow task, so the document may pass between them in memory (a
    regular step may run on any worker)."""
    return steps[index].local and index + 1 < len(steps) and steps[index + 1].local


class FlowVersionCreate(CamelModel, NoNul):
    """A new draft version of a product endpoint's flow."""

    steps: list[StepDraft]
    batch_local_steps: bool = Field(
        False, description="Run consecutive local steps in one local activity (lower latency)."
    )
    name: str | None = Field(None, max_length=255, description="The flow's name (first draft).")
    change_description: str = Field("", max_length=10_000)


class PublishRequest(CamelModel, NoNul):
    """Why a version is published (or rolled back to), kept in the audit trail, and from
    when it rates."""

    reason: str = Field("", max_length=10_000)
    effective_from: date | None = Field(
        None,
        description="The first request date this version rates (the product's "
        "`effectiveDatePath`, or the day a request arrives); earlier dates keep the "
        "versions in force before it. Unset: every date, replacing every published version.",
    )


class FlowVersionPublic(CamelModel):
    product_code: str
    endpoint: str
    version: int
    status: Literal["draft", "published", "archived"]
    steps: list[dict[str, Any]]
    batch_local_steps: bool = False
    change_description: str
    published_at: UtcDateTime | None
    effective_from: date | None = Field(
        None, description="Published: the first request date it rates (null: since always)."
    )
    created_at: UtcDateTime
