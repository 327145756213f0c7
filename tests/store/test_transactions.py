"""The transaction log's idempotency claims and runs in flight, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from models.tables import OrganizationRow, TransactionRow
from store.db import SessionFactory
from store.transactions import claim_idempotency_key, count_running


def transaction(org: str, key: str) -> TransactionRow:
    return TransactionRow(
        id=str(uuid.uuid4()),
        organization_id=org,
        correlation_id="c",
        idempotency_key=key,
        product_code="IMCE",
        endpoint="rate",
        flow_version=1,
        flow_version_id="fv",
        request_hash="0" * 64,
    )


async def test_concurrent_claims_of_one_key_have_one_winner(sessions: SessionFactory) -> None:
    async with sessions() as session:
        org = OrganizationRow(slug=f"o-{uuid.uuid4().hex[:6]}", name="o")
        session.add(org)
        await session.commit()
    since = datetime.now(UTC) - timedelta(days=1)
    rows = [transaction(org.id, "same-key") for _ in range(10)]
    holders = await asyncio.gather(*(claim_idempotency_key(sessions, r, since) for r in rows))
    winners = [r for r, h in zip(rows, holders, strict=True) if h is None]
    assert len(winners) == 1
    assert {h.id for h in holders if h is not None} == {winners[0].id}


async def test_a_key_past_its_window_is_given_up(sessions: SessionFactory) -> None:
    async with sessions() as session:
        org = OrganizationRow(slug=f"o-{uuid.uuid4().hex[:6]}", name="o")
        session.add(org)
        await session.commit()
    old = transaction(org.id, "k")
    assert await claim_idempotency_key(sessions, old, datetime.now(UTC) - timedelta(days=1)) is None
    new = transaction(org.id, "k")
    assert (
        await claim_idempotency_key(sessions, new, datetime.now(UTC) + timedelta(seconds=1)) is None
    )
    async with sessions() as session:
        stored = await session.get(TransactionRow, old.id)
        assert stored is not None
        assert stored.idempotency_key is None  # the old run keeps its record, not the key
    # Another organization's key of the same name is its own.
    async with sessions() as session:
        other = OrganizationRow(slug=f"o-{uuid.uuid4().hex[:6]}", name="o")
        session.add(other)
        await session.commit()
    since = datetime.now(UTC) - timedelta(days=1)
    assert await claim_idempotency_key(sessions, transaction(other.id, "k"), since) is None


async def test_runs_in_flight_are_the_recent_running_ones_of_the_product(
    sessions: SessionFactory,
) -> None:
    """What async intake counts (services.runs.RunStarter.admit_async): a row still
    ``running`` past the longest a run can last is not in flight, whatever it says."""
    async with sessions() as session:
        org, other = (OrganizationRow(slug=f"o-{uuid.uuid4().hex[:6]}", name="o") for _ in "ab")
        session.add_all([org, other])
        await session.commit()
        now = datetime.now(UTC)
        rows = [transaction(org.id, f"k{i}") for i in range(6)]
        rows[1].status = "completed"
        rows[2].product_code = "BOP"
        rows[3].organization_id = other.id
        rows[4].started_at = now - timedelta(hours=1)  # its record was never written
        session.add_all(rows)
        await session.commit()
    since = now - timedelta(minutes=1)
    assert await count_running(sessions, org.id, "IMCE", since) == 2  # rows 0 and 5
    assert await count_running(sessions, org.id, "BOP", since) == 1
    assert await count_running(sessions, other.id, "IMCE", since) == 1
    assert await count_running(sessions, org.id, "IMCE", now - timedelta(days=1)) == 3
