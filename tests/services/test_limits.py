"""Plan count limits hold when creations race (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from models.api_keys import ApiKeyCreate
from models.errors import ErrorCode, PlatformError
from models.plans import PLANS
from models.principal import Actor
from models.products import ProductCreate
from models.tables import OrganizationRow
from services.api_keys import create_key
from services.products import create_product
from store import api_keys, products
from store.db import SessionFactory

Create = Callable[[AsyncSession, Actor, int], Awaitable[object]]


async def _race(sessions: SessionFactory, create: Create, attempts: int) -> tuple[Actor, int]:
    """``attempts`` creations at once for a new standard-plan organization; how many won."""
    async with sessions() as session:
        org = OrganizationRow(slug=f"org-{uuid.uuid4().hex[:8]}", name="Org", plan="standard")
        session.add(org)
        await session.commit()
        actor = Actor(organization_id=org.id, plan="standard", limits=PLANS["standard"])

    async def one(i: int) -> bool:
        async with sessions() as session:
            try:
                await create(session, actor, i)
                await session.commit()
            except PlatformError as exc:
                refused.append(exc.code)
                return False
            return True

    refused: list[str] = []
    made = await asyncio.gather(*(one(i) for i in range(attempts)))
    assert set(refused) <= {ErrorCode.PLAN_LIMIT_EXCEEDED}
    return actor, sum(made)


async def test_thirty_concurrent_keys_leave_the_plans_five(sessions: SessionFactory) -> None:
    async def key(session: AsyncSession, actor: Actor, i: int) -> object:
        return await create_key(session, actor, ApiKeyCreate(name=f"k{i}", scopes=["rate"]))

    actor, made = await _race(sessions, key, 30)
    async with sessions() as session:
        active = await api_keys.count_active_keys(session, actor.organization_id)
    assert (made, active) == (5, 5)


async def test_thirty_concurrent_products_leave_the_plans_ten(sessions: SessionFactory) -> None:
    async def product(session: AsyncSession, actor: Actor, i: int) -> object:
        return await create_product(session, actor, ProductCreate(code=f"P{i}", name="p"))

    actor, made = await _race(sessions, product, 30)
    async with sessions() as session:
        count = await products.count_products(session, actor.organization_id)
    assert (made, count) == (10, 10)
