"""The audit trail: one entry per config write, in the same database transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import AuditEntry
from store.auth import Principal


def audit(
    session: AsyncSession,
    principal: Principal,
    action: str,
    entity_type: str,
    entity_id: str,
    entity_name: str | None,
    correlation_id: str | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Adds an audit entry to ``session`` (committed with the change it records)."""
    session.add(
        AuditEntry(
            organization_id=principal.organization_id,
            actor=principal.api_key_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            entity_name=entity_name,
            changes={"before": before, "after": after},
            correlation_id=correlation_id,
        )
    )
