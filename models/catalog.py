"""What the API lists about the platform itself: step types, quarantined documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.base import CamelModel


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
    created_at: datetime
