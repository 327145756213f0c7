"""Resolves an API key to its principal (organization, scopes, products)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlmodel import select

from models.errors import ErrorCode, PlatformError
from models.tables import ApiKey, Organization
from store.cache import TTLCache
from store.db import SessionFactory
from store.keys import hash_key


class Principal(BaseModel):
    """Who is calling: one API key of one organization."""

    api_key_id: str
    organization_id: str
    organization_slug: str
    scopes: list[str]
    allowed_products: list[str] | None
    expires_at: datetime | None

    def require_scope(self, scope: str) -> None:
        if scope not in self.scopes and "admin" not in self.scopes:
            raise PlatformError(ErrorCode.API_KEY_SCOPE_DENIED, scope=scope)

    def require_product(self, product_code: str) -> None:
        if self.allowed_products is not None and product_code not in self.allowed_products:
            raise PlatformError(ErrorCode.API_KEY_PRODUCT_DENIED, product=product_code)


class Authenticator:
    """Looks keys up by hash; results (hits only) are cached for ``ttl`` seconds."""

    def __init__(self, sessions: SessionFactory, ttl: float) -> None:
        self.sessions = sessions
        self._cache: TTLCache[Principal | None] = TTLCache(ttl)

    async def authenticate(self, key: str | None) -> Principal:
        if not key:
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        digest = hash_key(key)
        principal = await self._cache.get(digest, lambda: self._load(digest))
        if principal is None:
            self._cache.invalidate(digest)
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        if principal.expires_at is not None and principal.expires_at <= datetime.now(UTC):
            raise PlatformError(ErrorCode.API_KEY_EXPIRED)
        return principal

    async def _load(self, digest: str) -> Principal | None:
        async with self.sessions() as session:
            row = (
                await session.exec(
                    select(ApiKey, Organization)
                    .join(Organization, Organization.id == ApiKey.organization_id)  # type: ignore[arg-type]
                    .where(ApiKey.key_hash == digest)
                )
            ).first()
        if row is None:
            return None
        key, org = row
        if key.revoked_at is not None or org.status != "active":
            return None
        expires = key.expires_at
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return Principal(
            api_key_id=key.id,
            organization_id=org.id,
            organization_slug=org.slug,
            scopes=list(key.scopes),
            allowed_products=key.allowed_products,
            expires_at=expires,
        )
