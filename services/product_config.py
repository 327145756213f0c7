"""Named product configuration writes (mappings, rules): check, write, audit; built per kind.

What differs between kinds is a parameter: the store, the noun (audit entity type and
error resource), the plan limit counted before a create, and the check an item must
pass before it is written (a mapping is compiled, a rule's expressions validated).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.principal import Actor
from models.tables import ProductRow
from services.etags import check_etag
from services.limits import Counted, check_room
from store.audit import audit
from store.product_config import ItemT, ProductConfigStore, PublicT, RowT


@dataclass(frozen=True)
class ProductConfigService(Generic[RowT, ItemT, PublicT]):
    """Writes of one kind of named product configuration; none of them commits."""

    store: ProductConfigStore[RowT, ItemT, PublicT]
    noun: str
    """The kind, singular: "mapping" (its audit entity type, and its routes' names)."""
    limit: Counted
    check: Callable[[ItemT], object]
    """Refuses an invalid item (VALIDATION_FAILED) before it is written."""

    async def get(self, session: AsyncSession, product_id: str, name: str) -> RowT:
        """The named item's row; RESOURCE_NOT_FOUND if there is none."""
        row = await self.store.find(session, product_id, name)
        if row is None:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource=self.noun.capitalize(), id=name
            )
        return row

    async def put(
        self,
        session: AsyncSession,
        actor: Actor,
        product: ProductRow,
        item: ItemT,
        if_match: str | None = None,
    ) -> RowT:
        """Creates or replaces an item, checked first; ``if_match`` guards a replace."""
        self.check(item)
        existing = await self.store.find(session, product.id, item.name)
        before = None
        if existing is not None:
            check_etag(if_match, existing.revision)
            before = self.store.public_of(existing).model_dump(mode="json")
        else:
            await check_room(
                session, actor, self.limit, lambda: self.store.count(session, product.id)
            )
        row, changed = await self.store.upsert(session, product, item)
        if changed:
            after = self.store.public_of(row).model_dump(mode="json")
            action = "UPDATE" if before else "CREATE"
            audit(session, actor, action, self.noun, row.id, row.name, before, after)
        return row

    async def delete(
        self,
        session: AsyncSession,
        actor: Actor,
        product: ProductRow,
        name: str,
        if_match: str | None,
    ) -> None:
        """Deletes an item (``if_match`` guards it)."""
        row = await self.get(session, product.id, name)
        check_etag(if_match, row.revision)
        before = self.store.public_of(row).model_dump(mode="json")
        audit(session, actor, "DELETE", self.noun, row.id, name, before=before)
        await session.delete(row)
