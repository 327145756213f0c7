"""Plans and what each allows an organization (seed section 3d).

``None`` is unlimited. An organization may override its requests per minute
(an enterprise plan's "custom" rate).
"""

from __future__ import annotations

from typing import Literal

from models.base import CamelModel

PlanName = Literal["standard", "professional", "enterprise"]
MB = 1024 * 1024


class PlanLimits(CamelModel):
    products: int | None
    api_keys: int | None
    rules_per_product: int | None
    mappings_per_product: int | None
    max_payload_bytes: int
    requests_per_minute: int
    retention_days: int


PLANS: dict[str, PlanLimits] = {
    "standard": PlanLimits(
        products=10,
        api_keys=5,
        rules_per_product=50,
        mappings_per_product=20,
        max_payload_bytes=10 * MB,
        requests_per_minute=60,
        retention_days=30,
    ),
    "professional": PlanLimits(
        products=50,
        api_keys=20,
        rules_per_product=200,
        mappings_per_product=100,
        max_payload_bytes=50 * MB,
        requests_per_minute=300,
        retention_days=90,
    ),
    "enterprise": PlanLimits(
        products=None,
        api_keys=None,
        rules_per_product=None,
        mappings_per_product=None,
        max_payload_bytes=100 * MB,
        requests_per_minute=6000,
        retention_days=365,
    ),
}


def limits_of(plan: str, requests_per_minute: int | None = None) -> PlanLimits:
    """The plan's limits, with the organization's own rate when it has one."""
    limits = PLANS.get(plan, PLANS["standard"])
    if requests_per_minute is not None:
        limits = limits.model_copy(update={"requests_per_minute": requests_per_minute})
    return limits
