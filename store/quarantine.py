"""Quarantine: invalid documents kept (in the blob store) with why they were refused."""

from __future__ import annotations

from typing import Any

from models.tables import QuarantinedDocument
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
        ref = await self.blobs.put(f"{transaction_id}/quarantine/{step_index:02d}-{step}", document)
        async with self.sessions() as session:
            if await session.get(QuarantinedDocument, entry_id) is None:
                session.add(
                    QuarantinedDocument(
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
