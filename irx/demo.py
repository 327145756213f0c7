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
from urllib.parse import urlsplit

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.registry import StepRegistry
from engines.url_policy import UrlPolicy
from models.flow import StepDraft
from models.mappings import Mapping
from models.principal import Actor
from models.products import ProductCreate
from models.rules import Rule
from models.settings import EgressSettings
from models.systems import System
from models.tables import OrganizationRow
from services import flows as flow_service
from services.etags import ANY
from services.mappings import put_mapping
from services.rules import put_rule
from services.systems import point_system
from store import flows, mappings, products, rules
from store.api_keys import add_key, find_by_key, generate_key
from store.db import SessionFactory

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
    """Creates or refreshes the demo tenant; returns its id and a usable API key.

    Every write goes through the same services as the config API (validated,
    audited as the platform itself).
    """
    async with sessions() as session:
        org = (
            await session.exec(select(OrganizationRow).where(OrganizationRow.slug == DEMO_ORG))
        ).first()
        if org is None:
            org = OrganizationRow(slug=DEMO_ORG, name="Demo Insurance Co.", plan="enterprise")
            session.add(org)
            await session.flush()
        actor = Actor(organization_id=org.id)
        key = api_key or generate_key()
        if await find_by_key(session, key) is None:
            # The dev stack's operator is also its platform operator (ops: health
            # details, the Web UI's codec).
            add_key(
                session,
                org.id,
                key,
                "demo key",
                ["rate", "config:read", "config:write", "admin", "ops"],
            )
        # The operator names the engine: its host is trusted, wherever it listens.
        policy = UrlPolicy.of(EgressSettings(trusted_hosts=[urlsplit(engine_url).hostname or ""]))
        for code, name, kind, protocol in ENGINE_SYSTEMS:
            system = System(code=code, name=name, kind=kind, protocol=protocol, base_url=engine_url)
            # The demo's systems carry no credentials.
            await point_system(session, actor, system, None, policy)
        for code in DEMO_PRODUCTS:
            await _product(session, actor, demo_definition(code), steps)
        await session.commit()
        return DemoInfo(org.id, key)


async def _product(
    session: AsyncSession, actor: Actor, definition: dict[str, Any], steps: StepRegistry
) -> None:
    spec = ProductCreate.model_validate(definition["product"])
    product = await products.find_product(session, actor.organization_id, spec.code)
    if product is None:
        product = await products.insert_product(session, actor.organization_id, spec)
    # Mappings and rules are (re)written only with a new demo flow version, or when
    # missing: edits a user made to the demo's own stay until the demo changes.
    changed = []
    by_endpoint = {f["endpoint"]: f for f in definition["flows"]}
    for flow_def in definition["flows"]:
        drafts = _drafts(flow_def, by_endpoint)
        batch = bool(flow_def.get("batchLocalSteps", False))
        wanted = [s.model_dump(mode="json") for s in steps.resolve(drafts)]
        flow = await flows.find_flow(session, product, flow_def["endpoint"])
        last = None if flow is None else await flows.last_version_with(session, flow, DEMO_CHANGE)
        if last is None or (last.steps, last.batch_local_steps) != (wanted, batch):
            changed.append((flow_def, drafts, batch))
    for item in definition.get("mappings", []):
        mapping = Mapping.model_validate(item)
        if changed or await mappings.find_mapping(session, product.id, mapping.name) is None:
            await put_mapping(session, actor, product, mapping, ANY)
    for item in definition.get("rules", []):
        rule = Rule.model_validate(item)
        if changed or await rules.find_rule(session, product.id, rule.name) is None:
            await put_rule(session, actor, product, rule, ANY)
    for flow_def, drafts, batch in changed:
        flow, draft = await flow_service.create_draft(
            session,
            actor,
            product,
            flow_def["endpoint"],
            drafts,
            name=flow_def["name"],
            change_description=DEMO_CHANGE,
            batch_local_steps=batch,
        )
        await flow_service.publish(session, actor, product, flow, draft, steps, published=None)


def _drafts(flow_def: dict[str, Any], by_endpoint: dict[str, dict[str, Any]]) -> list[StepDraft]:
    """A flow's steps: ``stepsFrom`` reuses another endpoint's, ``allLocal`` runs all local."""
    source = by_endpoint[flow_def["stepsFrom"]] if "stepsFrom" in flow_def else flow_def
    drafts = [StepDraft.model_validate(s) for s in source["steps"]]
    if flow_def.get("allLocal"):
        drafts = [d.model_copy(update={"local": True}) for d in drafts]
    return drafts
