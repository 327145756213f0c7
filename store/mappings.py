"""A product's mappings, versioned by revision."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.mappings import Mapping, MappingPublic
from models.tables import MappingRow, ProductRow
from store.revisions import revise


def mapping_of(row: MappingRow) -> MappingPublic:
    return MappingPublic.model_validate(row, from_attributes=True)


async def find_mapping(session: AsyncSession, product_id: str, name: str) -> MappingRow | None:
    query = select(MappingRow).where(MappingRow.product_id == product_id, MappingRow.name == name)
    return (await session.exec(query)).first()


async def find_mapping_by_code(
    session: AsyncSession, organization_id: str, product_code: str, name: str
) -> MappingRow | None:
    query = (
        select(MappingRow)
        .join(ProductRow, ProductRow.id == MappingRow.product_id)  # type: ignore[arg-type]
        .where(
            ProductRow.organization_id == organization_id,
            ProductRow.code == product_code,
            MappingRow.name == name,
        )
    )
    return (await session.exec(query)).first()


async def list_mappings(session: AsyncSession, product_id: str) -> list[MappingRow]:
    rows = await session.exec(
        select(MappingRow).where(MappingRow.product_id == product_id).order_by(col(MappingRow.name))
    )
    return list(rows.all())


async def count_mappings(session: AsyncSession, product_id: str) -> int:
    query = select(func.count()).where(MappingRow.product_id == product_id)
    return (await session.exec(query)).one()


async def mapping_names(session: AsyncSession, product_id: str) -> set[str]:
    query = select(MappingRow.name).where(MappingRow.product_id == product_id)
    return set((await session.exec(query)).all())


async def upsert_mapping(
    session: AsyncSession, product: ProductRow, mapping: Mapping
) -> tuple[MappingRow, bool]:
    """Creates or replaces a mapping; returns its row and whether it changed."""
    values: dict[str, Any] = {"direction": mapping.direction, "fields": mapping.stored_fields()}
    row = await find_mapping(session, product.id, mapping.name)
    if row is None:
        row = MappingRow(
            organization_id=product.organization_id,
            product_id=product.id,
            name=mapping.name,
            **values,
        )
    elif not revise(row, values):
        return row, False
    session.add(row)
    await session.flush()
    return row, True
