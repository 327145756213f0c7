"""The floor under ``/rate``: the same flow's shape on plain Temporal.

One activity per step of the published flow (local where that step is local), each
handing the request document straight back, started eagerly on a worker in this
process against the stack's own Temporal server: what Temporal costs for the flow
with no step work, no API, no config, no blob store. ``bench.tiers`` runs it at the
same offered load as ``/rate`` and reports the platform against it (the issue's goal:
at least 80 % of its throughput, under 10 ms more at p50).
"""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.converter import DataConverter
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

STEP_TIMEOUT = timedelta(seconds=10)


@activity.defn(name="bench.pass_through")
async def pass_through(doc: Any) -> Any:
    return doc


@dataclass
class PlainInput:
    local: list[bool]  # one entry per step: local activity or regular
    doc: Any


@workflow.defn(name="BenchPlainFlow")
class PlainFlow:
    @workflow.run
    async def run(self, inp: PlainInput) -> Any:
        doc = inp.doc
        for local in inp.local:
            if local:
                doc = await workflow.execute_local_activity(
                    pass_through, doc, start_to_close_timeout=STEP_TIMEOUT
                )
            else:
                doc = await workflow.execute_activity(
                    pass_through, doc, start_to_close_timeout=STEP_TIMEOUT
                )
        return doc


class PlainTemporal:
    """A worker for ``PlainFlow`` in this process, and the client that starts its runs."""

    def __init__(
        self, address: str, local: list[bool], converter: DataConverter | None = None
    ) -> None:
        self.address = address
        self.local = local
        self.converter = converter or DataConverter.default
        self.queue = f"bench-plain-{uuid.uuid4().hex[:8]}"
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> PlainTemporal:
        self.client = await Client.connect(self.address, data_converter=self.converter)
        worker = Worker(
            self.client,
            task_queue=self.queue,
            workflows=[PlainFlow],
            activities=[pass_through],
            # As the platform's workers run (IRX_WORKER__SANDBOXED=false is their default).
            workflow_runner=UnsandboxedWorkflowRunner(),
        )
        await self._stack.enter_async_context(worker)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def once(self, body: bytes) -> None:
        handle = await self.client.start_workflow(
            PlainFlow.run,
            PlainInput(local=self.local, doc=orjson.loads(body)),
            id=f"bench-plain-{uuid.uuid4().hex}",
            task_queue=self.queue,
            request_eager_start=True,
        )
        await handle.result()
