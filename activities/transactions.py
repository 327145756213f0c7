"""Records a finished run in the config store's transaction log, with the events it owes."""

from __future__ import annotations

import logging

from temporalio import activity

from activities.challengers import Challengers
from activities.event_relay import LEASE_S, EventRelay
from activities.steps.publish import owed_events, without_owed
from engines.pii import Masker, masked_outcome
from infra.metrics import PAYLOAD_BYTES, REQUEST_SECONDS, REQUESTS
from models.activity_names import RECORD_TRANSACTION
from models.rating import RatingOutcome, TransactionUpdate
from store.db import SessionFactory
from store.transactions import record_outcome

log = logging.getLogger(__name__)


def kept_outcome(masker: Masker, outcome: RatingOutcome) -> RatingOutcome:
    """A run's outcome as its transaction keeps it, and as its caller is answered: personal
    data masked, the events it owes left to the outbox (their ids stay in the step log)."""
    outcome = outcome.model_copy(update={"steps": without_owed(outcome.steps)})
    return masked_outcome(masker, outcome)


class TransactionActivities:
    """``masker`` keeps personal data out of the stored step records and run error (their
    details and messages quote documents); the caller's answer is masked the same way.
    A completed run's events are written with its record, then tried at once by ``relay``
    (the relay's own rounds deliver what that attempt could not). ``challengers`` hears of
    every record (challenger traffic, ``activities.challengers``)."""

    def __init__(
        self,
        sessions: SessionFactory,
        masker: Masker | None = None,
        relay: EventRelay | None = None,
        challengers: Challengers | None = None,
    ) -> None:
        self.sessions = sessions
        self.masker = masker or Masker()
        self.relay = relay
        self.challengers = challengers

    @activity.defn(name=RECORD_TRANSACTION)
    async def record_transaction(self, update: TransactionUpdate) -> None:
        await self.record(update)

    async def record(self, update: TransactionUpdate) -> None:
        """Records a finished run: as its own local activity, or from the run's last local
        step (``StepInput.record``)."""
        # Only a completed run publishes: not one that failed after its publish step,
        # nor one that timed out.
        owed = owed_events(update.outcome.steps) if update.outcome.status == "completed" else []
        outcome = kept_outcome(self.masker, update.outcome)
        lease = None if self.relay is None else LEASE_S
        row, held = await record_outcome(self.sessions, update.transaction_id, outcome, owed, lease)
        if held and self.relay is not None:
            try:
                await self.relay.deliver_held(row.organization_id, owed, held)
            except Exception:  # the outbox holds them: the relay's rounds retry
                log.exception("the events of %s wait for the relay", update.transaction_id)
        # Every run ends here, synchronous or not: its outcome is counted once, where
        # it is recorded (refusals before a run are counted by the API). A simulation
        # counts under its mode only: production's latency and sizes are live runs'.
        REQUESTS.labels(
            row.product_code, row.endpoint, row.status, update.api_version, row.mode
        ).inc()
        if self.challengers is not None:
            self.challengers.after_record(row)
        if row.mode != "live":
            return
        if row.duration_ms is not None:
            REQUEST_SECONDS.labels(row.product_code, row.endpoint).observe(row.duration_ms / 1000)
        if row.response_bytes:
            PAYLOAD_BYTES.labels(row.product_code, "out").observe(row.response_bytes)
