"""Product writes: validate, write, audit."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from engines.json_schema import check_schema
from models.errors import ErrorCode, PlatformError
from models.principal import Actor
from models.products import ProductCreate
from models.tables import ProductRow
from services.limits import check_room
from store import products
from store.audit import audit


def check_request_schema(body: ProductCreate) -> None:
    """VALIDATION_FAILED when the product's requestSchema is not a usable JSON Schema."""
    if body.request_schema is None:
        return
    try:
        check_schema(body.request_schema)
    except ValueError as exc:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"requestSchema is {exc}.",
            details={"problems": [{"path": "requestSchema", "message": str(exc)}]},
        ) from exc


async def create_product(session: AsyncSession, actor: Actor, body: ProductCreate) -> ProductRow:
    """A new product of the actor's organization (RESOURCE_CONFLICT if the code is taken);
    no commit."""
    check_request_schema(body)
    check_room(actor, "products", await products.count_products(session, actor.organization_id))
    row = await products.insert_product(session, actor.organization_id, body)
    audit(session, actor, "CREATE", "product", row.id, row.code, after=body.model_dump(mode="json"))
    return row


async def update_product(
    session: AsyncSession, actor: Actor, row: ProductRow, body: ProductCreate
) -> bool:
    """Writes ``body``'s settings into the product (its code stays); audited; no commit."""
    check_request_schema(body)
    before = ProductCreate.model_validate(row, from_attributes=True).model_dump(mode="json")
    after = body.model_dump(mode="json")
    if before == after:
        return False
    for field, value in body.model_dump(by_alias=False, exclude={"code"}).items():
        setattr(row, field, value)
    session.add(row)
    audit(session, actor, "UPDATE", "product", row.id, row.code, before, after)
    return True
