"""Organizations (tenants) and their plans."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.tables import OrganizationRow


async def find_org(session: AsyncSession, slug: str) -> OrganizationRow | None:
    query = select(OrganizationRow).where(OrganizationRow.slug == slug)
    return (await session.exec(query)).first()


async def get_org(session: AsyncSession, slug: str) -> OrganizationRow:
    org = await find_org(session, slug)
    if org is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Organization", id=slug)
    return org


async def list_orgs(session: AsyncSession) -> list[OrganizationRow]:
    rows = await session.exec(select(OrganizationRow).order_by(col(OrganizationRow.slug)))
    return list(rows.all())


async def insert_org(session: AsyncSession, org: OrganizationRow) -> OrganizationRow:
    session.add(org)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT, resource="Organization", id=org.slug
        ) from exc
    return org


async def lock_organization(session: AsyncSession, organization_id: str) -> None:
    """Holds the organization's row until the session's transaction ends: writes that
    count what the organization has (plan limits) then add to it take turns. A no-op
    update: a row lock on PostgreSQL, the write lock on SQLite."""
    lock = update(OrganizationRow).where(col(OrganizationRow.id) == organization_id)
    await session.exec(lock.values(id=OrganizationRow.id))
