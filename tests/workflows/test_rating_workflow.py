"""The generic rating workflow on a real Temporal dev server."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import orjson
import pytest
from pydantic import BaseModel
from temporalio.client import Client
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from activities.registry import StepContext, StepRegistry, StepResult, registry, step_type
from models import search_attributes as sa
from models.errors import ErrorCode, PlatformError
from models.flow import RetrySpec, StepDraft
from models.rating import CURRENT_SHAPE, Doc, RatingInput, RatingOutcome, RunContext
from models.settings import Settings
from models.systems import System
from models.tables import OrganizationRow, TransactionRow
from store.blobs import DiskBlobStore
from store.db import create_engine, session_factory
from store.documents import Documents
from store.migrate import upgrade_async
from store.sealing import keyring_from
from store.systems import insert_system
from workers.client import DATA_CONVERTER
from workers.worker import rating_worker
from workflows.rating import RatingWorkflow

# A private registry: the built-ins plus test steps, so they never leak into the app.
steps = StepRegistry()
for builtin in registry:
    steps.register(builtin)


class AddConfig(BaseModel):
    key: str
    value: int = 1


class SleepConfig(BaseModel):
    ms: int


@step_type("test_sleep", config=SleepConfig, local=True, into=steps)
async def sleep_step(ctx: StepContext, config: SleepConfig, data: Any) -> StepResult:
    await asyncio.sleep(config.ms / 1000)
    return StepResult.same()


@step_type("test_sleep_regular", config=SleepConfig, local=False, into=steps)
async def sleep_regular_step(ctx: StepContext, config: SleepConfig, data: Any) -> StepResult:
    await asyncio.sleep(config.ms / 1000)
    return StepResult.same()


@step_type("test_block", config=SleepConfig, local=True, into=steps)
async def block_step(ctx: StepContext, config: SleepConfig, data: Any) -> StepResult:
    # CPU-bound work, as a heavy step does: nothing on the event loop can interrupt it.
    time.sleep(config.ms / 1000)  # noqa: ASYNC251
    return StepResult.same()


class WorksheetConfig(BaseModel):
    lines: int


@step_type("test_worksheet", config=WorksheetConfig, local=True, into=steps)
async def worksheet(ctx: StepContext, config: WorksheetConfig, data: Any) -> StepResult:
    """A step whose log outgrows a Temporal payload (a rule worksheet of a large fleet)."""
    lines = [
        {"line": i, "rule": "fleet factor", "before": 1.0, "after": 1.1}
        for i in range(config.lines)
    ]
    return StepResult.same(worksheet=lines)


@step_type("test_add", config=AddConfig, local=True, into=steps)
async def add(ctx: StepContext, config: AddConfig, data: Any) -> StepResult:
    return StepResult({**data, config.key: data.get(config.key, 0) + config.value})


class FlakyConfig(BaseModel):
    fail_times: int
    code: ErrorCode = ErrorCode.RATING_ENGINE_UNAVAILABLE


@step_type("test_flaky", config=FlakyConfig, local=True, into=steps)
async def flaky(ctx: StepContext, config: FlakyConfig, data: Any) -> StepResult:
    if ctx.attempt <= config.fail_times:
        raise PlatformError(config.code, f"attempt {ctx.attempt} failed")
    return StepResult.same(attempt=ctx.attempt)


LOST_ONCE: set[str] = set()


@step_type("test_lost_once", config=AddConfig, local=True, into=steps)
async def lost_once(ctx: StepContext, config: AddConfig, data: Any) -> StepResult:
    """Finds its document gone the first time, as after its worker was lost."""
    if ctx.run.transaction_id not in LOST_ONCE:
        LOST_ONCE.add(ctx.run.transaction_id)
        raise PlatformError(ErrorCode.WORKING_DOCUMENT_LOST, key="test")
    return StepResult({**data, config.key: data.get(config.key, 0) + config.value})


def flow_input(drafts: list[StepDraft], request: Any, batch: bool = False) -> RatingInput:
    """A run of ``drafts`` on ``request``, in the shape the API starts runs in."""
    from models.flow import FlowSpec, flow_digest

    flow = FlowSpec(
        flow_version_id="fv",
        product_code="TEST",
        endpoint="rate",
        version=1,
        steps=steps.resolve(drafts),
        batch_local_steps=batch,
    )
    return RatingInput(
        run=RunContext(
            transaction_id=str(uuid.uuid4()),
            organization_id="org",
            product_code="TEST",
            endpoint="rate",
            flow_version=1,
            correlation_id="c-1",
        ),
        flow=flow,
        request=Doc(inline=request),
        shape=CURRENT_SHAPE,
        flow_digest=flow_digest(flow),
    )


async def record_run(settings: Settings, transaction_id: str, *systems: System) -> None:
    """The organization "org" (with ``systems``) and the run's transaction, as the API
    records them before it starts a run."""
    await upgrade_async(settings.database)
    engine = create_engine(settings.database)
    async with session_factory(engine)() as session:
        session.add(OrganizationRow(id="org", slug=f"org-{uuid.uuid4().hex[:6]}", name="Org"))
        await session.flush()
        for system in systems:
            await insert_system(session, "org", system, keyring_from(settings.secret_keys))
        session.add(
            TransactionRow(
                id=transaction_id,
                organization_id="org",
                correlation_id="c-1",
                product_code="TEST",
                endpoint="rate",
                flow_version=1,
                flow_version_id="fv",
                request_hash="0" * 64,
            )
        )
        await session.commit()
    await engine.dispose()


async def run_flow(client: Client, settings: Settings, inp: RatingInput) -> RatingOutcome:
    await record_run(settings, inp.run.transaction_id)
    async with rating_worker(client, settings, steps=steps) as worker, worker:
        outcome: RatingOutcome = await client.execute_workflow(
            RatingWorkflow.run,
            inp,
            id=f"rate-{inp.run.transaction_id}",
            task_queue=settings.temporal.task_queue,
        )
    return outcome


async def test_steps_run_in_order_and_skip_on_condition(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(name="skipped", type="test_add", config={"key": "n"}, condition="never"),
            StepDraft(name="two", type="test_add", config={"key": "n", "value": 10}),
        ],
        {"n": 0},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    assert outcome.result is not None
    assert outcome.result.inline == {"n": 11}
    assert [(s.name, s.status) for s in outcome.steps] == [
        ("one", "completed"),
        ("skipped", "skipped"),
        ("two", "completed"),
    ]


async def test_retryable_failure_is_retried_then_succeeds(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(
                name="flaky",
                type="test_flaky",
                config={"fail_times": 2},
                retry=RetrySpec(max_attempts=3, initial_interval_ms=1),
            )
        ],
        {},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    assert outcome.steps[0].attempts == 3


async def test_non_retryable_failure_stops_the_run_after_one_attempt(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(
                name="bad",
                type="test_flaky",
                config={"fail_times": 5, "code": "VALIDATION_FAILED"},
            ),
            StepDraft(name="after", type="test_add", config={"key": "n"}),
        ],
        {},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("VALIDATION_FAILED", "bad")
    assert len(outcome.steps) == 1
    assert outcome.steps[0].attempts == 1


async def stored(settings: Settings, transaction_id: str) -> TransactionRow:
    engine = create_engine(settings.database)
    try:
        async with session_factory(engine)() as session:
            row = await session.get(TransactionRow, transaction_id)
    finally:
        await engine.dispose()
    assert row is not None
    return row


async def markers_and_status(client: Client, inp: RatingInput) -> tuple[int, str | None]:
    """How many local activities the run recorded, and its IrxStatus."""
    handle = client.get_workflow_handle(f"rate-{inp.run.transaction_id}")
    events = (await handle.fetch_history()).events
    markers = sum(e.HasField("marker_recorded_event_attributes") for e in events)
    return markers, (await handle.describe()).typed_search_attributes.get(sa.STATUS)


@pytest.mark.parametrize(
    ("last", "config", "record_activities"),
    [("test_add", {"key": "n"}, 0), ("test_sleep_regular", {"ms": 1}, 1)],
    ids=["local last step", "regular last step"],
)
async def test_a_completed_runs_last_local_step_records_it(
    temporal_client: Client,
    settings: Settings,
    last: str,
    config: dict[str, Any],
    record_activities: int,
) -> None:
    """One local activity less per rating: the last step, when local, writes the run's
    transaction (steps and result as the workflow returns them); a regular one may be
    retried after writing it, so the record keeps its own local activity then. A
    completed run writes no IrxStatus."""
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(name="last", type=last, config=config),
        ],
        {"n": 0},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    local_steps = 2 if last == "test_add" else 1
    assert await markers_and_status(temporal_client, inp) == (
        local_steps + record_activities,
        None,
    )
    row = await stored(settings, inp.run.transaction_id)
    assert row.status == "completed"
    assert [s["name"] for s in row.steps] == ["one", "last"]
    assert outcome.result is not None
    assert row.result == outcome.result.inline


async def test_a_failed_run_records_itself_and_says_so_in_irx_status(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(
                name="bad", type="test_flaky", config={"fail_times": 5, "code": "VALIDATION_FAILED"}
            ),
        ],
        {"n": 0},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "failed"
    # Both steps, then the record's own local activity.
    assert await markers_and_status(temporal_client, inp) == (3, "failed")
    row = await stored(settings, inp.run.transaction_id)
    assert (row.status, (row.error or {}).get("code")) == ("failed", "VALIDATION_FAILED")


async def test_on_error_continue_keeps_going(temporal_client: Client, settings: Settings) -> None:
    inp = flow_input(
        [
            StepDraft(
                name="optional",
                type="test_flaky",
                config={"fail_times": 5, "code": "ENRICHMENT_FAILED"},
                on_error="continue",
            ),
            StepDraft(name="after", type="test_add", config={"key": "n"}),
        ],
        {"n": 1},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    assert [s.status for s in outcome.steps] == ["failed", "completed"]
    assert outcome.steps[0].error is not None
    assert outcome.steps[0].error.code == "ENRICHMENT_FAILED"
    assert outcome.result is not None
    assert outcome.result.inline == {"n": 2}


async def test_large_documents_leave_history_for_the_blob_store(
    temporal_client: Client, settings: Settings
) -> None:
    settings.blobs.inline_threshold_bytes = 1024
    big = {"items": ["x" * 100] * 100}
    inp = flow_input([StepDraft(name="one", type="test_add", config={"key": "n"})], big)
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.result is not None
    assert outcome.result.inline is None
    assert outcome.result.ref == f"{inp.run.transaction_id}/00-one.json"
    assert (settings.blobs.root / outcome.result.ref).exists()


async def test_local_steps_hand_large_documents_over_in_memory(
    temporal_client: Client, settings: Settings
) -> None:
    """Stored only where the next step may run elsewhere (a regular one) or is the last."""
    settings.blobs.inline_threshold_bytes = 1024
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(name="two", type="test_add", config={"key": "n"}),
            StepDraft(name="three", type="test_add", config={"key": "n"}),
            StepDraft(name="four", type="test_add", config={"key": "n"}, local=False),
            StepDraft(name="five", type="test_add", config={"key": "n"}),
        ],
        {"n": 0, "items": ["x" * 100] * 100},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed", outcome.error
    assert outcome.result is not None
    assert outcome.result.ref is not None
    # "one" read its document inline (this test's request; the API stores a large one):
    # it stores what it writes. "two" hands its document to "three" in memory.
    stored = settings.blobs.root / inp.run.transaction_id
    assert sorted(p.name for p in stored.glob("*.json")) == [
        "00-one.json",
        "02-three.json",
        "03-four.json",
        "04-five.json",
    ]
    assert orjson.loads((settings.blobs.root / outcome.result.ref).read_bytes())["n"] == 5


async def test_a_lost_hand_over_repeats_the_steps_since_the_last_stored_document(
    temporal_client: Client, settings: Settings
) -> None:
    settings.blobs.inline_threshold_bytes = 1024
    inp = flow_input(
        [
            StepDraft(name="stored", type="test_add", config={"key": "n"}, local=False),
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(name="two", type="test_lost_once", config={"key": "n"}),
            StepDraft(name="three", type="test_add", config={"key": "n"}),
        ],
        {"n": 0, "items": ["x" * 100] * 100},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed", outcome.error
    # Each step once in the log, and the document counted once per step.
    assert [(s.name, s.status) for s in outcome.steps] == [
        ("stored", "completed"),
        ("one", "completed"),
        ("two", "completed"),
        ("three", "completed"),
    ]
    assert outcome.result is not None
    assert outcome.result.ref is not None
    assert orjson.loads((settings.blobs.root / outcome.result.ref).read_bytes())["n"] == 4
    # Repeated from the regular step's document, storing every one from then on.
    stored = settings.blobs.root / inp.run.transaction_id
    assert sorted(p.name for p in stored.glob("*.json")) == [
        "00-stored.json",
        "01-one.json",
        "02-two.json",
        "03-three.json",
    ]


async def test_histories_replay_deterministically(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(
                name="optional",
                type="test_flaky",
                config={"fail_times": 5, "code": "ENRICHMENT_FAILED"},
                on_error="continue",
            ),
            StepDraft(name="skipped", type="test_add", config={"key": "n"}, condition="never"),
        ],
        {"n": 0},
    )
    await run_flow(temporal_client, settings, inp)
    history = await temporal_client.get_workflow_handle(
        f"rate-{inp.run.transaction_id}"
    ).fetch_history()
    replayer = Replayer(
        workflows=[RatingWorkflow],
        data_converter=DATA_CONVERTER,
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    await replayer.replay_workflow(history)


def test_publishing_refuses_invalid_steps_listing_every_problem() -> None:
    with pytest.raises(PlatformError) as caught:
        steps.resolve(
            [
                StepDraft(name="a", type="nope"),
                StepDraft(name="a", type="test_add", config={"value": "x"}),
                StepDraft(name="b", type="test_add", config={"key": "k"}, condition="[[["),
            ]
        )
    assert caught.value.code == ErrorCode.VALIDATION_FAILED
    fields = [(p["step"], p["field"]) for p in caught.value.details["problems"]]
    assert (0, "type") in fields
    assert (1, "name") in fields
    assert (1, "config.key") in fields
    assert (1, "config.value") in fields
    assert (2, "condition") in fields


async def test_histories_replay_in_the_sandbox_too(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input([StepDraft(name="one", type="test_add", config={"key": "n"})], {"n": 0})
    await run_flow(temporal_client, settings, inp)
    history = await temporal_client.get_workflow_handle(
        f"rate-{inp.run.transaction_id}"
    ).fetch_history()
    await Replayer(workflows=[RatingWorkflow], data_converter=DATA_CONVERTER).replay_workflow(
        history
    )


async def test_search_attribute_setup_is_idempotent(temporal_client: Client) -> None:
    from irx.temporal_setup import register_search_attributes

    # The session's dev server was started with them: nothing is left to add.
    assert await register_search_attributes(temporal_client) == []


async def test_batched_local_steps_keep_their_own_records_and_retries(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(name="skipped", type="test_add", config={"key": "n"}, condition="never"),
            StepDraft(
                name="flaky",
                type="test_flaky",
                config={"fail_times": 2},
                retry=RetrySpec(max_attempts=3, initial_interval_ms=1),
            ),
            StepDraft(
                name="optional",
                type="test_flaky",
                config={"fail_times": 9, "code": "ENRICHMENT_FAILED"},
                on_error="continue",
            ),
            StepDraft(name="two", type="test_add", config={"key": "n", "value": 10}),
        ],
        {"n": 0},
        batch=True,
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    assert outcome.result is not None
    assert outcome.result.inline == {"n": 11}
    assert [(s.name, s.status, s.attempts) for s in outcome.steps] == [
        ("one", "completed", 1),
        ("skipped", "skipped", 1),
        ("flaky", "completed", 3),
        ("optional", "failed", 1),
        ("two", "completed", 1),
    ]
    assert outcome.steps[3].error is not None
    assert outcome.steps[3].error.code == "ENRICHMENT_FAILED"
    history = await temporal_client.get_workflow_handle(
        f"rate-{inp.run.transaction_id}"
    ).fetch_history()
    markers = [e for e in history.events if e.HasField("marker_recorded_event_attributes")]
    # The batch up to "flaky", "flaky" retried by Temporal's own policy, and the batch
    # after it, which records the run: one retry engine, not two.
    assert len(markers) == 3
    await Replayer(
        workflows=[RatingWorkflow],
        data_converter=DATA_CONVERTER,
        workflow_runner=UnsandboxedWorkflowRunner(),
    ).replay_workflow(history)


async def test_a_failing_batched_step_stops_the_run_there(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(
                name="bad", type="test_flaky", config={"fail_times": 9, "code": "VALIDATION_FAILED"}
            ),
            StepDraft(name="never", type="test_add", config={"key": "n"}),
        ],
        {"n": 0},
        batch=True,
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("VALIDATION_FAILED", "bad")
    assert [(s.name, s.status) for s in outcome.steps] == [("one", "completed"), ("bad", "failed")]


async def test_a_batched_step_over_its_timeout_fails_with_request_timeout(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}),
            StepDraft(
                name="slow",
                type="test_sleep",
                config={"ms": 2000},
                timeout_ms=50,
                retry=RetrySpec(max_attempts=2, initial_interval_ms=1),
            ),
        ],
        {"n": 0},
        batch=True,
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("REQUEST_TIMEOUT", "slow")
    assert outcome.steps[1].attempts == 2


async def test_a_batch_over_its_budget_blames_no_step(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}, timeout_ms=100),
            StepDraft(
                name="stuck",
                type="test_block",
                config={"ms": 700},
                timeout_ms=100,
                retry=RetrySpec(max_attempts=1),
            ),
        ],
        {"n": 0},
        batch=True,
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("REQUEST_TIMEOUT", None)
    assert "one, stuck" in outcome.error.message
    assert outcome.steps == []  # the batch as a whole failed: no step's record is invented


async def test_a_step_log_larger_than_a_payload_goes_to_the_blob_store(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="rules", type="test_worksheet", config={"lines": 40_000}),
            StepDraft(name="one", type="test_add", config={"key": "n"}),
        ],
        {"n": 0},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    detail = outcome.steps[0].detail
    assert detail["detailBytes"] > 2 * 1024 * 1024  # over Temporal's payload limit
    documents = Documents(DiskBlobStore(settings.blobs.root), 1024)
    assert len((await documents.load_detail(detail))["worksheet"]) == 40_000


# Runs started now (shape 3, as shape 2) keep their deadline without a timer; shape 1 runs
# with theirs. Shape 3's last local step records the run only within the deadline.
deadline_kept = pytest.mark.parametrize("shape", [3, 2, 1], ids=["shape 3", "no timer", "timer"])


@deadline_kept
async def test_the_deadline_holds_while_local_steps_keep_the_first_task_open(
    temporal_client: Client, settings: Settings, shape: int
) -> None:
    # Local steps run inside the first workflow task, and the deadline's timer only
    # starts once that task completes: the run must still stop at its deadline.
    drafts = [StepDraft(name=n, type="test_sleep", config={"ms": 900}) for n in ("a", "b", "c")]
    inp = flow_input(drafts, {"n": 0}).model_copy(update={"deadline_ms": 1200, "shape": shape})
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "timed_out"
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("REQUEST_TIMEOUT", "b")
    assert [s.status for s in outcome.steps] == ["completed", "completed"]  # c never ran


@deadline_kept
async def test_a_run_whose_last_step_ends_past_its_deadline_has_timed_out(
    temporal_client: Client, settings: Settings, shape: int
) -> None:
    """The last local step holds the workflow task open, so the deadline's timer cannot
    end it: the run still records itself timed out, not a rating its caller never got."""
    drafts = [StepDraft(name="last", type="test_sleep", config={"ms": 1500})]
    inp = flow_input(drafts, {"n": 0}).model_copy(update={"deadline_ms": 1000, "shape": shape})
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "timed_out"
    assert outcome.result is None
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("REQUEST_TIMEOUT", "last")


@deadline_kept
async def test_a_regular_step_is_cut_at_the_deadline(
    temporal_client: Client, settings: Settings, shape: int
) -> None:
    """A regular step may not outlast the run's deadline, retries included: its
    schedule-to-close is what is left of it (with or without the deadline's timer)."""
    drafts = [
        StepDraft(name="first", type="test_add", config={"key": "n"}),
        StepDraft(name="slow", type="test_sleep_regular", config={"ms": 5000}),
        StepDraft(name="never", type="test_add", config={"key": "n"}),
    ]
    inp = flow_input(drafts, {"n": 0}).model_copy(update={"deadline_ms": 1000, "shape": shape})
    started = time.monotonic()
    outcome = await run_flow(temporal_client, settings, inp)
    assert time.monotonic() - started < 4  # not the step's 5 s
    assert outcome.status == "timed_out"
    assert outcome.error is not None
    assert (outcome.error.code, outcome.error.step) == ("REQUEST_TIMEOUT", "slow")
    # The step's own timeout may be in its record too (the timer and it fire together).
    assert [s.name for s in outcome.steps] in (["first"], ["first", "slow"])


async def test_a_step_drops_what_later_steps_no_longer_need(
    temporal_client: Client, settings: Settings
) -> None:
    inp = flow_input(
        [
            StepDraft(name="one", type="test_add", config={"key": "n"}, drop=["scratch.big"]),
            # A step that leaves the document as it is still drops what it names.
            StepDraft(name="two", type="test_sleep", config={"ms": 1}, drop=["old"]),
        ],
        {"n": 0, "old": "x", "scratch": {"big": list(range(10)), "keep": 1}},
    )
    outcome = await run_flow(temporal_client, settings, inp)
    assert outcome.status == "completed"
    assert outcome.result is not None
    assert outcome.result.inline == {"n": 1, "scratch": {"keep": 1}}


def test_only_paths_of_object_keys_can_be_dropped() -> None:
    with pytest.raises(ValueError, match="dotted path of object keys"):
        StepDraft(name="s", type="test_add", drop=["lines[0].premium"])
    assert StepDraft(name="s", type="test_add", drop=["engine.xml"]).drop == ["engine.xml"]
