"""A transaction (one rating run) as the API answers it."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import Field

from models.base import CamelModel, UtcDateTime
from models.errors import RunErrorPublic
from models.rating import RunStatus, StepRecord
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


class RateResponse(CamelModel):
    """The answer of ``POST /api/v1/{productCode}/{endpoint}``."""

    transaction_id: str
    status: RunStatus
    product_code: str
    endpoint: str
    flow_version: int
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
