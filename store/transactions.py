"""The transaction log: one row per rating run, written at start and at the end."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func
from sqlmodel import col, select

from models.rating import RatingOutcome
from models.tables import TransactionRow, utcnow
from store.db import SessionFactory


def storable(value: Any) -> Any:
    """``value`` with NUL characters spelled out: PostgreSQL keeps none in JSON."""
    raw = orjson.dumps(value)
    if b"\\u0000" not in raw:
        return value
    return orjson.loads(raw.replace(b"\\u0000", b"\\\\u0000"))


async def insert_transaction(sessions: SessionFactory, row: TransactionRow) -> None:
    async with sessions() as session:
        session.add(row)
        await session.commit()


async def find_transaction(
    sessions: SessionFactory, organization_id: str, transaction_id: str
) -> TransactionRow | None:
    """The organization's transaction (another organization's reads as missing)."""
    async with sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
    return row if row is not None and row.organization_id == organization_id else None


async def list_transactions(
    sessions: SessionFactory,
    organization_id: str,
    *,
    product: str | None,
    status: str | None,
    started_from: datetime | None,
    started_to: datetime | None,
    offset: int,
    limit: int,
) -> tuple[list[TransactionRow], int]:
    """A page of the organization's transactions, newest first, and the total count."""
    where: list[ColumnElement[bool]] = [col(TransactionRow.organization_id) == organization_id]
    if product:
        where.append(col(TransactionRow.product_code) == product)
    if status:
        where.append(col(TransactionRow.status) == status)
    if started_from:
        where.append(col(TransactionRow.started_at) >= started_from)
    if started_to:
        where.append(col(TransactionRow.started_at) < started_to)
    async with sessions() as session:
        total = (
            await session.exec(select(func.count()).select_from(TransactionRow).where(*where))
        ).one()
        rows = await session.exec(
            select(TransactionRow)
            .where(*where)
            .order_by(col(TransactionRow.started_at).desc(), col(TransactionRow.id))
            .offset(offset)
            .limit(limit)
        )
        return list(rows.all()), total


async def record_outcome(
    sessions: SessionFactory, transaction_id: str, outcome: RatingOutcome
) -> TransactionRow:
    """Stores a finished run's status, result (or its reference), error, steps and timing."""
    async with sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
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


async def mark_failed(
    sessions: SessionFactory, transaction_id: str, code: str, message: str
) -> TransactionRow | None:
    """Ends a run that failed outside its workflow (not started, timed out, terminated)."""
    async with sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
        if row is None:
            return None
        row.status = "failed"
        row.error = {"code": code, "message": message}
        row.completed_at = row.completed_at or utcnow()
        session.add(row)
        await session.commit()
        return row
