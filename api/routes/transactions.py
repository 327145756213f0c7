"""Transactions: one rating run each, with its step log."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import PrincipalDep, ServicesDep
from models.api import TransactionPublic

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])


@router.get("/{transaction_id}", response_model=TransactionPublic, response_model_by_alias=True)
async def get_transaction(
    transaction_id: str, principal: PrincipalDep, services: ServicesDep
) -> TransactionPublic:
    """One transaction of the caller's organization, with its steps."""
    return await services.rating.transaction(principal, transaction_id)
