"""The one generic rating workflow: it walks the flow version pinned at start.

It knows no product. Each step is an activity (local or regular, as the pinned
version says) with the step's own timeout and retry policy; a failed step either
stops the run or, with ``on_error: continue``, is logged and skipped over. The
workflow never reads the database: its input carries the whole flow version.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from models import search_attributes as sa
    from models.errors import NON_RETRYABLE_CODES, ErrorCode
    from models.flow import StepSpec
    from models.rating import (
        RatingInput,
        RatingOutcome,
        RunError,
        StepError,
        StepInput,
        StepOutput,
        StepRecord,
        TransactionUpdate,
    )

RECORD_TRANSACTION = "irx.record_transaction"


@workflow.defn(name="RatingWorkflow")
class RatingWorkflow:
    @workflow.run
    async def run(self, inp: RatingInput) -> RatingOutcome:
        data = inp.request
        records: list[StepRecord] = []
        error: RunError | None = None
        for index, step in enumerate(inp.flow.steps):
            try:
                out = await _execute(
                    step, StepInput(run=inp.run, step=step, index=index, data=data)
                )
            except FailureError as exc:
                # A regular activity's failure arrives wrapped in ActivityError;
                # a local activity's may arrive as its ApplicationError itself.
                failure = _step_error(step, exc)
                records.append(
                    StepRecord(
                        name=step.name,
                        type=step.type,
                        status="failed",
                        attempts=failure.attempts,
                        duration_ms=failure.duration_ms,
                        error=failure.error,
                    )
                )
                if step.on_error == "continue":
                    continue
                error = RunError(step=step.name, **failure.error.model_dump())
                break
            records.append(
                StepRecord(
                    name=step.name,
                    type=step.type,
                    status="skipped" if out.skipped else "completed",
                    attempts=out.attempt,
                    duration_ms=out.duration_ms,
                    detail=out.detail,
                )
            )
            if out.data is not None:
                data = out.data
        outcome = RatingOutcome(
            status="failed" if error else "completed",
            result=None if error else data,
            steps=records,
            error=error,
        )
        workflow.upsert_search_attributes([sa.STATUS.value_set(outcome.status)])
        try:
            await workflow.execute_local_activity(
                RECORD_TRANSACTION,
                TransactionUpdate(transaction_id=inp.run.transaction_id, outcome=outcome),
                start_to_close_timeout=timedelta(seconds=10),
                retry_policy=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=2)),
                summary="record transaction",
            )
        except FailureError:
            workflow.logger.warning("could not record transaction %s", inp.run.transaction_id)
        return outcome


async def _execute(step: StepSpec, inp: StepInput) -> StepOutput:
    timeout = timedelta(milliseconds=step.timeout_ms)
    retry = RetryPolicy(
        initial_interval=timedelta(milliseconds=step.retry.initial_interval_ms),
        backoff_coefficient=step.retry.backoff,
        maximum_interval=timedelta(milliseconds=step.retry.max_interval_ms),
        maximum_attempts=step.retry.max_attempts,
        non_retryable_error_types=list(NON_RETRYABLE_CODES),
    )
    if step.local:
        return await workflow.execute_local_activity(  # type: ignore[no-any-return]
            step.type,
            inp,
            result_type=StepOutput,
            start_to_close_timeout=timeout,
            retry_policy=retry,
            summary=step.name,
        )
    return await workflow.execute_activity(  # type: ignore[no-any-return]
        step.type,
        inp,
        result_type=StepOutput,
        start_to_close_timeout=timeout,
        retry_policy=retry,
        summary=step.name,
    )


class _Failure:
    def __init__(self, error: StepError, attempts: int, duration_ms: float) -> None:
        self.error = error
        self.attempts = attempts
        self.duration_ms = duration_ms


def _step_error(step: StepSpec, exc: FailureError) -> _Failure:
    """Reads the catalog code, message and attempt count out of a failed activity."""
    cause = exc.cause if isinstance(exc, ActivityError) else exc
    if isinstance(cause, ApplicationError):
        info: dict[str, Any] = cause.details[0] if cause.details else {}
        code = cause.type or ErrorCode.INTERNAL_ERROR.value
        return _Failure(
            StepError(code=code, message=cause.message, details=info.get("details", {})),
            int(info.get("attempt", step.retry.max_attempts)),
            float(info.get("durationMs", 0.0)),
        )
    if isinstance(cause, TimeoutError):
        return _Failure(
            StepError(
                code=ErrorCode.REQUEST_TIMEOUT.value,
                message=f"Step '{step.name}' timed out after {step.timeout_ms} ms.",
            ),
            step.retry.max_attempts,
            float(step.timeout_ms),
        )
    return _Failure(
        StepError(code=ErrorCode.INTERNAL_ERROR.value, message=f"Step '{step.name}' failed."),
        step.retry.max_attempts,
        0.0,
    )
