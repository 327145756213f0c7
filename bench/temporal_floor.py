"""What Temporal itself costs here: trivial workflows against the running dev server.

Separates the platform's overhead from the SDK's and server's floor: an empty
workflow, one and nine local activities, one regular activity, each started
eagerly on an in-process worker (as the API does). Run with ``make run`` up:

    .venv/bin/python -m bench.temporal_floor
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

ADDRESS = os.environ.get("IRX_TEMPORAL__ADDRESS", "127.0.0.1:7233")
RUNS = int(os.environ.get("IRX_BENCH_RUNS", "50"))


@activity.defn
async def noop(value: int) -> int:
    return value


@workflow.defn
class LocalSteps:
    @workflow.run
    async def run(self, steps: int) -> int:
        for i in range(steps):
            await workflow.execute_local_activity(
                noop, i, start_to_close_timeout=timedelta(seconds=5)
            )
        return steps


@workflow.defn
class OneRegularStep:
    @workflow.run
    async def run(self, _: int) -> int:
        return await workflow.execute_activity(noop, 1, start_to_close_timeout=timedelta(seconds=5))


async def main() -> None:
    client = await Client.connect(ADDRESS)
    queue = f"floor-{uuid.uuid4().hex[:6]}"
    cases = (
        ("empty workflow", LocalSteps.run, 0),
        ("1 local activity", LocalSteps.run, 1),
        ("9 local activities", LocalSteps.run, 9),
        ("1 regular activity", OneRegularStep.run, 0),
    )
    async with Worker(
        client,
        task_queue=queue,
        workflows=[LocalSteps, OneRegularStep],
        activities=[noop],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        print(f"{'case':<24}{'p50 ms':>9}{'p95 ms':>9}")
        for name, run, arg in cases:
            samples = []
            for i in range(RUNS + 5):
                started = time.perf_counter()
                handle = await client.start_workflow(
                    run, arg, id=str(uuid.uuid4()), task_queue=queue, request_eager_start=True
                )
                await handle.result()
                if i >= 5:  # warm-up runs are not counted
                    samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            p95 = samples[int(0.95 * (len(samples) - 1))]
            print(f"{name:<24}{statistics.median(samples):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    asyncio.run(main())
