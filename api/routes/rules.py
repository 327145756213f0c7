"""A product's mappings and rules: validated when saved, versioned by ETag."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.mapping_engine import MappingDefinition
from activities.rules_model import Rule as RuleSpec
from api.deps import (
    ConfigReaderDep,
    ConfigWriterDep,
    CorrelationDep,
    EntityName,
    ProductCode,
    SessionDep,
)
from models.api import NoNul
from models.errors import ErrorCode, PlatformError
from models.tables import Mapping, Product, Rule
from store import flows
from store.audit import audit
from store.auth import Principal
from store.product_config import find_mapping, find_rule, stored_rule, upsert_mapping, upsert_rule

router = APIRouter(prefix="/api/v1/products/{code}", tags=["mappings and rules"])
IfMatch = Annotated[str | None, Header()]


class MappingBody(MappingDefinition, NoNul):
    name: str = ""  # the path names the mapping


class RuleBody(RuleSpec, NoNul):
    name: str = ""  # the path names the rule


def _etag(revision: int) -> str:
    return f'"r{revision}"'


def _check_etag(if_match: str | None, revision: int) -> None:
    if if_match is not None and if_match != _etag(revision):
        raise PlatformError(
            ErrorCode.VERSION_CONFLICT,
            details={"expected": if_match, "current": _etag(revision)},
        )


def mapping_public(row: Mapping) -> dict[str, Any]:
    return {
        "name": row.name,
        "direction": row.direction,
        "fields": row.fields,
        "revision": row.revision,
        "updatedAt": row.updated_at.isoformat(),
    }


def rule_public(row: Rule) -> dict[str, Any]:
    return {**stored_rule(row).model_dump(mode="json", by_alias=True), "revision": row.revision}


async def _mapping(session: AsyncSession, product: Product, name: str) -> Mapping:
    row = await find_mapping(session, product, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Mapping", id=name)
    return row


async def _rule(session: AsyncSession, product: Product, name: str) -> Rule:
    row = await find_rule(session, product, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Rule", id=name)
    return row


def _audit_write(
    session: AsyncSession,
    principal: Principal,
    cid: str,
    entity: str,
    row: Mapping | Rule,
    before: dict[str, Any] | None,
    after: dict[str, Any],
) -> None:
    action = "UPDATE" if before else "CREATE"
    audit(session, principal, action, entity, row.id, row.name, cid, before=before, after=after)


@router.put("/mappings/{name}")
async def put_mapping(
    code: ProductCode,
    name: EntityName,
    body: MappingBody,
    response: Response,
    principal: ConfigWriterDep,
    session: SessionDep,
    cid: CorrelationDep,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Create or replace a mapping, compiled first (If-Match guards a replace)."""
    product = await flows.get_product(session, principal.organization_id, code)
    existing = await find_mapping(session, product, name)
    before = None
    if existing is not None:
        _check_etag(if_match, existing.revision)
        before = mapping_public(existing)
    definition = MappingDefinition.model_validate({**body.model_dump(), "name": name})
    row, changed = await upsert_mapping(session, product, definition)
    if changed:
        _audit_write(session, principal, cid, "mapping", row, before, mapping_public(row))
    await session.commit()
    response.headers["ETag"] = _etag(row.revision)
    return mapping_public(row)


@router.get("/mappings")
async def list_mappings(
    code: ProductCode, principal: ConfigReaderDep, session: SessionDep
) -> list[dict[str, Any]]:
    """The product's mappings."""
    product = await flows.get_product(session, principal.organization_id, code)
    rows = await session.exec(
        select(Mapping).where(Mapping.product_id == product.id).order_by(col(Mapping.name))
    )
    return [mapping_public(r) for r in rows.all()]


@router.get("/mappings/{name}")
async def get_mapping(
    code: ProductCode,
    name: EntityName,
    response: Response,
    principal: ConfigReaderDep,
    session: SessionDep,
) -> dict[str, Any]:
    """One mapping, with its ETag."""
    product = await flows.get_product(session, principal.organization_id, code)
    row = await _mapping(session, product, name)
    response.headers["ETag"] = _etag(row.revision)
    return mapping_public(row)


@router.put("/rules/{name}")
async def put_rule(
    code: ProductCode,
    name: EntityName,
    body: RuleBody,
    response: Response,
    principal: ConfigWriterDep,
    session: SessionDep,
    cid: CorrelationDep,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Create or replace a rule; expressions are checked first (If-Match guards a replace)."""
    product = await flows.get_product(session, principal.organization_id, code)
    existing = await find_rule(session, product, name)
    before = None
    if existing is not None:
        _check_etag(if_match, existing.revision)
        before = rule_public(existing)
    rule = RuleSpec.model_validate({**body.model_dump(), "name": name})
    row, changed = await upsert_rule(session, product, rule)
    after = rule_public(row)
    if changed:
        _audit_write(session, principal, cid, "rule", row, before, after)
    await session.commit()
    response.headers["ETag"] = _etag(row.revision)
    return after


@router.get("/rules")
async def list_rules(
    code: ProductCode, principal: ConfigReaderDep, session: SessionDep
) -> list[dict[str, Any]]:
    """The product's rules, in evaluation order."""
    product = await flows.get_product(session, principal.organization_id, code)
    rows = await session.exec(
        select(Rule)
        .where(Rule.product_id == product.id)
        .order_by(col(Rule.phase), col(Rule.priority), col(Rule.name))
    )
    return [rule_public(r) for r in rows.all()]


@router.delete("/rules/{name}", status_code=204)
async def delete_rule(
    code: ProductCode,
    name: EntityName,
    principal: ConfigWriterDep,
    session: SessionDep,
    cid: CorrelationDep,
    if_match: IfMatch = None,
) -> Response:
    """Delete a rule."""
    product = await flows.get_product(session, principal.organization_id, code)
    row = await _rule(session, product, name)
    _check_etag(if_match, row.revision)
    audit(session, principal, "DELETE", "rule", row.id, name, cid, before=rule_public(row))
    await session.delete(row)
    await session.commit()
    return Response(status_code=204)
