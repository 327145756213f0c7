"""Starts rating runs: parse the body, keep it, record the transaction, start the workflow.

With an idempotency key the transaction is claimed per organization and key
(a unique index decides between concurrent requests), and the workflow is
started with Temporal's "use existing" conflict policy: whichever request
reaches Temporal first starts the one run, every other attaches to it.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from temporalio.client import Client, WorkflowHandle
from temporalio.common import (
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from models import search_attributes as sa
from models.effective_dates import request_date, today
from models.errors import ErrorCode, PlatformError
from models.flow import FlowSpec
from models.json_shape import parse_document
from models.principal import Principal
from models.rating import BACKSTOP, Doc, Mode, RatingInput, RatingOutcome
from models.settings import TemporalSettings
from models.tables import TransactionRow, utcnow
from models.transactions import workflow_id
from services.admission import Admission
from services.request_body import RequestBody, receive
from store.db import SessionFactory
from store.documents import Documents, request_document
from store.flows import EffectiveFlows, PublishedFlow, flow_spec
from store.kept_requests import keep
from store.sealing import Keyring
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


@dataclass(frozen=True)
class RunRequest:
    """One rating to start: who asks, the flow it runs, its body, and how it is named."""

    principal: Principal
    published: PublishedFlow
    body: RequestBody
    correlation_id: str
    idempotency_key: str | None = None
    replay_of: str | None = None  # the transaction it re-runs (``services.replays``)
    api_version: str = "v1"  # the API version it was asked through (counted per version)
    mode: Mode = "live"
    # The published versions to pick from by the request's date, once its body is read
    # (then ``published`` only stands for the product's limits); None: run ``published``.
    dated: EffectiveFlows | None = None
    # The caller named ``published`` (X-Flow-Version): ``dated`` only says whether it is
    # the version in force (live) or not (a simulation).
    named: bool = False


class RunStarter:
    """Admits, records and starts rating runs, idempotently (the waiting on a
    synchronous one is ``services.sync_runs``').

    Args:
        keyring: Seals the small requests transactions keep.
        max_async_in_flight: Runs of a product an organization may have in flight for
            an async request to be accepted (:meth:`admit_async`).
        idempotency_window_s: How long an idempotency key names its transaction.
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
        idempotency_window_s: float,
        max_async_in_flight: int = 1000,
        start_timeout_s: float = 2.0,
        keyring: Keyring | None = None,
    ) -> None:
        self.client = client
        self.keyring = keyring  # seals the requests transactions keep (store.kept_requests)
        self.start_timeout_s = start_timeout_s
        self.sessions = sessions
        self.documents = documents
        self.queues = queues
        self.max_async_in_flight = max_async_in_flight
        self.admission = Admission()
        self.idempotency_window = timedelta(seconds=idempotency_window_s)

    async def receive(self, chunks: AsyncIterator[bytes]) -> RequestBody:
        """A rating request's body, for ``start``: a large one is streamed into the blob store."""
        return await receive(chunks, self.documents.blobs, str(uuid.uuid4()))

    async def start(self, asked: RunRequest) -> Started:
        """Records the transaction and starts its workflow, or finds the one the key names."""
        body = asked.body
        value = await _parsed(body)
        if asked.dated is not None:
            try:
                asked = await self._in_force(asked, value)
            except BaseException:
                if body.doc is not None:
                    await self._discard(body.doc)  # streamed in, and no transaction names it
                raise
        published = asked.published
        # A body streamed in is stored already; a small one is kept inline.
        request = body.doc or await self.documents.save_request(
            body.transaction_id, value, body.data
        )
        try:
            row, holder = await self._claim(asked, request)
        except BaseException:
            await self._discard(request)  # no transaction names it
            raise
        if holder is not None:
            await self._discard(request)
            return await self._replay(holder, asked, body.sha256, value)
        handle = await self._start_or_fail(row, published.flow, request, asked)
        return Started(row, handle)

    async def _in_force(self, asked: RunRequest, value: Any) -> RunRequest:
        """``asked`` with the version in force on the request's date, or, for a version the
        caller named, a simulation unless that version is the one in force."""
        assert asked.dated is not None
        day = await self._request_date(asked.dated, asked.body, value)
        if not asked.named:
            return replace(asked, published=asked.dated.on(day), dated=None)
        try:
            in_force = asked.dated.on(day).flow.version
        except PlatformError:  # no version in force that day: the named one simulates
            in_force = None
        live = in_force == asked.published.flow.version
        return replace(asked, dated=None, mode="live" if live else "simulation")

    async def _request_date(self, dated: EffectiveFlows, body: RequestBody, value: Any) -> date:
        """The date the request carries at the product's path (today when it has none).

        Only endpoints whose version depends on the date get here (``EffectiveFlows.undated``
        answers the others before the body is read). A small body is already parsed. A
        streamed one (``body.data`` None) is otherwise never parsed in the API, the steps
        read it from the blob store: it is read back and parsed once, in a thread, so the
        event loop never holds a large parse (the price: the document is whole in memory
        for that moment, on dated endpoints only)."""
        assert dated.date_path is not None  # undated() picked the version otherwise
        if body.data is None and (stored := body.doc) is not None:
            value = await self.documents.load(stored)
        return request_date(value, dated.date_path) or today()

    async def _claim(
        self, asked: RunRequest, request: Doc
    ) -> tuple[TransactionRow, TransactionRow | None]:
        """The new transaction's row, and the transaction its key already names, if one
        does (then the row is not written)."""
        key, organization_id = asked.idempotency_key, asked.principal.organization_id
        since = utcnow() - self.idempotency_window
        row = _transaction_row(asked, request)
        if request.ref is None:  # kept inline: its run's input alone would not outlive 7 days
            assert asked.body.data is not None
            row.request_kept = keep(self.keyring, row.organization_id, row.id, asked.body.data)
        if key is None:
            await insert_transaction(self.sessions, row)
            return row, None
        # A repeat is found at once; the claim settles the race between requests that
        # arrive together (a concurrent request with the same key may have won).
        holder = await idempotency_holder(self.sessions, organization_id, key, since)
        if holder is None:
            holder = await claim_idempotency_key(self.sessions, row, since)
        return row, holder

    async def _start_or_fail(
        self,
        row: TransactionRow,
        flow: FlowSpec,
        request: Doc,
        asked: RunRequest,
    ) -> Handle:
        """Starts the run; a start that fails leaves the transaction failed with
        TEMPORAL_UNAVAILABLE, which a retry with the same key starts again (_replay).

        A start that timed out may have reached Temporal all the same: the run then
        records its own outcome over that mark, so the caller is told where to look.
        """
        try:
            return await self._start_workflow(row, flow, request, asked)
        except PlatformError as exc:
            await mark_ended(
                self.sessions, row.id, "failed", ErrorCode.TEMPORAL_UNAVAILABLE, NOT_STARTED
            )
            place = where(row, asked.api_version)
            exc.details = {**exc.details, **place}
            exc.headers = {**exc.headers, "Location": place["location"]}
            raise

    async def _discard(self, request: Doc) -> None:
        """Deletes a request document no transaction names."""
        if request.ref is not None:
            await self.documents.blobs.delete(request.ref)

    async def _replay(
        self,
        holder: TransactionRow,
        asked: RunRequest,
        request_hash: str,
        value: Any,
    ) -> Started:
        """The transaction the idempotency key names, if this is the same request again."""
        published = asked.published
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
            return await self._replay(now, asked, request_hash, value)
        handle = await self._start_or_fail(holder, flow, request, asked)
        return Started(holder, handle, replayed=True)

    async def _start_workflow(
        self,
        row: TransactionRow,
        flow: FlowSpec,
        request: Doc,
        asked: RunRequest,
    ) -> Handle:
        run = RatingInput.of(
            row.id,
            row.organization_id,
            row.correlation_id,
            flow,
            request,
            asked.published.timeout_ms,
            mode=asked.mode,
            api_version=asked.api_version,
        )
        keyed = row.idempotency_key is not None
        try:
            return await asyncio.wait_for(
                self.client.start_workflow(
                    RatingWorkflow.run,
                    run,
                    id=workflow_id(row.id),
                    task_queue=self.queues.for_run(flow.product_code, row.request_bytes),
                    # The run ends itself at its deadline; this is only the backstop.
                    execution_timeout=run.execution_timeout,
                    search_attributes=sa.of_run(
                        row.product_code,
                        asked.principal.organization_slug,
                        row.endpoint,
                        row.flow_version,
                        row.correlation_id,
                        asked.mode,
                    ),
                    static_summary=_summary(flow, asked.mode),
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

    def admit(self, principal: Principal, published: PublishedFlow) -> None:
        """API_OVERLOADED (Retry-After) while the product's recent runs take most of their
        timeout (``services.admission``): checked before a request's body is read."""
        self.admission.admit(admission_key(principal, published), published.timeout_ms / 1000)

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


async def _parsed(body: RequestBody) -> Any:
    """The request's document, when it came in whole (a streamed one is read by the steps)."""
    if body.data is None:
        return None
    # Parsing up to a megabyte would hold the event loop (and, in the embedded worker,
    # every run on it) for milliseconds: a large one is read in a thread.
    if body.size > OFF_LOOP_BYTES:
        return await asyncio.to_thread(parse_document, body.data)
    return parse_document(body.data)


def _summary(flow: FlowSpec, mode: Mode) -> str:
    """The run's summary in the Temporal Web UI: what it rates, and a simulation says so."""
    summary = f"{flow.product_code} /{flow.endpoint} v{flow.version}"
    return summary if mode == "live" else f"{summary} ({mode})"


def _transaction_row(asked: RunRequest, request: Doc) -> TransactionRow:
    principal, flow, body = asked.principal, asked.published.flow, asked.body
    return TransactionRow(
        id=body.transaction_id,
        organization_id=principal.organization_id,
        api_key_id=principal.api_key_id,
        correlation_id=asked.correlation_id,
        idempotency_key=asked.idempotency_key,
        product_code=flow.product_code,
        endpoint=flow.endpoint,
        flow_version=flow.version,
        flow_version_id=flow.flow_version_id,
        request_hash=body.sha256,
        replay_of=asked.replay_of,
        mode=asked.mode,
        request_bytes=body.size,
        request_ref=request.ref,
    )


def admission_key(principal: Principal, published: PublishedFlow) -> str:
    return f"{principal.organization_id}:{published.product_code}:{published.flow.endpoint}"


def where(row: TransactionRow, api_version: str = "v1") -> dict[str, str]:
    """Where a caller finds its transaction (under the API version it asked through):
    ``details`` of an error that names it."""
    return {"transactionId": row.id, "location": f"/api/{api_version}/transactions/{row.id}"}
