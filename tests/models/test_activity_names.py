"""The platform's own activity names, as history records them."""

from __future__ import annotations

from models import activity_names


def test_the_names_are_those_recorded_in_history() -> None:
    # Runs in flight, and workers of the release before, look activities up by these.
    assert activity_names.RECORD_TRANSACTION == "irx.record_transaction"
    assert activity_names.RUN_LOCAL_STEPS == "irx.run_local_steps"
    assert activity_names.PURGE_EXPIRED_TRANSACTIONS == "irx.purge_expired_transactions"
