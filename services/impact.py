"""Impact analyses: started, read, listed, cancelled and exported through the API; run by
``workflows.impact`` on the workers.

The candidate is resolved when the analysis starts, as ``X-Flow-Version`` resolves it (a
draft's steps checked as publishing would), and travels in the workflow's input: the
analysis re-rates with the version asked for, whatever is published meanwhile.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes
from temporalio.service import RPCError

from activities.registry import StepRegistry
from models import search_attributes as sa
from models.errors import ErrorCode, PlatformError
from models.flow import flow_digest
from models.impact import (
    ImpactGroup,
    ImpactInput,
    ImpactRequest,
    ImpactRunPublic,
    ImpactSummary,
    LargestChange,
    Progress,
)
from models.principal import Actor, Principal
from models.tables import ImpactItemRow, ImpactRunRow, utcnow
from services.published_flows import PublishedFlows
from services.runs import RETRY_SOON
from store import impact_runs
from store.audit import audit
from store.db import SessionFactory
from workflows.impact import ImpactWorkflow, impact_workflow_id

DEFAULT_DAYS = 30
CSV_COLUMNS = [
    "transactionId",
    "rerateTransactionId",
    "statusBefore",
    "statusAfter",
    "premiumBefore",
    "premiumAfter",
    "deltaPct",
    "differenceCount",
    "errorCode",
]


def public(row: ImpactRunRow) -> ImpactRunPublic:
    return ImpactRunPublic(
        id=row.id,
        status=row.status,
        product_code=row.product_code,
        endpoint=row.endpoint,
        candidate_version=row.candidate_version,
        baseline=row.baseline,
        window_from=row.window_from,
        window_to=row.window_to,
        limit=row.limit,
        group_by=row.group_by,
        premium_path=row.premium_path,
        progress=Progress(done=row.done, total=row.total),
        summary=None if row.summary is None else ImpactSummary.model_validate(row.summary),
        groups=None if row.groups is None else [ImpactGroup.model_validate(g) for g in row.groups],
        largest=(
            None if row.largest is None else [LargestChange.model_validate(c) for c in row.largest]
        ),
        error=row.error,
        workflow_id=impact_workflow_id(row.id),
        created_at=row.created_at,
        completed_at=row.completed_at,
    )


class ImpactAnalyses:
    def __init__(
        self,
        client: Client,
        sessions: SessionFactory,
        flows: PublishedFlows,
        steps: StepRegistry,
        task_queue: str,
        start_timeout_s: float = 2.0,
    ) -> None:
        self.client = client
        self.sessions = sessions
        self.flows = flows
        self.steps = steps
        self.task_queue = task_queue
        self.start_timeout_s = start_timeout_s

    async def start(
        self, actor: Actor, principal: Principal, product: str, endpoint: str, asked: ImpactRequest
    ) -> ImpactRunRow:
        """Records the analysis and starts its workflow (503 TEMPORAL_UNAVAILABLE, the
        analysis marked failed, when Temporal does not take it)."""
        principal.require_scope("config:write")
        principal.require_product(product)
        candidate, _ = await self.flows.chosen(
            principal, product, endpoint, asked.candidate, self.steps
        )
        until = asked.to or utcnow()
        since = asked.from_ or until - timedelta(days=asked.days or DEFAULT_DAYS)
        if since >= until:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                "The window's start is not before its end.",
                details={"from": since.isoformat(), "to": until.isoformat()},
            )
        flow = candidate.flow
        row = ImpactRunRow(
            organization_id=principal.organization_id,
            product_code=flow.product_code,
            endpoint=flow.endpoint,
            candidate_version=flow.version,
            candidate_version_id=flow.flow_version_id,
            baseline=str(asked.baseline),
            window_from=since,
            window_to=until,
            limit=asked.limit,
            statuses=list(asked.filter.status),
            group_by=asked.group_by,
            premium_path=asked.premium_path,
            created_by=principal.api_key_id,
        )
        async with self.sessions() as session:
            session.add(row)
            audit(
                session,
                actor,
                "IMPACT",
                "impact_run",
                row.id,
                f"{flow.product_code}/{flow.endpoint}",
                after=asked.model_dump(mode="json", by_alias=True),
            )
            await session.commit()
            await session.refresh(row)
        run = ImpactInput(
            impact_id=row.id,
            organization_id=principal.organization_id,
            organization_slug=principal.organization_slug,
            flow=flow,
            flow_digest=flow_digest(flow),
            deadline_ms=candidate.timeout_ms,
            concurrency=asked.concurrency,
        )
        try:
            await asyncio.wait_for(
                self.client.start_workflow(
                    ImpactWorkflow.run,
                    run,
                    id=impact_workflow_id(row.id),
                    task_queue=self.task_queue,
                    search_attributes=TypedSearchAttributes(
                        [
                            SearchAttributePair(sa.PRODUCT, flow.product_code),
                            SearchAttributePair(sa.ORGANIZATION, principal.organization_slug),
                            SearchAttributePair(sa.ENDPOINT, flow.endpoint),
                            SearchAttributePair(sa.FLOW_VERSION, str(flow.version)),
                            SearchAttributePair(sa.MODE, "simulation"),
                        ]
                    ),
                    static_summary=f"impact of {flow.product_code} /{flow.endpoint} "
                    f"v{flow.version} over {row.limit} ratings",
                ),
                self.start_timeout_s,
            )
        except (RPCError, TimeoutError) as exc:
            await impact_runs.finish(self.sessions, row.id, "failed", error="not started")
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE, headers=RETRY_SOON) from exc
        return row

    async def get(self, principal: Principal, impact_id: str) -> ImpactRunRow:
        principal.require_scope("config:read")
        row = await impact_runs.find_impact_run(self.sessions, principal.organization_id, impact_id)
        if row is None:
            raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Impact run", id=impact_id)
        return row

    async def list(self, principal: Principal) -> list[ImpactRunRow]:
        principal.require_scope("config:read")
        return await impact_runs.list_impact_runs(self.sessions, principal.organization_id)

    async def cancel(self, actor: Actor, principal: Principal, impact_id: str) -> ImpactRunRow:
        """Cancels a running analysis (its re-ratings under way finish on their own); one
        that has ended is answered as it is."""
        principal.require_scope("config:write")
        row = await self.get(principal, impact_id)
        if row.status != "running":
            return row
        try:
            await self.client.get_workflow_handle(impact_workflow_id(row.id)).cancel()
        except RPCError as exc:
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE, headers=RETRY_SOON) from exc
        await impact_runs.finish(self.sessions, row.id, "cancelled")
        async with self.sessions() as session:
            name = f"{row.product_code}/{row.endpoint}"
            audit(session, actor, "CANCEL", "impact_run", row.id, name)
            await session.commit()
        return await self.get(principal, impact_id)

    async def csv_rows(self, row: ImpactRunRow) -> AsyncIterator[bytes]:
        """Every comparison of the analysis as CSV, a batch of rows at a time."""
        columns = CSV_COLUMNS + row.group_by
        yield _csv_line(columns)
        async for items in impact_runs.stream_items(self.sessions, row.id):
            yield b"".join(_csv_line(_cells(item, row.group_by)) for item in items)


def _cells(item: ImpactItemRow, group_by: list[str]) -> list[Any]:
    groups = item.groups or [None] * len(group_by)
    return [
        item.transaction_id,
        item.rerate_id,
        item.status_before,
        item.status_after,
        item.premium_before,
        item.premium_after,
        item.delta_pct,
        item.difference_count,
        item.error_code,
        *groups,
    ]


def _csv_line(cells: list[Any]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["" if c is None else c for c in cells])
    return out.getvalue().encode()
