"""The database's side of the archive: which transactions leave next, removing them once
archived, and putting archived ones back.

Transactions leave from the oldest end of each organization's chain: a finished one
started before the hot cutoff is archived only if every linked transaction before it is
too, so the links left in the database stay one unbroken run from a new anchor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import ColumnElement, delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import as_utc
from models.tables import TransactionRow
from store.db import SessionFactory
from store.transactions import key_holder

# Ids per DELETE or IN (): well under SQLite's and asyncpg's limits on parameters.
CHUNK = 500


async def archivable_day(
    sessions: SessionFactory, organization_id: str, since: datetime, before: datetime
) -> list[TransactionRow]:
    """The organization's transactions of its oldest UTC day that are due for the archive:
    finished, started in [``since``, ``before``), and not past a link that is not due.
    Empty when none is due."""
    async with sessions() as session:
        where = await _due(session, organization_id, since, before)
        oldest = (
            await session.exec(
                select(TransactionRow.started_at)
                .where(*where)
                .order_by(col(TransactionRow.started_at))
                .limit(1)
            )
        ).first()
        if oldest is None:
            return []
        start = datetime.combine(as_utc(oldest).date(), time(), UTC)
        day = [
            col(TransactionRow.started_at) >= max(start, since),
            col(TransactionRow.started_at) < min(start + timedelta(days=1), before),
        ]
        rows = await session.exec(
            select(TransactionRow).where(*where, *day).order_by(col(TransactionRow.started_at))
        )
        return list(rows.all())


async def _due(
    session: AsyncSession, organization_id: str, since: datetime, before: datetime
) -> list[ColumnElement[bool]]:
    started = col(TransactionRow.started_at)
    seq = col(TransactionRow.chain_seq)
    # The first link that stays: started since the cutoff, or still running.
    stays = (
        await session.exec(
            select(func.min(seq)).where(
                TransactionRow.organization_id == organization_id,
                seq.is_not(None),
                started >= since,
                or_(started >= before, col(TransactionRow.status) == "running"),
            )
        )
    ).one()
    where: list[ColumnElement[bool]] = [
        col(TransactionRow.organization_id) == organization_id,
        started >= since,
        started < before,
        col(TransactionRow.status) != "running",
    ]
    if stays is not None:
        where.append(or_(seq.is_(None), seq < stays))
    return where


async def remove_archived(sessions: SessionFactory, organization_id: str, ids: list[str]) -> None:
    """Deletes archived transactions from the database, in one database transaction. What
    was quarantined from them stays until their plan's retention purges it."""
    async with sessions() as session:
        for start in range(0, len(ids), CHUNK):
            await session.exec(
                delete(TransactionRow).where(
                    col(TransactionRow.organization_id) == organization_id,
                    col(TransactionRow.id).in_(ids[start : start + CHUNK]),
                )
            )
        await session.commit()


@dataclass
class Restored:
    """What a restore put back: the ids restored, those present already, and those whose
    idempotency key a newer transaction holds now (restored without it)."""

    restored: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    keys_released: list[str] = field(default_factory=list)


async def restore_rows(sessions: SessionFactory, rows: list[TransactionRow]) -> Restored:
    """Inserts the archived ``rows`` that the database lacks, as they were archived, in
    one database transaction."""
    done = Restored()
    async with sessions() as session:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            present = set(
                (
                    await session.exec(
                        select(TransactionRow.id).where(
                            col(TransactionRow.id).in_([row.id for row in chunk])
                        )
                    )
                ).all()
            )
            for row in chunk:
                if row.id in present:
                    done.present.append(row.id)
                    continue
                if row.idempotency_key is not None and await key_holder(
                    session, row.organization_id, row.idempotency_key
                ):
                    # As a newer claim of the key would have done: the older one gives it up.
                    row.idempotency_key = None
                    done.keys_released.append(row.id)
                session.add(row)
                done.restored.append(row.id)
            await session.flush()
        await session.commit()
    return done
