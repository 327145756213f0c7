"""Systems: the external endpoints of an organization."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.systems import BreakerSettings, System, SystemPublic
from models.tables import SystemRow


def system_of(row: SystemRow) -> System:
    """The run-time view of a stored system."""
    return System.model_validate(row, from_attributes=True)


def system_public(row: SystemRow) -> SystemPublic:
    """A stored system as the API shows it: its auth mode, never its secrets."""
    return SystemPublic(
        id=row.id,
        code=row.code,
        name=row.name,
        kind=row.kind,
        protocol=row.protocol,
        base_url=row.base_url,
        auth_mode=row.auth.get("mode", "none"),
        timeout_ms=row.timeout_ms,
        circuit_breaker=BreakerSettings.model_validate(row.circuit_breaker or {}),
        created_at=row.created_at,
    )


def system_columns(system: System) -> dict[str, Any]:
    """A system's stored columns (auth secrets in clear: encrypt the database at rest)."""
    return {
        **system.model_dump(by_alias=False, exclude={"auth", "circuit_breaker"}),
        "auth": system.auth.stored(),
        "circuit_breaker": system.circuit_breaker.model_dump(),
    }


async def find_system(session: AsyncSession, organization_id: str, code: str) -> SystemRow | None:
    query = select(SystemRow).where(
        SystemRow.organization_id == organization_id, SystemRow.code == code
    )
    return (await session.exec(query)).first()


async def list_systems(session: AsyncSession, organization_id: str) -> list[SystemRow]:
    rows = await session.exec(
        select(SystemRow)
        .where(SystemRow.organization_id == organization_id)
        .order_by(col(SystemRow.code))
    )
    return list(rows.all())


async def system_codes(session: AsyncSession, organization_id: str) -> set[str]:
    query = select(SystemRow.code).where(SystemRow.organization_id == organization_id)
    return set((await session.exec(query)).all())


async def insert_system(session: AsyncSession, organization_id: str, system: System) -> SystemRow:
    """A new system row; RESOURCE_CONFLICT when the code is taken."""
    row = SystemRow(organization_id=organization_id, **system_columns(system))
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(ErrorCode.RESOURCE_CONFLICT, resource="System", id=system.code) from exc
    return row
