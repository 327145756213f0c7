"""API keys: generated once, stored only as a SHA-256 hash with a visible prefix."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import ApiKeyRow, OrganizationRow

KEY_PREFIX = "irx_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys are 256-bit random tokens, so a plain SHA-256 is not brute-forceable
    # and keeps the lookup on every request a single indexed equality match.
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    return key[:12]


async def find_by_key(session: AsyncSession, key: str) -> tuple[ApiKeyRow, OrganizationRow] | None:
    """The key's row and its organization, whatever their state."""
    row = (
        await session.exec(
            select(ApiKeyRow, OrganizationRow)
            .join(OrganizationRow, OrganizationRow.id == ApiKeyRow.organization_id)  # type: ignore[arg-type]
            .where(ApiKeyRow.key_hash == hash_key(key))
        )
    ).first()
    return None if row is None else (row[0], row[1])


def add_key(
    session: AsyncSession, organization_id: str, key: str, name: str, scopes: list[str]
) -> ApiKeyRow:
    row = ApiKeyRow(
        organization_id=organization_id,
        name=name,
        prefix=key_prefix(key),
        key_hash=hash_key(key),
        scopes=scopes,
    )
    session.add(row)
    return row
