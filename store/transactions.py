"""Writes of a run's outcome into its transaction row."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson

from models.rating import RatingOutcome
from models.tables import Transaction, utcnow
from store.db import SessionFactory


def storable(value: Any) -> Any:
    """``value`` with NUL characters spelled out: PostgreSQL keeps none in JSON."""
    raw = orjson.dumps(value)
    if b"\\u0000" not in raw:
        return value
    return orjson.loads(raw.replace(b"\\u0000", b"\\\\u0000"))


async def record_outcome(
    sessions: SessionFactory, transaction_id: str, outcome: RatingOutcome
) -> Transaction:
    """Stores a finished run's status, result (or its reference), error, steps and timing."""
    async with sessions() as session:
        row = await session.get(Transaction, transaction_id)
        if row is None:
            # The API writes the row before it starts the run; without it there
            # is nothing to attach the outcome to.
            raise ValueError(f"transaction {transaction_id} does not exist")
        now = utcnow()
        started = row.started_at if row.started_at.tzinfo else row.started_at.replace(tzinfo=UTC)
        row.status = outcome.status
        row.steps = storable(
            [s.model_dump(mode="json", exclude_defaults=True) for s in outcome.steps]
        )
        row.error = storable(outcome.error.model_dump(mode="json")) if outcome.error else None
        if outcome.result is not None:
            row.result = storable(outcome.result.inline) if outcome.result.ref is None else None
            row.result_ref = outcome.result.ref
            row.response_bytes = outcome.result.size or len(orjson.dumps(row.result))
        row.completed_at = now
        row.duration_ms = round((now - started).total_seconds() * 1000, 3)
        session.add(row)
        await session.commit()
        return row
