"""System writes: validate, write, audit (auth secrets never reach the audit trail)."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from models.principal import Actor
from models.systems import System
from models.tables import SystemRow
from store import systems
from store.audit import audit


async def create_system(session: AsyncSession, actor: Actor, body: System) -> SystemRow:
    """A new system of the actor's organization (RESOURCE_CONFLICT if the code is taken)."""
    row = await systems.insert_system(session, actor.organization_id, body)
    after = body.model_dump(mode="json", exclude={"auth"})
    audit(session, actor, "CREATE", "system", row.id, row.code, after=after)
    await session.commit()
    return row


async def point_system(session: AsyncSession, actor: Actor, body: System) -> tuple[SystemRow, bool]:
    """Creates ``body`` or, when it exists, points it at ``body``'s URL; no commit."""
    row = await systems.find_system(session, actor.organization_id, body.code)
    if row is None:
        return await systems.insert_system(session, actor.organization_id, body), True
    if row.base_url == body.base_url:
        return row, False
    before = {"baseUrl": row.base_url}
    row.base_url = body.base_url
    session.add(row)
    audit(session, actor, "UPDATE", "system", row.id, row.code, before, {"baseUrl": body.base_url})
    return row, True
