"""The transaction archive: where it keeps each organization's days, what a day's manifest
says, and what an archival run reports. The one owner of the archive's keys.

Each organization's transactions past the hot retention are kept in the blob store, one
folder per UTC day of ``started_at``::

    archive/{organization_id}/{YYYY-MM-DD}/manifest.json
    archive/{organization_id}/{YYYY-MM-DD}/transactions-{sha256[:16]}.jsonl.gz

The data file holds one JSON line per transaction: every column of its row, exactly as
stored. Its name carries its checksum, so a rewrite (a day merged with late rows, or
trimmed by retention) writes a new file beside the old one; writing the manifest that
names it is what commits the rewrite, and only then is the old file deleted. Keys are
read back by later releases: the layout never changes (a new line format is a new
``SCHEMA_VERSION``).
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from models.base import CamelModel

SCHEMA_VERSION = 1
ROOT = "archive/"
MANIFEST_NAME = "manifest.json"


def organization_prefix(organization_id: str) -> str:
    """The prefix of every archived day of the organization."""
    return f"{ROOT}{organization_id}/"


def day_prefix(organization_id: str, day: date) -> str:
    return f"{organization_prefix(organization_id)}{day.isoformat()}/"


def manifest_key(organization_id: str, day: date) -> str:
    return f"{day_prefix(organization_id, day)}{MANIFEST_NAME}"


def data_name(sha256: str) -> str:
    """The data file's name in its day's folder, from its compressed bytes' SHA-256."""
    return f"transactions-{sha256[:16]}.jsonl.gz"


def day_of(key: str) -> date | None:
    """The day a manifest's key names (None for any other key)."""
    folder, _, name = key.rpartition("/")
    if name != MANIFEST_NAME:
        return None
    try:
        return date.fromisoformat(folder.rpartition("/")[2])
    except ValueError:
        return None


class Digest(CamelModel):
    sha256: str
    bytes: int


class ArchivedLink(CamelModel):
    """One archived transaction as the manifest lists it: enough to purge it when its plan
    stops keeping it, and to bridge the database's chain across the archive."""

    id: str
    started_at: datetime
    chain_seq: int | None = None
    chain_hash: str | None = None


class DayManifest(CamelModel):
    """What one organization's archived day holds, and the checksums that prove it."""

    schema_version: int = SCHEMA_VERSION
    organization_id: str
    day: date
    archived_at: datetime
    file: str
    count: int
    compressed: Digest
    lines: Digest
    # The lowest and highest chain link of the day (None: only simulations).
    first_seq: int | None = None
    last_seq: int | None = None
    transactions: list[ArchivedLink]


class OrganizationArchived(CamelModel):
    days: list[date] = Field(default_factory=list)
    transactions: int = 0


class ArchiveReport(CamelModel):
    """What an archival run moved, per organization slug."""

    organizations: dict[str, OrganizationArchived] = Field(default_factory=dict)
