"""Products and their flows: create, list, draft, publish, roll back."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from api.deps import (
    ConfigReaderDep,
    ConfigWriterDep,
    CorrelationDep,
    EndpointPath,
    ProductCode,
    ServicesDep,
    SessionDep,
)
from models.api import FlowVersionCreate, FlowVersionPublic, ProductCreate, ProductPublic
from models.errors import ErrorCode, PlatformError
from models.tables import FlowVersion, Product
from store import flows
from store.audit import audit

router = APIRouter(prefix="/api/v1/products", tags=["products"])


def _version_public(product: str, endpoint: str, v: FlowVersion) -> FlowVersionPublic:
    return FlowVersionPublic(
        product_code=product,
        endpoint=endpoint,
        version=v.version,
        status=v.status,
        steps=v.steps,
        batch_local_steps=v.batch_local_steps,
        change_description=v.change_description,
        published_at=v.published_at,
        created_at=v.created_at,
    )


@router.post("", status_code=201, response_model=ProductPublic)
async def create_product(
    body: ProductCreate, principal: ConfigWriterDep, session: SessionDep, cid: CorrelationDep
) -> Product:
    """Create a product line."""
    product = Product(organization_id=principal.organization_id, **body.model_dump())
    session.add(product)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise PlatformError(ErrorCode.RESOURCE_CONFLICT, resource="Product", id=body.code) from exc
    audit(
        session,
        principal,
        "CREATE",
        "product",
        product.id,
        product.code,
        cid,
        after=body.model_dump(mode="json"),
    )
    await session.commit()
    return product


@router.get("", response_model=list[ProductPublic])
async def list_products(principal: ConfigReaderDep, session: SessionDep) -> list[Product]:
    """The organization's products."""
    rows = await session.exec(
        select(Product)
        .where(Product.organization_id == principal.organization_id)
        .order_by(col(Product.code))
    )
    return list(rows.all())


@router.get("/{code}", response_model=ProductPublic)
async def get_product(
    code: ProductCode, principal: ConfigReaderDep, session: SessionDep
) -> Product:
    """One product."""
    return await flows.get_product(session, principal.organization_id, code)


@router.post("/{code}/flows/{endpoint}/versions", status_code=201, response_model=FlowVersionPublic)
async def create_flow_version(
    code: ProductCode,
    endpoint: EndpointPath,
    body: FlowVersionCreate,
    principal: ConfigWriterDep,
    session: SessionDep,
    cid: CorrelationDep,
) -> FlowVersionPublic:
    """Create a draft version of a product endpoint's flow."""
    product = await flows.get_product(session, principal.organization_id, code)
    flow = await flows.ensure_flow(session, product, endpoint, body.name or f"{code} {endpoint}")
    version = await flows.create_draft(
        session,
        flow,
        body.steps,
        body.change_description,
        principal.api_key_id,
        body.batch_local_steps,
    )
    audit(
        session,
        principal,
        "CREATE",
        "flow_version",
        version.id,
        f"{code}/{endpoint}",
        cid,
        after={"version": version.version, "steps": version.steps},
    )
    await session.commit()
    return _version_public(code, endpoint, version)


@router.get("/{code}/flows/{endpoint}/versions", response_model=list[FlowVersionPublic])
async def list_flow_versions(
    code: ProductCode, endpoint: EndpointPath, principal: ConfigReaderDep, session: SessionDep
) -> list[FlowVersionPublic]:
    """Every version of a flow, newest first."""
    product = await flows.get_product(session, principal.organization_id, code)
    flow = await flows.get_flow(session, product, endpoint)
    rows = await session.exec(
        select(FlowVersion)
        .where(FlowVersion.flow_id == flow.id)
        .order_by(col(FlowVersion.version).desc())
    )
    return [_version_public(code, endpoint, v) for v in rows.all()]


@router.post("/{code}/flows/{endpoint}/versions/{number}/publish", response_model=FlowVersionPublic)
async def publish_flow_version(
    code: ProductCode,
    endpoint: EndpointPath,
    number: int,
    principal: ConfigWriterDep,
    session: SessionDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> FlowVersionPublic:
    """Publish a draft (validating every step), or re-publish an archived version (rollback)."""
    product = await flows.get_product(session, principal.organization_id, code)
    flow = await flows.get_flow(session, product, endpoint)
    version = await flows.get_version(session, flow, number)
    previous = version.status
    await flows.publish(session, flow, version, services.steps, principal.api_key_id)
    action = "ROLLBACK" if previous == "archived" else "PUBLISH"
    audit(
        session,
        principal,
        action,
        "flow_version",
        version.id,
        f"{code}/{endpoint}",
        cid,
        before={"status": previous},
        after={"status": "published", "version": number},
    )
    await session.commit()
    services.rating.flows.invalidate((principal.organization_id, code, endpoint))
    return _version_public(code, endpoint, version)
