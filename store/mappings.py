"""A product's mappings, versioned by revision, listed by name."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.mappings import Mapping, MappingPublic
from models.tables import MappingRow, ProductRow
from store.product_config import ProductConfigStore


def _columns(mapping: Mapping) -> dict[str, Any]:
    return {"direction": mapping.direction, "fields": mapping.stored_fields()}


MAPPING_STORE = ProductConfigStore[MappingRow, Mapping, MappingPublic](
    row=MappingRow, public=MappingPublic, columns=_columns, order_by=(col(MappingRow.name),)
)
mapping_of = MAPPING_STORE.public_of
find_mapping = MAPPING_STORE.find
list_mappings = MAPPING_STORE.of_product


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


async def mapping_names(session: AsyncSession, product_id: str) -> set[str]:
    query = select(MappingRow.name).where(MappingRow.product_id == product_id)
    return set((await session.exec(query)).all())
