"""Mapping writes: compile (validate), write, audit."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from engines.mapping import compile_mapping
from models.errors import ErrorCode, PlatformError
from models.mappings import Mapping
from models.principal import Actor
from models.tables import MappingRow, ProductRow
from services.etags import check_etag
from services.limits import check_room
from store import mappings
from store.audit import audit


async def put_mapping(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    mapping: Mapping,
    if_match: str | None = None,
) -> MappingRow:
    """Creates or replaces a mapping, compiled first; ``if_match`` guards a replace. No commit."""
    compile_mapping(mapping)
    existing = await mappings.find_mapping(session, product.id, mapping.name)
    before = None
    if existing is not None:
        check_etag(if_match, existing.revision)
        before = mappings.mapping_of(existing).model_dump(mode="json")
    else:
        await check_room(
            session,
            actor,
            "mappings_per_product",
            lambda: mappings.count_mappings(session, product.id),
        )
    row, changed = await mappings.upsert_mapping(session, product, mapping)
    if changed:
        after = mappings.mapping_of(row).model_dump(mode="json")
        action = "UPDATE" if before else "CREATE"
        audit(session, actor, action, "mapping", row.id, row.name, before, after)
    return row


async def delete_mapping(
    session: AsyncSession, actor: Actor, product: ProductRow, name: str, if_match: str | None
) -> None:
    """Deletes a mapping (``if_match`` guards it); no commit."""
    row = await mappings.find_mapping(session, product.id, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=name)
    check_etag(if_match, row.revision)
    before = mappings.mapping_of(row).model_dump(mode="json")
    audit(session, actor, "DELETE", "mapping", row.id, name, before=before)
    await session.delete(row)
