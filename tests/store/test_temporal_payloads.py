"""Payloads that would outgrow Temporal's history go to the blob store (external storage)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from activities.retention import RetentionActivities
from models.settings import TemporalSettings
from models.tables import utcnow
from store.blobs import DiskBlobStore
from store.db import SessionFactory
from store.temporal_payloads import PREFIX, THRESHOLD_BYTES
from workers.client import data_converter

BIG = "x" * (THRESHOLD_BYTES * 4)  # 1 MiB: past the threshold, under Temporal's limit


@activity.defn(name="test.big_answer")
async def big_answer(size: int) -> str:
    return BIG[:size]


@workflow.defn(name="BigPayloads")
class BigPayloads:
    @workflow.run
    async def run(self, size: int) -> int:
        answer: str = await workflow.execute_activity(
            "test.big_answer", size, start_to_close_timeout=timedelta(seconds=10)
        )
        return len(answer)


async def test_a_large_activity_result_travels_as_a_claim(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    blobs = DiskBlobStore(tmp_path)
    client = await Client.connect(
        temporal_env.client.service_client.config.target_host,
        data_converter=data_converter(TemporalSettings(), blobs),
    )
    queue = f"big-{uuid.uuid4().hex[:8]}"
    async with Worker(
        client,
        task_queue=queue,
        workflows=[BigPayloads],
        activities=[big_answer],
        workflow_runner=UnsandboxedWorkflowRunner(),
    ):
        handle = await client.start_workflow(
            BigPayloads.run, len(BIG), id=f"big-{uuid.uuid4()}", task_queue=queue
        )
        assert await handle.result() == len(BIG)
    # History holds a small claim; the payload itself is a blob under temporal/{day}/.
    history = await handle.fetch_history()
    completed = next(
        e for e in history.events if e.HasField("activity_task_completed_event_attributes")
    )
    [payload] = completed.activity_task_completed_event_attributes.result.payloads
    assert payload.ByteSize() < 4096
    stored = [p for p in (tmp_path / PREFIX).rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert stored[0].stat().st_size > len(BIG)


async def test_retention_drops_stored_payloads_older_than_kept(
    tmp_path: Path, sessions: SessionFactory
) -> None:
    blobs = DiskBlobStore(tmp_path)
    today = utcnow().date()
    for age in (0, 29, 30, 33):
        day = (today - timedelta(days=age)).isoformat()
        await blobs.put(f"{PREFIX}{day}/{age:064d}", b"x")
    report = await RetentionActivities(sessions, blobs, temporal_payload_days=30).purge_expired()
    assert report.temporal_payloads == 2
    kept = sorted(p.parent.name for p in (tmp_path / PREFIX).rglob("*") if p.is_file())
    assert kept == sorted((today - timedelta(days=age)).isoformat() for age in (0, 29))
