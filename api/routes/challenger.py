"""Challenger traffic: a sample of live ratings re-rated under another version
(``services.challengers``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import CorrelationDep, PrincipalDep, ServicesDep, actor_of
from models.challenger import ChallengerPublic, ChallengerRequest, ChallengerResults
from services.challengers import public

router = APIRouter(prefix="/products/{product_code}/flows/{endpoint}/challenger", tags=["impact"])


@router.put("", response_model=ChallengerPublic)
async def put_challenger(
    product_code: str,
    endpoint: str,
    body: ChallengerRequest,
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> ChallengerPublic:
    """Re-rate a `sample` (0.0-1.0) of the endpoint's live ratings under `version` (`draft`
    or a number), in the background, as simulations: the live answer is never delayed or
    changed. Replaces the endpoint's challenger; needs `config:write`; audited (CHALLENGE)."""
    actor = actor_of(request, principal, cid)
    row = await services.challengers.put(actor, principal, product_code, endpoint, body)
    return public(row)


@router.get("", response_model=ChallengerPublic)
async def get_challenger(
    product_code: str, endpoint: str, principal: PrincipalDep, services: ServicesDep
) -> ChallengerPublic:
    """The endpoint's challenger (404 when it has none)."""
    return public(await services.challengers.get(principal, product_code, endpoint))


@router.get("/results", response_model=ChallengerResults)
async def challenger_results(
    product_code: str,
    endpoint: str,
    principal: PrincipalDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ChallengerResults:
    """The latest comparisons of live ratings with their challenger's, newest first, and
    the summary of the latest 1000 (as an impact analysis sums up)."""
    return await services.challengers.results(principal, product_code, endpoint, limit)


@router.delete("", status_code=204)
async def stop_challenger(
    product_code: str,
    endpoint: str,
    request: Request,
    principal: PrincipalDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> Response:
    """Stop the challenger (its results stay); needs `config:write`; audited (STOP)."""
    actor = actor_of(request, principal, cid)
    await services.challengers.stop(actor, principal, product_code, endpoint)
    return Response(status_code=204)
