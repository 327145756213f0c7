"""Flow versions: create drafts, publish (validating the whole flow), roll back; audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import ReferenceScope, StepRegistry, invalid_flow
from models.effective_dates import FlowTimeline, timeline_of, warnings_of
from models.errors import ErrorCode, PlatformError
from models.flow import FlowVersionCreate, StepDraft, StepSpec
from models.principal import Actor
from models.tables import FlowRow, FlowVersionRow, ProductRow
from services.etags import check_etag
from services.published_flows import PublishedFlows
from store import flows, mappings, systems
from store.audit import audit


async def create_draft(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    endpoint: str,
    steps: list[StepDraft],
    *,
    name: str | None = None,
    change_description: str = "",
    batch_local_steps: bool = False,
) -> tuple[FlowRow, FlowVersionRow]:
    """A new draft version of the product endpoint's flow (the flow is created if new)."""
    flow = await flows.ensure_flow(session, product, endpoint, name or f"{product.code} {endpoint}")
    version = await flows.create_draft(
        session, flow, steps, change_description, actor.api_key_id, batch_local_steps
    )
    after = {"version": version.version, "steps": version.steps}
    audit(
        session,
        actor,
        "CREATE",
        "flow_version",
        version.id,
        f"{product.code}/{endpoint}",
        None,
        after,
    )
    return flow, version


async def update_draft(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    flow: FlowRow,
    version: FlowVersionRow,
    body: FlowVersionCreate,
    if_match: str | None,
) -> FlowVersionRow:
    """Replaces a draft's steps and settings (``if_match`` guards it); a published or
    archived version never changes (RESOURCE_CONFLICT). No commit."""
    _draft_only(version)
    check_etag(if_match, version.revision)
    before = {"steps": version.steps, "batchLocalSteps": version.batch_local_steps}
    version.steps = [s.model_dump(mode="json", exclude_none=True) for s in body.steps]
    version.batch_local_steps = body.batch_local_steps
    version.change_description = body.change_description
    version.revision += 1
    session.add(version)
    after = {"steps": version.steps, "batchLocalSteps": version.batch_local_steps}
    where = f"{product.code}/{flow.endpoint}"
    audit(session, actor, "UPDATE", "flow_version", version.id, where, before, after)
    return version


async def delete_draft(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    flow: FlowRow,
    version: FlowVersionRow,
    if_match: str | None,
) -> None:
    """Deletes a draft (``if_match`` guards it); published and archived versions stay,
    they are the flow's history. No commit."""
    _draft_only(version)
    check_etag(if_match, version.revision)
    before = {"version": version.version, "steps": version.steps}
    where = f"{product.code}/{flow.endpoint}"
    audit(session, actor, "DELETE", "flow_version", version.id, where, before=before)
    await session.delete(version)


def _draft_only(version: FlowVersionRow) -> None:
    if version.status != "draft":
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"Version {version.version} is {version.status}: only a draft changes "
            "(create a new draft from its steps).",
        )


async def publish(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    flow: FlowRow,
    version: FlowVersionRow,
    steps: StepRegistry,
    reason: str = "",
    *,
    published: PublishedFlows | None,
    effective_from: date | None = None,
    supersede_all: bool = False,
) -> FlowVersionRow:
    """Publishes a draft (validating every step and reference) or re-publishes an archived
    version (rollback), effective from ``effective_from`` (None: since always); the
    published versions it supersedes are archived (``store.flows.publish``). The audit
    entry keeps who, when, ``reason`` (why) and the date. Once committed, the rate path
    forgets the endpoint's cached flow (``published``; None in a process that rates
    nothing)."""
    previous, previous_from = version.status, version.effective_from
    resolved = None
    if previous == "draft":
        drafts = [StepDraft.model_validate(s) for s in version.steps]
        resolved, problems = steps.check(drafts)
        problems += await _missing_references(session, product, resolved, steps)
        problems += _bounds_below_the_product_limit(product, resolved, steps)
        if problems:
            position = {d.name: i for i, d in enumerate(drafts)}
            for problem in problems:
                problem.setdefault("step", position[problem["name"]])
            raise invalid_flow(sorted(problems, key=lambda p: int(p["step"])))
    await flows.publish(
        session,
        flow,
        version,
        resolved,
        actor.api_key_id,
        effective_from,
        supersede_all=supersede_all,
    )
    if published is not None:
        published.published_on_commit(session, actor.organization_id, product.code, flow.endpoint)
    audit(
        session,
        actor,
        "ROLLBACK" if previous == "archived" else "PUBLISH",
        "flow_version",
        version.id,
        f"{product.code}/{flow.endpoint}",
        before={
            "status": previous,
            "effectiveFrom": None if previous_from is None else previous_from.isoformat(),
        },
        after={
            "status": "published",
            "version": version.version,
            "reason": reason,
            "effectiveFrom": None if effective_from is None else effective_from.isoformat(),
        },
    )
    return version


async def timeline(session: AsyncSession, product: ProductRow, flow: FlowRow) -> FlowTimeline:
    """Which published version of the flow rates which dates, and what looks wrong (a
    gap before the earliest version, a version that rates no date)."""
    dated = await flows.published_dates(session, flow)
    return FlowTimeline(
        product_code=product.code,
        endpoint=flow.endpoint,
        effective_date_path=product.effective_date_path,
        timeline=timeline_of(dated),
        warnings=warnings_of(dated),
    )


async def _missing_references(
    session: AsyncSession, product: ProductRow, specs: list[StepSpec], steps: StepRegistry
) -> list[dict[str, Any]]:
    """The systems, mappings (or a plugin's kinds) the steps name that do not exist, and
    a product request schema a step relies on that the product lacks."""
    wanted = steps.references(specs)
    known: dict[str, set[str]] = {}
    scope = ReferenceScope(organization_id=product.organization_id, product_code=product.code)
    for kind in {kind for _, kind, _ in wanted}:
        if kind == "system":
            known[kind] = await systems.system_codes(session, product.organization_id)
        elif kind == "mapping":
            known[kind] = await mappings.mapping_names(session, product.id)
        elif kind == "request_schema":
            known[kind] = {"product"} if product.request_schema is not None else set()
        elif kind in steps.reference_kinds:
            known[kind] = set(await steps.reference_kinds[kind](scope))
    return [
        {
            "name": spec.name,
            "field": "config",
            "message": _missing(kind, name, known),
        }
        for spec, kind, name in wanted
        if name not in known.get(kind, set())
    ]


def _missing(kind: str, name: str, known: dict[str, set[str]]) -> str:
    if kind == "request_schema":
        return "the step names no schema and the product has no requestSchema"
    return f"unknown {kind} '{name}'" if kind in known else f"unknown reference kind '{kind}'"


def _bounds_below_the_product_limit(
    product: ProductRow, specs: list[StepSpec], steps: StepRegistry
) -> list[dict[str, Any]]:
    """Steps that could not read a request the product accepts: a large request would
    be taken, run part way and fail there, so the flow is refused instead."""
    limit = product.max_payload_bytes
    return [
        {
            "name": spec.name,
            "field": "config",
            "message": f"reads documents up to {bound} bytes, but the product accepts "
            f"requests up to {limit}: raise the step's limit or lower the product's",
        }
        for spec, bound in steps.input_bounds(specs)
        if bound < limit
    ]
