"""What the API lists about the platform itself: step types, quarantined documents, dead
letters."""

from __future__ import annotations

from typing import Any

from models.base import CamelModel, UtcDateTime


class StepTypePublic(CamelModel):
    name: str
    description: str
    local: bool
    timeout_ms: int
    config_schema: dict[str, Any]


class QuarantinePublic(CamelModel):
    id: str
    transaction_id: str
    product_code: str
    step: str
    code: str
    reason: str
    details: dict[str, Any] | None
    document_ref: str
    document_bytes: int
    created_at: UtcDateTime


class DeadLetterPublic(CamelModel):
    """An event whose delivery failed every attempt, kept to be replayed with its id."""

    id: str
    transaction_id: str
    sink: str
    event: dict[str, Any]
    attempts: int
    last_error: str | None
    created_at: UtcDateTime
