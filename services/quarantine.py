"""Quarantined documents for operators: one entry as the caller may see it, and the
audit entries that reading its document and replaying its transaction leave."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.principal import Actor, Principal
from models.tables import QuarantineRow
from store.audit import audit
from store.quarantine import find_quarantined

ENTITY = "quarantine"


async def quarantined(session: AsyncSession, principal: Principal, entry_id: str) -> QuarantineRow:
    """The caller's entry; another organization's, or another product's for a key limited
    to some, reads as missing (as in the listing)."""
    row = await find_quarantined(
        session, principal.organization_id, principal.allowed_products, entry_id
    )
    if row is None:
        raise PlatformError(
            ErrorCode.RESOURCE_NOT_FOUND, resource="Quarantined document", id=entry_id
        )
    return row


def audit_use(
    session: AsyncSession, actor: Actor, entry: QuarantineRow, action: str, **after: Any
) -> None:
    """Adds the audit entry of ``action`` (DOWNLOAD, REPLAY) on ``entry`` to ``session``:
    a refused document may hold personal data, and a replay rates again."""
    audit(session, actor, action, ENTITY, entry.id, entry.product_code, after=after or None)
