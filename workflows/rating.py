"""The one generic rating workflow: it walks the flow version pinned at start.

It knows no product. Each step is an activity (local or regular, as the pinned
version says) with the step's own timeout and retry policy; a failed step either
stops the run or, with ``on_error: continue``, is logged and skipped over. The
workflow never reads the database: its input carries the whole flow version.
"""

from __future__ import annotations

import asyncio
import builtins
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from models import search_attributes as sa
    from models.activity_names import RECORD_TRANSACTION, RUN_LOCAL_STEPS
    from models.errors import NON_RETRYABLE_CODES, ErrorCode
    from models.failures import RunError, StepError, StepFailure
    from models.flow import FlowSpec, StepSpec, activity_name, hands_over
    from models.rating import (
        RECORD_TIMEOUT,
        Doc,
        RatingInput,
        RatingOutcome,
        RecordOrder,
        RunStatus,
        StepBatchInput,
        StepBatchOutput,
        StepInput,
        StepOutput,
        StepRecord,
        TransactionUpdate,
    )

# Marks runs that check their deadline between steps, and after their last one: those
# started before replay without it.
DEADLINE_BETWEEN_STEPS = "deadline-between-steps"
DEADLINE_AFTER_LAST_STEP = "deadline-after-last-step"
# How long a regular step's worker may go silent before its attempt is given to another.
STEP_HEARTBEAT_TIMEOUT = timedelta(seconds=5)


@workflow.defn(name="RatingWorkflow")
class RatingWorkflow:
    @workflow.run
    async def run(self, inp: RatingInput) -> RatingOutcome:
        run = _Progress(data=inp.request)
        if inp.deadline_ms is None or inp.shape >= 2:
            # No deadline (a run started before runs carried one), or one kept without a
            # timer (two events and a server timer less a run): no regular step may run
            # past it (schedule-to-close), and it is checked between steps and after the
            # last, which a local step, holding the workflow task open, delays at most by
            # its own timeout.
            await _walk(inp, run)
        else:
            # The product's timeout as the run's own deadline: a run past it ends
            # timed_out itself, so its transaction and IrxStatus say so (Temporal's
            # execution timeout, a little longer, is only the backstop).
            walk = asyncio.create_task(_walk(inp, run))
            try:
                await workflow.wait_condition(walk.done, timeout=inp.deadline_ms / 1000)
            except builtins.TimeoutError:
                run.timed_out = True
                walk.cancel()  # cancels the step under way
                await asyncio.wait([walk])
                _time_out(inp, run)
            else:
                walk.result()  # a fault of the interpreter itself fails the workflow task
        status: RunStatus = "timed_out" if run.timed_out else "failed" if run.error else "completed"
        outcome = RatingOutcome(
            status=status,
            result=None if run.error else run.data,
            steps=run.records,
            error=run.error,
        )
        if inp.shape < 3 or status != "completed":
            # From shape 3 a completed run writes no IrxStatus: one event, and one
            # visibility write, less on the hot path (docs/operations.md).
            workflow.upsert_search_attributes([sa.STATUS.value_set(outcome.status)])
        if run.recorded:  # by its last local step
            return outcome
        try:
            await workflow.execute_local_activity(
                RECORD_TRANSACTION,
                TransactionUpdate(
                    transaction_id=inp.run.transaction_id,
                    outcome=outcome,
                    api_version=inp.run.api_version,
                ),
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=2)),
                summary="record transaction",
            )
        except FailureError:
            workflow.logger.warning("could not record transaction %s", inp.run.transaction_id)
        return outcome


@dataclass
class _Progress:
    """Where a run is: its working document, step records, the step under way, its error."""

    data: Doc
    records: list[StepRecord] = field(default_factory=list)
    current: str | None = None
    error: RunError | None = None
    timed_out: bool = False
    recorded: bool = False  # the run's last local step recorded it (shape 3)


async def _walk(inp: RatingInput, run: _Progress) -> None:
    """Runs the flow's steps in order until one stops the run."""
    steps, index = inp.flow.steps, 0
    # A local step hands a large document to a local successor in its worker's memory
    # (StepInput.next_local). Should that worker be lost, the run repeats the steps since
    # the last document it had stored, storing every one from then on.
    hand_over = True
    stored = _Stored(index, run.data, 0)
    while index < len(steps):
        if _overdue(inp):
            _time_out(inp, run)
            return
        run.current = steps[index].name
        end = _batch_end(inp.flow, index)
        last = end - 1  # the last step this pass runs
        if end - index > 1:
            result = await _run_batch(inp, index, end, run.data, _record_order(inp, run, end - 1))
            if result.retry_at is not None:
                # A batched step failed its first attempt: Temporal's retry policy
                # takes it from there, and batching resumes after it.
                run.records.extend(result.records)
                if result.data is not None:
                    run.data = result.data
                last = result.retry_at
                end = last + 1
                run.current = steps[last].name
                result = await _run_one(
                    inp,
                    last,
                    run.data,
                    attempts_used=1,
                    next_local=hand_over,
                    record=_record_order(inp, run, last),
                )
        else:
            record = _record_order(inp, run, index)
            result = await _run_one(inp, index, run.data, next_local=hand_over, record=record)
        if run.timed_out:
            return  # the deadline passed while this step ran: the run reports that instead
        if hand_over and result.error is not None and result.error.code == _LOST:
            hand_over = False
            index, run.data = stored.index, stored.data
            del run.records[stored.records :]
            continue
        run.records.extend(result.records)
        run.recorded = result.recorded
        if result.data is not None:
            run.data = result.data
        if result.error is not None:
            if _overdue(inp):  # the deadline cut the step short
                _time_out(inp, run)
            else:
                run.error = result.error
            return
        index = end
        if not (hand_over and hands_over(inp.flow.steps, last)):
            stored = _Stored(index, run.data, len(run.records))
    # The last local steps hold the workflow task open, so the deadline's timer cannot
    # end them: a run whose steps finished past its deadline has timed out all the same
    # (its caller was answered 408; it must not then record, and publish, a rating).
    # A last step that recorded the run checked the deadline itself, just before.
    if not run.recorded and _overdue(inp, DEADLINE_AFTER_LAST_STEP):
        _time_out(inp, run)


_LOST = ErrorCode.WORKING_DOCUMENT_LOST.value


@dataclass(frozen=True)
class _Stored:
    """Where the run last had its document stored: the step it goes on from, that
    document, and how many step records it had then."""

    index: int
    data: Doc
    records: int


def _overdue(inp: RatingInput, patch: str = DEADLINE_BETWEEN_STEPS) -> bool:
    """Whether the run is past its deadline.

    The deadline's timer starts only once the first workflow task completes, which local
    steps of a large document can hold open for many seconds (the SDK heartbeats it at
    8 s): checked between steps too, the deadline holds from the run's start whatever.
    """
    left = _remaining(inp)
    # Only a late run records the marker, so runs on time keep their histories as they were.
    return left is not None and left <= timedelta(0) and workflow.patched(patch)


def _time_left(inp: RatingInput) -> timedelta | None:
    """What is left of the run's deadline: no regular step, retries included, may run
    past it (the server enforces it, even while a workflow task is held open)."""
    left = _remaining(inp)
    return None if left is None else max(left, timedelta(milliseconds=1))


def _remaining(inp: RatingInput) -> timedelta | None:
    """The run's deadline less the time since the run started (negative once past)."""
    at = _deadline_at(inp)
    return None if at is None else at - workflow.now()


def _deadline_at(inp: RatingInput) -> datetime | None:
    """When the run's deadline passes: its product's timeout after the run started."""
    if inp.deadline_ms is None:
        return None
    return workflow.info().workflow_start_time + timedelta(milliseconds=inp.deadline_ms)


def _time_out(inp: RatingInput, run: _Progress) -> None:
    run.timed_out = True
    run.error = RunError(
        code=ErrorCode.REQUEST_TIMEOUT.value,
        message=f"The run did not finish within {inp.deadline_ms} ms.",
        step=run.current,
    )


def _record_order(inp: RatingInput, run: _Progress, last: int) -> RecordOrder | None:
    """From shape 3, what the run's last step, when local, needs to record the run: a
    local activity less (an activity's retries could record a run that then fails)."""
    steps = inp.flow.steps
    if inp.shape < 3 or last != len(steps) - 1 or not steps[last].local:
        return None
    return RecordOrder(steps=run.records, deadline_at=_deadline_at(inp))


def _batch_end(flow: FlowSpec, index: int) -> int:
    """Where the run of steps starting at ``index`` ends: one step, or all the
    consecutive local steps when the flow batches them."""
    end = index + 1
    if flow.batch_local_steps and flow.steps[index].local:
        while end < len(flow.steps) and flow.steps[end].local:
            end += 1
    return end


async def _run_one(
    inp: RatingInput,
    index: int,
    data: Doc,
    attempts_used: int = 0,
    next_local: bool = True,
    record: RecordOrder | None = None,
) -> StepBatchOutput:
    """Step ``index`` as its own activity; ``next_local`` False: nothing is handed over;
    ``record``: the step records the run once it completes."""
    step = inp.flow.steps[index]
    step_input = StepInput(
        run=inp.run,
        # From shape 2 a step is named by the flow's digest: its worker has the spec.
        step=None if inp.shape >= 2 else step,
        flow_digest=inp.flow_digest,
        index=index,
        data=data,
        attempts_used=attempts_used,
        next_local=next_local and hands_over(inp.flow.steps, index),
        record=record,
    )
    name = activity_name(step) if inp.shape >= 2 else step.type
    try:
        out = await _execute(step, name, step_input, _time_left(inp))
    except FailureError as exc:
        # A regular activity's failure arrives wrapped in ActivityError; a local
        # activity's may arrive as its ApplicationError itself.
        failure = _step_failure(step, exc)
        if failure.error.code == _LOST:  # not the step's doing, whatever its on_error
            return StepBatchOutput(records=[], error=failure.run_error(step.name))
        return _failed(step, failure)
    return StepBatchOutput(
        records=[StepRecord.done(step, out)], data=out.data, recorded=out.recorded
    )


async def _run_batch(
    inp: RatingInput, start: int, end: int, data: Doc, record: RecordOrder | None
) -> StepBatchOutput:
    steps = inp.flow.steps[start:end]
    budget_ms = sum(s.timeout_ms for s in steps)
    try:
        result: StepBatchOutput = await workflow.execute_local_activity(
            RUN_LOCAL_STEPS,
            StepBatchInput(run=inp.run, steps=steps, first_index=start, data=data, record=record),
            result_type=StepBatchOutput,
            start_to_close_timeout=timedelta(milliseconds=budget_ms),
            # Step failures come back as results; only a lost worker retries the batch.
            retry_policy=RetryPolicy(maximum_attempts=3),
            summary=" > ".join(s.name for s in steps)[:200],
        )
    except FailureError as exc:
        # Not a step's failure (those come back as results): the batch itself
        # overran its budget or its worker was lost, so no step is blamed.
        cause = exc.cause if isinstance(exc, ActivityError) else exc
        timed_out = isinstance(cause, TimeoutError)
        names = ", ".join(s.name for s in steps)
        return StepBatchOutput(
            records=[],
            error=RunError(
                code=(ErrorCode.REQUEST_TIMEOUT if timed_out else ErrorCode.INTERNAL_ERROR).value,
                message=(
                    f"The local steps {names} did not finish within {budget_ms} ms."
                    if timed_out
                    else f"The worker running the local steps {names} failed or was lost."
                ),
            ),
        )
    return result


def _failed(step: StepSpec, failure: StepFailure) -> StepBatchOutput:
    record = StepRecord.failed(step, failure)
    if step.on_error == "continue":
        return StepBatchOutput(records=[record])
    return StepBatchOutput(records=[record], error=failure.run_error(step.name))


async def _execute(step: StepSpec, name: str, inp: StepInput, left: timedelta | None) -> StepOutput:
    """One step as the activity ``name``; a regular one bounded by ``left`` (of the
    deadline) too."""
    timeout = timedelta(milliseconds=step.timeout_ms)
    retry = step.retry.policy(NON_RETRYABLE_CODES, inp.attempts_used)
    if step.local:
        # Local steps are bounded by their own timeout; the deadline is checked between them.
        return await workflow.execute_local_activity(  # type: ignore[no-any-return]
            name,
            inp,
            result_type=StepOutput,
            start_to_close_timeout=timeout,
            retry_policy=retry,
            summary=step.name,
        )
    return await workflow.execute_activity(  # type: ignore[no-any-return]
        name,
        inp,
        result_type=StepOutput,
        start_to_close_timeout=timeout,
        schedule_to_close_timeout=left,
        # The step's worker heartbeats while it runs: a lost worker's attempt is retried
        # on another within seconds, not when the step's own timeout runs out.
        heartbeat_timeout=STEP_HEARTBEAT_TIMEOUT,
        retry_policy=retry,
        summary=step.name,
    )


def _step_failure(step: StepSpec, exc: FailureError) -> StepFailure:
    """Reads the catalog code, message and attempt count out of a failed activity."""
    cause = exc.cause if isinstance(exc, ActivityError) else exc
    if isinstance(cause, ApplicationError):
        return StepFailure.of(cause, step.retry.max_attempts)
    if isinstance(cause, TimeoutError):
        return StepFailure.timed_out(step, step.retry.max_attempts)
    return StepFailure(
        error=StepError(code=ErrorCode.INTERNAL_ERROR.value, message=f"Step '{step.name}' failed."),
        attempts=step.retry.max_attempts,
    )
