"""The retention workflow: run by a Temporal schedule, it purges what plans no longer keep,
then moves what is past the hot retention to the archive.

Each organization's transactions older than its plan's retention (30 days,
90 days, a year) are deleted with their documents, from the database and from the
archive; then those older than the hot retention (``IRX_ARCHIVE__HOT_DAYS``) move to
the archive. One workflow runs both, one after the other: they touch the same rows and
archived days, and the schedule never starts a run while the last one is going, so the
two never race. Each activity works in batches, heartbeats, and reports what it did.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.activity_names import ARCHIVE_TRANSACTIONS, PURGE_EXPIRED_TRANSACTIONS
    from models.archive import ArchiveReport
    from models.retention import PurgeReport

SCHEDULE_ID = "irx-retention"
# Runs started before archival existed purge only.
ARCHIVAL_PATCH = "archive-transactions"
RETRY = RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=5))


@workflow.defn(name="RetentionWorkflow")
class RetentionWorkflow:
    @workflow.run
    async def run(self) -> PurgeReport:
        report: PurgeReport = await workflow.execute_activity(
            PURGE_EXPIRED_TRANSACTIONS,
            result_type=PurgeReport,
            start_to_close_timeout=timedelta(minutes=30),
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RETRY,
            summary="purge expired transactions",
        )
        if workflow.patched(ARCHIVAL_PATCH):
            # The first run after archival is turned on moves up to a year of days: a
            # retry resumes where the last attempt stopped (what is archived is gone).
            report.archive = await workflow.execute_activity(
                ARCHIVE_TRANSACTIONS,
                result_type=ArchiveReport,
                start_to_close_timeout=timedelta(hours=6),
                heartbeat_timeout=timedelta(minutes=2),
                retry_policy=RETRY,
                summary="archive transactions past the hot retention",
            )
        return report
