"""Starts rating runs and answers them, synchronously or not."""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
import uuid
from datetime import timedelta
from typing import Any

import orjson
from temporalio import exceptions as temporal_exceptions
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowFailureError
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError

from models import search_attributes as sa
from models.api import ENDPOINT, PRODUCT_CODE, RateResponse, TransactionPublic
from models.errors import ErrorCode, PlatformError
from models.rating import Doc, RatingInput, RatingOutcome, RunContext
from models.tables import Transaction
from store.auth import Principal
from store.cache import TTLCache
from store.db import SessionFactory
from store.documents import Documents
from store.flows import PublishedFlow, published_flow
from store.transactions import record_outcome
from workflows.rating import RatingWorkflow


def workflow_id(transaction_id: str) -> str:
    return f"rate-{transaction_id}"


class RatingService:
    """Everything the rate and transaction endpoints do, behind thin routes."""

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

    async def start(
        self,
        principal: Principal,
        published: PublishedFlow,
        body: bytes,
        correlation_id: str,
    ) -> tuple[Transaction, Any]:
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
        request = await self.documents.save_raw(body, value, f"{transaction_id}/request.json")
        row = Transaction(
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
        async with self.sessions() as session:
            session.add(row)
            await session.commit()
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
            await self._mark_failed(row, ErrorCode.TEMPORAL_UNAVAILABLE, str(exc.message))
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE) from exc
        return row, handle

    async def rate_sync(
        self, principal: Principal, published: PublishedFlow, body: bytes, correlation_id: str
    ) -> RateResponse:
        started = time.perf_counter()
        row, handle = await self.start(principal, published, body, correlation_id)
        timeout = min(published.timeout_ms / 1000, self.sync_timeout_s)
        try:
            outcome: RatingOutcome = await asyncio.wait_for(handle.result(), timeout)
        except WorkflowFailureError as exc:
            if not isinstance(exc.cause, temporal_exceptions.TimeoutError):
                raise  # a platform fault, not the run's: INTERNAL_ERROR, logged
            raise self._timeout(row, timeout) from exc
        except TimeoutError as exc:
            raise self._timeout(row, timeout) from exc
        return RateResponse(
            transaction_id=row.id,
            status=outcome.status,
            product_code=row.product_code,
            endpoint=row.endpoint,
            flow_version=row.flow_version,
            result=await self._load(outcome.result),
            error=outcome.error.model_dump(mode="json") if outcome.error else None,
            steps=outcome.steps,
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )

    async def transaction(self, principal: Principal, transaction_id: str) -> TransactionPublic:
        async with self.sessions() as session:
            row = await session.get(Transaction, transaction_id)
        if row is None or row.organization_id != principal.organization_id:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Transaction", id=transaction_id
            )
        if row.status == "running":
            row = await self._reconcile(row)
        result = row.result
        if row.result_ref is not None:
            result = await self._load(Doc(ref=row.result_ref))
        return TransactionPublic(
            transaction_id=row.id,
            status=row.status,
            product_code=row.product_code,
            endpoint=row.endpoint,
            flow_version=row.flow_version,
            result=result,
            error=row.error,
            steps=row.steps,
            duration_ms=row.duration_ms,
            correlation_id=row.correlation_id,
            request_hash=row.request_hash,
            request_bytes=row.request_bytes,
            response_bytes=row.response_bytes,
            workflow_id=workflow_id(row.id),
            started_at=row.started_at,
            completed_at=row.completed_at,
        )

    async def _reconcile(self, row: Transaction) -> Transaction:
        """A row still ``running`` whose workflow has closed takes its outcome from Temporal.

        The workflow records its own outcome; this covers a record that failed
        (database down at the time) or a run that timed out or was terminated.
        """
        handle = self.client.get_workflow_handle_for(RatingWorkflow.run, workflow_id(row.id))
        try:
            status = (await handle.describe()).status
        except RPCError:
            return row  # Temporal unreachable or the run unknown: report what is stored
        if status is None or status == WorkflowExecutionStatus.RUNNING:
            return row
        if status == WorkflowExecutionStatus.COMPLETED:
            return await record_outcome(self.sessions, row.id, await handle.result())
        code = (
            ErrorCode.REQUEST_TIMEOUT
            if status == WorkflowExecutionStatus.TIMED_OUT
            else ErrorCode.INTERNAL_ERROR
        )
        await self._mark_failed(row, code, f"The run ended {status.name.lower()}.")
        async with self.sessions() as session:
            return await session.get(Transaction, row.id) or row

    @staticmethod
    def _timeout(row: Transaction, timeout: float) -> PlatformError:
        return PlatformError(
            ErrorCode.REQUEST_TIMEOUT,
            f"The run did not finish within {timeout:g} s.",
            details={"transactionId": row.id, "location": f"/api/v1/transactions/{row.id}"},
        )

    async def _load(self, doc: Doc | None) -> Any:
        return None if doc is None else await self.documents.load(doc)

    async def _mark_failed(self, row: Transaction, code: ErrorCode, message: str) -> None:
        async with self.sessions() as session:
            stored = await session.get(Transaction, row.id)
            if stored is not None:
                stored.status = "failed"
                stored.error = {"code": code.value, "message": message}
                session.add(stored)
                await session.commit()
