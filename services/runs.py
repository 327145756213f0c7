"""Starts rating runs: parse the body, keep it, record the transaction, start the workflow.

With an idempotency key the transaction is claimed per organization and key
(a unique index decides between concurrent requests), and the workflow is
started with Temporal's "use existing" conflict policy: whichever request
reaches Temporal first starts the one run, every other attaches to it.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from temporalio import exceptions as temporal_exceptions
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from activities.metrics import cache_counter
from activities.registry import StepRegistry
from activities.transactions import kept_outcome
from engines.cache import TTLCache
from engines.pii import Masker
from models import search_attributes as sa
from models.errors import ErrorCode, PlatformError, RunErrorPublic
from models.flow import ENDPOINT, FlowSpec, StepDraft
from models.json_shape import parse_document
from models.principal import Principal
from models.products import PRODUCT_CODE
from models.rating import Doc, RatingInput, RatingOutcome, RunContext
from models.settings import TemporalSettings
from models.tables import TransactionRow, utcnow
from models.transactions import RateResponse, workflow_id
from services.admission import Admission
from services.request_body import RequestBody, receive
from services.temporal_watch import TemporalLost, TemporalWatch
from services.transactions import stored_result, with_details
from store.chain import link
from store.db import SessionFactory
from store.documents import Documents, request_document
from store.flows import PublishedFlow, chosen_version, flow_spec, published_flow, runnable
from store.transactions import (
    claim_idempotency_key,
    count_running,
    idempotency_holder,
    insert_transaction,
    mark_ended,
    reopen,
)
from workflows.rating import RatingWorkflow

Handle = WorkflowHandle[RatingWorkflow, RatingOutcome]
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# Request bodies larger than this are parsed off the event loop.
OFF_LOOP_BYTES = 1024 * 1024
# How long past its own deadline Temporal lets a run go before timing it out.
BACKSTOP = timedelta(seconds=5)
NOT_STARTED = "The run could not be started."
# Temporal unreachable: a client may try again shortly.
RETRY_SOON = {"Retry-After": "1"}


@dataclass
class Started:
    """A run this request started, or the one its idempotency key already names."""

    row: TransactionRow
    handle: Handle | None  # None: a replayed run that has already ended
    replayed: bool = False


@dataclass(frozen=True)
class TaskQueues:
    """Which worker pool a run starts on: the standard one, or the large-payload one for
    big requests and for the products always sent there."""

    standard: str
    large: str | None = None
    large_payload_bytes: int = 5 * 1024 * 1024
    large_products: frozenset[str] = frozenset()

    @classmethod
    def of(cls, temporal: TemporalSettings) -> TaskQueues:
        return cls(
            temporal.task_queue,
            temporal.large_task_queue,
            temporal.large_payload_bytes,
            frozenset(temporal.large_products),
        )

    def for_run(self, product_code: str, request_bytes: int) -> str:
        if self.large is not None and (
            request_bytes >= self.large_payload_bytes or product_code in self.large_products
        ):
            return self.large
        return self.standard


class RunStarter:
    """Everything ``POST /api/v1/{product}/{endpoint}`` does, behind a thin route.

    Args:
        max_inflight: Synchronous ratings this process waits on at once; beyond
            it a request is shed with API_OVERLOADED rather than queued.
        max_async_in_flight: Runs of a product an organization may have in flight for
            an async request to be accepted (:meth:`admit_async`).
        idempotency_window_s: How long an idempotency key names its transaction.
        masker: Masks the answer's step records and error as the stored record's are.
        start_timeout_s: How long a run's start may take before the caller is answered
            503 TEMPORAL_UNAVAILABLE.
    """

    def __init__(
        self,
        client: Client,
        sessions: SessionFactory,
        documents: Documents,
        queues: TaskQueues,
        *,
        sync_timeout_s: float,
        cache_ttl_s: float,
        max_inflight: int,
        idempotency_window_s: float,
        max_async_in_flight: int = 1000,
        masker: Masker | None = None,
        start_timeout_s: float = 2.0,
    ) -> None:
        self.client = client
        self.start_timeout_s = start_timeout_s
        self.masker = masker or Masker()
        self.sessions = sessions
        self.documents = documents
        self.queues = queues
        self.sync_timeout_s = sync_timeout_s
        self.max_inflight = max_inflight
        self.inflight = 0
        self.max_async_in_flight = max_async_in_flight
        self.admission = Admission()
        self.watch = TemporalWatch(lambda: self.client)
        self.idempotency_window = timedelta(seconds=idempotency_window_s)
        self.flows: TTLCache[PublishedFlow] = TTLCache(cache_ttl_s, observe=cache_counter("flow"))

    async def flow_for(self, principal: Principal, product: str, endpoint: str) -> PublishedFlow:
        """The product endpoint's published flow (cached), as the caller's organization sees it."""
        if not (re.match(PRODUCT_CODE, product) and re.match(ENDPOINT, endpoint)):
            # No flow can have such a name: answer as for any unknown one.
            raise PlatformError(
                ErrorCode.ORCHESTRATOR_NOT_FOUND,
                details={"productCode": product[:50], "endpoint": endpoint[:100]},
                product=product[:50],
                endpoint=endpoint[:100],
            )

        async def load() -> PublishedFlow:
            async with self.sessions() as session:
                return await published_flow(session, principal.organization_id, product, endpoint)

        return await self.flows.get((principal.organization_id, product, endpoint), load)

    async def chosen_flow(
        self,
        principal: Principal,
        product: str,
        endpoint: str,
        wanted: int | Literal["draft"],
        steps: StepRegistry,
    ) -> PublishedFlow:
        """A given version of the flow (``X-Flow-Version``), a draft included, to test it
        before publishing: never cached; a draft's steps are validated as publishing
        would, and it reads the live mappings and rules (nothing is pinned yet)."""
        principal.require_scope("config:write")
        async with self.sessions() as session:
            row, version = await chosen_version(
                session, principal.organization_id, product, endpoint, wanted
            )
        if not version.steps:
            raise PlatformError(ErrorCode.NO_STEPS_CONFIGURED, product=product, endpoint=endpoint)
        # A draft's steps are resolved as publishing would; a published version's are pinned.
        specs = None
        if version.status == "draft":
            specs = steps.resolve([StepDraft.model_validate(s) for s in version.steps])
        return runnable(row, version, endpoint, specs)

    def forget(self, organization_id: str, product: str, endpoint: str) -> None:
        """Drops a cached flow (this process just published another version)."""
        self.flows.invalidate((organization_id, product, endpoint))

    async def receive(self, chunks: AsyncIterator[bytes]) -> RequestBody:
        """A rating request's body, for ``start``: a large one is streamed into the blob store."""
        return await receive(chunks, self.documents.blobs, str(uuid.uuid4()))

    async def start(
        self,
        principal: Principal,
        published: PublishedFlow,
        body: RequestBody,
        correlation_id: str,
        idempotency_key: str | None = None,
        replay_of: str | None = None,
    ) -> Started:
        """Records the transaction and starts its workflow, or finds the one the key names;
        ``replay_of`` names the transaction it re-runs (``services.replays``)."""
        value = None
        if body.data is not None:
            # Parsing up to a megabyte would hold the event loop (and, in the embedded
            # worker, every run on it) for milliseconds: a large one is read in a thread.
            if body.size > OFF_LOOP_BYTES:
                value = await asyncio.to_thread(parse_document, body.data)
            else:
                value = parse_document(body.data)
        flow = published.flow
        # A body streamed in is stored already; a small one is kept inline.
        request = body.doc or await self.documents.save_request(
            body.transaction_id, value, body.data
        )
        since = utcnow() - self.idempotency_window
        try:
            holder = None
            if idempotency_key is not None:
                # A repeat is found at once; the claim below settles the race between
                # requests that arrive together.
                holder = await idempotency_holder(
                    self.sessions, principal.organization_id, idempotency_key, since
                )
            if holder is None:
                row = TransactionRow(
                    id=body.transaction_id,
                    organization_id=principal.organization_id,
                    api_key_id=principal.api_key_id,
                    correlation_id=correlation_id,
                    idempotency_key=idempotency_key,
                    product_code=flow.product_code,
                    endpoint=flow.endpoint,
                    flow_version=flow.version,
                    flow_version_id=flow.flow_version_id,
                    request_hash=body.sha256,
                    replay_of=replay_of,
                    request_bytes=body.size,
                    request_ref=request.ref,
                )
                if idempotency_key is None:
                    await insert_transaction(self.sessions, row)
                else:  # a concurrent request with the same key may have won
                    holder = await claim_idempotency_key(self.sessions, row, since)
        except BaseException:
            await self._discard(request)  # no transaction names it
            raise
        if holder is not None:
            await self._discard(request)
            return await self._replay(holder, principal, published, body.sha256, value)
        # The audit chain link is written while the run starts, not before it.
        linking = asyncio.create_task(link(self.sessions, row.organization_id, row.id))
        try:
            handle = await self._start_or_fail(row, flow, request, principal, published)
        finally:
            await linking
        return Started(row, handle)

    async def _start_or_fail(
        self,
        row: TransactionRow,
        flow: FlowSpec,
        request: Doc,
        principal: Principal,
        published: PublishedFlow,
    ) -> Handle:
        """Starts the run; a start that fails leaves the transaction failed with
        TEMPORAL_UNAVAILABLE, which a retry with the same key starts again (_replay).

        A start that timed out may have reached Temporal all the same: the run then
        records its own outcome over that mark, so the caller is told where to look.
        """
        try:
            return await self._start_workflow(row, flow, request, principal, published.timeout_ms)
        except PlatformError as exc:
            await mark_ended(
                self.sessions, row.id, "failed", ErrorCode.TEMPORAL_UNAVAILABLE, NOT_STARTED
            )
            exc.details = {**exc.details, **_where(row)}
            exc.headers = {**exc.headers, "Location": _where(row)["location"]}
            raise

    async def _discard(self, request: Doc) -> None:
        """Deletes a request document no transaction names."""
        if request.ref is not None:
            await self.documents.blobs.delete(request.ref)

    async def _replay(
        self,
        holder: TransactionRow,
        principal: Principal,
        published: PublishedFlow,
        request_hash: str,
        value: Any,
    ) -> Started:
        """The transaction the idempotency key names, if this is the same request again."""
        same = (holder.request_hash, holder.product_code, holder.endpoint) == (
            request_hash,
            published.flow.product_code,
            published.flow.endpoint,
        )
        if not same:
            raise PlatformError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED, details={"transactionId": holder.id}
            )
        not_started = holder.status == "failed" and (holder.error or {}).get("code") == (
            ErrorCode.TEMPORAL_UNAVAILABLE
        )
        if holder.status != "running" and not not_started:
            return Started(holder, None, replayed=True)
        # The first request may not have reached Temporal yet, or its start failed (a
        # retryable failure never uses up its key): start the run as it would (same id,
        # same pinned version); Temporal keeps it to one run, should the first start
        # have reached it after all. Its request document was stored before its
        # transaction was.
        async with self.sessions() as session:
            flow = await flow_spec(session, holder.flow_version_id, holder.product_code)
        request = request_document(holder.request_bytes, ref=holder.request_ref, value=value)
        if not_started and not await reopen(self.sessions, holder):
            # Changed since it was read (recorded by the run, or reopened by another
            # retry): decide again on what it is now.
            async with self.sessions() as session:
                now = await session.get(TransactionRow, holder.id)
            assert now is not None
            return await self._replay(now, principal, published, request_hash, value)
        handle = await self._start_or_fail(holder, flow, request, principal, published)
        return Started(holder, handle, replayed=True)

    async def _start_workflow(
        self,
        row: TransactionRow,
        flow: FlowSpec,
        request: Doc,
        principal: Principal,
        timeout_ms: int,
    ) -> Handle:
        run = RunContext(
            transaction_id=row.id,
            organization_id=row.organization_id,
            product_code=flow.product_code,
            endpoint=flow.endpoint,
            flow_version=flow.version,
            correlation_id=row.correlation_id,
        )
        keyed = row.idempotency_key is not None
        try:
            return await asyncio.wait_for(
                self.client.start_workflow(
                    RatingWorkflow.run,
                    RatingInput(run=run, flow=flow, request=request, deadline_ms=timeout_ms),
                    id=workflow_id(row.id),
                    task_queue=self.queues.for_run(flow.product_code, row.request_bytes),
                    # The run ends itself at its deadline; this is only the backstop.
                    execution_timeout=timedelta(milliseconds=timeout_ms) + BACKSTOP,
                    search_attributes=TypedSearchAttributes(
                        [
                            SearchAttributePair(sa.PRODUCT, flow.product_code),
                            SearchAttributePair(sa.ORGANIZATION, principal.organization_slug),
                            SearchAttributePair(sa.ENDPOINT, flow.endpoint),
                            SearchAttributePair(sa.FLOW_VERSION, str(flow.version)),
                            SearchAttributePair(sa.STATUS, "running"),
                            SearchAttributePair(sa.CORRELATION_ID, row.correlation_id),
                        ]
                    ),
                    static_summary=f"{flow.product_code} /{flow.endpoint} v{flow.version}",
                    id_conflict_policy=(
                        WorkflowIDConflictPolicy.USE_EXISTING
                        if keyed
                        else WorkflowIDConflictPolicy.UNSPECIFIED
                    ),
                    # A closed run is never started again under the same id.
                    id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                    request_eager_start=True,
                ),
                self.start_timeout_s,
            )
        except WorkflowAlreadyStartedError:
            return self.client.get_workflow_handle_for(RatingWorkflow.run, workflow_id(row.id))
        except (RPCError, TimeoutError) as exc:
            # Unreachable, or not answering within the bound (the SDK would retry for
            # 5-10 s): the caller hears it at once and may retry, with its key the same run.
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE, headers=RETRY_SOON) from exc

    async def rate(
        self,
        principal: Principal,
        published: PublishedFlow,
        body: RequestBody,
        correlation_id: str,
        idempotency_key: str | None = None,
    ) -> tuple[RateResponse, Doc | None, bool]:
        """Starts a run (or finds the one its key names) and waits for it, at most the
        product's timeout; returns the answer, its result document (never parsed here:
        ``api.responses.answer_response``) and whether it is a replay."""
        if self.inflight >= self.max_inflight:
            raise PlatformError(
                ErrorCode.API_OVERLOADED,
                details={"inflight": self.inflight},
                headers={"Retry-After": "1"},
            )
        self.inflight += 1
        try:
            started = time.perf_counter()
            run = await self.start(principal, published, body, correlation_id, idempotency_key)
            if run.handle is None:
                replay = RateResponse.from_row(run.row, None)
                replay.steps = await with_details(self.documents, replay.steps)
                return replay, stored_result(run.row), True
            # A run that timed out took all its time: the strongest sign for admission.
            with self.admission.waiting(_admission_key(principal, published)):
                # The caller is answered what the record keeps (personal data masked).
                outcome = kept_outcome(self.masker, await self._wait(run, published))
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
            error=error,
            steps=await with_details(self.documents, outcome.steps),
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )
        return answer, outcome.result, run.replayed

    def admit(self, principal: Principal, published: PublishedFlow) -> None:
        """API_OVERLOADED (Retry-After) while the product's recent runs take most of their
        timeout (``services.admission``): checked before a request's body is read."""
        self.admission.admit(_admission_key(principal, published), published.timeout_ms / 1000)

    async def admit_async(
        self, principal: Principal, published: PublishedFlow, idempotency_key: str | None
    ) -> None:
        """API_OVERLOADED (Retry-After) while the organization already has
        ``max_async_in_flight`` runs of the product in flight: checked before an async
        request's body is read.

        An async request is answered at once, so neither the sync cap (a count of
        callers this process waits on) nor admission by queue time (learnt from sync
        runs) bounded how many a client could pile up. The count is the transaction
        log's: rows still ``running``, so it holds across API processes and restarts,
        and a run is out of it the moment its outcome is recorded. Sync runs count too
        (they take the same workers). Only rows started within the product's timeout
        (plus the backstop and the start's own bound) count: a run older than that has
        been ended by Temporal, whether or not its row says so yet. Counting and
        inserting do not take turns, so requests arriving together may pass the bound
        by as many as arrive at once. A repeat of an accepted request (same
        idempotency key) is let through: it starts nothing, it finds its run.
        """
        age = timedelta(milliseconds=published.timeout_ms, seconds=self.start_timeout_s)
        since = utcnow() - (age + BACKSTOP)
        running = await count_running(
            self.sessions, principal.organization_id, published.product_code, since
        )
        if running < self.max_async_in_flight:
            return
        if idempotency_key is not None and await idempotency_holder(
            self.sessions,
            principal.organization_id,
            idempotency_key,
            utcnow() - self.idempotency_window,
        ):
            return
        raise PlatformError(
            ErrorCode.API_OVERLOADED,
            "This product has as many runs in flight as async requests may add to.",
            details={
                "reason": "asyncInFlight",
                "inFlight": running,
                "limit": self.max_async_in_flight,
            },
            headers={"Retry-After": "1"},
        )

    async def _wait(self, run: Started, published: PublishedFlow) -> RatingOutcome:
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
                self.sessions,
                run.row.id,
                "timed_out",
                ErrorCode.REQUEST_TIMEOUT,
                f"The run did not finish within {published.timeout_ms} ms.",
            )
            raise _timeout(run.row, timeout) from exc
        except TimeoutError as exc:
            raise _timeout(run.row, timeout) from exc
        except (RPCError, TemporalLost) as exc:
            # The run was started and may well finish once Temporal is back: the caller
            # learns where it is (and a retry with its key waits for that same run).
            raise PlatformError(
                ErrorCode.TEMPORAL_UNAVAILABLE,
                details=_where(run.row),
                headers={**RETRY_SOON, "Location": _where(run.row)["location"]},
            ) from exc
        if outcome.status == "timed_out":  # recorded as such by the run itself
            raise _timeout(run.row, published.timeout_ms / 1000)
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


def _admission_key(principal: Principal, published: PublishedFlow) -> str:
    return f"{principal.organization_id}:{published.product_code}:{published.flow.endpoint}"


def _where(row: TransactionRow) -> dict[str, str]:
    return {"transactionId": row.id, "location": f"/api/v1/transactions/{row.id}"}


def _timeout(row: TransactionRow, timeout: float) -> PlatformError:
    return PlatformError(
        ErrorCode.REQUEST_TIMEOUT,
        f"The run did not finish within {timeout:g} s.",
        details=_where(row),
        headers={"Location": _where(row)["location"]},
    )
