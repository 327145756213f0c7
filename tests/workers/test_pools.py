"""Worker pools: large ratings start on the large-payload pool; versioned workers pin runs."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from temporalio.api.enums.v1 import VersioningBehavior
from temporalio.api.workflowservice.v1 import SetWorkerDeploymentCurrentVersionRequest
from temporalio.client import Client
from temporalio.service import RPCError

from models.settings import Settings
from services.runs import TaskQueues
from tests.conftest import Stack, free_port
from workers.health import WorkerHealth
from workers.worker import rating_worker

ROOT = Path(__file__).resolve().parents[2]
LARGE = f"large-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    temporal = settings.temporal.model_copy(
        update={
            "large_task_queue": LARGE,
            "large_payload_bytes": 16 * 1024,
            "large_products": ["BOP"],
        }
    )
    return settings.model_copy(update={"temporal": temporal})


@asynccontextmanager
async def pool(client: Client, settings: Settings, **worker: str) -> AsyncIterator[None]:
    """Runs a worker with these worker settings while the block runs."""
    tuned = settings.model_copy(
        update={
            "temporal": settings.temporal.model_copy(update={"task_queue": worker.pop("queue")}),
            "worker": settings.worker.model_copy(update=worker),
        }
    )
    async with rating_worker(client, tuned) as running:
        task = asyncio.create_task(running.run())
        try:
            yield
        finally:
            await running.shutdown()
            await task


async def rate(stack: Stack, product: str, body: bytes) -> tuple[dict[str, object], str]:
    answer = await stack.http.post(f"/api/v1/{product}/rate", content=body, headers=stack.headers)
    rated = answer.json()
    handle = stack.services.client.get_workflow_handle(f"rate-{rated['transactionId']}")
    return rated, (await handle.describe()).task_queue


async def test_big_requests_and_listed_products_rate_on_the_large_pool(
    stack: Stack, temporal_client: Client, example_request: bytes
) -> None:
    bop = (ROOT / "docs/examples/BOP-rate-request.json").read_bytes()
    padded = json.loads(example_request)
    padded["notes"] = "x" * (20 * 1024)
    async with pool(temporal_client, stack.settings, queue=LARGE):
        small, small_queue = await rate(stack, "IMCE", example_request)
        big, big_queue = await rate(stack, "IMCE", json.dumps(padded).encode())
        listed, listed_queue = await rate(stack, "BOP", bop)
    assert small_queue == stack.settings.temporal.task_queue
    assert (big_queue, listed_queue) == (LARGE, LARGE)
    assert small["status"] == big["status"] == listed["status"] == "completed", (big, listed)
    assert big["result"] == small["result"]


async def test_a_versioned_worker_pins_its_runs(
    stack: Stack, temporal_client: Client, example_request: bytes
) -> None:
    """With a deployment name and build id, runs record the build they started on and
    stay pinned to it (a later build does not take them over mid-run)."""
    deployment, build = f"irx-{uuid.uuid4().hex[:8]}", "build-1"
    queue = f"versioned-{uuid.uuid4().hex[:8]}"
    async with pool(
        temporal_client, stack.settings, queue=queue, deployment_name=deployment, build_id=build
    ):
        request = SetWorkerDeploymentCurrentVersionRequest(
            namespace=temporal_client.namespace, deployment_name=deployment, build_id=build
        )
        for _ in range(100):  # the version exists once the worker has polled
            try:
                await temporal_client.workflow_service.set_worker_deployment_current_version(
                    request
                )
                break
            except RPCError:
                await asyncio.sleep(0.1)
        stack.services.runs.queues = TaskQueues(queue)
        rated, _ = await rate(stack, "IMCE", example_request)
        handle = temporal_client.get_workflow_handle(f"rate-{rated['transactionId']}")
        info = (await handle.describe()).raw_description.workflow_execution_info.versioning_info
    assert rated["status"] == "completed", rated
    assert info.deployment_version.build_id == build
    assert info.deployment_version.deployment_name == deployment
    assert info.behavior == VersioningBehavior.VERSIONING_BEHAVIOR_PINNED


async def test_a_worker_serves_its_health_and_metrics(
    stack: Stack, temporal_client: Client
) -> None:
    """Over real TCP: live, ready while it polls, not ready once it stopped, metrics."""
    port = free_port()

    async def get(path: str) -> httpx.Response:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            return await http.get(path)

    temporal = stack.settings.temporal.model_copy(update={"task_queue": f"h-{uuid.uuid4().hex}"})
    settings = stack.settings.model_copy(update={"temporal": temporal})
    async with rating_worker(temporal_client, settings) as worker:
        server = await WorkerHealth(temporal_client, worker).serve("127.0.0.1", port)
        assert (await get("/ready")).status_code == 503  # not polling yet
        task = asyncio.create_task(worker.run())
        for _ in range(100):
            if (await get("/ready")).status_code == 200:
                break
            await asyncio.sleep(0.05)
        assert (await get("/ready")).json() == {
            "status": "ready",
            "polling": True,
            "temporal": True,
        }
        assert (await get("/live")).json() == {"status": "alive"}
        assert "rating_quarantined_documents_total" in (await get("/metrics")).text
        assert (await get("/nothing")).status_code == 404
        await worker.shutdown()
        await task
        assert (await get("/ready")).status_code == 503
        server.close()
        await server.wait_closed()
