"""Starts rating runs: parse the body, keep it, record the transaction, start the workflow."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
import uuid
from datetime import timedelta

import orjson
from temporalio import exceptions as temporal_exceptions
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError

from engines.cache import TTLCache
from models import search_attributes as sa
from models.errors import ErrorCode, PlatformError, RunErrorPublic
from models.flow import ENDPOINT
from models.principal import Principal
from models.products import PRODUCT_CODE
from models.rating import RatingInput, RatingOutcome, RunContext
from models.tables import TransactionRow, utcnow
from models.transactions import RateResponse, workflow_id
from store.db import SessionFactory
from store.documents import Documents
from store.flows import PublishedFlow, published_flow
from store.transactions import insert_transaction, mark_failed
from workflows.rating import RatingWorkflow

Handle = WorkflowHandle[RatingWorkflow, RatingOutcome]


class RunStarter:
    """Everything ``POST /api/v1/{product}/{endpoint}`` does, behind a thin route."""

    def __init__(
        self,
        client: Client,
        sessions: SessionFactory,
        documents: Documents,
        task_queue: str,
        sync_timeout_s: float,
        cache_ttl_s: float,
    ) -> None:
        self.client = client
        self.sessions = sessions
        self.documents = documents
        self.task_queue = task_queue
        self.sync_timeout_s = sync_timeout_s
        self.flows: TTLCache[PublishedFlow] = TTLCache(cache_ttl_s)

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

    def forget(self, organization_id: str, product: str, endpoint: str) -> None:
        """Drops a cached flow (this process just published another version)."""
        self.flows.invalidate((organization_id, product, endpoint))

    async def start(
        self, principal: Principal, published: PublishedFlow, body: bytes, correlation_id: str
    ) -> tuple[TransactionRow, Handle]:
        """Records the transaction and starts its workflow; returns the row and handle."""
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                "The request body is not valid JSON.",
                details={"reason": str(exc)},
            ) from exc
        if b"\\u0000" in body:
            # Valid JSON, but no database stores NUL in text: refuse it up front
            # rather than fail to record the run.
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED, "The request contains a NUL character (\\u0000)."
            )
        transaction_id = str(uuid.uuid4())
        flow = published.flow
        request = await self.documents.save(f"{transaction_id}/request.json", value, body)
        row = TransactionRow(
            id=transaction_id,
            organization_id=principal.organization_id,
            api_key_id=principal.api_key_id,
            correlation_id=correlation_id,
            product_code=flow.product_code,
            endpoint=flow.endpoint,
            flow_version=flow.version,
            flow_version_id=flow.flow_version_id,
            request_hash=hashlib.sha256(body).hexdigest(),
            request_bytes=len(body),
            request_ref=request.ref,
        )
        await insert_transaction(self.sessions, row)
        run = RunContext(
            transaction_id=transaction_id,
            organization_id=principal.organization_id,
            product_code=flow.product_code,
            endpoint=flow.endpoint,
            flow_version=flow.version,
            correlation_id=correlation_id,
        )
        try:
            handle = await self.client.start_workflow(
                RatingWorkflow.run,
                RatingInput(run=run, flow=flow, request=request),
                id=workflow_id(transaction_id),
                task_queue=self.task_queue,
                execution_timeout=timedelta(milliseconds=published.timeout_ms),
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(sa.PRODUCT, flow.product_code),
                        SearchAttributePair(sa.ORGANIZATION, principal.organization_slug),
                        SearchAttributePair(sa.ENDPOINT, flow.endpoint),
                        SearchAttributePair(sa.FLOW_VERSION, str(flow.version)),
                        SearchAttributePair(sa.STATUS, "running"),
                    ]
                ),
                static_summary=f"{flow.product_code} /{flow.endpoint} v{flow.version}",
                request_eager_start=True,
            )
        except RPCError as exc:
            await mark_failed(
                self.sessions, transaction_id, ErrorCode.TEMPORAL_UNAVAILABLE, str(exc.message)
            )
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE) from exc
        return row, handle

    async def rate(
        self, principal: Principal, published: PublishedFlow, body: bytes, correlation_id: str
    ) -> RateResponse:
        """Starts a run and waits for it (at most the product's timeout)."""
        started = time.perf_counter()
        row, handle = await self.start(principal, published, body, correlation_id)
        timeout = min(published.timeout_ms / 1000, self.sync_timeout_s)
        try:
            outcome = await asyncio.wait_for(handle.result(), timeout)
        except WorkflowFailureError as exc:
            if not isinstance(exc.cause, temporal_exceptions.TimeoutError):
                raise  # a platform fault, not the run's: INTERNAL_ERROR, logged
            raise _timeout(row, timeout) from exc
        except TimeoutError as exc:
            raise _timeout(row, timeout) from exc
        error = None
        if outcome.error is not None:
            error = RunErrorPublic(
                **outcome.error.model_dump(by_alias=False),
                correlation_id=correlation_id,
                timestamp=utcnow(),
            )
        return RateResponse(
            transaction_id=row.id,
            status=outcome.status,
            product_code=row.product_code,
            endpoint=row.endpoint,
            flow_version=row.flow_version,
            result=None if outcome.result is None else await self.documents.load(outcome.result),
            error=error,
            steps=outcome.steps,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )


def _timeout(row: TransactionRow, timeout: float) -> PlatformError:
    return PlatformError(
        ErrorCode.REQUEST_TIMEOUT,
        f"The run did not finish within {timeout:g} s.",
        details={"transactionId": row.id, "location": f"/api/v1/transactions/{row.id}"},
    )
