"""API keys of the caller's organization: create (shown once), list, revoke. Admin scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import AdminActorDep, AdminDep, SessionDep
from models.api_keys import OPS_SCOPE, ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from models.errors import ErrorCode, PlatformError
from services import api_keys as service
from store import api_keys

router = APIRouter(prefix="/api-keys", tags=["api keys"])


@router.post("", status_code=201, response_model=ApiKeyCreated)
async def create_api_key(
    body: ApiKeyCreate, actor: AdminActorDep, session: SessionDep
) -> ApiKeyCreated:
    """Create a key; the answer is the only time the key itself is shown.

    The `ops` scope (decoding Temporal payloads for operators) is granted only by the
    platform's operators, with `irx keys create`.
    """
    if OPS_SCOPE in body.scopes:
        raise PlatformError(
            ErrorCode.API_KEY_SCOPE_DENIED,
            "The ops scope is granted by the platform's operators (irx keys create).",
        )
    return await service.create_key(session, actor, body)


@router.get("", response_model=list[ApiKeyPublic])
async def list_api_keys(principal: AdminDep, session: SessionDep) -> list[ApiKeyPublic]:
    """The organization's keys (prefixes only), revoked ones included."""
    rows = await api_keys.list_keys(session, principal.organization_id)
    return [api_keys.key_of(r) for r in rows]


@router.delete("/{key_id}", response_model=ApiKeyPublic)
async def revoke_api_key(
    key_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")],
    actor: AdminActorDep,
    session: SessionDep,
) -> ApiKeyPublic:
    """Revoke a key: every API process refuses it from the next request on."""
    return api_keys.key_of(await service.revoke_key(session, actor, key_id))
