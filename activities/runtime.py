"""Turns each registered step type into a Temporal activity.

The wrapper does what every step needs: load the working document (inline or
from the blob store), honour the step's skip condition, validate its config,
time it, save a large result back to the blob store, and translate errors to
``ApplicationError``s whose ``type`` is the catalog code.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jmespath
import orjson
from pydantic import BaseModel
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.registry import StepContext, StepRegistry, StepType, registry
from activities.resources import StepResources
from models.errors import ErrorCode, PlatformError, spec_of
from models.rating import (
    StepBatchInput,
    StepBatchOutput,
    StepFailure,
    StepInput,
    StepOutput,
    StepRecord,
)

log = logging.getLogger(__name__)


@lru_cache(maxsize=1024)
def _condition(expression: str) -> Any:
    return jmespath.compile(expression)


def condition_holds(expression: str, data: Any) -> bool:
    """JMESPath truthiness: null, false and empty strings, lists and objects are false."""
    value = _condition(expression).search(data)
    return value not in (None, False, "", [], {})


def step_failure(exc: BaseException, attempt: int, started: float) -> ApplicationError:
    """The ``ApplicationError`` a failed step reports to its workflow."""
    if isinstance(exc, PlatformError):
        code, message, details = exc.code.value, exc.message, exc.details
    else:
        code = ErrorCode.INTERNAL_ERROR.value
        message = f"Unexpected {type(exc).__name__} in step."
        details = {}
    return ApplicationError(
        message,
        {
            "code": code,
            "details": details,
            "attempt": attempt,
            "durationMs": round((time.perf_counter() - started) * 1000, 3),
        },
        type=code,
        non_retryable=not spec_of(code).retryable,
    )


class StepActivities:
    """Builds one activity per registered step type, sharing ``resources``."""

    def __init__(self, resources: StepResources, steps: StepRegistry = registry) -> None:
        self.resources = resources
        self.steps = steps
        self._configs: dict[tuple[str, bytes], BaseModel] = {}

    def _config(self, step: StepType[Any], raw: dict[str, Any]) -> BaseModel:
        """The step's parsed config, parsed once per distinct config.

        Configs were validated at publish; some validators are costly (a JSON
        Schema checked against its meta-schema), so runs reuse the parsed model.
        """
        key = (step.name, orjson.dumps(raw, option=orjson.OPT_SORT_KEYS))
        config = self._configs.get(key)
        if config is None:
            if len(self._configs) >= 4096:
                self._configs.clear()
            config = self._configs[key] = step.config_model.model_validate(raw)
        return config

    def definitions(self) -> list[Callable[..., Any]]:
        """One activity per step type, and the batch runner of local steps."""
        return [*(self._define(step) for step in self.steps), self.run_batch]

    def _define(self, step: StepType[Any]) -> Callable[..., Any]:
        async def run_step(inp: StepInput) -> StepOutput:
            return await self.run(step, inp)

        run_step.__name__ = run_step.__qualname__ = f"step_{step.name}"
        return activity.defn(name=step.name)(run_step)

    @activity.defn(name="irx.run_local_steps")
    async def run_batch(self, inp: StepBatchInput) -> StepBatchOutput:
        """Runs consecutive local steps in turn, each with its own retries and record."""
        data, changed = inp.data, False
        records: list[StepRecord] = []
        for offset, spec in enumerate(inp.steps):
            step_input = StepInput(
                run=inp.run, step=spec, index=inp.first_index + offset, data=data
            )
            out = await self._with_retries(self.steps.get(spec.type), step_input)
            if isinstance(out, StepOutput):
                records.append(StepRecord.done(spec, out))
                if out.data is not None:
                    data, changed = out.data, True
                continue
            records.append(StepRecord.failed(spec, out))
            if spec.on_error == "fail":
                return StepBatchOutput(
                    records=records, data=data if changed else None, error=out.run_error(spec.name)
                )
        return StepBatchOutput(records=records, data=data if changed else None)

    async def _with_retries(self, step: StepType[Any], inp: StepInput) -> StepOutput | StepFailure:
        """A step's attempts inside a batch, with its own timeout, retry policy and backoff."""
        retry = inp.step.retry
        delay_ms = float(retry.initial_interval_ms)
        timeout_s = inp.step.timeout_ms / 1000
        for attempt in range(1, retry.max_attempts + 1):
            try:
                return await asyncio.wait_for(self.run(step, inp, attempt), timeout_s)
            except TimeoutError:
                if attempt == retry.max_attempts:
                    return StepFailure.timed_out(inp.step, attempt)
            except ApplicationError as exc:
                if exc.non_retryable or attempt == retry.max_attempts:
                    return StepFailure.of(exc, attempt)
            await asyncio.sleep(delay_ms / 1000)
            delay_ms = min(delay_ms * retry.backoff, retry.max_interval_ms)
        raise AssertionError("unreachable: the last attempt always returns")

    async def run(
        self, step: StepType[Any], inp: StepInput, attempt: int | None = None
    ) -> StepOutput:
        started = time.perf_counter()
        if attempt is None:
            attempt = activity.info().attempt if activity.in_activity() else 1
        try:
            data = await self.resources.documents.load(inp.data)
            if inp.step.condition and not condition_holds(inp.step.condition, data):
                return StepOutput(skipped=True, attempt=attempt, duration_ms=_ms(started))
            config = self._config(step, inp.step.config)
            ctx = StepContext(inp.run, inp.step, inp.index, attempt, self.resources)
            result = await step.run(ctx, config, data)
            out = None
            if not result.unchanged:
                key = f"{inp.run.transaction_id}/{inp.index:02d}-{inp.step.name}.json"
                out = await self.resources.documents.save(result.data, key)
            return StepOutput(
                data=out, attempt=attempt, duration_ms=_ms(started), detail=result.detail
            )
        except Exception as exc:
            if not isinstance(exc, PlatformError):
                log.exception("step %s (%s) raised", inp.step.name, step.name)
            raise step_failure(exc, attempt, started) from exc


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
