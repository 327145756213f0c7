"""Records a finished run in the config store's transaction log."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import orjson
from temporalio import activity

from models.rating import TransactionUpdate
from models.tables import Transaction, utcnow
from store.db import SessionFactory


def storable(value: Any) -> Any:
    """``value`` with NUL characters spelled out: PostgreSQL keeps none in JSON."""
    raw = orjson.dumps(value)
    if b"\\u0000" not in raw:
        return value
    return orjson.loads(raw.replace(b"\\u0000", b"\\\\u0000"))


class TransactionActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="irx.record_transaction")
    async def record_transaction(self, update: TransactionUpdate) -> None:
        outcome = update.outcome
        async with self.sessions() as session:
            row = await session.get(Transaction, update.transaction_id)
            if row is None:
                # The API writes the row before it starts the run; without it
                # there is nothing to attach the outcome to.
                raise ValueError(f"transaction {update.transaction_id} does not exist")
            now = utcnow()
            started = row.started_at
            if started.tzinfo is None:
                started = started.replace(tzinfo=UTC)
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
