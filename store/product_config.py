"""Named product configuration (mappings, rules): one store, built once per kind.

Each kind is a table of rows owned by one product, found by name and versioned by
revision. What differs between kinds is a parameter: the table, the public model,
the stored columns of an item, and the order a product's items are listed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.tables import ProductRow
from store.revisions import revise


class ConfigRow(Protocol):
    """The columns every kind's table has."""

    id: str
    organization_id: str
    product_id: str
    name: str
    revision: int
    updated_at: Any

    def __init__(self, **columns: Any) -> None: ...


class Named(Protocol):
    """An item as written: its name, and the content its kind stores."""

    name: str


RowT = TypeVar("RowT", bound=ConfigRow)
ItemT = TypeVar("ItemT", bound=Named)
PublicT = TypeVar("PublicT", bound=BaseModel)


@dataclass(frozen=True)
class ProductConfigStore(Generic[RowT, ItemT, PublicT]):
    """The rows of one kind of named product configuration."""

    row: type[RowT]
    public: type[PublicT]
    columns: Callable[[ItemT], dict[str, Any]]
    """An item's stored columns (all but the keys and the revision)."""
    order_by: tuple[Any, ...]
    """The columns a product's items are listed by."""

    def public_of(self, row: RowT) -> PublicT:
        return self.public.model_validate(row, from_attributes=True)

    async def find(self, session: AsyncSession, product_id: str, name: str) -> RowT | None:
        query = select(self.row).where(self.row.product_id == product_id, self.row.name == name)
        return (await session.exec(query)).first()

    async def of_product(self, session: AsyncSession, product_id: str) -> list[RowT]:
        """The product's items, in this kind's order."""
        query = select(self.row).where(self.row.product_id == product_id).order_by(*self.order_by)
        return list((await session.exec(query)).all())

    async def count(self, session: AsyncSession, product_id: str) -> int:
        query = select(func.count()).where(self.row.product_id == product_id)
        return (await session.exec(query)).one()

    async def upsert(
        self, session: AsyncSession, product: ProductRow, item: ItemT
    ) -> tuple[RowT, bool]:
        """Creates or replaces an item; returns its row and whether it changed."""
        values = self.columns(item)
        row = await self.find(session, product.id, item.name)
        if row is None:
            row = self.row(
                organization_id=product.organization_id,
                product_id=product.id,
                name=item.name,
                **values,
            )
        elif not revise(row, values):
            return row, False
        session.add(row)
        await session.flush()
        return row, True
