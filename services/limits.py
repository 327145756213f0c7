"""The plan's count limits, checked before a config entity is created."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from models.errors import ErrorCode, PlatformError
from models.principal import Actor
from store.organizations import lock_organization

Counted = Literal["products", "api_keys", "rules_per_product", "mappings_per_product"]


async def check_room(
    session: AsyncSession, actor: Actor, resource: Counted, count: Callable[[], Awaitable[int]]
) -> None:
    """PLAN_LIMIT_EXCEEDED when one more ``resource`` would pass the actor's plan.

    ``count`` is read with the organization's row held until the session commits, so
    concurrent creations are counted one after the other (30 at once on a plan of 5
    left 14 keys when each counted alone).
    """
    if actor.limits is None:
        return
    limit = getattr(actor.limits, resource)
    if limit is None:
        return
    await lock_organization(session, actor.organization_id)
    if await count() >= limit:
        raise PlatformError(
            ErrorCode.PLAN_LIMIT_EXCEEDED,
            details={"plan": actor.plan, "resource": resource, "limit": limit},
            plan=actor.plan,
            limit=limit,
            resource=resource.replace("_", " "),
        )
