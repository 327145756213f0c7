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

from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from bench.plain import PlainFlow, PlainInput, pass_through

ADDRESS = os.environ.get("IRX_TEMPORAL__ADDRESS", "127.0.0.1:7233")
RUNS = int(os.environ.get("IRX_BENCH_RUNS", "50"))


async def main() -> None:
    client = await Client.connect(ADDRESS)
    queue = f"floor-{uuid.uuid4().hex[:6]}"
    # Each case: one activity per entry, local (True) or regular (False), passing an int.
    cases: tuple[tuple[str, list[bool]], ...] = (
        ("empty workflow", []),
        ("1 local activity", [True]),
        ("9 local activities", [True] * 9),
        ("1 regular activity", [False]),
    )
    async with Worker(
        client,
        task_queue=queue,
        workflows=[PlainFlow],
        activities=[pass_through],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        print(f"{'case':<24}{'p50 ms':>9}{'p95 ms':>9}")
        for name, local in cases:
            samples = []
            for i in range(RUNS + 5):
                started = time.perf_counter()
                handle = await client.start_workflow(
                    PlainFlow.run,
                    PlainInput(local=local, doc=i),
                    id=str(uuid.uuid4()),
                    task_queue=queue,
                    request_eager_start=True,
                )
                await handle.result()
                if i >= 5:  # warm-up runs are not counted
                    samples.append((time.perf_counter() - started) * 1000)
            samples.sort()
            p95 = samples[int(0.95 * (len(samples) - 1))]
            print(f"{name:<24}{statistics.median(samples):>9.1f}{p95:>9.1f}")


if __name__ == "__main__":
    asyncio.run(main())
