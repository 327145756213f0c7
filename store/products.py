"""Products: reads and writes of product rows, scoped by organization."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.products import ProductCreate
from models.tables import FlowRow, FlowVersionRow, MappingRow, ProductRow, RuleRow


async def find_product(session: AsyncSession, organization_id: str, code: str) -> ProductRow | None:
    query = select(ProductRow).where(
        ProductRow.organization_id == organization_id, ProductRow.code == code
    )
    return (await session.exec(query)).first()


async def get_product(session: AsyncSession, organization_id: str, code: str) -> ProductRow:
    """The organization's product ``code``; RESOURCE_NOT_FOUND otherwise."""
    product = await find_product(session, organization_id, code)
    if product is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Product", id=code)
    return product


async def list_products(session: AsyncSession, organization_id: str) -> list[ProductRow]:
    rows = await session.exec(
        select(ProductRow)
        .where(ProductRow.organization_id == organization_id)
        .order_by(col(ProductRow.code))
    )
    return list(rows.all())


async def count_products(session: AsyncSession, organization_id: str) -> int:
    query = select(func.count()).where(ProductRow.organization_id == organization_id)
    return (await session.exec(query)).one()


async def insert_product(
    session: AsyncSession, organization_id: str, product: ProductCreate
) -> ProductRow:
    """A new product row; RESOURCE_CONFLICT when the code is taken."""
    row = ProductRow(organization_id=organization_id, **product.model_dump(by_alias=False))
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT, resource="Product", id=product.code
        ) from exc
    return row


async def delete_product(session: AsyncSession, product: ProductRow) -> None:
    """Deletes the product and everything configured under it (flows and their versions,
    mappings, rules); its transactions stay, naming it by code. No commit."""
    flow_ids = select(FlowRow.id).where(FlowRow.product_id == product.id)
    await session.exec(delete(FlowVersionRow).where(col(FlowVersionRow.flow_id).in_(flow_ids)))
    for table in (FlowRow, MappingRow, RuleRow):
        await session.exec(delete(table).where(col(table.product_id) == product.id))
    await session.delete(product)
