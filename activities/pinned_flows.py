"""The flow versions runs are pinned to, as a worker's steps look them up.

A run's input carries its whole pinned flow once, in its start event; each step's
activity input names its step by the flow's digest and the step's index instead of
carrying the step's spec again (about 2 KB per activity: encoded, encrypted, sent,
stored in history, decrypted and decoded, nine times a run). A worker keeps the flows
it has seen by digest; the first step of a flow it has not seen reads the run's start
event from Temporal, once.
"""

from __future__ import annotations

import asyncio

from cachetools import LRUCache
from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from models.errors import ErrorCode, PlatformError
from models.flow import FlowSpec, StepSpec, flow_digest
from models.rating import RatingInput

# Distinct flow versions a worker keeps (a few KB each).
KEPT = 1024


class PinnedFlows:
    def __init__(self, client: Client) -> None:
        self.client = client
        self._flows: LRUCache[str, FlowSpec] = LRUCache(maxsize=KEPT)
        self._reading: dict[str, asyncio.Future[FlowSpec]] = {}

    async def step(self, digest: str, index: int) -> StepSpec:
        """Step ``index`` of the flow ``digest`` names, for the running activity's run."""
        flow = self._flows.get(digest)
        if flow is None:
            reading = self._reading.get(digest)
            if reading is None:  # concurrent steps of a new flow read its run once
                reading = asyncio.ensure_future(self._read(digest))
                self._reading[digest] = reading
                reading.add_done_callback(lambda _: self._reading.pop(digest, None))
            flow = await asyncio.shield(reading)
        return flow.steps[index]

    async def _read(self, digest: str) -> FlowSpec:
        """The flow from the start event of the running activity's own run."""
        info = activity.info()
        if info.workflow_id is None:
            raise PlatformError(ErrorCode.INTERNAL_ERROR, "The step runs outside a run.")
        handle = self.client.get_workflow_handle(info.workflow_id, run_id=info.workflow_run_id)
        async for event in handle.fetch_history_events():
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
                payloads = event.workflow_execution_started_event_attributes.input.payloads
                (inp,) = await self.client.data_converter.decode(payloads, [RatingInput])
                flow: FlowSpec = inp.flow
                break
        else:
            raise PlatformError(ErrorCode.INTERNAL_ERROR, "The run has no start event.")
        if flow_digest(flow) != digest:
            raise PlatformError(ErrorCode.INTERNAL_ERROR, "The run's flow is not the one named.")
        self._flows[digest] = flow
        return flow
