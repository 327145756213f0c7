"""Purges transactions past their organization's plan retention, with their documents."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity

from models.activity_names import PURGE_EXPIRED_TRANSACTIONS
from models.documents import transaction_prefix
from models.plans import limits_of
from models.retention import PurgeReport
from models.tables import utcnow
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
    store (``temporal/{day}/``) are kept; longer than the namespace's retention."""

    def __init__(
        self, sessions: SessionFactory, blobs: BlobStore, temporal_payload_days: int = 30
    ) -> None:
        self.sessions = sessions
        self.blobs = blobs
        self.temporal_payload_days = temporal_payload_days

    @activity.defn(name=PURGE_EXPIRED_TRANSACTIONS)
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
                    prefix = transaction_prefix(transaction_id)
                    report.documents += await self.blobs.delete_prefix(prefix)
                await delete_transactions(self.sessions, org.id, ids)
                removed += len(ids)
                activity.heartbeat(org.slug, removed)
            if removed:
                report.transactions[org.slug] = removed
        today = utcnow().date()
        for age in range(self.temporal_payload_days, self.temporal_payload_days + CATCH_UP_DAYS):
            day = (today - timedelta(days=age)).isoformat()
            report.temporal_payloads += await self.blobs.delete_prefix(f"{PREFIX}{day}/")
        return report
