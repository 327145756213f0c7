"""Transactions: one rating run each, with its step log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy import ColumnElement, func
from sqlmodel import col, select

from api.deps import PrincipalDep, ServicesDep, SessionDep, TransactionId
from models.api import PRODUCT_CODE, Page, TransactionPublic, TransactionSummary
from models.tables import Transaction

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])


@router.get("", response_model=Page)
async def list_transactions(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    product: Annotated[str | None, Query(pattern=PRODUCT_CODE)] = None,
    status: Literal["running", "completed", "failed"] | None = None,
    from_: Annotated[datetime | None, Query(alias="from")] = None,
    to: datetime | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page:
    """The organization's transactions, newest first, filtered and paginated."""
    where: list[ColumnElement[bool]] = [
        col(Transaction.organization_id) == principal.organization_id
    ]
    if product:
        where.append(col(Transaction.product_code) == product)
    if status:
        where.append(col(Transaction.status) == status)
    if from_:
        where.append(col(Transaction.started_at) >= from_)
    if to:
        where.append(col(Transaction.started_at) < to)
    total = (await session.exec(select(func.count()).select_from(Transaction).where(*where))).one()
    rows = await session.exec(
        select(Transaction)
        .where(*where)
        .order_by(col(Transaction.started_at).desc(), col(Transaction.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    items = [
        TransactionSummary(
            transaction_id=t.id,
            status=t.status,
            product_code=t.product_code,
            endpoint=t.endpoint,
            flow_version=t.flow_version,
            correlation_id=t.correlation_id,
            error_code=(t.error or {}).get("code"),
            duration_ms=t.duration_ms,
            started_at=t.started_at,
            completed_at=t.completed_at,
        )
        for t in rows.all()
    ]

    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        return f"{request.url.path}?{urlencode({**params, 'page': number})}"

    last = max(1, -(-total // page_size))
    return Page(
        items=items,
        page=page,
        page_size=page_size,
        total=total,
        links={
            "self": link(page),
            "first": link(1),
            "prev": link(page - 1) if page > 1 else None,
            "next": link(page + 1) if page < last else None,
            "last": link(last),
        },
    )


@router.get("/{transaction_id}", response_model=TransactionPublic)
async def get_transaction(
    transaction_id: TransactionId, principal: PrincipalDep, services: ServicesDep
) -> TransactionPublic:
    """One transaction of the caller's organization, with its steps."""
    return await services.rating.transaction(principal, transaction_id)
