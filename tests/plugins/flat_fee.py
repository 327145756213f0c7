"""A plugin step type, written as docs/extending.md shows: it imports only the public SDK.

It declares its own error code, a client every worker opens once (a fee book),
and a kind of name its configs refer to (fee schedules), checked at publish.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from pydantic import BaseModel, Field, model_validator

from activities.sdk import (
    PlatformError,
    ReferenceScope,
    StepContext,
    StepResult,
    reference_kind,
    register_error_code,
    step_type,
    with_path,
    worker_client,
)

FEE_TOO_HIGH = register_error_code(
    "ACME_FEE_TOO_HIGH", status=422, message="The fee exceeds the step's cap."
)
SCHEDULES = {"standard": 25.0, "premium": 40.0}


class FeeBook:
    """The plugin's client: opened once per worker, closed when the worker stops."""

    opened = 0
    closed = 0

    async def __aenter__(self) -> FeeBook:
        FeeBook.opened += 1
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        FeeBook.closed += 1

    def fee(self, schedule: str) -> float:
        return SCHEDULES[schedule]


FEE_BOOK = worker_client("acme_fee_book", FeeBook)


async def known_schedules(scope: ReferenceScope) -> list[str]:
    return sorted(SCHEDULES)


SCHEDULE = reference_kind("acme_fee_schedule", known_schedules)


class FlatFeeConfig(BaseModel):
    amount: float | None = Field(None, gt=0, description="The fee to add.")
    schedule: str | None = Field(None, description="A fee schedule whose fee is added.")
    cap: float = Field(1_000, gt=0, description="The largest fee allowed.")
    target: str = Field("fees.flat", description="Dotted path the fee is written to.")

    @model_validator(mode="after")
    def _one_source(self) -> FlatFeeConfig:
        if (self.amount is None) == (self.schedule is None):
            raise ValueError("give either amount or schedule")
        return self


@step_type(
    "test_flat_fee",
    config=FlatFeeConfig,
    local=True,
    timeout_ms=2_000,
    references=lambda c: [(SCHEDULE, c.schedule)] if c.schedule else [],
)
async def flat_fee(ctx: StepContext, config: FlatFeeConfig, data: Any) -> StepResult:
    """Adds a flat fee to the working data."""
    if config.schedule is not None:
        amount = ctx.client(FEE_BOOK).fee(config.schedule)
    else:
        amount = config.amount or 0.0
    if amount > config.cap:
        raise PlatformError(FEE_TOO_HIGH, details={"amount": amount, "cap": config.cap})
    return StepResult.changed(with_path(data, config.target, amount), amount=amount)
