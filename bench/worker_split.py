"""Which process does the work of a rating: each ``irx worker``, or an API's embedded one?

Rates the IMCE example through the running stack (``make run``), concurrently, then
reads each run's history and counts, per worker process (its identity is ``pid@host``),
the workflow tasks and the activity tasks it ran. Local activities run inside the
workflow task of the worker that holds it, so they count with it. Bounded: a fixed
number of runs, loopback only.

    IRX_BENCH_RUNS=40 .venv/bin/python -m bench.worker_split
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter

import httpx
import psutil
from temporalio.api.enums.v1 import EventType

from bench.rating import API, CONCURRENCY, ROOT, RUNS, api_key
from models.settings import TemporalSettings
from workers.client import connect_client

TEMPORAL = os.environ.get("IRX_BENCH_TEMPORAL", "127.0.0.1:7233")


def role(identity: str) -> str:
    """The process the identity names: the API (its embedded worker) or an ``irx worker``."""
    pid = identity.split("@")[0]
    try:
        command = " ".join(psutil.Process(int(pid)).cmdline())
    except (ValueError, psutil.Error):
        return f"gone ({identity})"
    return "api (embedded worker)" if " api" in command else f"irx worker (pid {pid})"


async def main() -> None:
    body = (ROOT / "docs/examples/IMCE-rate-request.json").read_bytes()
    headers = {"X-API-Key": api_key(), "Content-Type": "application/json"}
    async with httpx.AsyncClient(base_url=API, headers=headers, timeout=60) as http:
        pending = list(range(RUNS))
        ids: list[str] = []

        async def client_loop() -> None:
            while pending:
                pending.pop()
                answer = (await http.post("/api/v1/IMCE/rate", content=body)).json()
                ids.append(answer["transactionId"])

        await asyncio.gather(*(client_loop() for _ in range(CONCURRENCY)))
    client = await connect_client(TemporalSettings(address=TEMPORAL))
    workflow_tasks: Counter[str] = Counter()
    activity_tasks: Counter[str] = Counter()
    for transaction_id in ids:
        history = await client.get_workflow_handle(f"rate-{transaction_id}").fetch_history()
        for event in history.events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
                identity = event.workflow_task_started_event_attributes.identity
                workflow_tasks[role(identity)] += 1
            elif event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
                identity = event.activity_task_started_event_attributes.identity
                activity_tasks[role(identity)] += 1
    print(f"{len(ids)} IMCE /rate runs, {CONCURRENCY} concurrent clients")
    print(f"{'':<24}{'workflow tasks':>16}{'activity tasks':>16}")
    for name in sorted(set(workflow_tasks) | set(activity_tasks)):
        print(f"{name:<24}{workflow_tasks[name]:>16}{activity_tasks[name]:>16}")


if __name__ == "__main__":
    asyncio.run(main())
