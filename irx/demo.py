"""Demo data: an organization, an API key, the reference engine system, demo products.

Idempotent: a second run keeps what exists, points the engine systems at the
given URL, and publishes a new flow version only when the demo's own steps changed
(so a version a user published stays published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.mapping_engine import MappingDefinition
from activities.registry import StepRegistry
from activities.rules_model import Rule as RuleSpec
from models.flow import StepDraft
from models.tables import ApiKey, FlowVersion, Organization, Product, System
from store import flows
from store.db import SessionFactory
from store.keys import generate_key, hash_key, key_prefix
from store.product_config import find_mapping, find_rule, upsert_mapping, upsert_rule

DEMO_ORG = "demo"
DEMO_CHANGE = "demo flow"
DEMO_PRODUCTS = ("IMCE", "BOP")
# The reference engine plays three systems: a JSON engine, an XML engine, a lookup.
ENGINE_SYSTEMS = (
    ("ref-engine", "Reference engine (JSON, Earnix-like)", "rating_engine", "json"),
    ("ref-engine-xml", "Reference engine (XML, Ratabase-like)", "rating_engine", "xml"),
    ("ref-dnb", "Reference company lookup (D&B-like)", "enrichment", "json"),
)


@dataclass
class DemoInfo:
    organization_id: str
    api_key: str


def demo_definition(code: str) -> dict[str, Any]:
    text = resources.files("irx").joinpath("demo", f"{code}.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


async def seed_demo(
    sessions: SessionFactory, steps: StepRegistry, engine_url: str, api_key: str | None
) -> DemoInfo:
    """Creates or refreshes the demo tenant; returns its id and a usable API key."""
    async with sessions() as session:
        org = (
            await session.exec(select(Organization).where(Organization.slug == DEMO_ORG))
        ).first()
        if org is None:
            org = Organization(slug=DEMO_ORG, name="Demo Insurance Co.", plan="enterprise")
            session.add(org)
            await session.flush()
        key = api_key or generate_key()
        if (
            await session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
        ).first() is None:
            session.add(
                ApiKey(
                    organization_id=org.id,
                    name="demo key",
                    prefix=key_prefix(key),
                    key_hash=hash_key(key),
                    scopes=["rate", "config:read", "config:write", "admin"],
                )
            )
        await _engine_systems(session, org.id, engine_url)
        for code in DEMO_PRODUCTS:
            await _product(session, org.id, demo_definition(code), steps)
        await session.commit()
        return DemoInfo(org.id, key)


async def _engine_systems(session: AsyncSession, org_id: str, url: str) -> None:
    for code, name, kind, protocol in ENGINE_SYSTEMS:
        system = (
            await session.exec(
                select(System).where(System.organization_id == org_id, System.code == code)
            )
        ).first()
        if system is None:
            system = System(
                organization_id=org_id,
                code=code,
                name=name,
                kind=kind,
                protocol=protocol,
                base_url=url,
                timeout_ms=10_000,
            )
        system.base_url = url
        session.add(system)


async def _product(
    session: AsyncSession, org_id: str, definition: dict[str, Any], steps: StepRegistry
) -> None:
    spec = definition["product"]
    product = (
        await session.exec(
            select(Product).where(Product.organization_id == org_id, Product.code == spec["code"])
        )
    ).first()
    if product is None:
        product = Product(
            organization_id=org_id,
            code=spec["code"],
            name=spec["name"],
            description=spec.get("description", ""),
            source_system=spec.get("sourceSystem"),
            target_system=spec.get("targetSystem"),
            max_payload_bytes=spec.get("maxPayloadBytes", 10 * 1024 * 1024),
            timeout_ms=spec.get("timeoutMs", 30_000),
            request_schema=spec.get("requestSchema"),
        )
        session.add(product)
        await session.flush()
    # Mappings and rules are (re)written only with a new demo flow version, or when
    # missing: edits a user made to the demo's own stay until the demo changes.
    flow_defs = []
    by_endpoint = {f["endpoint"]: f for f in definition["flows"]}
    for flow_def in definition["flows"]:
        flow = await flows.ensure_flow(session, product, flow_def["endpoint"], flow_def["name"])
        drafts = _drafts(flow_def, by_endpoint)
        batch = bool(flow_def.get("batchLocalSteps", False))
        wanted = [s.model_dump(mode="json") for s in steps.resolve(drafts)]
        last_demo = (
            await session.exec(
                select(FlowVersion)
                .where(
                    FlowVersion.flow_id == flow.id, FlowVersion.change_description == DEMO_CHANGE
                )
                .order_by(col(FlowVersion.version).desc())
            )
        ).first()
        if last_demo is None or (last_demo.steps, last_demo.batch_local_steps) != (wanted, batch):
            flow_defs.append((flow, drafts, batch))
    for mapping in definition.get("mappings", []):
        if flow_defs or await find_mapping(session, product, mapping["name"]) is None:
            await upsert_mapping(session, product, MappingDefinition.model_validate(mapping))
    for rule in definition.get("rules", []):
        if flow_defs or await find_rule(session, product, rule["name"]) is None:
            await upsert_rule(session, product, RuleSpec.model_validate(rule))
    for flow, drafts, batch in flow_defs:
        draft = await flows.create_draft(session, flow, drafts, DEMO_CHANGE, None, batch)
        await flows.publish(session, flow, draft, steps, None)


def _drafts(flow_def: dict[str, Any], by_endpoint: dict[str, dict[str, Any]]) -> list[StepDraft]:
    """A flow's steps: ``stepsFrom`` reuses another endpoint's, ``allLocal`` runs all local."""
    source = by_endpoint[flow_def["stepsFrom"]] if "stepsFrom" in flow_def else flow_def
    drafts = [StepDraft.model_validate(s) for s in source["steps"]]
    if flow_def.get("allLocal"):
        drafts = [d.model_copy(update={"local": True}) for d in drafts]
    return drafts
