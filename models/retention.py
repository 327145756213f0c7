"""What a retention run removed."""

from __future__ import annotations

from pydantic import Field

from models.base import CamelModel


class PurgeReport(CamelModel):
    """Transactions deleted per organization slug, their documents, and the payloads
    Temporal's histories kept in the blob store (``store.temporal_payloads``)."""

    transactions: dict[str, int] = Field(default_factory=dict)
    documents: int = 0
    temporal_payloads: int = 0
