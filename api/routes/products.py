"""Products: create, list, read; export and import their whole configuration."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.deps import (
    ActorDep,
    ConfigReaderDep,
    ConfigWriterDep,
    IfMatch,
    ReadableProduct,
    ServicesDep,
    SessionDep,
    WritableProduct,
)
from api.listing import PagingDep, paged
from models.exports import ImportRequest, ImportResult, ProductExport, export_bytes
from models.products import ProductCreate, ProductPublic, ProductWrite
from models.tables import ProductRow
from services import products as service
from services.etags import etag
from services.exports import export_product, exported_versions, import_product
from store import flows, products

router = APIRouter(prefix="/products", tags=["products"])


@router.post("", status_code=201, response_model=ProductPublic)
async def create_product(body: ProductCreate, actor: ActorDep, session: SessionDep) -> ProductRow:
    """Create a product line."""
    row = await service.create_product(session, actor, body)
    await session.commit()
    return row


@router.get("", response_model=list[ProductPublic])
async def list_products(
    principal: ConfigReaderDep,
    session: SessionDep,
    request: Request,
    response: Response,
    paging: PagingDep,
) -> list[ProductRow]:
    """The organization's products."""
    rows = await products.list_products(session, principal.organization_id)
    return paged(request, response, [r for r in rows if principal.can_see(r.code)], paging)


@router.get("/{code}", response_model=ProductPublic)
async def get_product(product: ReadableProduct, response: Response) -> ProductRow:
    """One product, with its ETag."""
    response.headers["ETag"] = etag(product.revision)
    return product


@router.put("/{code}", response_model=ProductPublic)
async def replace_product(
    product: WritableProduct,
    body: ProductWrite,
    response: Response,
    actor: ActorDep,
    session: SessionDep,
    services: ServicesDep,
    if_match: IfMatch = None,
) -> ProductRow:
    """Replace a product's settings (If-Match guards it). A larger payload limit than a
    published step can read is refused; flows keep running the versions they pinned."""
    replacement = ProductCreate.model_validate({**body.model_dump(), "code": product.code})
    await service.update_product(
        session, actor, product, replacement, if_match, services.steps, published=services.flows
    )
    await session.commit()
    response.headers["ETag"] = etag(product.revision)
    return product


@router.delete("/{code}", status_code=204, response_class=Response)
async def delete_product(
    product: WritableProduct, actor: ActorDep, session: SessionDep, if_match: IfMatch = None
) -> None:
    """Delete a product that has nothing published, with its drafts, mappings and rules
    (409 naming its published versions otherwise)."""
    await service.delete_product(session, actor, product, if_match)
    await session.commit()


@router.get("/{code}/export", response_model=ProductExport)
async def export(product: ReadableProduct, session: SessionDep) -> Response:
    """The product's whole configuration as one canonical document: its settings, mappings,
    rules and each endpoint's published flow (`docs/configuration-as-code.md`)."""
    published = await flows.published_in(session, product.organization_id, product.id)
    document = await export_product(session, product, published=published)
    # Which published version of each endpoint the document is (it holds no numbers:
    # they belong to a store, and another one numbers its own).
    headers = {"X-IRX-Exported-Versions": exported_versions(published)} if published else None
    return Response(export_bytes(document), media_type="application/json", headers=headers)


@router.post("/import", response_model=ImportResult)
async def import_(
    body: ImportRequest,
    principal: ConfigWriterDep,
    actor: ActorDep,
    session: SessionDep,
    services: ServicesDep,
) -> ImportResult:
    """Create or replace a product from an exported document. `dryRun: true` answers the
    diff and writes nothing; replacing an existing product needs `overwrite: true`.
    Everything is validated before anything is kept: one failure writes nothing."""
    principal.require_product(body.product.code)
    result = await import_product(session, actor, body, services.steps, published=services.flows)
    if not body.dry_run:
        await session.commit()
    return result
