"""Impact analysis: a candidate version re-rates a window of past traffic as simulations,
and the premiums it gives are compared with those the transactions recorded."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from models.base import CamelModel, NoNul, UtcDateTime
from models.flow import FlowSpec
from models.rating import Doc

ImpactStatus = Literal["running", "completed", "failed", "cancelled"]
PastStatus = Literal["completed", "failed", "timed_out"]
# The re-ratings one batch runs at once (child workflows), by default and at most.
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
MAX_LIMIT = 100_000
DOTTED_PATH = r"^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+|\[\d+\])*$"


class ImpactFilter(CamelModel, NoNul):
    status: list[PastStatus] = Field(
        default_factory=lambda: list[PastStatus](["completed"]),
        description="Which past outcomes to re-rate (completed by default).",
    )

    @field_validator("status", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class ImpactRequest(CamelModel, NoNul):
    """The body of ``POST /api/v1/products/{code}/flows/{endpoint}/impact``."""

    model_config = {**CamelModel.model_config, "extra": "forbid", "populate_by_name": True}

    candidate: Literal["draft"] | int = Field(
        description="The version to try: the newest draft, or a version number."
    )
    baseline: Literal["published"] | int = Field(
        "published",
        description="What it is compared with: the results production recorded (published: "
        "whatever live version rated them), or only those a given version rated.",
    )
    from_: datetime | None = Field(None, alias="from", description="Window start (inclusive).")
    to: datetime | None = Field(None, description="Window end (exclusive); default now.")
    days: int | None = Field(
        None, ge=1, le=3660, description="The last N days, when `from` is not given (30)."
    )
    limit: int = Field(1000, ge=1, le=MAX_LIMIT, description="Newest transactions first.")
    filter: ImpactFilter = Field(default_factory=ImpactFilter)
    group_by: list[str] = Field(
        default_factory=list,
        max_length=5,
        description="Paths in the request to group the summary by (e.g. insured.address.state).",
    )
    premium_path: str = Field(
        "premium", pattern=DOTTED_PATH, description="Where the result carries the premium."
    )
    concurrency: int = Field(DEFAULT_CONCURRENCY, ge=1, le=MAX_CONCURRENCY)

    @field_validator("group_by")
    @classmethod
    def _paths(cls, value: list[str]) -> list[str]:
        for path in value:
            if not re.match(DOTTED_PATH, path):
                raise ValueError(f"{path!r} is not a dotted path")
        return value


class Deltas(CamelModel):
    """Premium change in percent over the re-rated transactions that rated both times."""

    p50: float | None = None
    p95: float | None = None
    min: float | None = None
    max: float | None = None


class Band(CamelModel):
    """How many premium changes fall in [from, to) percent (null: unbounded)."""

    from_: float | None = Field(None, alias="from")
    to: float | None = None
    count: int = 0


class ImpactSummary(CamelModel):
    rerated: int = 0
    unavailable: int = Field(
        0, description="Transactions that could not be re-rated: their request is no longer kept."
    )
    changed: int = 0
    unchanged: int = 0
    newly_failed: int = 0
    newly_rated: int = 0
    still_failing: int = 0
    premium_before: float = 0.0
    premium_after: float = 0.0
    delta_pct: Deltas = Field(default_factory=Deltas)
    bands: list[Band] = Field(default_factory=list)


class ImpactGroup(ImpactSummary):
    key: dict[str, Any]


class LargestChange(CamelModel):
    transaction_id: str
    rerate_transaction_id: str | None
    premium_before: float | None
    premium_after: float | None
    delta_pct: float | None


class Progress(CamelModel):
    done: int = 0
    total: int | None = None


class ImpactRunPublic(CamelModel):
    """The answer of ``GET /api/v1/impact-runs/{id}``."""

    id: str
    status: ImpactStatus
    product_code: str
    endpoint: str
    candidate_version: int
    baseline: str
    window_from: UtcDateTime
    window_to: UtcDateTime
    limit: int
    group_by: list[str]
    premium_path: str
    progress: Progress
    summary: ImpactSummary | None = None
    groups: list[ImpactGroup] | None = None
    largest: list[LargestChange] | None = None
    error: str | None = None
    workflow_id: str
    created_at: UtcDateTime
    completed_at: UtcDateTime | None = None


class ImpactInput(CamelModel):
    """The impact workflow's input: what to re-rate with, and where it has got to (it
    continues as new with ``offset`` moved on)."""

    impact_id: str
    organization_id: str
    organization_slug: str
    flow: FlowSpec
    flow_digest: str
    deadline_ms: int
    concurrency: int = DEFAULT_CONCURRENCY
    offset: int = 0
    total: int | None = None  # known once the window is selected


class Rerun(CamelModel):
    """One re-rating a batch starts: the item, its new simulation transaction and request."""

    seq: int
    transaction_id: str
    request: Doc


class RerunBatch(CamelModel):
    impact_id: str
    reruns: list[Rerun]


class ImpactActivityInput(CamelModel):
    impact_id: str
    offset: int = 0
    count: int = 0


class ImpactEnd(CamelModel):
    impact_id: str
    status: ImpactStatus
    error: str | None = None
