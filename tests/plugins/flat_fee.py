"""A step type from outside the built-in modules, registered as any plugin would."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from activities.registry import StepContext, StepResult, step_type
from engines.paths import with_path


class FlatFeeConfig(BaseModel):
    amount: float = Field(gt=0, description="The fee to add.")
    target: str = Field("fees.flat", description="Dotted path the fee is written to.")


@step_type("test_flat_fee", config=FlatFeeConfig, local=True, timeout_ms=2_000)
async def flat_fee(ctx: StepContext, config: FlatFeeConfig, data: Any) -> StepResult:
    """Adds a flat fee to the working data."""
    return StepResult(with_path(data, config.target, config.amount), {"amount": config.amount})
