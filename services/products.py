"""Product writes: validate, write, audit."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from engines.json_schema import check_schema
from models.errors import ErrorCode, PlatformError
from models.flow import StepSpec
from models.principal import Actor
from models.products import ProductCreate
from models.tables import ProductRow
from services.etags import check_etag
from services.limits import check_room
from services.published_flows import PublishedFlows
from store import flows, products
from store.audit import audit
from store.revisions import revise


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
    await check_room(
        session, actor, "products", lambda: products.count_products(session, actor.organization_id)
    )
    row = await products.insert_product(session, actor.organization_id, body)
    audit(session, actor, "CREATE", "product", row.id, row.code, after=body.model_dump(mode="json"))
    return row


async def update_product(
    session: AsyncSession,
    actor: Actor,
    row: ProductRow,
    body: ProductCreate,
    if_match: str | None,
    steps: StepRegistry | None,
    *,
    published: PublishedFlows | None,
) -> bool:
    """Writes ``body``'s settings into the product (its code stays), ``if_match`` guarding
    it; refused when a published version has a step that could not read a request as
    large as the new limit (``steps`` None: the caller publishes every flow anew, and
    publishing checks). Audited; no commit. Once committed, the rate path forgets the
    product's cached flows, which carry its limits (``published``)."""
    check_etag(if_match, row.revision)
    check_request_schema(body)
    if steps is not None:
        await _check_published_bounds(session, actor, row, body, steps)
    before = ProductCreate.model_validate(row, from_attributes=True).model_dump(mode="json")
    if not revise(row, body.model_dump(by_alias=False, exclude={"code"})):
        return False
    session.add(row)
    after = body.model_dump(mode="json")
    audit(session, actor, "UPDATE", "product", row.id, row.code, before, after)
    if published is not None:
        for _, flow, _ in await flows.published_in(session, actor.organization_id, row.id):
            published.published_on_commit(session, actor.organization_id, row.code, flow.endpoint)
    return True


async def _check_published_bounds(
    session: AsyncSession, actor: Actor, row: ProductRow, body: ProductCreate, steps: StepRegistry
) -> None:
    published = await flows.published_in(session, actor.organization_id, row.id)
    bounded = [
        f"{flow.endpoint} v{version.version} step '{spec.name}' reads at most {bound} bytes"
        for _, flow, version in published
        for spec, bound in steps.input_bounds([StepSpec.model_validate(s) for s in version.steps])
        if bound < body.max_payload_bytes
    ]
    if bounded:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "maxPayloadBytes is more than published steps can read.",
            details={"problems": [{"path": "maxPayloadBytes", "message": m} for m in bounded]},
        )


async def delete_product(
    session: AsyncSession, actor: Actor, row: ProductRow, if_match: str | None
) -> None:
    """Deletes a product with nothing published (RESOURCE_CONFLICT naming what is: withdraw
    it first), with its drafts, archived versions, flows, mappings and rules; no commit."""
    check_etag(if_match, row.revision)
    live = await flows.published_in(session, actor.organization_id, row.id)
    if live:
        endpoints = sorted(f"{flow.endpoint} v{version.version}" for _, flow, version in live)
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"Product {row.code} has published version(s): {', '.join(endpoints)}.",
            details={"published": endpoints},
        )
    before = ProductCreate.model_validate(row, from_attributes=True).model_dump(mode="json")
    await products.delete_product(session, row)
    audit(session, actor, "DELETE", "product", row.id, row.code, before=before)
