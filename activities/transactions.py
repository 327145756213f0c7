"""Records a finished run in the config store's transaction log."""

from __future__ import annotations

from temporalio import activity

from activities.metrics import PAYLOAD_BYTES, REQUEST_SECONDS, REQUESTS
from engines.pii import Masker, masked_outcome
from models.rating import TransactionUpdate
from store.db import SessionFactory
from store.transactions import record_outcome


class TransactionActivities:
    """``masker`` keeps personal data out of the stored step records and run error (their
    details and messages quote documents); the caller's answer is masked the same way."""

    def __init__(self, sessions: SessionFactory, masker: Masker | None = None) -> None:
        self.sessions = sessions
        self.masker = masker or Masker()

    @activity.defn(name="irx.record_transaction")
    async def record_transaction(self, update: TransactionUpdate) -> None:
        outcome = masked_outcome(self.masker, update.outcome)
        row = await record_outcome(self.sessions, update.transaction_id, outcome)
        # Every run ends here, synchronous or not: its outcome is counted once, where
        # it is recorded (refusals before a run are counted by the API).
        REQUESTS.labels(row.product_code, row.endpoint, row.status).inc()
        if row.duration_ms is not None:
            REQUEST_SECONDS.labels(row.product_code, row.endpoint).observe(row.duration_ms / 1000)
        if row.response_bytes:
            PAYLOAD_BYTES.labels(row.product_code, "out").observe(row.response_bytes)
