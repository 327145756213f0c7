"""API keys: generated once, stored only as a SHA-256 hash with a visible prefix."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.api_keys import ApiKeyPublic
from models.tables import ApiKeyRow, OrganizationRow, utcnow

KEY_PREFIX = "irx_"


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    # Keys are 256-bit random tokens, so a plain SHA-256 is not brute-forceable
    # and keeps the lookup on every request a single indexed equality match.
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    return key[:12]


def key_of(row: ApiKeyRow) -> ApiKeyPublic:
    return ApiKeyPublic.model_validate(row, from_attributes=True)


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


async def find_key(session: AsyncSession, organization_id: str, key_id: str) -> ApiKeyRow | None:
    row = await session.get(ApiKeyRow, key_id)
    return row if row is not None and row.organization_id == organization_id else None


async def list_keys(session: AsyncSession, organization_id: str) -> list[ApiKeyRow]:
    rows = await session.exec(
        select(ApiKeyRow)
        .where(ApiKeyRow.organization_id == organization_id)
        .order_by(col(ApiKeyRow.created_at), col(ApiKeyRow.id))
    )
    return list(rows.all())


async def count_active_keys(session: AsyncSession, organization_id: str) -> int:
    query = select(func.count()).where(
        ApiKeyRow.organization_id == organization_id,
        col(ApiKeyRow.revoked_at).is_(None),
    )
    return (await session.exec(query)).one()


def add_key(
    session: AsyncSession,
    organization_id: str,
    key: str,
    name: str,
    scopes: list[str],
    *,
    allowed_products: list[str] | None = None,
    expires_at: datetime | None = None,
    api_version: str | None = None,
) -> ApiKeyRow:
    row = ApiKeyRow(
        organization_id=organization_id,
        name=name,
        prefix=key_prefix(key),
        key_hash=hash_key(key),
        scopes=scopes,
        allowed_products=allowed_products,
        expires_at=expires_at,
        api_version=api_version,
    )
    session.add(row)
    return row


def revoke(session: AsyncSession, row: ApiKeyRow) -> None:
    row.revoked_at = row.revoked_at or utcnow()
    session.add(row)
