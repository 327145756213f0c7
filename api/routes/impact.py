"""Impact analyses: what a candidate version does to past traffic (``services.impact``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response, StreamingResponse

from api.deps import CorrelationDep, PrincipalDep, ServicesDep, actor_of
from api.responses import json_response
from api.versions import prefix_of
from models.impact import ImpactRequest, ImpactRunPublic
from services.impact import public

router = APIRouter(tags=["impact"])
ImpactId = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,36}$")]


@router.post(
    "/products/{product_code}/flows/{endpoint}/impact",
    status_code=202,
    response_model=ImpactRunPublic,
    responses={202: {"description": "Started; poll the Location."}},
)
async def start_impact(
    product_code: str,
    endpoint: str,
    body: ImpactRequest,
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> Response:
    """Analyse what a candidate version (`draft` or a number) does to past traffic: the
    window's live transactions (newest first, up to `limit`) re-rated under it as
    simulations, compared with the results they recorded. Runs as a Temporal workflow;
    poll the `Location`. Needs `config:write`; audited (IMPACT)."""
    actor = actor_of(request, principal, cid)
    row = await services.impact.start(actor, principal, product_code, endpoint, body)
    location = f"{prefix_of(request.url.path)}/impact-runs/{row.id}"
    return json_response(
        public(row).model_dump(mode="json", by_alias=True),
        status_code=202,
        headers={"Location": location},
    )


@router.get("/impact-runs", response_model=list[ImpactRunPublic])
async def list_impact_runs(principal: PrincipalDep, services: ServicesDep) -> list[ImpactRunPublic]:
    """The organization's latest 100 impact analyses, newest first."""
    return [public(row) for row in await services.impact.list(principal)]


@router.get("/impact-runs/{impact_id}", response_model=ImpactRunPublic)
async def get_impact_run(
    impact_id: ImpactId, principal: PrincipalDep, services: ServicesDep
) -> ImpactRunPublic:
    """An analysis: its `status`, `progress`, and once completed its `summary`, `groups`
    (the same summary per `groupBy` value) and `largest` changes."""
    return public(await services.impact.get(principal, impact_id))


@router.get(
    "/impact-runs/{impact_id}/transactions",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per comparison."}},
)
async def impact_transactions(
    impact_id: ImpactId, principal: PrincipalDep, services: ServicesDep
) -> StreamingResponse:
    """Every comparison of the analysis so far as CSV, one row per past transaction: its
    re-rating, statuses and premiums before and after, the change in percent, how many
    result fields differ, then one column per `groupBy` path."""
    row = await services.impact.get(principal, impact_id)
    headers = {"Content-Disposition": f'attachment; filename="impact-{row.id}.csv"'}
    return StreamingResponse(services.impact.csv_rows(row), media_type="text/csv", headers=headers)


@router.delete("/impact-runs/{impact_id}", response_model=ImpactRunPublic)
async def cancel_impact_run(
    impact_id: ImpactId,
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> ImpactRunPublic:
    """Cancel a running analysis (the re-ratings under way finish; nothing else starts).
    Needs `config:write`; audited (CANCEL)."""
    actor = actor_of(request, principal, cid)
    return public(await services.impact.cancel(actor, principal, impact_id))
