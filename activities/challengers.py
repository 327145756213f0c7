"""Challenger traffic, in the worker that records runs.

Once a live rating is recorded, a sample of them (the endpoint's challenger's ``sample``)
is re-rated under the challenger: a simulation transaction, started as its own rating run
in the background, so the live answer never waits for it and nothing it does reaches
production (no event, no chain link). Once that re-rating is recorded in turn, it is
compared with the live rating: a result row, and the premium change as metrics.

Best effort by design: a sample lost to a worker dying between the two records is a
sample not taken. Each re-rating is named by the live rating it challenges, so a record
retried never starts it twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.exc import IntegrityError
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from engines.cache import TTLCache
from engines.impact_summary import Outcome, premium_at
from infra.metrics import CHALLENGER_DELTA, CHALLENGER_RESULTS
from models import search_attributes as sa
from models.flow import FlowSpec
from models.rating import RatingInput
from models.tables import ChallengerResultRow, ChallengerRow, OrganizationRow, TransactionRow
from models.transactions import workflow_id
from store.challengers import find_challenger
from store.db import SessionFactory
from store.documents import Documents
from store.kept_requests import rerun_of
from store.sealing import Keyring
from store.transactions import insert_transaction

log = logging.getLogger(__name__)
CHALLENGER_NAMESPACE = uuid.UUID("7f1c2d9e-4b6a-4c1e-8d3f-2a9b5e6c7d10")


def challenger_id(live_id: str) -> str:
    """The re-rating that challenges live rating ``live_id``: the same on every retry."""
    return str(uuid.uuid5(CHALLENGER_NAMESPACE, live_id))


class Challengers:
    def __init__(
        self,
        sessions: SessionFactory,
        client: Client,
        documents: Documents,
        keyring: Keyring | None,
        task_queue: str,
        cache_ttl_s: float,
        sampler: Callable[[], float] = random.random,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.documents = documents
        self.keyring = keyring
        self.task_queue = task_queue
        self.sampler = sampler
        # Every live rating asks: the endpoint's challenger is read once per TTL.
        self._challengers: TTLCache[ChallengerRow | None] = TTLCache(cache_ttl_s)
        self._running: set[asyncio.Task[None]] = set()

    def after_record(self, row: TransactionRow) -> None:
        """Called once a run's outcome is recorded: challenges a sampled live rating,
        compares a challenger's re-rating. Never waits: the work runs in the background."""
        if row.mode == "live":
            self._spawn(self._maybe_challenge(row))
        elif row.replay_of is not None and row.id == challenger_id(row.replay_of):
            self._spawn(self._compare(row))

    async def drain(self) -> None:
        """Waits for the background work under way (a worker stopping, a test)."""
        while self._running:
            await asyncio.wait(set(self._running))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("challenger traffic failed", exc_info=task.exception())

    async def _challenger(self, row: TransactionRow) -> ChallengerRow | None:
        key = (row.organization_id, row.product_code, row.endpoint)
        return await self._challengers.get(key, lambda: find_challenger(self.sessions, *key))

    async def _maybe_challenge(self, live: TransactionRow) -> None:
        challenger = await self._challenger(live)
        if challenger is None or challenger.version == live.flow_version:
            return
        if self.sampler() >= challenger.sample:
            return
        flow = FlowSpec.model_validate(challenger.flow)
        found = rerun_of(
            self.keyring,
            live,
            challenger_id(live.id),
            flow_version=flow.version,
            flow_version_id=flow.flow_version_id,
            api_key_id=challenger.created_by,
            correlation_id=live.correlation_id,
        )
        if found is None:  # not kept (a transaction from before requests were)
            return
        row, request = found
        try:
            await insert_transaction(self.sessions, row)
        except IntegrityError:
            return  # challenged already (a record retried)
        run = RatingInput.of(
            row.id,
            row.organization_id,
            row.correlation_id,
            flow,
            request,
            challenger.timeout_ms,
            mode="simulation",
        )
        try:
            await self.client.start_workflow(
                "RatingWorkflow",
                run,
                id=workflow_id(row.id),
                task_queue=self.task_queue,
                execution_timeout=run.execution_timeout,
                search_attributes=sa.of_run(
                    row.product_code,
                    await self._slug(row),
                    row.endpoint,
                    flow.version,
                    row.correlation_id,
                    "simulation",
                ),
                static_summary=f"{row.product_code} /{row.endpoint} v{flow.version} (challenger)",
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return
        except RPCError:
            log.warning("could not start the challenger of %s", live.id)

    async def _slug(self, row: TransactionRow) -> str:
        async with self.sessions() as session:
            org = await session.get(OrganizationRow, row.organization_id)
        return "" if org is None else org.slug

    async def _compare(self, rerun: TransactionRow) -> None:
        assert rerun.replay_of is not None
        async with self.sessions() as session:
            live = await session.get(TransactionRow, rerun.replay_of)
        if live is None:
            return
        challenger = await self._challenger(rerun)
        path = "premium" if challenger is None else challenger.premium_path
        outcome = Outcome(
            live.id,
            rerun.id,
            live.status,
            rerun.status,
            premium_at(await self.documents.result_of(live), path),
            premium_at(await self.documents.result_of(rerun), path),
        )
        result = ChallengerResultRow(
            challenger_transaction_id=rerun.id,
            organization_id=live.organization_id,
            product_code=live.product_code,
            endpoint=live.endpoint,
            transaction_id=live.id,
            version=rerun.flow_version,
            status_before=live.status,
            status_after=rerun.status,
            premium_before=outcome.premium_before,
            premium_after=outcome.premium_after,
            delta_pct=outcome.delta_pct,
        )
        async with self.sessions() as session:
            await session.merge(result)
            await session.commit()
        labels = (live.product_code, live.endpoint, str(rerun.flow_version))
        CHALLENGER_RESULTS.labels(*labels, outcome.kind).inc()
        if outcome.delta_pct is not None:
            CHALLENGER_DELTA.labels(*labels).observe(outcome.delta_pct)
