"""Golden histories: runs recorded on a real server must still replay offline.

A change to ``RatingWorkflow`` that would break in-flight runs (a new command, a
reordered one, a local activity turned regular) fails here as nondeterminism.
``histories/`` holds runs of the current interpreter (regenerate them with
``python -m tests.workflows.record_histories`` after a deliberate, versioned
change); ``histories/frozen/`` holds runs of earlier releases and is never
regenerated: those runs may still be in flight somewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from models.documents import DocKind
from models.rating import RatingInput, StepOutput
from workers.client import DATA_CONVERTER
from workflows.rating import RatingWorkflow

HISTORIES = Path(__file__).parent / "histories"
# Runs of shape 3 (models.rating.RatingInput.shape): a completed run's last local step
# records it, and only a run that did not complete writes IrxStatus.
# imce_rate_large: local steps hand documents to each other in memory.
RUNS = {
    "bop_rate",
    "imce_quote",
    "imce_rate",
    "imce_rate_engine_down",
    "imce_rate_failed",
    "imce_rate_large",
}
# Recorded before runs carried their own deadline (release of 2026-11-23).
FROZEN = {f"frozen/{name}" for name in RUNS - {"imce_rate_large"}}
# Shape 1: each step's spec inline, the deadline kept by a timer (release of 2026-12-07).
SHAPE_1 = {f"frozen/2026-12-07/{name}" for name in RUNS}
# Shape 2: steps named by the flow's digest, a record activity and IrxStatus on every run.
SHAPE_2 = {f"frozen/2026-12-07-shape-2/{name}" for name in RUNS}
EXPECTED = {*RUNS, *FROZEN, *SHAPE_1, *SHAPE_2}
RUNNERS: dict[str, WorkflowRunner] = {
    "unsandboxed": UnsandboxedWorkflowRunner(),
    "sandboxed": SandboxedWorkflowRunner(),
}


def load(name: str) -> WorkflowHistory:
    return WorkflowHistory.from_json(
        f"golden-{name}", (HISTORIES / f"{name}.json").read_text(encoding="utf-8")
    )


def test_every_golden_history_is_present() -> None:
    found = {str(p.relative_to(HISTORIES).with_suffix("")) for p in HISTORIES.rglob("*.json")}
    assert found == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_history_ends_completed(name: str) -> None:
    events = load(name).events
    assert events[-1].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED


@pytest.mark.parametrize("runner", sorted(RUNNERS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_golden_history_replays(name: str, runner: str) -> None:
    replayer = Replayer(
        workflows=[RatingWorkflow],
        data_converter=DATA_CONVERTER,
        workflow_runner=RUNNERS[runner],
    )
    await replayer.replay_workflow(load(name))


async def test_documents_recorded_without_their_kind_are_read_as_they_were() -> None:
    # Recorded before documents carried their kind: the request, streamed into the store,
    # is still checked as it is read; the steps' documents are the platform's own.
    events = load("frozen/2026-12-07/imce_rate_large").events
    started = events[0].workflow_execution_started_event_attributes
    (inp,) = await DATA_CONVERTER.decode(started.input.payloads, [RatingInput])
    assert (inp.request.ref or "").endswith("/request.json")
    assert inp.request.kind is DocKind.REQUEST
    results = [
        e.activity_task_completed_event_attributes.result.payloads
        for e in events
        if e.HasField("activity_task_completed_event_attributes")
    ]
    outputs = [(await DATA_CONVERTER.decode(p, [StepOutput]))[0] for p in results if p]
    stored = [out.data for out in outputs if out.data is not None and out.data.ref is not None]
    assert stored
    assert {doc.kind for doc in stored} == {DocKind.RESULT}
