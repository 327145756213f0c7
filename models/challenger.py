"""Challenger traffic: a sample of live requests re-rated in the background under another
version, as simulations, their premiums compared with the live answers'."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from models.base import CamelModel, NoNul, UtcDateTime
from models.impact import DOTTED_PATH, ImpactSummary


class ChallengerRequest(CamelModel, NoNul):
    """The body of ``PUT /api/v1/products/{code}/flows/{endpoint}/challenger``."""

    model_config = {**CamelModel.model_config, "extra": "forbid"}

    version: Literal["draft"] | int = Field(
        description="The challenger: the newest draft (as it is now), or a version number."
    )
    sample: float = Field(ge=0.0, le=1.0, description="The fraction of live ratings re-rated.")
    premium_path: str = Field(
        "premium", pattern=DOTTED_PATH, description="Where results carry the premium."
    )


class ChallengerPublic(CamelModel):
    product_code: str
    endpoint: str
    version: int
    asked: str = Field(description="What was asked for: draft, or the version number.")
    sample: float
    premium_path: str
    created_at: UtcDateTime


class ChallengerResult(CamelModel):
    """One live rating and its challenger's re-rating."""

    transaction_id: str
    challenger_transaction_id: str
    version: int
    status_before: str
    status_after: str | None
    premium_before: float | None
    premium_after: float | None
    delta_pct: float | None
    created_at: UtcDateTime


class ChallengerResults(CamelModel):
    """The answer of ``GET .../challenger/results``: the challenger running (if one is), the
    summary of its latest comparisons, and those comparisons, newest first."""

    challenger: ChallengerPublic | None
    summary: ImpactSummary
    items: list[ChallengerResult]
