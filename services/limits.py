"""The plan's count limits, checked before a config entity is created."""

from __future__ import annotations

from typing import Literal

from models.errors import ErrorCode, PlatformError
from models.principal import Actor

Counted = Literal["products", "api_keys", "rules_per_product", "mappings_per_product"]


def check_room(actor: Actor, resource: Counted, existing: int) -> None:
    """PLAN_LIMIT_EXCEEDED when one more ``resource`` would pass the actor's plan."""
    if actor.limits is None:
        return
    limit = getattr(actor.limits, resource)
    if limit is not None and existing >= limit:
        raise PlatformError(
            ErrorCode.PLAN_LIMIT_EXCEEDED,
            details={"plan": actor.plan, "resource": resource, "limit": limit},
            plan=actor.plan,
            limit=limit,
            resource=resource.replace("_", " "),
        )
