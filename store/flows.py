"""Flows and their versions: draft -> published -> archived.

Persistence only: the flow service validates a draft before :func:`publish`
stores the resolved steps it is given.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from models.effective_dates import Dated, today
from models.errors import ErrorCode, PlatformError
from models.flow import FlowSpec, FlowVersionPublic, StepDraft, StepSpec
from models.pins import PinnedConfig
from models.rules import RulePublic
from models.tables import FlowRow, FlowVersionRow, ProductRow, utcnow
from store import mappings, rules


class PublishedFlow(BaseModel):
    """What the rate endpoint needs to start a run: the product's limits and the pinned flow."""

    product_id: str
    product_code: str
    max_payload_bytes: int
    timeout_ms: int
    flow: FlowSpec


class EffectiveFlows(BaseModel):
    """A product endpoint's published versions, newest first, each with the first date it
    rates (None: since always), and where a request carries its date: what the rate path
    picks a version from (``models.effective_dates`` says which rates which dates)."""

    versions: list[tuple[date | None, PublishedFlow]]
    date_path: str | None

    @property
    def newest(self) -> PublishedFlow:
        """Any version stands for the product's limits (they are the product's); the newest."""
        return self.versions[0][1]

    def undated(self) -> PublishedFlow | None:
        """The version to run when the request's own date could not change it (no date
        path, or one version in force since always); None: read the request's date."""
        if self.date_path is None or (len(self.versions) == 1 and self.versions[0][0] is None):
            return self.on(today())
        return None

    def on(self, day: date) -> PublishedFlow:
        """The version in force on ``day``: the newest effective on or before it.

        Raises:
            PlatformError: NO_EFFECTIVE_VERSION before the earliest version;
                NO_STEPS_CONFIGURED for a version without steps.
        """
        flow = next((f for start, f in self.versions if start is None or start <= day), None)
        product, endpoint = self.newest.product_code, self.newest.flow.endpoint
        if flow is None:
            earliest = min(start for start, _ in self.versions if start is not None)
            raise PlatformError(
                ErrorCode.NO_EFFECTIVE_VERSION,
                details={
                    "effectiveDate": day.isoformat(),
                    "earliestEffectiveFrom": earliest.isoformat(),
                },
                date=day.isoformat(),
                product=product,
                endpoint=endpoint,
            )
        if not flow.flow.steps:
            raise PlatformError(ErrorCode.NO_STEPS_CONFIGURED, product=product, endpoint=endpoint)
        return flow


def version_of(product_code: str, endpoint: str, row: FlowVersionRow) -> FlowVersionPublic:
    return FlowVersionPublic(
        product_code=product_code,
        endpoint=endpoint,
        version=row.version,
        status=row.status,
        steps=row.steps,
        batch_local_steps=row.batch_local_steps,
        change_description=row.change_description,
        published_at=row.published_at,
        effective_from=row.effective_from,
        created_at=row.created_at,
    )


async def find_flow(session: AsyncSession, product: ProductRow, endpoint: str) -> FlowRow | None:
    query = select(FlowRow).where(FlowRow.product_id == product.id, FlowRow.endpoint == endpoint)
    return (await session.exec(query)).first()


async def get_flow(session: AsyncSession, product: ProductRow, endpoint: str) -> FlowRow:
    flow = await find_flow(session, product, endpoint)
    if flow is None:
        raise PlatformError(
            ErrorCode.ORCHESTRATOR_NOT_FOUND, product=product.code, endpoint=endpoint
        )
    return flow


async def published_in(
    session: AsyncSession, organization_id: str, product_id: str | None = None
) -> list[tuple[str, FlowRow, FlowVersionRow]]:
    """(product code, flow, version) of every published version of the organization (or
    of one product), by product and endpoint."""
    query = (
        select(ProductRow.code, FlowRow, FlowVersionRow)
        .join(FlowRow, FlowRow.product_id == ProductRow.id)  # type: ignore[arg-type]
        .join(FlowVersionRow, FlowVersionRow.flow_id == FlowRow.id)  # type: ignore[arg-type]
        .where(ProductRow.organization_id == organization_id, FlowVersionRow.status == "published")
        .order_by(col(ProductRow.code), col(FlowRow.endpoint))
    )
    if product_id is not None:
        query = query.where(ProductRow.id == product_id)
    return [(code, flow, version) for code, flow, version in (await session.exec(query)).all()]


async def ensure_flow(
    session: AsyncSession, product: ProductRow, endpoint: str, name: str
) -> FlowRow:
    flow = await find_flow(session, product, endpoint)
    if flow is None:
        flow = FlowRow(
            organization_id=product.organization_id,
            product_id=product.id,
            endpoint=endpoint,
            name=name,
        )
        session.add(flow)
        await session.flush()
    return flow


def _versions_of(
    organization_id: str, product_code: str, endpoint: str
) -> Select[ProductRow, FlowVersionRow]:
    """(product, version) rows of one product endpoint's flow, to filter further."""
    return (
        select(ProductRow, FlowVersionRow)
        .join(FlowRow, FlowRow.product_id == ProductRow.id)  # type: ignore[arg-type]
        .join(FlowVersionRow, FlowVersionRow.flow_id == FlowRow.id)  # type: ignore[arg-type]
        .where(
            ProductRow.organization_id == organization_id,
            ProductRow.code == product_code,
            FlowRow.endpoint == endpoint,
        )
    )


async def published_flows(
    session: AsyncSession, organization_id: str, product_code: str, endpoint: str
) -> EffectiveFlows:
    """Every published version of a product endpoint's flow, newest first.

    Raises:
        PlatformError: ORCHESTRATOR_NOT_FOUND for an unknown product, endpoint or
            a flow never published.
    """
    query = _versions_of(organization_id, product_code, endpoint).where(
        FlowVersionRow.status == "published"
    )
    rows = (await session.exec(query.order_by(col(FlowVersionRow.version).desc()))).all()
    if not rows:
        where = {"productCode": product_code, "endpoint": endpoint}
        raise PlatformError(
            ErrorCode.ORCHESTRATOR_NOT_FOUND, details=where, product=product_code, endpoint=endpoint
        )
    return EffectiveFlows(
        versions=[(v.effective_from, runnable(p, v, endpoint)) for p, v in rows],
        date_path=rows[0][0].effective_date_path,
    )


async def published_flow(
    session: AsyncSession, organization_id: str, product_code: str, endpoint: str
) -> PublishedFlow:
    """The published version of a product endpoint's flow in force today.

    Raises:
        PlatformError: ORCHESTRATOR_NOT_FOUND for an unknown product, endpoint or
            a flow never published; NO_STEPS_CONFIGURED for a flow without steps;
            NO_EFFECTIVE_VERSION when every version takes effect later.
    """
    found = await published_flows(session, organization_id, product_code, endpoint)
    return found.on(today())


async def published_dates(session: AsyncSession, flow: FlowRow) -> list[Dated]:
    """(version, effective from) of each published version of ``flow``."""
    query = select(FlowVersionRow).where(
        FlowVersionRow.flow_id == flow.id, FlowVersionRow.status == "published"
    )
    return [(row.version, row.effective_from) for row in (await session.exec(query)).all()]


def runnable(
    product: ProductRow,
    version: FlowVersionRow,
    endpoint: str,
    steps: list[StepSpec] | None = None,
) -> PublishedFlow:
    """What a run needs of a product's flow version; ``steps`` stands in for the stored
    ones (a draft's, resolved against the registry)."""
    return PublishedFlow(
        product_id=product.id,
        product_code=product.code,
        max_payload_bytes=product.max_payload_bytes,
        timeout_ms=product.timeout_ms,
        flow=_spec(version, product.code, endpoint, steps),
    )


async def chosen_version(
    session: AsyncSession,
    organization_id: str,
    product_code: str,
    endpoint: str,
    wanted: int | Literal["draft"],
) -> tuple[ProductRow, FlowVersionRow]:
    """Version ``wanted`` of a product endpoint's flow, whatever its status, or its
    newest draft; RESOURCE_NOT_FOUND when there is none."""
    query = _versions_of(organization_id, product_code, endpoint)
    if wanted == "draft":
        query = query.where(FlowVersionRow.status == "draft")
    else:
        query = query.where(FlowVersionRow.version == wanted)
    row = (await session.exec(query.order_by(col(FlowVersionRow.version).desc()).limit(1))).first()
    if row is None:
        raise PlatformError(
            ErrorCode.RESOURCE_NOT_FOUND,
            resource="Flow version",
            id=f"{product_code}/{endpoint}/{wanted}",
        )
    return row


def _spec(
    row: FlowVersionRow, product_code: str, endpoint: str, steps: list[StepSpec] | None = None
) -> FlowSpec:
    return FlowSpec(
        flow_version_id=row.id,
        product_code=product_code,
        endpoint=endpoint,
        version=row.version,
        steps=steps if steps is not None else [StepSpec.model_validate(s) for s in row.steps],
        batch_local_steps=row.batch_local_steps,
    )


async def create_draft(
    session: AsyncSession,
    flow: FlowRow,
    steps: list[StepDraft],
    change_description: str = "",
    created_by: str | None = None,
    batch_local_steps: bool = False,
) -> FlowVersionRow:
    """A new draft version numbered after the flow's highest version."""
    latest = (
        await session.exec(
            select(func.max(FlowVersionRow.version)).where(FlowVersionRow.flow_id == flow.id)
        )
    ).one()
    version = FlowVersionRow(
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


async def get_flow_version(
    session: AsyncSession, product: ProductRow, endpoint: str, number: int
) -> tuple[FlowRow, FlowVersionRow]:
    """The product endpoint's flow and its version ``number`` (both must exist)."""
    flow = await get_flow(session, product, endpoint)
    return flow, await get_version(session, flow, number)


async def get_version(session: AsyncSession, flow: FlowRow, number: int) -> FlowVersionRow:
    version = (
        await session.exec(
            select(FlowVersionRow).where(
                FlowVersionRow.flow_id == flow.id, FlowVersionRow.version == number
            )
        )
    ).first()
    if version is None:
        raise PlatformError(
            ErrorCode.RESOURCE_NOT_FOUND, resource="Flow version", id=f"{flow.endpoint} v{number}"
        )
    return version


async def list_versions(session: AsyncSession, flow: FlowRow) -> list[FlowVersionRow]:
    """Every version of a flow, newest first."""
    rows = await session.exec(
        select(FlowVersionRow)
        .where(FlowVersionRow.flow_id == flow.id)
        .order_by(col(FlowVersionRow.version).desc())
    )
    return list(rows.all())


async def last_version_with(
    session: AsyncSession, flow: FlowRow, change_description: str
) -> FlowVersionRow | None:
    """The newest version of ``flow`` created with this change description."""
    rows = await session.exec(
        select(FlowVersionRow)
        .where(
            FlowVersionRow.flow_id == flow.id,
            FlowVersionRow.change_description == change_description,
        )
        .order_by(col(FlowVersionRow.version).desc())
    )
    return rows.first()


async def publish(
    session: AsyncSession,
    flow: FlowRow,
    version: FlowVersionRow,
    resolved: list[StepSpec] | None,
    by: str | None,
    effective_from: date | None = None,
    *,
    supersede_all: bool = False,
) -> FlowVersionRow:
    """Publishes ``version``, effective from ``effective_from`` (None: since always), and
    archives the published versions it supersedes: those effective on or after that
    date (every one, for None, or with ``supersede_all``). Versions effective earlier
    stay published: they still rate the dates before it. A published version may be
    published again, with another date or to supersede the later ones (version 1 again
    since always withdraws a change dated after it).

    ``resolved`` holds a draft's validated steps, and the draft pins its product's
    mappings and rules as they are now; an archived version (rollback) keeps the
    steps and the pins it was first published with.
    """
    current = await session.exec(
        select(FlowVersionRow).where(
            FlowVersionRow.flow_id == flow.id,
            FlowVersionRow.status == "published",
            FlowVersionRow.id != version.id,
        )
    )
    superseded = [
        old
        for old in current.all()
        if supersede_all
        or effective_from is None
        or (old.effective_from is not None and old.effective_from >= effective_from)
    ]
    unchanged = version.status == "published" and version.effective_from == effective_from
    if unchanged and not superseded:
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"Version {version.version} is already published"
            + (f" from {effective_from}." if effective_from else "."),
        )
    if resolved is not None:
        version.steps = [s.model_dump(mode="json") for s in resolved]
        product = await session.get(ProductRow, flow.product_id)
        assert product is not None  # a flow's product
        pins = await snapshot(session, product)
        version.pinned = pins.model_dump(mode="json", by_alias=True)
    for old in superseded:
        old.status = "archived"
        session.add(old)
    version.status = "published"
    version.effective_from = effective_from
    version.published_at = utcnow()
    version.published_by = by
    session.add(version)
    await session.flush()
    return version


async def snapshot(session: AsyncSession, product: ProductRow) -> PinnedConfig:
    """The product's mappings, rules (in evaluation order) and request schema, as now."""
    by_phase: dict[str, list[RulePublic]] = {}
    for row in await rules.list_rules(session, product.id):
        by_phase.setdefault(row.phase, []).append(rules.rule_of(row))
    found = await mappings.list_mappings(session, product.id)
    return PinnedConfig(
        mappings={row.name: mappings.mapping_of(row) for row in found},
        rules=by_phase,
        request_schema=product.request_schema,
    )


async def pinned_config(
    session: AsyncSession, organization_id: str, product_code: str, endpoint: str, version: int
) -> PinnedConfig | None:
    """What a flow version pinned; None for a draft or a version from before pinning."""
    query = _versions_of(organization_id, product_code, endpoint)
    row = (await session.exec(query.where(FlowVersionRow.version == version))).first()
    pinned = None if row is None else row[1].pinned
    return None if pinned is None else PinnedConfig.model_validate(pinned)


async def pinned_version(
    session: AsyncSession, organization_id: str, version_id: str
) -> tuple[ProductRow, FlowVersionRow, str] | None:
    """A flow version of the organization by id, with its product and endpoint (None:
    deleted since, or another organization's)."""
    version = await session.get(FlowVersionRow, version_id)
    flow = None if version is None else await session.get(FlowRow, version.flow_id)
    product = None if flow is None else await session.get(ProductRow, flow.product_id)
    if version is None or flow is None or product is None:
        return None
    return (product, version, flow.endpoint) if product.organization_id == organization_id else None


async def flow_spec(session: AsyncSession, version_id: str, product_code: str) -> FlowSpec:
    """The flow version a transaction was pinned to, as its workflow input carries it."""
    row = await session.get(FlowVersionRow, version_id)
    flow = None if row is None else await session.get(FlowRow, row.flow_id)
    if row is None or flow is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Flow version", id=version_id)
    return _spec(row, product_code, flow.endpoint)
