"""The transaction log's hash chain (seed 9b): tampering with it shows.

Each transaction of an organization gets, as it is written, the next number in that
organization's chain and the SHA-256 of the previous link's hash with the fields
that say what was asked: who, which product, endpoint and flow version, the
request's own SHA-256, the correlation id and when. Changing any of them, removing
a row from the middle, or reordering, breaks every later link; ``irx audit verify``
walks the chain. Retention purges from the oldest end, so the oldest remaining
link is the chain's anchor. Archival (``store.archive``) moves links from the oldest end
too; given the archive's links, ``verify`` checks the anchor against the archived link
before it, and crosses a gap the archive holds whole (a day restored from the archive
sits below the anchor) by the archived hash of its last link, so the link after it is
still checked. Status and results are not chained: they change as the
run ends, and Temporal's history is their record. Simulations (``mode``) are not
chained either: they rate nothing for real, and a simulated run never moves the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import as_utc
from models.tables import TransactionRow
from store.db import SessionFactory
from store.organizations import lock_organization

GENESIS = "0" * 64


def link_hash(previous: str, row: TransactionRow) -> str:
    fields = {
        "id": row.id,
        "organization": row.organization_id,
        "apiKey": row.api_key_id,
        "product": row.product_code,
        "endpoint": row.endpoint,
        "flowVersion": row.flow_version,
        "flowVersionId": row.flow_version_id,
        "requestSha256": row.request_hash,
        "correlationId": row.correlation_id,
        "startedAt": as_utc(row.started_at).isoformat(),
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


async def append(session: AsyncSession, row: TransactionRow) -> None:
    """Gives ``row`` the next link of its organization's chain, in ``session``'s transaction
    (the one that writes the row: no second transaction per rating).

    Links are appended one at a time per organization: a no-op update of the
    organization's row takes its lock (PostgreSQL) or the write lock (SQLite) first, and
    holds it until the transaction ends. A simulation gets no link.
    """
    if row.mode != "live":
        return
    await lock_organization(session, row.organization_id)
    last = (
        await session.exec(
            select(TransactionRow.chain_seq, TransactionRow.chain_hash)
            .where(
                TransactionRow.organization_id == row.organization_id,
                col(TransactionRow.chain_seq).is_not(None),
            )
            .order_by(col(TransactionRow.chain_seq).desc())
            .limit(1)
        )
    ).first()
    seq, previous = last if last is not None else (0, GENESIS)
    row.chain_seq = (seq or 0) + 1
    row.chain_hash = link_hash(previous or GENESIS, row)


@dataclass
class ChainReport:
    """What ``verify`` found for one organization."""

    organization_id: str
    links: int = 0
    anchor: int | None = None
    unlinked: int = 0
    # Links missing from the database that the archive holds (crossed, not walked).
    archived: int = 0
    broken: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.broken


async def verify(
    sessions: SessionFactory,
    organization_id: str,
    batch: int = 1000,
    walked: Callable[[int], None] | None = None,
    archived: Mapping[int, str] | None = None,
) -> ChainReport:
    """Walks the organization's chain from its oldest remaining link; ``walked`` hears
    how many links each batch checked (a progress bar). ``archived``: the hash of each
    link the organization's archive holds (``Archive.links``)."""
    archived = archived or {}
    report = ChainReport(organization_id)
    previous: str | None = None
    expected: int | None = None
    after = 0
    async with sessions() as session:
        report.unlinked = (
            await session.exec(
                select(func.count()).where(
                    TransactionRow.organization_id == organization_id,
                    col(TransactionRow.chain_seq).is_(None),
                    TransactionRow.mode == "live",
                )
            )
        ).one()
        while True:
            rows = (
                await session.exec(
                    select(TransactionRow)
                    .where(
                        TransactionRow.organization_id == organization_id,
                        col(TransactionRow.chain_seq) > after,
                    )
                    .order_by(col(TransactionRow.chain_seq))
                    .limit(batch)
                )
            ).all()
            for row in rows:
                seq = row.chain_seq or 0
                if expected is None:
                    report.anchor = seq
                    previous = GENESIS if seq == 1 else archived.get(seq - 1)
                elif seq != expected:
                    if all(link in archived for link in range(expected, seq)):
                        report.archived += seq - expected
                        previous = archived[seq - 1]
                    else:
                        report.broken.append(f"links {expected}..{seq - 1} are missing")
                if previous is not None and row.chain_hash != link_hash(previous, row):
                    report.broken.append(f"link {seq} ({row.id}) does not match its content")
                if row.mode != "live":  # a rating turned into a simulation after the fact
                    report.broken.append(f"link {seq} ({row.id}) is marked {row.mode}")
                previous, expected = row.chain_hash, seq + 1
                report.links += 1
            if walked is not None:
                walked(len(rows))
            if len(rows) < batch:
                return report
            after = rows[-1].chain_seq or after
