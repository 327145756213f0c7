"""Turns each registered step type into a Temporal activity.

The wrapper does what every step needs: load the working document (inline or
from the blob store), honour the step's skip condition, validate its config,
time it, save a large result back to the blob store, and translate errors to
``ApplicationError``s whose ``type`` is the catalog code (``models.failures``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext, suppress
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel
from temporalio import activity
from temporalio.common import RawValue
from temporalio.exceptions import ApplicationError

from activities.memory import (
    PAUSE_COLLECTOR_BYTES,
    RELEASE_AFTER_BYTES,
    collector_paused,
    release_free_memory,
)
from activities.pinned_flows import PinnedFlows
from activities.registry import StepContext, StepRegistry, StepType, registry
from activities.resources import StepResources
from engines.conditions import condition_holds
from engines.paths import without_path
from infra.metrics import STEP_SECONDS
from models import log_context
from models.activity_names import RUN_LOCAL_STEPS
from models.errors import ErrorCode, PlatformError
from models.failures import StepFailure, step_error
from models.flow import step_type_of
from models.rating import (
    RECORD_TIMEOUT,
    Doc,
    RecordOrder,
    RunContext,
    StepBatchInput,
    StepBatchOutput,
    StepInput,
    StepOutput,
    StepRecord,
    TransactionUpdate,
)

log = logging.getLogger(__name__)

# Steps whose input is smaller than this do their CPU work on the loop (StepContext.cpu):
# microseconds of work, where a thread hop costs more. Above it, the work leaves the loop.
SMALL_INPUT_BYTES = 16 * 1024

# Records a finished run (activities.transactions.TransactionActivities.record).
Recorder = Callable[[TransactionUpdate], Awaitable[None]]


class StepActivities:
    """Builds one activity per registered step type, sharing ``resources``; ``recorder``
    records a run whose last local step is asked to (``StepInput.record``)."""

    def __init__(
        self,
        resources: StepResources,
        steps: StepRegistry = registry,
        pinned: PinnedFlows | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.resources = resources
        self.steps = steps
        self.pinned = pinned
        self.recorder = recorder

    def _config(self, step: StepType[Any], raw: dict[str, Any]) -> BaseModel:
        """The step's parsed config, parsed once per distinct config.

        Configs were validated at publish; some validators are costly (a JSON
        Schema checked against its meta-schema), so runs reuse the parsed model.
        """
        key = ("step-config", step.name, orjson.dumps(raw, option=orjson.OPT_SORT_KEYS))
        config: BaseModel = self.resources.config.compiled(
            key, lambda: step.config_model.model_validate(raw)
        )
        return config

    def definitions(self) -> list[Callable[..., Any]]:
        """One activity per step type, the batch runner, and the activity that runs a step
        named by its type and name (or refuses a type this worker lacks)."""
        return [*(self._define(step) for step in self.steps), self.run_batch, self.named_step]

    def _define(self, step: StepType[Any]) -> Callable[..., Any]:
        async def run_step(inp: StepInput) -> StepOutput:
            return await self._ended(await self._resolved(inp), step)

        run_step.__name__ = run_step.__qualname__ = f"step_{step.name}"
        return activity.defn(name=step.name)(run_step)

    async def _resolved(self, inp: StepInput) -> StepInput:
        """``inp`` with its step's spec, when it names the step by its flow's digest."""
        if inp.spec is not None:
            return inp
        if self.pinned is None or inp.flow_digest is None:
            raise PlatformError(ErrorCode.INTERNAL_ERROR, "The step's input names no step.")
        spec = await self.pinned.step(inp.flow_digest, inp.index)
        return inp.model_copy(update={"spec": spec})

    @activity.defn(dynamic=True)
    async def named_step(self, args: Sequence[RawValue]) -> StepOutput:
        """A step whose activity is named ``type: step name`` (``models.flow.activity_name``)
        runs as its type; a step type this worker lacks (a plugin not installed) fails at
        once, by code."""
        name = step_type_of(activity.info().activity_type)
        if name not in self.steps:
            log.error("step type %r is not registered on this worker", name)
            raise step_error(
                PlatformError(ErrorCode.STEP_HANDLER_NOT_FOUND, type=name),
                activity.info().attempt,
                time.perf_counter(),
            )
        inp = activity.payload_converter().from_payload(args[0].payload, StepInput)
        return await self._ended(await self._resolved(inp), self.steps.get(name))

    async def _ended(self, inp: StepInput, step: StepType[Any]) -> StepOutput:
        """The step's attempt, and the run recorded after it when it is the run's last."""
        out = await self.run(step, inp)
        if inp.record is None:
            return out
        data = inp.data if out.data is None else out.data
        recorded = await self._record(inp.run, inp.record, [StepRecord.done(inp.step, out)], data)
        return out.model_copy(update={"recorded": recorded})

    async def _record(
        self, run: RunContext, order: RecordOrder, records: list[StepRecord], data: Doc
    ) -> bool:
        """Records the run, completed with ``records`` and ``data``, within what is left of
        the activity's timeout: whether it did (not past the run's deadline, nor without a
        recorder). Otherwise the workflow's own record activity records it. Within the
        run's last local activity, a worker lost before its workflow task completes has the
        steps and the record run again, as the record's own activity would be (the record
        is idempotent)."""
        now = datetime.now(UTC)
        left = _activity_time_left(now)
        if self.recorder is None or order.overdue(now) or left <= 0:
            return False
        try:
            await asyncio.wait_for(self.recorder(order.completed(run, records, data)), left)
        except Exception:  # the workflow's own record activity tries again, with retries
            log.exception("the last step could not record %s", run.transaction_id)
            return False
        return True

    @activity.defn(name=RUN_LOCAL_STEPS)
    async def run_batch(self, inp: StepBatchInput) -> StepBatchOutput:
        """Runs consecutive local steps in turn, one attempt each.

        A step that fails and may be retried ends the batch there: the workflow
        hands it to Temporal's retry policy (``retry_at``), so there is one retry
        engine, and the batch resumes after it.
        """
        data, changed = inp.data, False
        records: list[StepRecord] = []
        for offset, spec in enumerate(inp.steps):
            index = inp.first_index + offset
            # Within the batch the next step is this worker's: hand the document over.
            step_input = StepInput(
                run=inp.run,
                step=spec,
                index=index,
                data=data,
                next_local=offset < len(inp.steps) - 1,
            )
            out = await self._attempt(self.steps.get(spec.type), step_input)
            if isinstance(out, StepOutput):
                records.append(StepRecord.done(spec, out))
                if out.data is not None:
                    data, changed = out.data, True
                continue
            if out.failure.error.code == ErrorCode.WORKING_DOCUMENT_LOST:
                # Not the step's fault: the workflow repeats the steps since the last stored
                # document, whatever the step's on_error says.
                return StepBatchOutput(records=records, error=out.failure.run_error(spec.name))
            if out.retryable and spec.retry.max_attempts > 1:
                return StepBatchOutput(
                    records=records, data=data if changed else None, retry_at=index
                )
            records.append(StepRecord.failed(spec, out.failure))
            if spec.on_error == "fail":
                return StepBatchOutput(
                    records=records,
                    data=data if changed else None,
                    error=out.failure.run_error(spec.name),
                )
        recorded = inp.record is not None and await self._record(inp.run, inp.record, records, data)
        return StepBatchOutput(records=records, data=data if changed else None, recorded=recorded)

    async def _attempt(self, step: StepType[Any], inp: StepInput) -> StepOutput | _Failed:
        """One attempt of a batched step, within the step's own timeout."""
        try:
            return await asyncio.wait_for(self.run(step, inp, 1), inp.step.timeout_ms / 1000)
        except TimeoutError:
            return _Failed(StepFailure.timed_out(inp.step, 1), retryable=True)
        except ApplicationError as exc:
            return _Failed(StepFailure.of(exc, 1), retryable=not exc.non_retryable)

    async def run(
        self, step: StepType[Any], inp: StepInput, attempt: int | None = None
    ) -> StepOutput:
        """One attempt of a step; its log lines name the run it belongs to."""
        run = inp.run
        started = time.perf_counter()
        large = inp.data.size >= PAUSE_COLLECTOR_BYTES
        beating = _heartbeats() if attempt is None and _regular_activity() else None
        try:
            with (
                log_context.bound(
                    correlation_id=run.correlation_id,
                    organization=run.organization_id,
                    product=run.product_code,
                    transaction_id=run.transaction_id,
                ),
                collector_paused() if large else nullcontext(),
            ):
                return await self._run(step, inp, attempt)
        finally:
            if beating is not None:
                beating.cancel()
            STEP_SECONDS.labels(run.product_code, step.name, inp.step.name).observe(
                time.perf_counter() - started
            )
            if inp.data.size >= RELEASE_AFTER_BYTES:
                await asyncio.to_thread(release_free_memory)

    async def _run(self, step: StepType[Any], inp: StepInput, attempt: int | None) -> StepOutput:
        started = time.perf_counter()
        if attempt is None:
            attempt = inp.attempts_used + (activity.info().attempt if activity.in_activity() else 1)
        try:
            data = await self.resources.documents.load(inp.data)
            if inp.step.condition and not condition_holds(inp.step.condition, data):
                await self._hand_on(inp, data, None)
                return StepOutput(skipped=True, attempt=attempt, duration_ms=_ms(started))
            config = self._config(step, inp.step.config)
            deadline = time.monotonic() + inp.step.timeout_ms / 1000
            ctx = StepContext(
                inp.run,
                inp.step,
                inp.index,
                attempt,
                self.resources,
                deadline,
                small_input=inp.data.ref is None and inp.data.size < SMALL_INPUT_BYTES,
            )
            result = await step.run(ctx, config, data)
            document = data if result.unchanged else result.data
            kept = document  # less what the step drops: intermediates no later step needs
            for path in inp.step.drop:
                kept = without_path(kept, path)
            changed = not result.unchanged or kept is not document
            out = await self._hand_on(inp, data, kept if changed else None)
            detail = await self.resources.documents.save_detail(
                inp.run.transaction_id, inp.index, inp.step.name, result.detail
            )
            return StepOutput(data=out, attempt=attempt, duration_ms=_ms(started), detail=detail)
        except Exception as exc:
            if not isinstance(exc, PlatformError):
                log.exception("step %s (%s) raised", inp.step.name, step.name)
            if inp.step.on_error == "continue" and not inp.next_local:
                # The run goes on with this step's input, maybe on another worker.
                with suppress(Exception):
                    await self.resources.documents.store(inp.data, inp.run.transaction_id)
            raise step_error(exc, attempt, started) from exc

    async def _hand_on(self, inp: StepInput, data: Any, new: Any) -> Doc | None:
        """The document the step leaves for the next one (``new``, or None when it left
        ``data`` as it was). When the next step is local (this worker, this workflow task)
        a large one is handed over in memory, unencoded; otherwise it is stored, for the
        next step may run on any worker, and so is an input that was only handed over."""
        docs, run = self.resources.documents, inp.run.transaction_id
        if new is None:
            if inp.next_local:
                docs.pass_on(inp.data, data)  # read it again from memory, not the store
            else:
                await docs.store(inp.data, run)
            return None
        if inp.next_local and docs.can_hand_over(inp.data):
            return docs.hand_over(run, inp.index, inp.step.name, new, inp.data.size)
        large = inp.data.size >= SMALL_INPUT_BYTES
        out = await docs.save_result(run, inp.index, inp.step.name, new, large=large)
        docs.release(run)
        return out


# Often enough for the workflow's STEP_HEARTBEAT_TIMEOUT (the SDK sends at most one
# heartbeat per 80 % of it, whatever the rate they are recorded at).
HEARTBEAT_EVERY_S = 1.0


# What a step's activity keeps of its timeout to report back after recording its run.
REPORT_S = 0.05


def _activity_time_left(now: datetime) -> float:
    """Seconds left of the running activity's start-to-close timeout, less REPORT_S."""
    info = activity.info()
    if info.start_to_close_timeout is None:
        return RECORD_TIMEOUT.total_seconds()
    ends = info.started_time + info.start_to_close_timeout
    return min((ends - now).total_seconds() - REPORT_S, RECORD_TIMEOUT.total_seconds())


def _regular_activity() -> bool:
    return activity.in_activity() and not activity.info().is_local


def _heartbeats() -> asyncio.Task[None]:
    """Heartbeats the running regular activity until cancelled: its worker is alive.

    From the event loop, which the step's CPU work leaves (``StepContext.cpu``): a worker
    that stops (killed, frozen) stops heartbeating, and its attempt goes to another."""

    async def beat() -> None:
        while True:
            # Not at once: most steps end well within the first second, and every
            # heartbeat the SDK sends is a call to the server.
            await asyncio.sleep(HEARTBEAT_EVERY_S)
            activity.heartbeat()

    return asyncio.get_running_loop().create_task(beat())


class _Failed:
    """A batched step's failed attempt, and whether Temporal may retry it."""

    def __init__(self, failure: StepFailure, retryable: bool) -> None:
        self.failure = failure
        self.retryable = retryable


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
