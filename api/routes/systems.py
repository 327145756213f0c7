"""Systems: the external endpoints (engines, lookups, sinks) steps call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.deps import ActorDep, ConfigReaderDep, IfMatch, ServicesDep, SessionDep
from api.listing import PagingDep, paged
from models.errors import ErrorCode, PlatformError
from models.systems import SYSTEM_CODE, System, SystemCreate, SystemPublic, SystemWrite
from models.tables import SystemRow
from services import systems as service
from services.etags import etag
from store import systems

router = APIRouter(prefix="/systems", tags=["systems"])


@router.post("", status_code=201, response_model=SystemPublic)
async def create_system(
    body: SystemCreate, actor: ActorDep, session: SessionDep, services: ServicesDep
) -> SystemPublic:
    """Register an external system (its credentials are sealed at rest, never shown)."""
    row = await service.create_system(session, actor, body, services.keyring, services.url_policy)
    return systems.system_public(row)


@router.get("", response_model=list[SystemPublic])
async def list_systems(
    principal: ConfigReaderDep,
    session: SessionDep,
    request: Request,
    response: Response,
    paging: PagingDep,
) -> list[SystemPublic]:
    """The organization's systems (auth secrets are never shown)."""
    rows = await systems.list_systems(session, principal.organization_id)
    return paged(request, response, [systems.system_public(r) for r in rows], paging)


SystemCode = Annotated[str, Path(pattern=SYSTEM_CODE, description="The system's code.")]


async def _found(session: SessionDep, organization_id: str, code: str) -> SystemRow:
    row = await systems.find_system(session, organization_id, code)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="System", id=code)
    return row


@router.get("/{code}", response_model=SystemPublic)
async def get_system(
    code: SystemCode, principal: ConfigReaderDep, session: SessionDep, response: Response
) -> SystemPublic:
    """One system, with its ETag (its credentials are never shown)."""
    row = await _found(session, principal.organization_id, code)
    response.headers["ETag"] = etag(row.revision)
    return systems.system_public(row)


@router.put("/{code}", response_model=SystemPublic)
async def replace_system(
    code: SystemCode,
    body: SystemWrite,
    response: Response,
    actor: ActorDep,
    session: SessionDep,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> SystemPublic:
    """Replace a system whole, credentials included (they are never read back: send them
    again); If-Match guards it. Every version calling it calls the new one at once."""
    system = System.model_validate({**body.model_dump(), "code": code})
    row = await service.replace_system(
        session, actor, system, if_match, services.keyring, services.url_policy
    )
    await session.commit()
    response.headers["ETag"] = etag(row.revision)
    return systems.system_public(row)


@router.delete("/{code}", status_code=204, response_class=Response)
async def delete_system(
    code: SystemCode,
    actor: ActorDep,
    session: SessionDep,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> None:
    """Delete a system no published version calls (409 naming those that do)."""
    await service.delete_system(session, actor, code, if_match, services.steps)
    await session.commit()
