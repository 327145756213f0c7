"""The demo loader is idempotent and leaves a user's own versions alone."""

from __future__ import annotations

from sqlmodel import col, select

from activities.registry import registry
from irx.demo import seed_demo
from models.flow import StepDraft
from models.tables import FlowVersion, Mapping
from store import flows
from store.db import SessionFactory


async def versions(sessions: SessionFactory) -> list[tuple[int, str]]:
    async with sessions() as session:
        rows = await session.exec(
            select(FlowVersion.version, FlowVersion.status).order_by(col(FlowVersion.version))
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
        product = await flows.get_product(session, first.organization_id, "IMCE")
        flow = await flows.get_flow(session, product, "rate")
        mine = await flows.create_draft(
            session,
            flow,
            [StepDraft(name="v", type="validate_request", config={"schema": {}})],
            "mine",
        )
        await flows.publish(session, flow, mine, registry, None)
        mapping = (
            await session.exec(select(Mapping).where(Mapping.product_id == product.id))
        ).first()
        assert mapping is not None
        mapping.fields = [{"source": "a", "target": "b"}]
        session.add(mapping)
        await session.commit()
    await seed_demo(sessions, registry, "http://127.0.0.1:9", first.api_key)
    async with sessions() as session:
        current = await flows.published_flow(session, first.organization_id, "IMCE", "rate")
        assert current.flow.version == 2  # the user's version is still the published one
        kept = await session.get(Mapping, mapping.id)
        assert kept is not None
        assert kept.fields == [{"source": "a", "target": "b"}]
