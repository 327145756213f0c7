"""Products, flows and flow versions: draft -> published -> archived.

Publishing validates every step against the step registry and stores the
resolved steps, so a published version is complete and immutable.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from models.errors import ErrorCode, PlatformError
from models.flow import FlowSpec, StepDraft, StepSpec
from models.tables import Flow, FlowVersion, Mapping, Product, System, utcnow


class PublishedFlow(BaseModel):
    """What the rate endpoint needs to start a run: the product's limits and the pinned flow."""

    product_id: str
    product_code: str
    max_payload_bytes: int
    timeout_ms: int
    flow: FlowSpec


async def get_product(session: AsyncSession, organization_id: str, code: str) -> Product:
    product = (
        await session.exec(
            select(Product).where(Product.organization_id == organization_id, Product.code == code)
        )
    ).first()
    if product is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Product", id=code)
    return product


async def get_flow(session: AsyncSession, product: Product, endpoint: str) -> Flow:
    flow = (
        await session.exec(
            select(Flow).where(Flow.product_id == product.id, Flow.endpoint == endpoint)
        )
    ).first()
    if flow is None:
        raise PlatformError(
            ErrorCode.ORCHESTRATOR_NOT_FOUND, product=product.code, endpoint=endpoint
        )
    return flow


async def published_flow(
    session: AsyncSession, organization_id: str, product_code: str, endpoint: str
) -> PublishedFlow:
    """The latest published version of a product endpoint's flow.

    Raises:
        PlatformError: ORCHESTRATOR_NOT_FOUND for an unknown product, endpoint or
            a flow never published; NO_STEPS_CONFIGURED for a flow without steps.
    """
    row = (
        await session.exec(
            select(Product, Flow, FlowVersion)
            .join(Flow, Flow.product_id == Product.id)  # type: ignore[arg-type]
            .join(FlowVersion, FlowVersion.flow_id == Flow.id)  # type: ignore[arg-type]
            .where(
                Product.organization_id == organization_id,
                Product.code == product_code,
                Flow.endpoint == endpoint,
                FlowVersion.status == "published",
            )
            .order_by(col(FlowVersion.published_at).desc())
            .limit(1)
        )
    ).first()
    if row is None:
        raise PlatformError(
            ErrorCode.ORCHESTRATOR_NOT_FOUND,
            details={"productCode": product_code, "endpoint": endpoint},
            product=product_code,
            endpoint=endpoint,
        )
    product, _flow, version = row
    if not version.steps:
        raise PlatformError(
            ErrorCode.NO_STEPS_CONFIGURED,
            details={"productCode": product_code, "endpoint": endpoint},
            product=product_code,
            endpoint=endpoint,
        )
    return PublishedFlow(
        product_id=product.id,
        product_code=product.code,
        max_payload_bytes=product.max_payload_bytes,
        timeout_ms=product.timeout_ms,
        flow=FlowSpec(
            flow_version_id=version.id,
            product_code=product.code,
            endpoint=endpoint,
            version=version.version,
            steps=[StepSpec.model_validate(s) for s in version.steps],
            batch_local_steps=version.batch_local_steps,
        ),
    )


async def ensure_flow(session: AsyncSession, product: Product, endpoint: str, name: str) -> Flow:
    flow = (
        await session.exec(
            select(Flow).where(Flow.product_id == product.id, Flow.endpoint == endpoint)
        )
    ).first()
    if flow is None:
        flow = Flow(
            organization_id=product.organization_id,
            product_id=product.id,
            endpoint=endpoint,
            name=name,
        )
        session.add(flow)
        await session.flush()
    return flow


async def create_draft(
    session: AsyncSession,
    flow: Flow,
    steps: list[StepDraft],
    change_description: str = "",
    created_by: str | None = None,
    batch_local_steps: bool = False,
) -> FlowVersion:
    """A new draft version numbered after the flow's highest version."""
    latest = (
        await session.exec(
            select(func.max(FlowVersion.version)).where(FlowVersion.flow_id == flow.id)
        )
    ).one()
    version = FlowVersion(
        flow_id=flow.id,
        version=(latest or 0) + 1,
        steps=[s.model_dump(mode="json", exclude_none=True) for s in steps],
        change_description=change_description,
        batch_local_steps=batch_local_steps,
        created_by=created_by,
    )
    session.add(version)
    await session.flush()
    return version


async def get_version(session: AsyncSession, flow: Flow, number: int) -> FlowVersion:
    version = (
        await session.exec(
            select(FlowVersion).where(FlowVersion.flow_id == flow.id, FlowVersion.version == number)
        )
    ).first()
    if version is None:
        raise PlatformError(
            ErrorCode.RESOURCE_NOT_FOUND, resource="Flow version", id=f"{flow.endpoint} v{number}"
        )
    return version


async def publish(
    session: AsyncSession, flow: Flow, version: FlowVersion, steps: StepRegistry, by: str | None
) -> FlowVersion:
    """Publish a draft (validating it) or re-publish an archived version (rollback).

    The previously published version is archived; the published one becomes the
    latest, so the rate endpoint uses it from now on.
    """
    if version.status == "draft":
        drafts = [StepDraft.model_validate(s) for s in version.steps]
        resolved = steps.resolve(drafts)
        await _check_references(session, flow, resolved, steps)
        version.steps = [s.model_dump(mode="json") for s in resolved]
    elif version.status == "published":
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"Version {version.version} is already the published version.",
        )
    current = (
        await session.exec(
            select(FlowVersion).where(
                FlowVersion.flow_id == flow.id, FlowVersion.status == "published"
            )
        )
    ).all()
    for old in current:
        old.status = "archived"
        session.add(old)
    version.status = "published"
    version.published_at = utcnow()
    version.published_by = by
    session.add(version)
    await session.flush()
    return version


async def _check_references(
    session: AsyncSession, flow: Flow, specs: list[StepSpec], steps: StepRegistry
) -> None:
    """Refuses a flow whose steps name systems or mappings that do not exist."""
    wanted = steps.references(specs)
    if not wanted:
        return
    systems = set(
        (
            await session.exec(
                select(System.code).where(System.organization_id == flow.organization_id)
            )
        ).all()
    )
    mappings = set(
        (
            await session.exec(select(Mapping.name).where(Mapping.product_id == flow.product_id))
        ).all()
    )
    known = {"system": systems, "mapping": mappings}
    problems = [
        {
            "step": index,
            "name": specs[index].name,
            "field": "config",
            "message": f"unknown {kind} '{name}'",
        }
        for index, kind, name in wanted
        if name not in known.get(kind, set())
    ]
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"The flow refers to {len(problems)} missing system(s) or mapping(s).",
            details={"problems": problems},
        )
