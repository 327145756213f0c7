"""Products: create, list, read."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ActorDep, ConfigReaderDep, ReadableProduct, SessionDep
from models.products import ProductCreate, ProductPublic
from models.tables import ProductRow
from services import products as service
from store import products

router = APIRouter(prefix="/api/v1/products", tags=["products"])


@router.post("", status_code=201, response_model=ProductPublic)
async def create_product(body: ProductCreate, actor: ActorDep, session: SessionDep) -> ProductRow:
    """Create a product line."""
    return await service.create_product(session, actor, body)


@router.get("", response_model=list[ProductPublic])
async def list_products(principal: ConfigReaderDep, session: SessionDep) -> list[ProductRow]:
    """The organization's products."""
    rows = await products.list_products(session, principal.organization_id)
    return [r for r in rows if principal.can_see(r.code)]


@router.get("/{code}", response_model=ProductPublic)
async def get_product(product: ReadableProduct) -> ProductRow:
    """One product."""
    return product
