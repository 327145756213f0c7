"""Systems: the external endpoints (engines, lookups, sinks) steps call."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api.deps import ConfigReaderDep, ConfigWriterDep, CorrelationDep, SessionDep
from models.api import SystemCreate, SystemPublic
from models.errors import ErrorCode, PlatformError
from models.tables import System
from store.audit import audit

router = APIRouter(prefix="/api/v1/systems", tags=["systems"])


@router.post("", status_code=201, response_model=SystemPublic)
async def create_system(
    body: SystemCreate, principal: ConfigWriterDep, session: SessionDep, cid: CorrelationDep
) -> System:
    """Register an external system."""
    system = System(
        organization_id=principal.organization_id,
        **body.model_dump(mode="json", exclude={"auth", "circuit_breaker"}),
        auth=body.auth.stored(),
        circuit_breaker=body.circuit_breaker.model_dump(by_alias=True),
    )
    session.add(system)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(ErrorCode.RESOURCE_CONFLICT, resource="System", id=body.code) from exc
    # Auth secrets stay out of the audit trail.
    audit(
        session,
        principal,
        "CREATE",
        "system",
        system.id,
        system.code,
        cid,
        after=body.model_dump(mode="json", exclude={"auth"}),
    )
    await session.commit()
    return system


@router.get("", response_model=list[SystemPublic])
async def list_systems(principal: ConfigReaderDep, session: SessionDep) -> list[System]:
    """The organization's systems."""
    rows = await session.exec(
        select(System)
        .where(System.organization_id == principal.organization_id)
        .order_by(col(System.code))
    )
    return list(rows.all())
