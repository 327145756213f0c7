"""Systems: the external endpoints (engines, lookups, sinks) steps call."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ActorDep, ConfigReaderDep, ServicesDep, SessionDep
from models.systems import SystemCreate, SystemPublic
from services import systems as service
from store import systems

router = APIRouter(prefix="/api/v1/systems", tags=["systems"])


@router.post("", status_code=201, response_model=SystemPublic)
async def create_system(
    body: SystemCreate, actor: ActorDep, session: SessionDep, services: ServicesDep
) -> SystemPublic:
    """Register an external system (its credentials are sealed at rest, never shown)."""
    row = await service.create_system(session, actor, body, services.keyring, services.url_policy)
    return systems.system_public(row)


@router.get("", response_model=list[SystemPublic])
async def list_systems(principal: ConfigReaderDep, session: SessionDep) -> list[SystemPublic]:
    """The organization's systems (auth secrets are never shown)."""
    rows = await systems.list_systems(session, principal.organization_id)
    return [systems.system_public(r) for r in rows]
