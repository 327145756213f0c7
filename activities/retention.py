"""Purges transactions past their organization's plan retention, with their documents."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity

from models.plans import limits_of
from models.retention import PurgeReport
from models.tables import utcnow
from store.blobs import BlobStore
from store.db import SessionFactory
from store.organizations import list_orgs
from store.transactions import delete_transactions, expired_transactions

BATCH = 500


class RetentionActivities:
    def __init__(self, sessions: SessionFactory, blobs: BlobStore) -> None:
        self.sessions = sessions
        self.blobs = blobs

    @activity.defn(name="irx.purge_expired_transactions")
    async def purge_expired(self) -> PurgeReport:
        """Deletes, batch by batch, every transaction older than its plan keeps."""
        report = PurgeReport()
        async with self.sessions() as session:
            orgs = await list_orgs(session)
        for org in orgs:
            before = utcnow() - timedelta(days=limits_of(org.plan).retention_days)
            removed = 0
            while ids := await expired_transactions(self.sessions, org.id, before, BATCH):
                for transaction_id in ids:
                    report.documents += await self.blobs.delete_prefix(f"{transaction_id}/")
                await delete_transactions(self.sessions, org.id, ids)
                removed += len(ids)
                activity.heartbeat(org.slug, removed)
            if removed:
                report.transactions[org.slug] = removed
        return report
