"""What a retention run removed."""

from __future__ import annotations

from pydantic import Field

from models.archive import ArchiveReport
from models.base import CamelModel


class PurgeReport(CamelModel):
    """Transactions deleted per organization slug, their documents, and the payloads
    Temporal's histories kept in the blob store (``store.temporal_payloads``)."""

    transactions: dict[str, int] = Field(default_factory=dict)
    documents: int = 0
    temporal_payloads: int = 0
    # Transactions purged from the archive per organization slug, and archived days
    # deleted whole (models.archive).
    archived_transactions: dict[str, int] = Field(default_factory=dict)
    archived_days: int = 0
    # What the same run then moved from the database to the archive.
    archive: ArchiveReport | None = None
