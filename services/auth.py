"""Resolves an API key to its principal (organization, plan, scopes, products).

Every request reads the key's row (one indexed lookup by hash): a revoked key is
refused at once by every API process, with no cache to wait out.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from models.base import as_utc
from models.errors import ErrorCode, PlatformError
from models.plans import limits_of
from models.principal import Principal
from store.api_keys import find_by_key, hash_key
from store.db import SessionFactory


class Authenticator:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    async def authenticate(self, key: str | None) -> Principal:
        if not key or len(key) > 256:
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        async with self.sessions() as session:
            found = await find_by_key(session, key)
        # The lookup is by hash; comparing the stored hash in constant time as
        # well leaves no timing signal about how much of a guess matched.
        if found is None or not hmac.compare_digest(found[0].key_hash, hash_key(key)):
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        row, org = found
        if row.revoked_at is not None or org.status != "active":
            raise PlatformError(ErrorCode.API_KEY_INVALID)
        expires = row.expires_at
        if expires is not None:
            expires = as_utc(expires)
            if expires <= datetime.now(UTC):
                raise PlatformError(ErrorCode.API_KEY_EXPIRED)
        return Principal(
            api_key_id=row.id,
            key_prefix=row.prefix,
            organization_id=org.id,
            organization_slug=org.slug,
            plan=org.plan,
            limits=limits_of(org.plan, org.requests_per_minute),
            scopes=list(row.scopes),
            allowed_products=row.allowed_products,
            expires_at=expires,
            api_version=row.api_version,
        )
