"""The retention workflow: run by a Temporal schedule, it purges what plans no longer keep.

Each organization's transactions older than its plan's retention (30 days,
90 days, a year) are deleted with their documents; one activity does the work
in batches and reports what it removed.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.activity_names import PURGE_EXPIRED_TRANSACTIONS
    from models.retention import PurgeReport

SCHEDULE_ID = "irx-retention"


@workflow.defn(name="RetentionWorkflow")
class RetentionWorkflow:
    @workflow.run
    async def run(self) -> PurgeReport:
        report: PurgeReport = await workflow.execute_activity(
            PURGE_EXPIRED_TRANSACTIONS,
            result_type=PurgeReport,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=5)),
            summary="purge expired transactions",
        )
        return report
