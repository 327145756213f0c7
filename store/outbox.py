"""The event outbox: what completed runs owe their sinks, and the dead letters.

Events are written in the same database transaction as their run's outcome
(:func:`store.transactions.record_outcome`), so a run that completed has its events and
one that did not has none, leased to the worker that wrote them, which delivers them at
once. A relay (``activities.event_relay``) claims due events one by one (a lease, so two
workers never send the same one at once), delivers them, and marks each delivered, due
again later, or dead after its attempts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import EventOutboxRow, utcnow
from store.db import SessionFactory

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


async def add_events(
    session: AsyncSession,
    organization_id: str,
    transaction_id: str,
    owed: list[dict[str, Any]],
    lease_s: float | None = None,
) -> list[str]:
    """Adds ``owed`` (each ``{"event": ..., "sink": ...}``) unless already there (a retried
    record); returns the ids it added. With ``lease_s`` they are written claimed by the
    caller, who delivers them at once without claiming them first. No commit: the
    caller's transaction holds them."""
    added = []
    claimed_until = None if lease_s is None else utcnow() + timedelta(seconds=lease_s)
    for entry in owed:
        event = entry["event"]
        if await session.get(EventOutboxRow, event["eventId"]) is None:
            added.append(event["eventId"])
            session.add(
                EventOutboxRow(
                    id=event["eventId"],
                    organization_id=organization_id,
                    transaction_id=transaction_id,
                    sink=entry["sink"],
                    event=event,
                    claimed_until=claimed_until,
                )
            )
    return added


async def due_events(sessions: SessionFactory, limit: int) -> list[str]:
    """Ids of pending events due now and not claimed, oldest due first."""
    now = utcnow()
    async with sessions() as session:
        rows = await session.exec(
            select(EventOutboxRow.id)
            .where(
                EventOutboxRow.status == PENDING,
                col(EventOutboxRow.next_attempt_at) <= now,
                _unclaimed(now),
            )
            .order_by(col(EventOutboxRow.next_attempt_at))
            .limit(limit)
        )
        return list(rows.all())


async def claim(sessions: SessionFactory, event_id: str, lease_s: float) -> EventOutboxRow | None:
    """The pending event, leased to this caller for ``lease_s``; None if another holds it
    or it is no longer pending."""
    now = utcnow()
    async with sessions() as session:
        taken = await session.exec(
            update(EventOutboxRow)
            .where(
                col(EventOutboxRow.id) == event_id,
                col(EventOutboxRow.status) == PENDING,
                _unclaimed(now),
            )
            .values(claimed_until=now + timedelta(seconds=lease_s))
        )
        await session.commit()
        if taken.rowcount != 1:
            return None
        return await session.get(EventOutboxRow, event_id)


async def settle(
    sessions: SessionFactory,
    event_id: str,
    error: str | None,
    *,
    max_attempts: int,
    retry_base_s: float,
) -> str:
    """Records one delivery attempt: delivered, due again after a backoff, or dead after
    ``max_attempts``; returns the status."""
    async with sessions() as session:
        if error is None:  # the usual case, in one statement
            delivered = await session.exec(
                update(EventOutboxRow)
                .where(col(EventOutboxRow.id) == event_id)
                .values(
                    attempts=EventOutboxRow.attempts + 1,
                    claimed_until=None,
                    status=DELIVERED,
                    delivered_at=utcnow(),
                    last_error=None,
                )
            )
            await session.commit()
            return DELIVERED if delivered.rowcount == 1 else DEAD
        row = await session.get(EventOutboxRow, event_id)
        if row is None:
            return DEAD
        row.attempts += 1
        row.claimed_until = None
        row.last_error = error[:2000]
        if row.attempts >= max_attempts:
            row.status = DEAD
        else:
            backoff = min(retry_base_s * 2 ** (row.attempts - 1), 300.0)
            row.next_attempt_at = utcnow() + timedelta(seconds=backoff)
        session.add(row)
        await session.commit()
        return row.status


async def dead_letters(
    sessions: SessionFactory, organization_id: str | None, limit: int = 100
) -> list[EventOutboxRow]:
    """Dead events, newest first: of one organization, or of all (``None``, operators)."""
    async with sessions() as session:
        query = select(EventOutboxRow).where(EventOutboxRow.status == DEAD)
        if organization_id is not None:
            query = query.where(EventOutboxRow.organization_id == organization_id)
        rows = await session.exec(
            query.order_by(col(EventOutboxRow.created_at).desc()).limit(limit)
        )
        return list(rows.all())


async def find_event(
    sessions: SessionFactory, event_id: str, organization_id: str | None
) -> EventOutboxRow | None:
    async with sessions() as session:
        row = await session.get(EventOutboxRow, event_id)
    if row is None or (organization_id is not None and row.organization_id != organization_id):
        return None
    return row


async def replay(sessions: SessionFactory, event_id: str, organization_id: str | None) -> bool:
    """A dead event pending again, at once, with its id and a fresh set of attempts."""
    async with sessions() as session:
        row = await session.get(EventOutboxRow, event_id)
        if row is None or row.status != DEAD:
            return False
        if organization_id is not None and row.organization_id != organization_id:
            return False
        row.status, row.attempts, row.next_attempt_at = PENDING, 0, utcnow()
        row.claimed_until = None
        session.add(row)
        await session.commit()
        return True


async def purge(sessions: SessionFactory, event_id: str | None, organization_id: str | None) -> int:
    """Deletes one dead event, or every dead one (of the organization); returns how many."""
    async with sessions() as session:
        query = select(EventOutboxRow).where(EventOutboxRow.status == DEAD)
        if event_id is not None:
            query = query.where(EventOutboxRow.id == event_id)
        if organization_id is not None:
            query = query.where(EventOutboxRow.organization_id == organization_id)
        rows = list((await session.exec(query)).all())
        for row in rows:
            await session.delete(row)
        await session.commit()
        return len(rows)


def _unclaimed(now: Any) -> Any:
    return or_(col(EventOutboxRow.claimed_until).is_(None), col(EventOutboxRow.claimed_until) < now)
