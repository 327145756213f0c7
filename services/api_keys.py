"""API keys: create (shown once), revoke; validated, written, audited."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from models.api_keys import ApiKeyCreate, ApiKeyCreated
from models.errors import ErrorCode, PlatformError
from models.principal import Actor
from models.tables import ApiKeyRow
from services.limits import check_room
from store import api_keys
from store.audit import audit


async def create_key(session: AsyncSession, actor: Actor, body: ApiKeyCreate) -> ApiKeyCreated:
    """A new key of the actor's organization; the answer is the only place the key appears."""
    await check_room(
        session,
        actor,
        "api_keys",
        lambda: api_keys.count_active_keys(session, actor.organization_id),
    )
    key = api_keys.generate_key()
    row = api_keys.add_key(
        session,
        actor.organization_id,
        key,
        body.name,
        list(body.scopes),
        allowed_products=body.allowed_products,
        expires_at=body.expires_at,
        api_version=body.api_version,
    )
    await session.flush()
    public = api_keys.key_of(row)
    audit(
        session, actor, "CREATE", "api_key", row.id, row.name, after=public.model_dump(mode="json")
    )
    await session.commit()
    return ApiKeyCreated(**public.model_dump(by_alias=False), key=key)


async def revoke_key(session: AsyncSession, actor: Actor, key_id: str) -> ApiKeyRow:
    """Revokes a key of the actor's organization: refused from the next request on."""
    row = await api_keys.find_key(session, actor.organization_id, key_id)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="API key", id=key_id)
    if row.revoked_at is None:
        api_keys.revoke(session, row)
        audit(session, actor, "REVOKE", "api_key", row.id, row.name)
    await session.commit()
    return row
