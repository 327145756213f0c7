"""A product's rules: expressions checked when saved, versioned by ETag."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.deps import (
    ActorDep,
    EntityName,
    IfMatch,
    ReadableProduct,
    SessionDep,
    WritableProduct,
)
from api.listing import PagingDep, paged
from models.errors import ErrorCode, PlatformError
from models.rules import Rule, RuleBase, RulePublic
from services import rules as service
from services.etags import etag
from store import rules

router = APIRouter(prefix="/api/v1/products/{code}/rules", tags=["rules"])


@router.put("/{name}", response_model=RulePublic)
async def put_rule(
    product: WritableProduct,
    name: EntityName,
    body: RuleBase,
    response: Response,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> RulePublic:
    """Create or replace a rule; expressions are checked first (If-Match guards a replace)."""
    rule = Rule(name=name, **body.model_dump(by_alias=False))
    row = await service.put_rule(session, actor, product, rule, if_match)
    await session.commit()
    response.headers["ETag"] = etag(row.revision)
    return rules.rule_of(row)


@router.get("", response_model=list[RulePublic])
async def list_rules(
    product: ReadableProduct,
    session: SessionDep,
    request: Request,
    response: Response,
    paging: PagingDep,
) -> list[RulePublic]:
    """The product's rules, in evaluation order."""
    found = [rules.rule_of(r) for r in await rules.list_rules(session, product.id)]
    return paged(request, response, found, paging)


@router.get("/{name}", response_model=RulePublic)
async def get_rule(
    product: ReadableProduct, name: EntityName, response: Response, session: SessionDep
) -> RulePublic:
    """One rule, with its ETag (send it back as If-Match to replace or delete it)."""
    row = await rules.find_rule(session, product.id, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Rule", id=name)
    response.headers["ETag"] = etag(row.revision)
    return rules.rule_of(row)


@router.delete("/{name}", status_code=204, response_class=Response)
async def delete_rule(
    product: WritableProduct,
    name: EntityName,
    actor: ActorDep,
    session: SessionDep,
    if_match: IfMatch = None,
) -> None:
    """Delete a rule (If-Match guards it)."""
    await service.delete_rule(session, actor, product, name, if_match)
    await session.commit()
