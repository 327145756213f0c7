"""The demo loader is idempotent and leaves a user's own versions alone."""

from __future__ import annotations

from sqlmodel import col, select

from activities.registry import registry
from irx.demo import seed_demo
from models.flow import StepDraft
from models.principal import Actor
from models.tables import FlowVersionRow, MappingRow
from services import flows as flow_service
from store import flows
from store.db import SessionFactory
from store.products import get_product


async def versions(sessions: SessionFactory) -> list[tuple[int, str]]:
    async with sessions() as session:
        rows = await session.exec(
            select(FlowVersionRow.version, FlowVersionRow.status).order_by(
                col(FlowVersionRow.version)
            )
        )
        return [(v, s) for v, s in rows.all()]


async def test_seed_twice_changes_nothing_and_keeps_user_versions(
    sessions: SessionFactory,
) -> None:
    first = await seed_demo(sessions, registry, "http://127.0.0.1:9", None)
    before = await versions(sessions)
    assert before == [(1, "published")] * 3  # IMCE rate and quote, BOP rate
    again = await seed_demo(sessions, registry, "http://127.0.0.1:9", first.api_key)
    assert again.organization_id == first.organization_id
    assert await versions(sessions) == before
    async with sessions() as session:
        product = await get_product(session, first.organization_id, "IMCE")
        actor = Actor(organization_id=first.organization_id)
        flow, mine = await flow_service.create_draft(
            session,
            actor,
            product,
            "rate",
            [StepDraft(name="v", type="validate_request", config={"schema": {}})],
            change_description="mine",
        )
        await flow_service.publish(session, actor, product, flow, mine, registry, published=None)
        mapping = (
            await session.exec(select(MappingRow).where(MappingRow.product_id == product.id))
        ).first()
        assert mapping is not None
        mapping.fields = [{"source": "a", "target": "b"}]
        session.add(mapping)
        await session.commit()
    await seed_demo(sessions, registry, "http://127.0.0.1:9", first.api_key)
    async with sessions() as session:
        current = await flows.published_flow(session, first.organization_id, "IMCE", "rate")
        assert current.flow.version == 2  # the user's version is still the published one
        kept = await session.get(MappingRow, mapping.id)
        assert kept is not None
        assert kept.fields == [{"source": "a", "target": "b"}]
