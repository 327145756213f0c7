"""Records a finished run in the config store's transaction log."""

from __future__ import annotations

from temporalio import activity

from activities.metrics import PAYLOAD_BYTES, REQUEST_SECONDS, REQUESTS
from engines.pii import Masker
from models.failures import RunError
from models.rating import StepRecord, TransactionUpdate
from store.db import SessionFactory
from store.transactions import record_outcome


class TransactionActivities:
    """``masker`` keeps personal data out of the stored step records and run error (their
    details and messages quote documents); the caller's own answer is left as it is."""

    def __init__(self, sessions: SessionFactory, masker: Masker | None = None) -> None:
        self.sessions = sessions
        self.masker = masker or Masker()

    @activity.defn(name="irx.record_transaction")
    async def record_transaction(self, update: TransactionUpdate) -> None:
        outcome = update.outcome
        steps = [
            StepRecord.model_validate(self.masker.document(s.model_dump(mode="json")))
            for s in outcome.steps
        ]
        error = (
            None
            if outcome.error is None
            else RunError.model_validate(
                self.masker.document(outcome.error.model_dump(mode="json"))
            )
        )
        outcome = outcome.model_copy(update={"steps": steps, "error": error})
        row = await record_outcome(self.sessions, update.transaction_id, outcome)
        # Every run ends here, synchronous or not: its outcome is counted once, where
        # it is recorded (refusals before a run are counted by the API).
        REQUESTS.labels(row.product_code, row.endpoint, row.status).inc()
        if row.duration_ms is not None:
            REQUEST_SECONDS.labels(row.product_code, row.endpoint).observe(row.duration_ms / 1000)
        if row.response_bytes:
            PAYLOAD_BYTES.labels(row.product_code, "out").observe(row.response_bytes)
