"""Quarantined documents: what steps refused as invalid, and why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ConfigReaderDep, SessionDep
from models.catalog import QuarantinePublic
from models.tables import QuarantineRow
from store.quarantine import list_quarantined

router = APIRouter(prefix="/api/v1/quarantine", tags=["quarantine"])


@router.get("", response_model=list[QuarantinePublic])
async def list_quarantine(
    principal: ConfigReaderDep,
    session: SessionDep,
    transaction_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9-]{1,36}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[QuarantineRow]:
    """The organization's quarantined documents, newest first."""
    return await list_quarantined(
        session, principal.organization_id, principal.allowed_products, transaction_id, limit
    )
