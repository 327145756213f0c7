"""Resolves an API key to its principal (organization, scopes, products)."""

from __future__ import annotations

from datetime import UTC, datetime

from engines.cache import TTLCache
from models.errors import ErrorCode, PlatformError
from models.principal import Principal
from store.api_keys import find_by_key, hash_key
from store.db import SessionFactory


class Authenticator:
    """Looks keys up by hash; results (hits only) are cached for ``ttl_s`` seconds."""

    def __init__(self, sessions: SessionFactory, ttl_s: float) -> None:
        self.sessions = sessions
        self._cache: TTLCache[Principal | None] = TTLCache(ttl_s)

    async def authenticate(self, key: str | None) -> Principal:
        if not key:
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        digest = hash_key(key)
        principal = await self._cache.get(digest, lambda: self._load(key))
        if principal is None:
            self._cache.invalidate(digest)
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        if principal.expires_at is not None and principal.expires_at <= datetime.now(UTC):
            raise PlatformError(ErrorCode.API_KEY_EXPIRED)
        return principal

    async def _load(self, key: str) -> Principal | None:
        async with self.sessions() as session:
            found = await find_by_key(session, key)
        if found is None:
            return None
        row, org = found
        if row.revoked_at is not None or org.status != "active":
            return None
        expires = row.expires_at
        if expires is not None and expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        return Principal(
            api_key_id=row.id,
            organization_id=org.id,
            organization_slug=org.slug,
            scopes=list(row.scopes),
            allowed_products=row.allowed_products,
            expires_at=expires,
        )
