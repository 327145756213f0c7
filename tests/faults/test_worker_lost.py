"""Drill: a worker SIGKILLed while a regular step (the engine call) is under way.

A real ``irx worker`` process starts the run and the engine call; then a second worker
comes up and the first is killed. The step's heartbeats stop, so within seconds its
attempt is given to the live worker, and the run completes: it is not lost to the step's
own timeout (30 s), nor to the run's deadline.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client

from activities.registry import registry
from models.flow import FlowSpec, StepDraft
from models.rating import Doc, RatingInput, RatingOutcome, RunContext
from models.settings import Settings
from models.systems import System
from tests.workflows.test_rating_workflow import record_run
from workers.worker import rating_worker
from workflows.rating import RatingWorkflow

ROOT = Path(__file__).parents[2]


async def _seed(settings: Settings, engine_url: str, transaction_id: str) -> None:
    """An organization, a slow engine system (3 s an answer) and the run's transaction."""
    slow = System(
        code="slow-engine",
        name="Slow engine",
        kind="rating_engine",
        base_url=engine_url,
        auth={"mode": "header", "name": "X-Engine-Latency-Ms", "value": "3000"},
        timeout_ms=20_000,
    )
    await record_run(settings, transaction_id, slow)


def _environment(settings: Settings) -> dict[str, str]:
    assert settings.secret_keys is not None
    return {
        **os.environ,
        "IRX_DATABASE_URL": settings.database_url.get_secret_value(),
        "IRX_TEMPORAL__ADDRESS": settings.temporal.address,
        "IRX_TEMPORAL__TASK_QUEUE": settings.temporal.task_queue,
        "IRX_BLOBS__ROOT": str(settings.blobs.root),
        "IRX_SECRET_KEYS": settings.secret_keys.get_secret_value(),
        "IRX_EVENTS__LOG_PATH": str(settings.events.log_path),
        "IRX_EGRESS__TRUSTED_HOSTS": json.dumps(settings.egress.trusted_hosts),
    }


@pytest.fixture
def doomed_worker(settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    """``irx worker`` as its own process, killed by the test (or at its end)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "irx", "worker"],
        cwd=ROOT,
        env=_environment(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait()


async def _pollers(client: Client, settings: Settings) -> int:
    from temporalio.api.enums.v1 import TaskQueueType
    from temporalio.api.taskqueue.v1 import TaskQueue
    from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

    answer = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=settings.temporal.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
    )
    return len(answer.pollers)


async def _until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.mark.slow  # real worker processes and a 3 s engine: about 15 s
async def test_a_killed_workers_engine_call_is_taken_over_within_seconds(
    temporal_client: Client,
    settings: Settings,
    engine_url: str,
    doomed_worker: subprocess.Popen[bytes],
) -> None:
    transaction_id = str(uuid.uuid4())
    await _seed(settings, engine_url, transaction_id)
    await _until(lambda: _pollers(temporal_client, settings), 30, "the doomed worker polls")
    inp = RatingInput(
        run=RunContext(
            transaction_id=transaction_id,
            organization_id="org",
            product_code="TEST",
            endpoint="rate",
            flow_version=1,
            correlation_id="c-1",
        ),
        flow=FlowSpec(
            flow_version_id="fv",
            product_code="TEST",
            endpoint="rate",
            version=1,
            steps=registry.resolve(
                [
                    StepDraft(
                        name="engine",
                        type="call_rating_engine",
                        config={"system": "slow-engine", "path": "/v1/rate"},
                    )
                ]
            ),
        ),
        request=Doc(
            inline={
                "quoteId": "Q-1",
                "product": "IMCE",
                "state": "NY",
                "effectiveDate": "2026-12-01",
                "exposures": [{"id": "EQ-1", "classCode": "EXC", "value": 250000}],
            }
        ),
        deadline_ms=40_000,
    )
    handle = await temporal_client.start_workflow(
        RatingWorkflow.run,
        inp,
        id=f"rate-{transaction_id}",
        task_queue=settings.temporal.task_queue,
    )

    async def engine_call_started() -> bool:
        pending = (await handle.describe()).raw_description.pending_activities
        return any(a.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED for a in pending)

    await _until(engine_call_started, 30, "the doomed worker calls the engine")
    async with rating_worker(temporal_client, settings) as live, live:
        doomed_worker.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        outcome: RatingOutcome = await handle.result()
        took = time.monotonic() - killed
    assert outcome.status == "completed", outcome.error
    assert outcome.steps[0].attempts == 2  # the killed worker's, then the live one's
    # The heartbeat timeout (5 s), the workflow task leaving the dead worker's sticky
    # queue, and one engine answer: seconds, not the step's 30 s timeout.
    assert took < 25, took
