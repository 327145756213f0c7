"""Configuration as code: a product's whole configuration out as one document, and in.

An import validates everything before it writes anything it keeps: the document's
shape, every rule expression and mapping transform (as a save does), every step and
every reference of every flow (as publishing does), all in one database transaction
that the caller commits, so a failure half way leaves nothing written.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from models.errors import ErrorCode, PlatformError
from models.exports import (
    Change,
    FlowExport,
    ImportDiff,
    ImportRequest,
    ImportResult,
    ProductExport,
    canonical,
)
from models.flow import StepDraft
from models.mappings import Mapping
from models.pins import PinnedConfig
from models.principal import Actor
from models.products import ProductCreate
from models.rules import Rule
from models.tables import FlowRow, FlowVersionRow, ProductRow
from services import flows as flow_service
from services.etags import ANY
from services.mappings import delete_mapping, put_mapping
from services.products import create_product, update_product
from services.published_flows import PublishedFlows
from services.rules import delete_rule, put_rule
from store import flows, mappings, products, rules
from store.audit import audit

IMPORT_CHANGE = "imported"


Published = list[tuple[str, FlowRow, FlowVersionRow]]


async def export_product(
    session: AsyncSession,
    product: ProductRow,
    *,
    diverged_ok: bool = False,
    published: Published | None = None,
) -> ProductExport:
    """The product, its mappings and rules, and each flow's published version.

    The mappings, rules and request schema are those the published versions pinned,
    never live edits not yet published (after a rollback, those of the version rolled
    back to): the document rates as production does. A product nothing pinned yet
    (unpublished, or published before pinning) exports its live configuration. When its
    endpoints pinned different configurations, no one document says what runs:
    PUBLISHED_VERSIONS_DIVERGE, unless ``diverged_ok`` (an import's diff) takes the live
    one. ``published`` is the product's published versions, if the caller has them.
    """
    if published is None:
        published = await flows.published_in(session, product.organization_id, product.id)
    pinned = _one_pinned(product.code, published, diverged_ok)
    settings = ProductCreate.model_validate(product, from_attributes=True)
    revision = {"revision", "updated_at"}
    if pinned is None:
        live_mappings = [
            mappings.mapping_of(r) for r in await mappings.list_mappings(session, product.id)
        ]
        live_rules = [rules.rule_of(r) for r in await rules.list_rules(session, product.id)]
    else:
        settings = settings.model_copy(update={"request_schema": pinned.request_schema})
        live_mappings = list(pinned.mappings.values())
        live_rules = [rule for phase in pinned.rules.values() for rule in phase]
    return ProductExport(
        product=settings,
        mappings=[Mapping.model_validate(m.model_dump(exclude=revision)) for m in live_mappings],
        rules=[Rule.model_validate(r.model_dump(exclude=revision)) for r in live_rules],
        flows=[
            FlowExport(
                endpoint=flow.endpoint,
                name=flow.name,
                batch_local_steps=version.batch_local_steps,
                effective_from=version.effective_from,
                steps=[StepDraft.model_validate(s) for s in version.steps],
            )
            for _, flow, version in published
        ],
    )


def _one_pinned(code: str, published: Published, diverged_ok: bool) -> PinnedConfig | None:
    """The configuration every published version pinned, if they all pinned one (the
    document has one set of mappings and rules, so an endpoint's dated versions too must
    agree: a rate change made in rules, dated, is refused until it takes effect)."""
    pins = [version.pinned for _, _, version in published]
    if not pins or any(pinned is None for pinned in pins):
        return None
    distinct = {json.dumps(pinned, sort_keys=True) for pinned in pins}
    if len(distinct) > 1:
        if diverged_ok:
            return None
        numbers: dict[str, list[int]] = {}
        for _, flow, version in published:
            numbers.setdefault(flow.endpoint, []).append(version.version)
        raise PlatformError(
            ErrorCode.PUBLISHED_VERSIONS_DIVERGE,
            product=code,
            # One number per endpoint, or the numbers of its dated versions.
            details={
                "versions": {e: n[0] if len(n) == 1 else sorted(n) for e, n in numbers.items()}
            },
        )
    return PinnedConfig.model_validate(pins[0])


def exported_versions(published: Published) -> str:
    """``quote=2, rate=3``: which published version of each endpoint a document holds
    (``rate=3, rate=4`` when both are in force, on different dates)."""
    return ", ".join(f"{flow.endpoint}={version.version}" for _, flow, version in published)


def diff_of(current: ProductExport | None, wanted: ProductExport) -> ImportDiff:
    """Per entity, what importing ``wanted`` over ``current`` adds, changes (which
    fields) and removes."""
    before = canonical(current) if current is not None else None
    after = canonical(wanted)
    diff = ImportDiff()
    if before is None:
        diff.added.append(Change(entity="product", name=wanted.product.code))
    elif fields := _changed(before["product"], after["product"]):
        diff.changed.append(Change(entity="product", name=wanted.product.code, fields=fields))
    for entity, key, name in (
        ("mapping", "mappings", _name),
        ("rule", "rules", _name),
        ("flow", "flows", _flow_key),
    ):
        old = {name(item): item for item in (before or {}).get(key, [])}
        new = {name(item): item for item in after[key]}
        for item_name in sorted(new.keys() - old.keys()):
            diff.added.append(Change(entity=entity, name=item_name))
        for item_name in sorted(new.keys() & old.keys()):
            if fields := _changed(old[item_name], new[item_name]):
                diff.changed.append(Change(entity=entity, name=item_name, fields=fields))
        for item_name in sorted(old.keys() - new.keys()):
            diff.removed.append(Change(entity=entity, name=item_name))
    return diff


def _name(item: dict[str, Any]) -> str:
    return str(item["name"])


def _flow_key(item: dict[str, Any]) -> str:
    """``rate``, or ``rate@2027-01-01`` for a version in force from that date."""
    return FlowExport.model_validate(item).key


def _changed(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


async def import_product(
    session: AsyncSession,
    actor: Actor,
    request: ImportRequest,
    steps: StepRegistry,
    *,
    published: PublishedFlows | None,
) -> ImportResult:
    """Dry run: the diff. Otherwise writes it (no commit): the product, its mappings and
    rules, and, when anything changed, a new published version of every flow (a version
    pins the product's mappings and rules, so they take effect only through one)."""
    wanted = ProductExport.model_validate(request.model_dump(exclude={"dry_run", "overwrite"}))
    code = wanted.product.code
    existing = await products.find_product(session, actor.organization_id, code)
    current = (
        await export_product(session, existing, diverged_ok=True) if existing is not None else None
    )
    diff = diff_of(current, wanted)
    result = ImportResult(
        product_code=code, dry_run=request.dry_run, created=existing is None, diff=diff
    )
    if request.dry_run or not (diff.added or diff.changed or diff.removed):
        return result
    if existing is not None and not request.overwrite:
        raise PlatformError(
            ErrorCode.RESOURCE_CONFLICT,
            f"Product {code} exists: import with overwrite: true to replace its configuration "
            "(dryRun: true shows what would change).",
            details={"productCode": code},
        )
    if existing is None:
        product = await create_product(session, actor, wanted.product)
    else:
        product = existing
        # Every flow is published anew below, and publishing checks the limits.
        await update_product(
            session, actor, product, wanted.product, ANY, None, published=published
        )
    for mapping in wanted.mappings:
        await put_mapping(session, actor, product, mapping, ANY)
    for rule in wanted.rules:
        await put_rule(session, actor, product, rule, ANY)
    for change in diff.removed:
        if change.entity == "mapping":
            await delete_mapping(session, actor, product, change.name, ANY)
        elif change.entity == "rule":
            await delete_rule(session, actor, product, change.name, ANY)
    # A flow is named by its endpoint and date (``rate@2027-01-01``): what is withdrawn is
    # each endpoint the document no longer has, once, whatever its dated versions.
    kept = {f.endpoint for f in wanted.flows}
    for endpoint in sorted({f.endpoint for f in current.flows} - kept if current else set()):
        await _withdraw(session, actor, product, endpoint)
        if published is not None:
            published.published_on_commit(session, actor.organization_id, code, endpoint)
    await session.flush()
    first: set[str] = set()
    for flow in sorted(wanted.flows, key=_flow_order):
        row, draft = await flow_service.create_draft(
            session,
            actor,
            product,
            flow.endpoint,
            flow.steps,
            name=flow.name,
            change_description=IMPORT_CHANGE,
            batch_local_steps=flow.batch_local_steps,
        )
        if row.name != flow.name:
            row.name = flow.name
            session.add(row)
        # An endpoint's first version replaces all it has published; the next ones are
        # dated later and keep it in force before their dates, as in the document.
        await flow_service.publish(
            session,
            actor,
            product,
            row,
            draft,
            steps,
            published=published,
            effective_from=flow.effective_from,
            supersede_all=flow.endpoint not in first,
        )
        first.add(flow.endpoint)
        result.published[flow.endpoint] = draft.version
    return result


def _flow_order(flow: FlowExport) -> tuple[str, bool, date | None]:
    """By endpoint, then undated before dated, by date: the order an import publishes in."""
    return (flow.endpoint, flow.effective_from is not None, flow.effective_from)


async def _withdraw(
    session: AsyncSession, actor: Actor, product: ProductRow, endpoint: str
) -> None:
    """Archives the published version of an endpoint the document no longer has."""
    flow = await flows.get_flow(session, product, endpoint)
    for version in await flows.list_versions(session, flow):
        if version.status == "published":
            version.status = "archived"
            session.add(version)
            audit(
                session,
                actor,
                "WITHDRAW",
                "flow_version",
                version.id,
                f"{product.code}/{endpoint}",
                before={"status": "published"},
                after={"status": "archived"},
            )
