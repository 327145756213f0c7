"""Quarantined documents: what steps refused as invalid, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import col, select

from api.deps import ConfigReaderDep, SessionDep
from models.api import ApiModel
from models.tables import QuarantinedDocument

router = APIRouter(prefix="/api/v1/quarantine", tags=["quarantine"])


class QuarantinePublic(ApiModel):
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


@router.get("", response_model=list[QuarantinePublic])
async def list_quarantine(
    principal: ConfigReaderDep,
    session: SessionDep,
    transaction_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{1,36}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[QuarantinedDocument]:
    """The organization's quarantined documents, newest first."""
    query = select(QuarantinedDocument).where(
        QuarantinedDocument.organization_id == principal.organization_id
    )
    if transaction_id:
        query = query.where(QuarantinedDocument.transaction_id == transaction_id)
    rows = await session.exec(
        query.order_by(col(QuarantinedDocument.created_at).desc()).limit(limit)
    )
    return list(rows.all())
