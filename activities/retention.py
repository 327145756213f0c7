"""Purges transactions past their organization's plan retention, with their documents,
from the database and from the archive."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from temporalio import activity

from models.activity_names import PURGE_EXPIRED_TRANSACTIONS
from models.base import as_utc
from models.documents import transaction_prefix
from models.plans import limits_of
from models.retention import PurgeReport
from models.tables import OrganizationRow, utcnow
from store.archive import Archive
from store.blobs import BlobStore
from store.db import SessionFactory
from store.organizations import list_orgs
from store.temporal_payloads import PREFIX
from store.transactions import delete_transactions, expired_transactions

BATCH = 500
# Days of Temporal payloads looked at past the kept ones: the schedule runs daily, so a
# week of missed runs is still caught up.
CATCH_UP_DAYS = 7


class RetentionActivities:
    """``temporal_payload_days``: how long payloads Temporal's histories keep in the blob
    store (``temporal/{day}/``) are kept; longer than the namespace's retention.
    ``clock``: now (tests pass their own)."""

    def __init__(
        self,
        sessions: SessionFactory,
        blobs: BlobStore,
        temporal_payload_days: int = 30,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.blobs = blobs
        self.archive = Archive(blobs)
        self.temporal_payload_days = temporal_payload_days
        self.clock = clock

    @activity.defn(name=PURGE_EXPIRED_TRANSACTIONS)
    async def purge_expired(self) -> PurgeReport:
        """Deletes, batch by batch, every transaction older than its plan keeps, then what
        the archive keeps of them."""
        now = self.clock()
        report = PurgeReport()
        async with self.sessions() as session:
            orgs = await list_orgs(session)
        for org in orgs:
            before = now - timedelta(days=limits_of(org.plan).retention_days)
            removed = 0
            while ids := await expired_transactions(self.sessions, org.id, before, BATCH):
                report.documents += await self._forget(org, ids)
                removed += len(ids)
                activity.heartbeat(org.slug, removed)
            if removed:
                report.transactions[org.slug] = removed
            await self._purge_archive(org, before, now, report)
        today = now.date()
        for age in range(self.temporal_payload_days, self.temporal_payload_days + CATCH_UP_DAYS):
            day = (today - timedelta(days=age)).isoformat()
            report.temporal_payloads += await self.blobs.delete_prefix(f"{PREFIX}{day}/")
        return report

    async def _purge_archive(
        self, org: OrganizationRow, before: datetime, now: datetime, report: PurgeReport
    ) -> None:
        """Drops archived days wholly before ``before`` and trims the day it falls in.

        The expired transactions' documents (and quarantined documents, and any restored
        copy) go first, the day's files last: a crash in between leaves the manifest
        listing them, and the next run finishes the job."""
        removed = 0
        for day in await self.archive.days(org.id):
            if day > before.date():
                break
            manifest = await self.archive.manifest(org.id, day)
            if manifest is None:
                continue
            expired = [t.id for t in manifest.transactions if as_utc(t.started_at) < before]
            if not expired:
                continue
            for start in range(0, len(expired), BATCH):
                report.documents += await self._forget(org, expired[start : start + BATCH])
            if len(expired) == manifest.count:
                await self.archive.drop(org.id, day)
                report.archived_days += 1
            else:
                gone = set(expired)
                kept = [r for r in await self.archive.read(manifest) if r.id not in gone]
                await self.archive.store(org.id, day, kept, now, merge=False)
            removed += len(expired)
            activity.heartbeat(org.slug, day.isoformat())
        if removed:
            report.archived_transactions[org.slug] = removed

    async def _forget(self, org: OrganizationRow, ids: list[str]) -> int:
        """Deletes the transactions' documents, then their rows and quarantine entries;
        returns how many documents."""
        documents = 0
        for transaction_id in ids:
            documents += await self.blobs.delete_prefix(transaction_prefix(transaction_id))
        await delete_transactions(self.sessions, org.id, ids)
        return documents
