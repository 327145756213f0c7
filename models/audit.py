"""Audit entries as the API shows them (seed section 9a)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from models.base import CamelModel, UtcDateTime
from models.tables import AuditRow


class AuditEntryPublic(CamelModel):
    """One config write: who (the API key's id; null for the platform itself), what,
    on which entity, the before/after difference, and from where."""

    id: int
    actor: str | None
    action: str = Field(description="CREATE, UPDATE, DELETE, PUBLISH, ROLLBACK, RESEAL...")
    entity_type: str
    entity_id: str
    entity_name: str | None
    changes: dict[str, Any] | None = Field(description="{before, after}")
    correlation_id: str | None
    ip_address: str | None
    user_agent: str | None
    created_at: UtcDateTime

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntryPublic:
        assert row.id is not None  # a stored entry
        return cls.model_validate(row, from_attributes=True)
