"""Records a finished run in the config store's transaction log."""

from __future__ import annotations

from temporalio import activity

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
        await record_outcome(self.sessions, update.transaction_id, outcome)
