"""The rate endpoint: runs the latest published flow of a product endpoint."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.body import read_body
from api.deps import CorrelationDep, RaterDep, ServicesDep
from api.responses import json_response
from models.transactions import RateAccepted, RateResponse

router = APIRouter(tags=["rating"])


@router.post(
    "/api/v1/{product_code}/{endpoint}",
    response_model=RateResponse,
    responses={202: {"model": RateAccepted, "description": "Started; poll the Location."}},
)
async def rate(
    product_code: str,
    endpoint: str,
    request: Request,
    principal: RaterDep,
    services: ServicesDep,
    correlation_id: CorrelationDep,
) -> Response:
    """Rate a request with the product's latest published flow."""
    principal.require_product(product_code)
    published = await services.runs.flow_for(principal, product_code, endpoint)
    body = await read_body(request, published.max_payload_bytes)
    if "respond-async" in request.headers.get("prefer", ""):
        row, _ = await services.runs.start(principal, published, body, correlation_id)
        accepted = RateAccepted(transaction_id=row.id, location=f"/api/v1/transactions/{row.id}")
        return json_response(
            accepted.model_dump(mode="json"),
            status_code=202,
            headers={"Location": accepted.location, "Preference-Applied": "respond-async"},
        )
    answer = await services.runs.rate(principal, published, body, correlation_id)
    return json_response(answer.model_dump(mode="json"))
