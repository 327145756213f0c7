"""A product endpoint's flow versions: draft, edit, list, publish, roll back; its timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from api.deps import (
    ActorDep,
    EndpointPath,
    IfMatch,
    ReadableProduct,
    ServicesDep,
    SessionDep,
    WritableProduct,
)
from api.listing import PagingDep, paged
from models.effective_dates import FlowTimeline, FlowVersionPublished
from models.flow import FlowVersionCreate, FlowVersionPublic, PublishRequest
from services import flows as service
from services.etags import etag
from store import flows

VersionNumber = Annotated[int, Path(ge=1, le=2_147_483_647, description="The version.")]
router = APIRouter(prefix="/products/{code}/flows/{endpoint}", tags=["flows"])


@router.post("/versions", status_code=201, response_model=FlowVersionPublic)
async def create_flow_version(
    product: WritableProduct,
    endpoint: EndpointPath,
    body: FlowVersionCreate,
    actor: ActorDep,
    session: SessionDep,
) -> FlowVersionPublic:
    """Create a draft version of a product endpoint's flow."""
    _, version = await service.create_draft(
        session,
        actor,
        product,
        endpoint,
        body.steps,
        name=body.name,
        change_description=body.change_description,
        batch_local_steps=body.batch_local_steps,
    )
    await session.commit()
    return flows.version_of(product.code, endpoint, version)


@router.get("/versions", response_model=list[FlowVersionPublic])
async def list_flow_versions(
    product: ReadableProduct,
    endpoint: EndpointPath,
    session: SessionDep,
    request: Request,
    response: Response,
    paging: PagingDep,
) -> list[FlowVersionPublic]:
    """Every version of a flow, newest first."""
    flow = await flows.get_flow(session, product, endpoint)
    versions = [
        flows.version_of(product.code, endpoint, v)
        for v in await flows.list_versions(session, flow)
    ]
    return paged(request, response, versions, paging)


@router.post("/versions/{number}/publish", response_model=FlowVersionPublished)
async def publish_flow_version(
    product: WritableProduct,
    endpoint: EndpointPath,
    number: VersionNumber,
    actor: ActorDep,
    session: SessionDep,
    services: ServicesDep,
    body: PublishRequest | None = None,
) -> FlowVersionPublished:
    """Publish a draft (validating every step), or re-publish an archived version (rollback).

    An optional `{"reason"}` says why, in the audit trail. An optional
    `{"effectiveFrom": "2027-01-01"}` makes it rate requests dated from then on (the
    product's `effectiveDatePath`): the versions in force before stay published for the
    earlier dates; without it, it rates every date. A published version may be published
    again with another date (version 1 with no date withdraws a change dated after it).
    The answer holds the endpoint's
    resulting timeline, and warnings: a gap (dates no version rates) or an overlap (a
    version that rates no date).
    """
    flow, version = await flows.get_flow_version(session, product, endpoint, number)
    asked = body or PublishRequest()
    await service.publish(
        session,
        actor,
        product,
        flow,
        version,
        services.steps,
        asked.reason,
        published=services.flows,
        effective_from=asked.effective_from,
    )
    await session.commit()
    dates = await service.timeline(session, product, flow)
    public = flows.version_of(product.code, endpoint, version)
    return FlowVersionPublished(
        **public.model_dump(), timeline=dates.timeline, warnings=dates.warnings
    )


@router.get("/timeline", response_model=FlowTimeline)
async def get_flow_timeline(
    product: ReadableProduct,
    endpoint: EndpointPath,
    session: SessionDep,
) -> FlowTimeline:
    """Which published version rates which request dates, with any gap or overlap."""
    flow = await flows.get_flow(session, product, endpoint)
    return await service.timeline(session, product, flow)


@router.get("/versions/{number}", response_model=FlowVersionPublic)
async def get_flow_version(
    product: ReadableProduct,
    endpoint: EndpointPath,
    number: VersionNumber,
    response: Response,
    session: SessionDep,
) -> FlowVersionPublic:
    """One version, with its ETag (a draft's changes with each edit)."""
    _, version = await flows.get_flow_version(session, product, endpoint, number)
    response.headers["ETag"] = etag(version.revision)
    return flows.version_of(product.code, endpoint, version)


@router.put("/versions/{number}", response_model=FlowVersionPublic)
async def update_draft(
    product: WritableProduct,
    endpoint: EndpointPath,
    number: VersionNumber,
    body: FlowVersionCreate,
    response: Response,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> FlowVersionPublic:
    """Replace a draft's steps (If-Match guards it); published versions never change."""
    flow, version = await flows.get_flow_version(session, product, endpoint, number)
    await service.update_draft(session, actor, product, flow, version, body, if_match)
    await session.commit()
    response.headers["ETag"] = etag(version.revision)
    return flows.version_of(product.code, endpoint, version)


@router.delete("/versions/{number}", status_code=204, response_class=Response)
async def delete_draft(
    product: WritableProduct,
    endpoint: EndpointPath,
    number: VersionNumber,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    """Delete a draft (If-Match guards it); published and archived versions are history."""
    flow, version = await flows.get_flow_version(session, product, endpoint, number)
    await service.delete_draft(session, actor, product, flow, version, if_match)
    await session.commit()
