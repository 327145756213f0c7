"""Flow versions and API keys through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from activities.registry import registry
from models.errors import ErrorCode, PlatformError
from models.flow import StepDraft
from models.principal import Actor
from models.tables import ApiKeyRow, AuditRow, FlowVersionRow, OrganizationRow, ProductRow
from services import flows as service
from services.auth import Authenticator
from store import flows
from store.api_keys import generate_key, hash_key, key_prefix
from store.db import SessionFactory
from store.products import get_product

SCHEMA_STEP = StepDraft(name="v", type="validate_request", config={"schema": {"type": "object"}})


async def make_org(sessions: SessionFactory, slug: str) -> tuple[str, str]:
    async with sessions() as session:
        org = OrganizationRow(slug=slug, name=slug)
        session.add(org)
        await session.flush()
        product = ProductRow(organization_id=org.id, code="IMCE", name="IMCE")
        session.add(product)
        await session.commit()
        return org.id, product.id


async def publish_version(sessions: SessionFactory, org_id: str, steps: list[StepDraft]) -> int:
    async with sessions() as session:
        product = await get_product(session, org_id, "IMCE")
        flow, draft = await service.create_draft(
            session, Actor(organization_id=org_id), product, "rate", steps
        )
        await service.publish(
            session, Actor(organization_id=org_id), product, flow, draft, registry, published=None
        )
        await session.commit()
        return draft.version


async def test_latest_published_version_is_used_and_rollback_republishes(
    sessions: SessionFactory,
) -> None:
    org_id, _ = await make_org(sessions, "acme")
    assert await publish_version(sessions, org_id, [SCHEMA_STEP]) == 1
    assert (
        await publish_version(
            sessions, org_id, [SCHEMA_STEP, SCHEMA_STEP.model_copy(update={"name": "w"})]
        )
        == 2
    )
    async with sessions() as session:
        current = await flows.published_flow(session, org_id, "IMCE", "rate")
        assert current.flow.version == 2
        assert [s.name for s in current.flow.steps] == ["v", "w"]
        assert current.flow.steps[0].local is True
        assert current.flow.steps[0].timeout_ms == 5_000
        product = await get_product(session, org_id, "IMCE")
        flow = await flows.get_flow(session, product, "rate")
        v1 = await flows.get_version(session, flow, 1)
        assert v1.status == "archived"
        await service.publish(
            session, Actor(organization_id=org_id), product, flow, v1, registry, published=None
        )
        await session.commit()
    async with sessions() as session:
        assert (await flows.published_flow(session, org_id, "IMCE", "rate")).flow.version == 1
        product = await get_product(session, org_id, "IMCE")
        flow = await flows.get_flow(session, product, "rate")
        assert (await flows.get_version(session, flow, 2)).status == "archived"
        actions = (
            await session.exec(
                select(AuditRow.action)
                .where(AuditRow.organization_id == org_id)
                .order_by(col(AuditRow.id))
            )
        ).all()
    # Every write went through the service, so every one is in the audit trail.
    assert actions == ["CREATE", "PUBLISH", "CREATE", "PUBLISH", "ROLLBACK"]


async def test_invalid_draft_is_refused_and_stays_a_draft(sessions: SessionFactory) -> None:
    org_id, _ = await make_org(sessions, "acme")
    actor = Actor(organization_id=org_id)
    async with sessions() as session:
        product = await get_product(session, org_id, "IMCE")
        flow, draft = await service.create_draft(
            session,
            actor,
            product,
            "rate",
            [StepDraft(name="x", type="call_rating_engine", config={})],
        )
        await session.commit()
        with pytest.raises(PlatformError) as caught:
            await service.publish(session, actor, product, flow, draft, registry, published=None)
        assert caught.value.code == ErrorCode.VALIDATION_FAILED
        assert caught.value.details["problems"][0]["field"] == "config.system"
        await session.rollback()
    async with sessions() as session:
        stored = await session.get(FlowVersionRow, draft.id)
        assert stored is not None
        assert stored.status == "draft"


async def test_flows_are_scoped_to_their_organization(sessions: SessionFactory) -> None:
    acme, _ = await make_org(sessions, "acme")
    globex, _ = await make_org(sessions, "globex")
    await publish_version(sessions, acme, [SCHEMA_STEP])
    async with sessions() as session:
        with pytest.raises(PlatformError) as caught:
            await flows.published_flow(session, globex, "IMCE", "rate")
    assert caught.value.code == ErrorCode.ORCHESTRATOR_NOT_FOUND


async def test_api_keys_authenticate_by_hash_and_expire(sessions: SessionFactory) -> None:
    org_id, _ = await make_org(sessions, "acme")
    good, old, revoked = generate_key(), generate_key(), generate_key()
    now = datetime.now(UTC)
    async with sessions() as session:
        for key, expires, revoked_at in (
            (good, None, None),
            (old, now - timedelta(minutes=1), None),
            (revoked, None, now),
        ):
            session.add(
                ApiKeyRow(
                    organization_id=org_id,
                    name="k",
                    prefix=key_prefix(key),
                    key_hash=hash_key(key),
                    scopes=["rate"],
                    allowed_products=["IMCE"],
                    expires_at=expires,
                    revoked_at=revoked_at,
                )
            )
        await session.commit()
    auth = Authenticator(sessions)
    principal = await auth.authenticate(good)
    assert principal.organization_id == org_id
    principal.require_product("IMCE")
    with pytest.raises(PlatformError) as denied:
        principal.require_product("BOP")
    assert denied.value.code == ErrorCode.API_KEY_PRODUCT_DENIED
    with pytest.raises(PlatformError) as scope:
        principal.require_scope("config:write")
    assert scope.value.code == ErrorCode.API_KEY_SCOPE_DENIED
    for key, code in (
        (old, ErrorCode.API_KEY_EXPIRED),
        (revoked, ErrorCode.API_KEY_INVALID),
        ("irx_unknown", ErrorCode.API_KEY_INVALID),
    ):
        with pytest.raises(PlatformError) as caught:
            await auth.authenticate(key)
        assert caught.value.code == code


def test_nul_characters_are_spelled_out_before_storage() -> None:
    from store.transactions import storable

    assert storable({"body": "\x00garbage", "n": [1]}) == {"body": "\\u0000garbage", "n": [1]}
    clean = {"a": "b"}
    assert storable(clean) is clean
