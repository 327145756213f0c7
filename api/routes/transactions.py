"""Transactions: one rating run each, with its step log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.deps import CorrelationDep, PrincipalDep, RaterDep, ServicesDep, TransactionId, actor_of
from api.listing import Iso8601, Paging, page_of, paging_of, refuse_unknown
from api.responses import answer_response
from api.versions import version_of
from models.flow import ENDPOINT
from models.products import PRODUCT_CODE
from models.rating import RunStatus
from models.transactions import (
    Page,
    RerateRequest,
    RerateResult,
    TransactionPublic,
    TransactionSummary,
)
from store.transactions import list_transactions as query_transactions

router = APIRouter(prefix="/transactions", tags=["transactions"])
TransactionPaging = Annotated[Paging, Depends(paging_of(50, 200))]


QUERY = {
    "productCode",
    "product",
    "endpoint",
    "status",
    "correlationId",
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
    paging: TransactionPaging,
    product_code: Annotated[str | None, Query(alias="productCode", pattern=PRODUCT_CODE)] = None,
    product: Annotated[str | None, Query(pattern=PRODUCT_CODE, deprecated=True)] = None,
    endpoint: Annotated[str | None, Query(pattern=ENDPOINT)] = None,
    status: RunStatus | None = None,
    correlation_id: Annotated[
        str | None, Query(alias="correlationId", min_length=1, max_length=128)
    ] = None,
    from_: Annotated[Iso8601 | None, Query(alias="from")] = None,
    to: Annotated[Iso8601 | None, Query()] = None,
) -> Page[TransactionSummary]:
    """The organization's transactions, newest first, filtered and paginated.

    Query parameters are camelCase like the rest of the API; `product` and
    `page_size` (the spec's first names) are accepted too. Any other is refused.
    """
    refuse_unknown(request, QUERY)
    page, size = paging.page, paging.size
    rows, total = await query_transactions(
        services.sessions,
        principal.organization_id,
        product=product_code or product,
        allowed_products=principal.allowed_products,
        endpoint=endpoint,
        status=status,
        correlation_id=correlation_id,
        started_from=from_,
        started_to=to,
        offset=(page - 1) * size,
        limit=size,
    )
    items = [TransactionSummary.from_row(r) for r in rows]
    return page_of(request, items, page, size, total)


@router.get("/{transaction_id}", response_model=TransactionPublic)
async def get_transaction(
    transaction_id: TransactionId, principal: PrincipalDep, services: ServicesDep
) -> Response:
    """One transaction of the caller's organization, with its steps."""
    found, result = await services.transactions.get(principal, transaction_id)
    return await answer_response(found, result, services.blobs)


@router.post("/{transaction_id}/rerate", response_model=RerateResult)
async def rerate_transaction(
    transaction_id: TransactionId,
    request: Request,
    principal: RaterDep,
    services: ServicesDep,
    cid: CorrelationDep,
    body: RerateRequest | None = None,
) -> RerateResult:
    """Re-rate a transaction: its kept request, run again on the version it ran (its pinned
    rules, mappings and schema) as a simulation (no event, no hash chain link), waited for
    like a synchronous rating; `identical` compares the two results field by field.
    With `{"version": "draft" | n}`: under that version instead, what it would have
    answered (`differences` are the change).

    Needs `rate` and `config:write`; the re-rating is a transaction of its own
    (`transactionId`, its `replayOf` the original). Audited (RERATE).
    """
    actor = actor_of(request, principal, cid)
    version = version_of(request.url.path) or "v1"
    asked = None if body is None else body.version
    return await services.rerates.rerate(actor, principal, transaction_id, version, asked)
