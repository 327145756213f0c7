"""Records a finished run in the config store's transaction log."""

from __future__ import annotations

from temporalio import activity

from models.rating import TransactionUpdate
from store.db import SessionFactory
from store.transactions import record_outcome


class TransactionActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="irx.record_transaction")
    async def record_transaction(self, update: TransactionUpdate) -> None:
        await record_outcome(self.sessions, update.transaction_id, update.outcome)
