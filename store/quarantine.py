"""Quarantine: invalid documents kept (in the blob store) with why they were refused."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from models.documents import quarantine_key
from models.tables import QuarantineRow
from store.blobs import BlobStore
from store.db import SessionFactory


class Quarantine:
    def __init__(self, sessions: SessionFactory, blobs: BlobStore) -> None:
        self.sessions = sessions
        self.blobs = blobs

    async def keep(
        self,
        *,
        organization_id: str,
        transaction_id: str,
        product_code: str,
        step_index: int,
        step: str,
        code: str,
        reason: str,
        details: dict[str, Any],
        document: bytes,
    ) -> str:
        """Stores the document and its reason once per (transaction, step); returns its id."""
        entry_id = f"{transaction_id}:{step_index}"
        key = quarantine_key(transaction_id, step_index, step)
        ref = await self.blobs.put(key, document)
        async with self.sessions() as session:
            if await session.get(QuarantineRow, entry_id) is None:
                session.add(
                    QuarantineRow(
                        id=entry_id,
                        organization_id=organization_id,
                        transaction_id=transaction_id,
                        product_code=product_code,
                        step=step,
                        code=code,
                        reason=reason,
                        details=details,
                        document_ref=ref,
                        document_bytes=len(document),
                    )
                )
                await session.commit()
        return entry_id


def _visible(
    organization_id: str, allowed_products: list[str] | None
) -> SelectOfScalar[QuarantineRow]:
    """The organization's entries, of the products a key allowed to some may see."""
    query = select(QuarantineRow).where(QuarantineRow.organization_id == organization_id)
    if allowed_products is not None:
        query = query.where(col(QuarantineRow.product_code).in_(allowed_products))
    return query


async def find_quarantined(
    session: AsyncSession, organization_id: str, allowed_products: list[str] | None, entry_id: str
) -> QuarantineRow | None:
    """One entry, if the organization has it and the key may see its product."""
    query = _visible(organization_id, allowed_products).where(QuarantineRow.id == entry_id)
    return (await session.exec(query)).first()


async def list_quarantined(
    session: AsyncSession,
    organization_id: str,
    allowed_products: list[str] | None,
    transaction_id: str | None,
    limit: int,
) -> list[QuarantineRow]:
    """The organization's quarantined documents (of the products allowed), newest first."""
    query = _visible(organization_id, allowed_products)
    if transaction_id:
        query = query.where(QuarantineRow.transaction_id == transaction_id)
    rows = await session.exec(query.order_by(col(QuarantineRow.created_at).desc()).limit(limit))
    return list(rows.all())
