"""Synchronous ratings: a run started, then waited on until its outcome or its timeout.

The wait is bounded by the product's timeout (the run ends itself at its deadline, and
that verdict decides), by ``IRX_API__SYNC_TIMEOUT_S``, and by Temporal answering at all
(``services.temporal_watch``). Callers this process waits on are capped
(``max_inflight``): beyond it a request is shed with API_OVERLOADED, not queued.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from temporalio import exceptions as temporal_exceptions
from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError

from activities.transactions import kept_outcome
from engines.pii import Masker
from models.errors import ErrorCode, PlatformError, RunErrorPublic
from models.rating import Doc, RatingOutcome
from models.tables import TransactionRow, utcnow
from models.transactions import RateResponse, stored_result
from services.runs import (
    RETRY_SOON,
    Handle,
    RunRequest,
    RunStarter,
    Started,
    admission_key,
    where,
)
from services.temporal_watch import TemporalLost, TemporalWatch
from services.transactions import with_details
from store.transactions import mark_ended


@dataclass
class Rated:
    """A synchronous rating's answer, its result document (never parsed here:
    ``api.responses.answer_response``) and whether it replays an earlier request's."""

    answer: RateResponse
    result: Doc | None
    replayed: bool = False


class SyncRuns:
    """Args:
    max_inflight: Synchronous ratings this process waits on at once.
    sync_timeout_s: The longest any caller waits.
    masker: Masks the answer's step records and error as the stored record's are.
    """

    def __init__(
        self,
        starter: RunStarter,
        *,
        max_inflight: int,
        sync_timeout_s: float,
        masker: Masker | None = None,
    ) -> None:
        self.starter = starter
        self.documents = starter.documents
        self.max_inflight = max_inflight
        self.inflight = 0
        self.sync_timeout_s = sync_timeout_s
        self.masker = masker or Masker()
        self.watch = TemporalWatch(lambda: starter.client)

    async def rate(self, asked: RunRequest) -> Rated:
        """Starts a run (or finds the one its key names) and waits for it, at most the
        product's timeout."""
        if self.inflight >= self.max_inflight:
            raise PlatformError(
                ErrorCode.API_OVERLOADED,
                details={"inflight": self.inflight},
                headers={"Retry-After": "1"},
            )
        self.inflight += 1
        try:
            started = time.perf_counter()
            run = await self.starter.start(asked)
            if run.handle is None:
                replay = RateResponse.from_row(run.row, None)
                replay.steps = await with_details(self.documents, replay.steps)
                return Rated(replay, stored_result(run.row), replayed=True)
            # A run that timed out took all its time: the strongest sign for admission.
            with self.starter.admission.waiting(admission_key(asked.principal, asked.published)):
                # The caller is answered what the record keeps (personal data masked).
                outcome = kept_outcome(self.masker, await self._wait(run, asked))
        finally:
            self.inflight -= 1
        error = None
        if outcome.error is not None:
            error = RunErrorPublic(
                **outcome.error.model_dump(by_alias=False),
                correlation_id=run.row.correlation_id,
                timestamp=utcnow(),
            )
        answer = RateResponse(
            transaction_id=run.row.id,
            status=outcome.status,
            product_code=run.row.product_code,
            endpoint=run.row.endpoint,
            flow_version=run.row.flow_version,
            mode=run.row.mode,
            error=error,
            steps=await with_details(self.documents, outcome.steps),
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        return Rated(answer, outcome.result, run.replayed)

    async def _wait(self, run: Started, asked: RunRequest) -> RatingOutcome:
        published, version = asked.published, asked.api_version
        assert run.handle is not None
        # The product's timeout ends the run itself (it answers timed_out); the
        # grace lets that verdict, not this wait, decide the answer.
        timeout = min(published.timeout_ms / 1000 + 2.0, self.sync_timeout_s)
        try:
            outcome = await self._outcome_while_reachable(run.handle, timeout)
        except WorkflowFailureError as exc:
            if not isinstance(exc.cause, temporal_exceptions.TimeoutError):
                raise  # a platform fault, not the run's: INTERNAL_ERROR, logged
            # The product's timeout ended the run: the transaction says so.
            await mark_ended(
                self.starter.sessions,
                run.row.id,
                "timed_out",
                ErrorCode.REQUEST_TIMEOUT,
                f"The run did not finish within {published.timeout_ms} ms.",
            )
            raise _timeout(run.row, timeout, version) from exc
        except TimeoutError as exc:
            raise _timeout(run.row, timeout, version) from exc
        except (RPCError, TemporalLost) as exc:
            # The run was started and may well finish once Temporal is back: the caller
            # learns where it is (and a retry with its key waits for that same run).
            raise PlatformError(
                ErrorCode.TEMPORAL_UNAVAILABLE,
                details=where(run.row, version),
                headers={**RETRY_SOON, "Location": where(run.row, version)["location"]},
            ) from exc
        if outcome.status == "timed_out":  # recorded as such by the run itself
            raise _timeout(run.row, published.timeout_ms / 1000, version)
        return outcome

    async def _outcome_while_reachable(self, handle: Handle, within_s: float) -> RatingOutcome:
        """The run's outcome; TimeoutError past ``within_s``, TemporalLost as soon as the
        watch finds Temporal gone (the SDK's own retries would take 5-10 s)."""
        result = asyncio.ensure_future(handle.result())
        lost = asyncio.ensure_future(self.watch.until_lost())
        try:
            done, _ = await asyncio.wait(
                (result, lost), timeout=within_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            result.cancel()
            lost.cancel()
        if result in done:
            return result.result()
        if lost in done:
            raise TemporalLost
        raise TimeoutError


def _timeout(row: TransactionRow, timeout: float, version: str) -> PlatformError:
    return PlatformError(
        ErrorCode.REQUEST_TIMEOUT,
        f"The run did not finish within {timeout:g} s.",
        details=where(row, version),
        headers={"Location": where(row, version)["location"]},
    )
