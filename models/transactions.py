"""A transaction (one rating run) as the API answers it."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import Field

from models.base import CamelModel, UtcDateTime
from models.errors import RunErrorPublic
from models.rating import Doc, Mode, RunStatus, StepRecord
from models.tables import TransactionRow

T = TypeVar("T")


def workflow_id(transaction_id: str) -> str:
    """The Temporal workflow id of a transaction's run."""
    return f"rate-{transaction_id}"


def run_error(row: TransactionRow) -> RunErrorPublic | None:
    """A failed run's stored error in the standard shape, stamped when the run ended."""
    if row.error is None:
        return None
    return RunErrorPublic(
        **row.error,
        correlation_id=row.correlation_id,
        timestamp=row.completed_at or row.started_at,
    )


def stored_result(row: TransactionRow) -> Doc | None:
    """A finished run's result document: stored inline, or in the blob store when large."""
    if row.result_ref is not None:
        return Doc(ref=row.result_ref)
    return None if row.result is None else Doc(inline=row.result)


class RateResponse(CamelModel):
    """The answer of ``POST /api/v1/{productCode}/{endpoint}``."""

    transaction_id: str
    status: RunStatus
    product_code: str
    endpoint: str
    flow_version: int
    mode: Mode = Field(
        "live",
        description="live, or simulation: it published no event and joined no hash chain "
        "(a draft, a version not in force, a re-rating, an impact analysis, a challenger).",
    )
    result: Any = None
    error: RunErrorPublic | None = None
    steps: list[StepRecord] = Field(default_factory=list)
    duration_ms: float | None = None

    @classmethod
    def from_row(cls, row: TransactionRow, result: Any) -> RateResponse:
        """The answer a recorded run gives (an idempotent replay, a transaction read)."""
        return RateResponse(
            transaction_id=row.id,
            status=row.status,
            product_code=row.product_code,
            endpoint=row.endpoint,
            flow_version=row.flow_version,
            mode=row.mode,
            result=result,
            error=run_error(row),
            steps=[StepRecord.model_validate(s) for s in row.steps],
            duration_ms=row.duration_ms,
        )


class RateAccepted(CamelModel):
    """The answer of an asynchronous rate request (``Prefer: respond-async``)."""

    transaction_id: str
    status: RunStatus = "running"
    location: str


class ReplayAccepted(RateAccepted):
    """The answer of ``POST /api/v1/quarantine/{id}/replay``: the run of the document's
    transaction, started anew or still going."""

    replay_of: str | None = Field(
        None, description="The transaction it re-runs (null: the original, still running)."
    )


class TransactionPublic(RateResponse):
    correlation_id: str
    request_hash: str
    request_bytes: int
    response_bytes: int | None = None
    workflow_id: str
    replay_of: str | None = Field(
        None, description="The transaction this one re-runs (a quarantined document's replay)."
    )
    started_at: UtcDateTime
    completed_at: UtcDateTime | None = None

    @classmethod
    def from_row(cls, row: TransactionRow, result: Any) -> TransactionPublic:
        """The transaction; ``result`` is the stored result, loaded from the blob store if large."""
        return cls(
            **RateResponse.from_row(row, result).model_dump(by_alias=False),
            correlation_id=row.correlation_id,
            request_hash=row.request_hash,
            request_bytes=row.request_bytes,
            response_bytes=row.response_bytes,
            workflow_id=workflow_id(row.id),
            replay_of=row.replay_of,
            started_at=row.started_at,
            completed_at=row.completed_at,
        )


class TransactionSummary(CamelModel):
    transaction_id: str
    status: RunStatus
    product_code: str
    endpoint: str
    flow_version: int
    mode: Mode = "live"
    correlation_id: str
    error_code: str | None = None
    duration_ms: float | None = None
    started_at: UtcDateTime
    completed_at: UtcDateTime | None = None

    @classmethod
    def from_row(cls, row: TransactionRow) -> TransactionSummary:
        return cls(
            transaction_id=row.id,
            status=row.status,
            product_code=row.product_code,
            endpoint=row.endpoint,
            flow_version=row.flow_version,
            mode=row.mode,
            correlation_id=row.correlation_id,
            error_code=(row.error or {}).get("code"),
            duration_ms=row.duration_ms,
            started_at=row.started_at,
            completed_at=row.completed_at,
        )


class Page(CamelModel, Generic[T]):
    """One page of a listing, with links to its neighbours."""

    items: list[T]
    page: int
    page_size: int
    total: int
    links: dict[str, str | None]


class Difference(CamelModel):
    """One field that differs: its path (``premium.total``, ``items[3].rate``) and its two
    values (absent reads null; ``kind`` says which side lacks it)."""

    path: str
    before: Any = None
    after: Any = None
    kind: Literal["changed", "added", "removed"] = "changed"  # added: only after


class RerateRequest(CamelModel):
    """The optional body of ``POST /api/v1/transactions/{id}/rerate``."""

    model_config = {**CamelModel.model_config, "extra": "forbid"}

    version: Literal["draft"] | int | None = Field(
        None,
        description="Re-rate under this version instead (the draft, or a number): what it "
        "would have answered. Unset: the version the transaction ran (the proof).",
    )


class RerateResult(CamelModel):
    """The answer of ``POST /api/v1/transactions/{id}/rerate``."""

    transaction_id: str = Field(description="The re-rating's own transaction (a simulation).")
    rerate_of: str = Field(description="The transaction re-rated.")
    flow_version: int = Field(
        description="The version the re-rating ran: the one the original pinned, unless "
        "another was asked for."
    )
    status: RunStatus
    identical: bool = Field(
        description="The re-run's status and result document equal the original's, field by field."
    )
    differences: list[Difference] = Field(
        description="The first 100 fields that differ ($status: the run's outcome)."
    )
    difference_count: int
