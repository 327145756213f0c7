"""The audit trail: one entry per config write, in the same database transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.principal import Actor
from models.tables import AuditRow
from store.db import SessionFactory


def audit(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str,
    entity_name: str | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Adds an audit entry to ``session`` (committed with the change it records)."""
    session.add(
        AuditRow(
            organization_id=actor.organization_id,
            actor=actor.api_key_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            entity_name=entity_name,
            changes={"before": before, "after": after},
            correlation_id=actor.correlation_id,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent[:1000] if actor.user_agent else None,
        )
    )


@dataclass(frozen=True)
class AuditFilter:
    """Which entries of one organization to read (None: any)."""

    organization_id: str
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def where(self) -> list[ColumnElement[bool]]:
        where = [col(AuditRow.organization_id) == self.organization_id]
        for column, value in (
            (AuditRow.entity_type, self.entity_type),
            (AuditRow.entity_id, self.entity_id),
            (AuditRow.actor, self.actor),
            (AuditRow.action, self.action),
        ):
            if value is not None:
                where.append(col(column) == value)
        if self.since is not None:
            where.append(col(AuditRow.created_at) >= self.since)
        if self.until is not None:
            where.append(col(AuditRow.created_at) < self.until)
        return where


async def list_audit(
    sessions: SessionFactory, found: AuditFilter, offset: int, limit: int
) -> tuple[list[AuditRow], int]:
    """A page of matching entries, newest first, and how many match."""
    where = found.where()
    async with sessions() as session:
        total = (await session.exec(select(func.count()).select_from(AuditRow).where(*where))).one()
        rows = await session.exec(
            select(AuditRow)
            .where(*where)
            .order_by(col(AuditRow.created_at).desc(), col(AuditRow.id).desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows.all()), total


async def stream_audit(
    sessions: SessionFactory, found: AuditFilter, batch: int = 500
) -> AsyncIterator[AuditRow]:
    """Every matching entry, oldest first, read in batches by id (for exports)."""
    after = 0
    while True:
        async with sessions() as session:
            rows = list(
                (
                    await session.exec(
                        select(AuditRow)
                        .where(*found.where(), col(AuditRow.id) > after)
                        .order_by(col(AuditRow.id))
                        .limit(batch)
                    )
                ).all()
            )
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        after = rows[-1].id or after
