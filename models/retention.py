"""What a retention run removed."""

from __future__ import annotations

from pydantic import Field

from models.base import CamelModel


class PurgeReport(CamelModel):
    """Transactions deleted per organization slug, and their documents."""

    transactions: dict[str, int] = Field(default_factory=dict)
    documents: int = 0
