"""A product's mappings: compiled when saved, versioned by ETag."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import (
    ActorDep,
    EntityName,
    IfMatch,
    ReadableProduct,
    SessionDep,
    WritableProduct,
)
from api.listing import PagingDep, paged
from models.errors import ErrorCode, PlatformError
from models.mappings import Mapping, MappingBase, MappingPublic
from services import mappings as service
from services.etags import etag
from store import mappings

router = APIRouter(prefix="/api/v1/products/{code}/mappings", tags=["mappings"])


@router.put("/{name}", response_model=MappingPublic)
async def put_mapping(
    product: WritableProduct,
    name: EntityName,
    body: MappingBase,
    response: Response,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> MappingPublic:
    """Create or replace a mapping, compiled first (If-Match guards a replace)."""
    mapping = Mapping(name=name, **body.model_dump(by_alias=False))
    row = await service.put_mapping(session, actor, product, mapping, if_match)
    await session.commit()
    response.headers["ETag"] = etag(row.revision)
    return mappings.mapping_of(row)


@router.get("", response_model=list[MappingPublic])
async def list_mappings(
    product: ReadableProduct,
    session: SessionDep,
    request: Request,
    response: Response,
    paging: PagingDep,
) -> list[MappingPublic]:
    """The product's mappings."""
    found = [mappings.mapping_of(r) for r in await mappings.list_mappings(session, product.id)]
    return paged(request, response, found, paging)


@router.get("/{name}", response_model=MappingPublic)
async def get_mapping(
    product: ReadableProduct, name: EntityName, response: Response, session: SessionDep
) -> MappingPublic:
    """One mapping, with its ETag."""
    row = await mappings.find_mapping(session, product.id, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=name)
    response.headers["ETag"] = etag(row.revision)
    return mappings.mapping_of(row)


@router.delete("/{name}", status_code=204, response_class=Response)
async def delete_mapping(
    product: WritableProduct,
    name: EntityName,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    """Delete a mapping (If-Match guards it). Published versions keep the copy they pinned;
    a draft that names it can no longer be published."""
    await service.delete_mapping(session, actor, product, name, if_match)
    await session.commit()
