"""Systems: the external endpoints of an organization."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.systems import AUTH_SECRETS, BreakerSettings, System, SystemPublic
from models.tables import SystemRow
from store.sealing import Keyring, SealError, is_sealed


def _where(organization_id: str, code: str, field: str) -> str:
    """What a sealed secret is bound to: it opens for this system's field only."""
    return f"system:{organization_id}:{code}:{field}"


def system_of(row: SystemRow, keyring: Keyring | None) -> System:
    """The run-time view of a stored system, its secrets opened.

    A secret stored before sealing existed reads as it was (``irx secrets reseal``).
    """
    auth = {
        field: _opened(keyring, value, _where(row.organization_id, row.code, field))
        if field in AUTH_SECRETS and is_sealed(value)
        else value
        for field, value in row.auth.items()
    }
    return System.model_validate({**row.model_dump(), "auth": auth})


def _opened(keyring: Keyring | None, value: str, where: str) -> str:
    if keyring is None:
        raise PlatformError(ErrorCode.SECRETS_UNAVAILABLE)
    try:
        return keyring.open(value, where)
    except SealError as exc:
        raise PlatformError(ErrorCode.SECRETS_UNAVAILABLE, details={"reason": str(exc)}) from exc


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
        simulation=row.simulation,
        simulation_base_url=row.simulation_base_url,
        simulation_max_concurrency=row.simulation_max_concurrency,
        created_at=row.created_at,
    )


def system_columns(organization_id: str, system: System, keyring: Keyring | None) -> dict[str, Any]:
    """A system's stored columns, its secrets sealed (SECRETS_UNAVAILABLE without keys)."""

    def seal(field: str, value: str) -> str:
        if keyring is None:
            raise PlatformError(ErrorCode.SECRETS_UNAVAILABLE)
        return keyring.seal(value, _where(organization_id, system.code, field))

    return {
        **system.model_dump(by_alias=False, exclude={"auth", "circuit_breaker"}),
        "auth": system.auth.stored(seal),
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


async def insert_system(
    session: AsyncSession, organization_id: str, system: System, keyring: Keyring | None
) -> SystemRow:
    """A new system row; RESOURCE_CONFLICT when the code is taken."""
    row = SystemRow(
        organization_id=organization_id, **system_columns(organization_id, system, keyring)
    )
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(ErrorCode.RESOURCE_CONFLICT, resource="System", id=system.code) from exc
    return row


async def engine_urls(session: AsyncSession) -> dict[str, str]:
    """Every rating engine's base URL, once each, with the code of a system naming it."""
    rows = await session.exec(
        select(SystemRow.base_url, SystemRow.code)
        .where(SystemRow.kind == "rating_engine")
        .order_by(col(SystemRow.code))
    )
    found: dict[str, str] = {}
    for url, code in rows.all():
        found.setdefault(url, code)
    return found


async def reseal_systems(
    session: AsyncSession, keyring: Keyring, checked: Callable[[int], None] | None = None
) -> list[SystemRow]:
    """Seals every system secret with the keyring's active key, those stored in clear
    included; returns the systems changed (``checked`` hears each system looked at).
    No commit."""
    changed = []
    for row in (await session.exec(select(SystemRow))).all():
        if checked is not None:
            checked(1)
        stale = [
            f for f in AUTH_SECRETS & row.auth.keys() if not keyring.sealed_by_active(row.auth[f])
        ]
        if stale:
            system = system_of(row, keyring)
            row.auth = system_columns(row.organization_id, system, keyring)["auth"]
            session.add(row)
            changed.append(row)
    return changed
