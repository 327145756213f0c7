"""The transaction log: one row per rating run, written at start and at the end."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import ColumnElement, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import as_utc
from models.rating import RatingOutcome
from models.tables import QuarantineRow, TransactionRow, utcnow
from store.db import SessionFactory
from store.outbox import add_events
from store.transaction_chain import append


def storable(value: Any) -> Any:
    """``value`` with NUL characters spelled out: PostgreSQL keeps none in JSON."""
    raw = orjson.dumps(value)
    if b"\\u0000" not in raw:
        return value
    return orjson.loads(raw.replace(b"\\u0000", b"\\\\u0000"))


async def insert_transaction(sessions: SessionFactory, row: TransactionRow) -> None:
    """Writes a new transaction, linked into its organization's audit chain."""
    async with sessions() as session:
        await append(session, row)
        session.add(row)
        await session.commit()


async def claim_idempotency_key(
    sessions: SessionFactory, row: TransactionRow, since: datetime
) -> TransactionRow | None:
    """Inserts ``row``, which holds an idempotency key, unless a transaction started
    since ``since`` holds it already: that transaction is returned instead.

    An older holder gives the key up. The unique index decides between
    concurrent claims: the losers get the winner back.
    """
    assert row.idempotency_key is not None
    key = (row.organization_id, row.idempotency_key)
    async with sessions() as session:
        holder = await key_holder(session, *key)
        if holder is not None:
            if as_utc(holder.started_at) >= since:
                return holder
            holder.idempotency_key = None  # past the window: the key is free again
            session.add(holder)
            await session.flush()
        await append(session, row)
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
        else:
            return None
    async with sessions() as session:
        return await key_holder(session, *key)


async def idempotency_holder(
    sessions: SessionFactory, organization_id: str, key: str, since: datetime
) -> TransactionRow | None:
    """The transaction started since ``since`` that holds the key, if one does."""
    async with sessions() as session:
        holder = await key_holder(session, organization_id, key)
    return holder if holder is not None and as_utc(holder.started_at) >= since else None


async def key_holder(
    session: AsyncSession, organization_id: str, key: str
) -> TransactionRow | None:
    """The organization's transaction that holds the idempotency key, if one does."""
    query = select(TransactionRow).where(
        TransactionRow.organization_id == organization_id, TransactionRow.idempotency_key == key
    )
    return (await session.exec(query)).first()


async def find_transaction(
    sessions: SessionFactory, organization_id: str, transaction_id: str
) -> TransactionRow | None:
    """The organization's transaction (another organization's reads as missing)."""
    async with sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
    return row if row is not None and row.organization_id == organization_id else None


async def latest_replay(
    sessions: SessionFactory, organization_id: str, transaction_id: str
) -> TransactionRow | None:
    """The newest live transaction that re-runs ``transaction_id``, if one does (a
    re-rating, a simulation, re-runs it too, and proves; it does not replay)."""
    async with sessions() as session:
        rows = await session.exec(
            select(TransactionRow)
            .where(
                TransactionRow.organization_id == organization_id,
                TransactionRow.replay_of == transaction_id,
                TransactionRow.mode == "live",
            )
            .order_by(col(TransactionRow.started_at).desc(), col(TransactionRow.id))
            .limit(1)
        )
        return rows.first()


async def list_transactions(
    sessions: SessionFactory,
    organization_id: str,
    *,
    product: str | None,
    allowed_products: list[str] | None,
    endpoint: str | None,
    status: str | None,
    correlation_id: str | None,
    started_from: datetime | None,
    started_to: datetime | None,
    offset: int,
    limit: int,
) -> tuple[list[TransactionRow], int]:
    """A page of the organization's transactions, newest first, and the total count."""
    where: list[ColumnElement[bool]] = [col(TransactionRow.organization_id) == organization_id]
    if product:
        where.append(col(TransactionRow.product_code) == product)
    if allowed_products is not None:
        where.append(col(TransactionRow.product_code).in_(allowed_products))
    if endpoint:
        where.append(col(TransactionRow.endpoint) == endpoint)
    if status:
        where.append(col(TransactionRow.status) == status)
    if correlation_id:
        where.append(col(TransactionRow.correlation_id) == correlation_id)
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
    sessions: SessionFactory,
    transaction_id: str,
    outcome: RatingOutcome,
    owed: list[dict[str, Any]] | None = None,
    lease_s: float | None = None,
) -> Recorded:
    """Stores a finished run's status, result (or its reference), error, steps and timing,
    and the events it ``owed`` (``store.outbox.add_events``: leased to the caller for
    ``lease_s``), in one database transaction."""
    async with sessions() as session:
        row = await session.get(TransactionRow, transaction_id)
        if row is None:
            # The API writes the row before it starts the run; without it there
            # is nothing to attach the outcome to.
            raise ValueError(f"transaction {transaction_id} does not exist")
        now = utcnow()
        started = as_utc(row.started_at)
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
        added = []
        if owed:
            added = await add_events(session, row.organization_id, transaction_id, owed, lease_s)
        await session.commit()
        return Recorded(row, added)


class Recorded(NamedTuple):
    """A recorded outcome: the transaction's row and the ids of the events written with it
    (none that a retried record had written already)."""

    row: TransactionRow
    events: list[str]


async def mark_ended(
    sessions: SessionFactory, transaction_id: str, status: str, code: str, message: str
) -> TransactionRow | None:
    """Ends a run that ended outside its workflow (never started, timed out, terminated),
    unless its outcome is recorded already: what the run recorded is the truth (a start
    that timed out may have started the run after all, and it records itself)."""
    async with sessions() as session:
        await session.exec(
            update(TransactionRow)
            .where(
                col(TransactionRow.id) == transaction_id, col(TransactionRow.status) == "running"
            )
            .values(status=status, error={"code": code, "message": message}, completed_at=utcnow())
        )
        await session.commit()
        return await session.get(TransactionRow, transaction_id)


async def reopen(sessions: SessionFactory, row: TransactionRow) -> bool:
    """Marks a run whose start failed as running again, as ``row`` (read before) last saw
    it: its start is retried. False when it has changed since, say recorded by the run
    that the failed start did start after all."""
    async with sessions() as session:
        reopened = await session.exec(
            update(TransactionRow)
            .where(
                col(TransactionRow.id) == row.id,
                col(TransactionRow.status) == row.status,
                col(TransactionRow.completed_at) == row.completed_at,
            )
            .values(status="running", error=None, completed_at=None)
        )
        await session.commit()
        return bool(reopened.rowcount == 1)


async def count_running(
    sessions: SessionFactory, organization_id: str, product_code: str, since: datetime
) -> int:
    """The organization's runs of the product still ``running`` that started after
    ``since`` (the index on organization, product and status finds them)."""
    async with sessions() as session:
        found = await session.exec(
            select(func.count())
            .select_from(TransactionRow)
            .where(
                TransactionRow.organization_id == organization_id,
                TransactionRow.product_code == product_code,
                TransactionRow.status == "running",
                col(TransactionRow.started_at) >= since,
            )
        )
        return int(found.one())


async def expired_transactions(
    sessions: SessionFactory, organization_id: str, before: datetime, limit: int
) -> list[str]:
    """Ids of the organization's finished transactions started before ``before``."""
    async with sessions() as session:
        rows = await session.exec(
            select(TransactionRow.id)
            .where(
                TransactionRow.organization_id == organization_id,
                col(TransactionRow.started_at) < before,
                TransactionRow.status != "running",
            )
            .limit(limit)
        )
        return list(rows.all())


async def delete_transactions(
    sessions: SessionFactory, organization_id: str, ids: list[str]
) -> None:
    """Deletes transactions (and what was quarantined from them) in one database transaction."""
    async with sessions() as session:
        await session.exec(
            delete(QuarantineRow).where(
                col(QuarantineRow.organization_id) == organization_id,
                col(QuarantineRow.transaction_id).in_(ids),
            )
        )
        await session.exec(
            delete(TransactionRow).where(
                col(TransactionRow.organization_id) == organization_id,
                col(TransactionRow.id).in_(ids),
            )
        )
        await session.commit()
