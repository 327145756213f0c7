"""Checks an organization's archive: every day against its manifest's checksums, and every
archived link against the one before it (``irx archive verify``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from models.errors import PlatformError
from store.archive import Archive, links_of
from store.transaction_chain import GENESIS, link_hash


@dataclass
class ArchiveCheck:
    """What checking one organization's archive found."""

    organization_id: str
    days: int = 0
    transactions: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


async def check_archive(
    archive: Archive, organization_id: str, checked: Callable[[int], None] | None = None
) -> ArchiveCheck:
    """Reads every archived day back (checksums, the transactions its manifest lists) and
    checks each archived link whose predecessor is archived too (or is the genesis);
    ``checked`` hears each day's transactions (a progress bar)."""
    report = ArchiveCheck(organization_id)
    manifests = await archive.manifests(organization_id)
    links = links_of(manifests)
    for day, manifest in manifests.items():
        try:
            rows = await archive.read(manifest) if manifest is not None else []
        except PlatformError as exc:
            report.problems.append(f"{day}: {exc.message}")
            continue
        report.days += 1
        report.transactions += len(rows)
        for row in rows:
            seq = row.chain_seq
            previous = GENESIS if seq == 1 else links.get((seq or 0) - 1)
            if seq is None or previous is None:
                continue  # a simulation, or the link before is in the database or purged
            if row.chain_hash != link_hash(previous, row):
                report.problems.append(f"{day}: link {seq} ({row.id}) does not match its content")
            report.links += 1
        if checked is not None:
            checked(len(rows))
    return report
