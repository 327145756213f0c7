"""Archival and retention over a simulated year, on SQLite and PostgreSQL, with the blob
store on disk: each plan's transactions age out exactly as it says, every archived one
restores as it was, the chain still verifies, and a crash loses nothing."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from temporalio.testing import ActivityEnvironment

import activities.archival
from activities.archival import ArchivalActivities, hot_cutoff
from activities.retention import RetentionActivities
from models.archive import ArchiveReport
from models.base import as_utc
from models.documents import request_key, result_key
from models.errors import ErrorCode, PlatformError
from models.plans import limits_of
from models.retention import PurgeReport
from models.tables import OrganizationRow, TransactionRow
from store import transaction_chain
from store.archive import Archive
from store.archive_check import check_archive
from store.archived_rows import restore_rows
from store.blobs import DiskBlobStore
from store.db import SessionFactory
from store.kept_requests import keep, kept_request
from store.sealing import Keyring
from store.transactions import insert_transaction

KEYRING = Keyring.parse(Keyring.new_key("test"))
HOT_DAYS = 30
START = datetime(2025, 1, 1, tzinfo=UTC)
# Each day's ratings: its first instant, its middle, and its very last microsecond.
TIMES = (timedelta(0), timedelta(hours=12, seconds=34.789012), timedelta(days=1, microseconds=-1))


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Year:
    """Three organizations, one per plan, rating every day; what each rating was."""

    def __init__(self, sessions: SessionFactory, blobs: DiskBlobStore) -> None:
        self.sessions = sessions
        self.blobs = blobs
        self.archive = Archive(blobs)
        self.clock = Clock()
        self.orgs: dict[str, OrganizationRow] = {}
        self.rows: dict[str, dict[str, Any]] = {}  # id -> the row as the database has it
        self.count = 0

    async def add_orgs(self) -> None:
        async with self.sessions() as session:
            for plan in ("standard", "professional", "enterprise"):
                org = OrganizationRow(slug=f"{plan}-{uuid.uuid4().hex[:6]}", name=plan, plan=plan)
                session.add(org)
                self.orgs[plan] = org
            await session.commit()

    async def rate_day(self, day: datetime) -> None:
        ids = []
        for org in self.orgs.values():
            for offset in TIMES:
                ids.append(await self.rate(org.id, day + offset))
        async with self.sessions() as session:
            stored = await session.exec(
                select(TransactionRow).where(col(TransactionRow.id).in_(ids))
            )
            for row in stored.all():
                self.rows[row.id] = row.model_dump()

    async def rate(self, organization_id: str, at: datetime, mode: str | None = None) -> str:
        self.count += 1
        n = self.count
        transaction_id = str(uuid.uuid4())
        raw = b'{"policy": {"state": "NY", "limit": %d}}' % n
        row = TransactionRow(
            id=transaction_id,
            organization_id=organization_id,
            correlation_id=f"corr-{n}",
            idempotency_key=f"key-{n}" if n % 3 == 0 else None,
            product_code="IMCE",
            endpoint="rate",
            flow_version=1,
            flow_version_id="fv-1",
            status="completed" if n % 5 else "failed",
            mode=mode or ("simulation" if n % 11 == 0 else "live"),
            request_hash=hashlib.sha256(raw).hexdigest(),
            request_bytes=len(raw),
            steps=[{"name": "rate", "status": "completed", "durationMs": 12.5}],
            started_at=at,
            completed_at=at + timedelta(milliseconds=250),
            duration_ms=250.125,
        )
        if n % 4 == 0:  # a large one: request and result in the blob store
            row.request_ref = await self.blobs.put(request_key(transaction_id), raw)
            row.result_ref = await self.blobs.put(result_key(transaction_id, 1, "rate"), b"{}")
        else:
            row.request_kept = keep(KEYRING, organization_id, transaction_id, raw)
            row.result = {"premium": 1234.56 + n, "lines": [{"code": "A", "rate": 0.1}]}
        await insert_transaction(self.sessions, row)
        return transaction_id

    async def run_schedule(self) -> tuple[PurgeReport, ArchiveReport]:
        """The retention workflow's two activities, in its order, at the clock's time."""
        env = ActivityEnvironment()
        retention = RetentionActivities(self.sessions, self.blobs, clock=self.clock)
        archival = ArchivalActivities(self.sessions, self.archive, HOT_DAYS, self.clock)
        purged = await env.run(retention.purge_expired)
        archived = await env.run(archival.archive_transactions)
        return purged, archived

    async def in_database(self) -> dict[str, TransactionRow]:
        async with self.sessions() as session:
            rows = (await session.exec(select(TransactionRow))).all()
        return {row.id: row for row in rows}

    async def in_archive(self, organization_id: str) -> dict[str, date]:
        """Archived transaction id -> its day, from the manifests."""
        found: dict[str, date] = {}
        for day in await self.archive.days(organization_id):
            manifest = await self.archive.manifest(organization_id, day)
            assert manifest is not None
            found |= {listed.id: day for listed in manifest.transactions}
        return found

    def started(self, transaction_id: str) -> datetime:
        return as_utc(self.rows[transaction_id]["started_at"])

    def rated_by(self, organization_id: str) -> set[str]:
        return {i for i, row in self.rows.items() if row["organization_id"] == organization_id}


@pytest.fixture
async def year(sessions: SessionFactory, tmp_path: Path) -> Year:
    simulated = Year(sessions, DiskBlobStore(tmp_path / "blobs"))
    await simulated.add_orgs()
    return simulated


async def test_a_year_ages_out_as_each_plan_says_and_restores_as_it_was(year: Year) -> None:
    moved = 0
    for age in range(365):
        day = START + timedelta(days=age)
        await year.rate_day(day)
        year.clock.now = day + timedelta(days=1, hours=3, minutes=17)
        purged, archived = await year.run_schedule()
        moved += sum(o.transactions for o in archived.organizations.values())
        if age % 61 == 60 or age == 364:
            await assert_placed_as_plans_say(year)
    assert moved > 0
    now = year.clock.now
    enterprise = year.orgs["enterprise"].id
    held = await year.in_archive(enterprise)
    assert len(set(held.values())) == 365 - HOT_DAYS  # every day past the hot ones
    assert purged.archived_transactions  # professional days leave the archive daily

    # The chain: the database's links are one run from a new anchor, which follows from
    # the archive's last link; the archive's own links all check.
    links = await year.archive.links(enterprise)
    chain = await transaction_chain.verify(year.sessions, enterprise, archived=links)
    assert chain.intact, chain.broken
    assert chain.anchor == max(links) + 1
    check = await check_archive(year.archive, enterprise)
    assert check.intact, check.problems
    assert 1 not in links  # the first day is past the year: purged
    assert check.links == len(links) - 1  # every link but the oldest, whose predecessor is gone

    # One day restored sits below the anchor: the chain crosses the gap to the anchor by
    # the archive's hash of the link before it, and checks the anchor against it.
    before = await year.in_database()
    days = sorted(set(held.values()))
    middle = await year.archive.manifest(enterprise, days[100])
    assert middle is not None
    await restore_rows(year.sessions, await year.archive.read(middle))
    chain = await transaction_chain.verify(year.sessions, enterprise, archived=links)
    assert chain.intact, chain.broken
    assert (chain.anchor, chain.archived) == (middle.first_seq, max(links) - (middle.last_seq or 0))
    assert not (await transaction_chain.verify(year.sessions, enterprise)).intact  # a gap, alone

    # Every archived transaction restores as it was, column for column (present ones are
    # skipped).
    for archived_day in days:
        manifest = await year.archive.manifest(enterprise, archived_day)
        assert manifest is not None
        done = await restore_rows(year.sessions, await year.archive.read(manifest))
        assert len(done.restored) + len(done.present) == manifest.count
        assert not done.keys_released
    restored = await year.in_database()
    assert restored.keys() == before.keys() | held.keys()
    for transaction_id in held:
        row = restored[transaction_id]
        assert row.model_dump() == year.rows[transaction_id]
        if row.request_ref is None:  # the sealed request still opens: the row can be re-rated
            number = int(row.correlation_id.removeprefix("corr-"))
            assert (
                kept_request(KEYRING, row) == b'{"policy": {"state": "NY", "limit": %d}}' % number
            )
        else:
            assert await year.blobs.get(row.request_ref)
    chain = await transaction_chain.verify(year.sessions, enterprise, archived=links)
    assert (chain.intact, chain.anchor, chain.archived) == (True, 2, 0)
    # The next run takes them back to the archive, which holds them unchanged.
    manifests = {d: await year.archive.manifest(enterprise, d) for d in days}
    await year.run_schedule()
    assert (await year.in_database()).keys() == before.keys()
    assert {d: await year.archive.manifest(enterprise, d) for d in days} == manifests
    assert now == year.clock.now


async def assert_placed_as_plans_say(year: Year) -> None:
    """Kept where each plan says, nothing lost, nothing past its plan's retention left."""
    now = year.clock.now
    in_database = await year.in_database()
    cutoff = hot_cutoff(now, HOT_DAYS)
    for plan, org in year.orgs.items():
        since = now - timedelta(days=limits_of(plan).retention_days)
        archived = await year.in_archive(org.id)
        database = {i for i, row in in_database.items() if row.organization_id == org.id}
        assert not archived.keys() & database
        kept = {i for i in year.rated_by(org.id) if year.started(i) >= since}
        assert archived.keys() | database == kept, plan  # nothing lost, nothing expired
        assert all(year.started(i) >= cutoff for i in database) or plan == "standard"
        assert all(since <= year.started(i) < cutoff for i in archived)
        if plan == "standard":  # its retention is the hot one: nothing is archived
            assert not archived
        # Documents: those of kept transactions are there; no others are.
        documents = {key.partition("/")[0] for key in await year.blobs.keys("")}
        documents.discard("archive")
        mine = year.rated_by(org.id)
        large = {i for i in kept if year.rows[i]["request_ref"] is not None}
        assert documents & mine == large


async def test_a_crash_between_archiving_and_deleting_loses_nothing(
    year: Year, monkeypatch: pytest.MonkeyPatch
) -> None:
    for age in range(40):
        await year.rate_day(START + timedelta(days=age))
    year.clock.now = START + timedelta(days=40, hours=3)  # days 0 to 9 are due
    standard = year.orgs["standard"].id
    before = {i for i, row in (await year.in_database()).items() if row.organization_id != standard}

    async def crash(*_: object) -> None:
        raise RuntimeError("the worker died")

    with monkeypatch.context() as patched:
        patched.setattr(activities.archival, "remove_archived", crash)
        with pytest.raises(RuntimeError, match="the worker died"):
            await year.run_schedule()
    assert before <= (await year.in_database()).keys()  # the day written, not deleted
    enterprise = year.orgs["enterprise"].id
    first = await year.in_archive(enterprise)
    assert set(first.values()) == {START.date()}

    _, archived = await year.run_schedule()  # the re-run converges
    assert archived.organizations[year.orgs["enterprise"].slug].transactions == 30
    after = await year.in_database()
    for org in (year.orgs["professional"], year.orgs["enterprise"]):
        held = await year.in_archive(org.id)
        assert len(held) == 30  # ten days, three a day, each once
        assert held.keys() | {i for i, r in after.items() if r.organization_id == org.id} == (
            year.rated_by(org.id)
        )
        for day in sorted(set(held.values())):
            manifest = await year.archive.manifest(org.id, day)
            assert manifest is not None
            for row in await year.archive.read(manifest):
                assert row.model_dump() == year.rows[row.id]
        assert (await check_archive(year.archive, org.id)).intact
        assert (await transaction_chain.verify(year.sessions, org.id)).intact
        day_folder = year.blobs.root / "archive" / org.id / START.date().isoformat()
        assert len(list(day_folder.iterdir())) == 2  # its manifest and one data file


async def test_a_damaged_archive_is_found_and_nothing_is_deleted(year: Year) -> None:
    for age in range(3):
        await year.rate_day(START + timedelta(days=age))
    year.clock.now = START + timedelta(days=31, hours=3)  # day 0 is due
    await year.run_schedule()
    enterprise = year.orgs["enterprise"].id
    (day,) = await year.archive.days(enterprise)
    manifest = await year.archive.manifest(enterprise, day)
    assert manifest is not None
    data = year.blobs.root / "archive" / enterprise / day.isoformat() / manifest.file
    data.write_bytes(data.read_bytes()[:-8])
    check = await check_archive(year.archive, enterprise)
    assert not check.intact
    assert "checksum differs" in check.problems[0]
    # A simulation of that day recorded late (unchained, so due at once) is not merged
    # into the damaged day: the run fails and the row stays in the database.
    late = await year.rate(enterprise, START + timedelta(hours=6), mode="simulation")
    with pytest.raises(PlatformError) as caught:
        await year.run_schedule()
    assert caught.value.code == ErrorCode.ARCHIVE_CORRUPT
    assert late in await year.in_database()
