"""Transactions: one rating run each, with its step log."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator

from api.deps import PrincipalDep, ServicesDep, TransactionId
from models.errors import ErrorCode, PlatformError
from models.flow import ENDPOINT
from models.products import PRODUCT_CODE
from models.rating import RunStatus
from models.transactions import Page, TransactionPublic, TransactionSummary
from store.transactions import list_transactions as query_transactions

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])


def _iso(value: object) -> object:
    # A bare number would otherwise read as a Unix timestamp: only ISO 8601 is accepted.
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date or date-time, e.g. 2026-11-23T10:00:00Z")
    return value


ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
Iso8601 = Annotated[datetime, BeforeValidator(_iso)]


QUERY = {
    "productCode",
    "product",
    "endpoint",
    "status",
    "from",
    "to",
    "page",
    "pageSize",
    "page_size",
}


@router.get("", response_model=Page[TransactionSummary])
async def list_transactions(
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    product_code: Annotated[str | None, Query(alias="productCode", pattern=PRODUCT_CODE)] = None,
    product: Annotated[str | None, Query(pattern=PRODUCT_CODE, deprecated=True)] = None,
    endpoint: Annotated[str | None, Query(pattern=ENDPOINT)] = None,
    status: RunStatus | None = None,
    from_: Annotated[Iso8601 | None, Query(alias="from")] = None,
    to: Annotated[Iso8601 | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1, le=200)] = None,
    page_size_spec: Annotated[
        int | None, Query(alias="page_size", ge=1, le=200, deprecated=True)
    ] = None,
) -> Page[TransactionSummary]:
    """The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.
    """
    unknown = sorted(set(request.query_params) - QUERY)
    if unknown:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Unknown query parameter(s): {', '.join(unknown)}.",
            details={"unknown": unknown, "allowed": sorted(QUERY)},
        )
    size = page_size or page_size_spec or 50
    rows, total = await query_transactions(
        services.sessions,
        principal.organization_id,
        product=product_code or product,
        allowed_products=principal.allowed_products,
        endpoint=endpoint,
        status=status,
        started_from=from_,
        started_to=to,
        offset=(page - 1) * size,
        limit=size,
    )

    def link(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page"}
        return f"{request.url.path}?{urlencode({**params, 'page': number})}"

    last = max(1, -(-total // size))
    return Page[TransactionSummary](
        items=[TransactionSummary.from_row(r) for r in rows],
        page=page,
        page_size=size,
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
    return await services.transactions.get(principal, transaction_id)
