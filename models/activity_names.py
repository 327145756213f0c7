"""The names of the platform's own activities, for the workflows that call them and the
activities that define them.

History records each activity by its name, and replaying a run in flight looks it up by
that name again: these never change. (A step's activity is named by its step type and
name, ``models.flow.activity_name``, which the flow version carries.)
"""

from __future__ import annotations

RECORD_TRANSACTION = "irx.record_transaction"
RUN_LOCAL_STEPS = "irx.run_local_steps"
PURGE_EXPIRED_TRANSACTIONS = "irx.purge_expired_transactions"
IMPACT_SELECT = "irx.impact_select"
IMPACT_PREPARE = "irx.impact_prepare"
IMPACT_COMPARE = "irx.impact_compare"
IMPACT_FINISH = "irx.impact_finish"
IMPACT_END = "irx.impact_end"
ARCHIVE_TRANSACTIONS = "irx.archive_transactions"
