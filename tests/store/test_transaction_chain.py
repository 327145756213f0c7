"""The transactions' hash chain, on SQLite and PostgreSQL: appended in order under
concurrency, and any alteration shows."""

from __future__ import annotations

import asyncio
import uuid

from sqlmodel import col, delete

from models.tables import OrganizationRow, TransactionRow
from store import transaction_chain
from store.db import SessionFactory
from store.transactions import insert_transaction


async def new_org(sessions: SessionFactory) -> str:
    async with sessions() as session:
        org = OrganizationRow(slug=f"org-{uuid.uuid4().hex[:8]}", name="Chain Co.")
        session.add(org)
        await session.commit()
        return org.id


def transaction(org: str) -> TransactionRow:
    return TransactionRow(
        id=str(uuid.uuid4()),
        organization_id=org,
        correlation_id=uuid.uuid4().hex,
        product_code="IMCE",
        endpoint="rate",
        flow_version=1,
        flow_version_id=str(uuid.uuid4()),
        request_hash=uuid.uuid4().hex * 2,
    )


async def record(sessions: SessionFactory, org: str) -> TransactionRow:
    row = transaction(org)
    await insert_transaction(sessions, row)  # written with its link
    return row


async def test_concurrent_ratings_make_one_unbroken_chain(sessions: SessionFactory) -> None:
    org, other = await new_org(sessions), await new_org(sessions)
    rows = await asyncio.gather(*(record(sessions, org) for _ in range(20)))
    await record(sessions, other)
    report = await transaction_chain.verify(sessions, org)
    assert (report.links, report.anchor, report.broken, report.unlinked) == (20, 1, [], 0)
    assert (await transaction_chain.verify(sessions, other)).links == 1  # each organization its own
    assert sorted(row.chain_seq or 0 for row in rows) == list(range(1, 21))


async def test_altering_removing_or_purging_shows(sessions: SessionFactory) -> None:
    org = await new_org(sessions)
    rows = [await record(sessions, org) for _ in range(5)]
    async with sessions() as session:
        third = await session.get(TransactionRow, rows[2].id)
        assert third is not None
        third.request_hash = "f" * 64  # someone rewrites what was asked
        session.add(third)
        await session.commit()
    report = await transaction_chain.verify(sessions, org)
    assert report.broken == [f"link 3 ({rows[2].id}) does not match its content"]

    async with sessions() as session:
        await session.exec(delete(TransactionRow).where(col(TransactionRow.id) == rows[2].id))
        await session.commit()
    # The gap, and the next link, which no longer follows from the one before it.
    assert (await transaction_chain.verify(sessions, org)).broken == [
        "links 3..3 are missing",
        f"link 4 ({rows[3].id}) does not match its content",
    ]

    purged = await new_org(sessions)
    kept = [await record(sessions, purged) for _ in range(4)]
    async with sessions() as session:  # retention removes the oldest
        await session.exec(delete(TransactionRow).where(col(TransactionRow.id) == kept[0].id))
        await session.commit()
    report = await transaction_chain.verify(sessions, purged)
    assert (report.links, report.anchor, report.intact) == (3, 2, True)
