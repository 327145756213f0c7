"""The impact workflow: what a candidate version does to a window of past traffic.

It selects the window's transactions (an activity), then, a batch at a time, prepares
their re-ratings as simulation transactions, runs each as a child rating workflow (so
every one is a real run, visible in the Web UI, and the batch bounds how many run at
once), and compares what they gave with what was recorded. It continues as new every
``BATCHES_PER_RUN`` batches, so a window of any size keeps a short history, and a
worker restart resumes it where it was. Cancelled, it ends ``cancelled``; the children
under way finish on their own (simulations, they change nothing).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ChildWorkflowError, FailureError, WorkflowAlreadyStartedError
from temporalio.workflow import ChildWorkflowCancellationType, ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from models import search_attributes as sa
    from models.activity_names import (
        IMPACT_COMPARE,
        IMPACT_END,
        IMPACT_FINISH,
        IMPACT_PREPARE,
        IMPACT_SELECT,
    )
    from models.impact import ImpactActivityInput, ImpactEnd, ImpactInput, Rerun, RerunBatch
    from models.rating import RatingInput
    from models.transactions import workflow_id

# Batches per run before it continues as new (each batch adds a few events per item).
BATCHES_PER_RUN = 50
_RETRY = RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=30))


def impact_workflow_id(impact_id: str) -> str:
    return f"impact-{impact_id}"


@workflow.defn(name="ImpactWorkflow")
class ImpactWorkflow:
    @workflow.run
    async def run(self, inp: ImpactInput) -> None:
        try:
            await self._analyse(inp)
        except asyncio.CancelledError:
            await _end(ImpactEnd(impact_id=inp.impact_id, status="cancelled"))
            raise
        except FailureError as exc:
            await _end(ImpactEnd(impact_id=inp.impact_id, status="failed", error=str(exc)))
            raise

    async def _analyse(self, inp: ImpactInput) -> None:
        total = inp.total
        if total is None:
            total = await workflow.execute_activity(
                IMPACT_SELECT,
                ImpactActivityInput(impact_id=inp.impact_id),
                result_type=int,
                start_to_close_timeout=timedelta(minutes=10),
                retry_policy=_RETRY,
                summary="select the window",
            )
        offset, batches = inp.offset, 0
        while offset < total:
            if batches == BATCHES_PER_RUN or workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(inp.model_copy(update={"offset": offset, "total": total}))
            count = min(inp.concurrency, total - offset)
            batch = ImpactActivityInput(impact_id=inp.impact_id, offset=offset, count=count)
            prepared: RerunBatch = await workflow.execute_activity(
                IMPACT_PREPARE,
                batch,
                result_type=RerunBatch,
                start_to_close_timeout=timedelta(minutes=5),
                retry_policy=_RETRY,
                summary=f"prepare {offset + 1}-{offset + count} of {total}",
            )
            await asyncio.gather(*(_rerate(inp, rerun) for rerun in prepared.reruns))
            await workflow.execute_activity(
                IMPACT_COMPARE,
                batch,
                start_to_close_timeout=timedelta(minutes=5),
                retry_policy=_RETRY,
                summary=f"compare {offset + 1}-{offset + count} of {total}",
            )
            offset += count
            batches += 1
        await workflow.execute_activity(
            IMPACT_FINISH,
            ImpactActivityInput(impact_id=inp.impact_id),
            start_to_close_timeout=timedelta(minutes=10),
            heartbeat_timeout=timedelta(minutes=1),
            retry_policy=_RETRY,
            summary="sum up",
        )


async def _rerate(inp: ImpactInput, rerun: Rerun) -> None:
    """One past request re-rated under the candidate: a rating run of its own, a simulation.
    Its transaction records what came of it, failure included, for the comparison."""
    flow = inp.flow
    run = RatingInput.of(
        rerun.transaction_id,
        inp.organization_id,
        f"impact-{inp.impact_id}",
        flow,
        rerun.request,
        inp.deadline_ms,
        mode="simulation",
        digest=inp.flow_digest,
    )
    try:
        await workflow.execute_child_workflow(
            "RatingWorkflow",
            run,
            id=workflow_id(rerun.transaction_id),
            execution_timeout=run.execution_timeout,
            search_attributes=sa.of_run(
                flow.product_code,
                inp.organization_slug,
                flow.endpoint,
                flow.version,
                run.run.correlation_id,
                "simulation",
            ),
            static_summary=f"{flow.product_code} /{flow.endpoint} v{flow.version} (impact)",
            # Cancelling the analysis leaves the re-ratings under way to finish.
            cancellation_type=ChildWorkflowCancellationType.ABANDON,
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
    except ChildWorkflowError:
        # Ended without an outcome (timed out by the backstop, terminated): its
        # transaction, still running, counts as not rated.
        workflow.logger.warning("re-rating %s ended without an outcome", rerun.transaction_id)
    except WorkflowAlreadyStartedError:
        # Started by an earlier run of this analysis (a reset): its record is the outcome.
        workflow.logger.info("re-rating %s was started before", rerun.transaction_id)


async def _end(end: ImpactEnd) -> None:
    await workflow.execute_activity(
        IMPACT_END,
        end,
        start_to_close_timeout=timedelta(minutes=1),
        retry_policy=_RETRY,
        summary=end.status,
    )
