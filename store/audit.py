"""The audit trail: one entry per config write, in the same database transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from models.principal import Actor
from models.tables import AuditRow


def audit(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str,
    entity_name: str | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Adds an audit entry to ``session`` (committed with the change it records)."""
    session.add(
        AuditRow(
            organization_id=actor.organization_id,
            actor=actor.api_key_id,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            entity_name=entity_name,
            changes={"before": before, "after": after},
            correlation_id=actor.correlation_id,
            ip_address=actor.ip_address,
            user_agent=actor.user_agent[:1000] if actor.user_agent else None,
        )
    )
