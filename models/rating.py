"""Payloads that cross the Temporal boundary: workflow input and output, step I/O.

Documents travel as :class:`Doc`: inline while small, a blob-store reference
(claim check) once larger than the inline threshold, so history stays small. Each
carries its kind (``models.documents``), which says how it is read back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import Field, model_validator

from models.base import CamelModel
from models.documents import DocKind, recorded_kind
from models.failures import RunError, StepError, StepFailure
from models.flow import FlowSpec, StepSpec, flow_digest

StepStatus = Literal["completed", "failed", "skipped"]
# A simulation (a draft, a version not in force, a re-rating, an impact analysis, a
# challenger) publishes no event, joins no hash chain, counts under mode="simulation"
# and calls a system's simulation endpoint, if it has one.
Mode = Literal["live", "simulation"]
RunStatus = Literal["running", "completed", "failed", "timed_out"]


class Doc(CamelModel):
    """A JSON document, inline or by reference to the blob store, and what it is.

    ``store.documents`` makes them; a reference given without its kind (recorded in the
    history of a run started before documents carried one, or read from a transaction's
    row) takes the kind its key has, so it is read back as it was when recorded.
    """

    inline: Any = None
    ref: str | None = None
    size: int = 0
    kind: DocKind = DocKind.RESULT

    @model_validator(mode="before")
    @classmethod
    def _kind_of_recorded_ref(cls, data: Any) -> Any:
        if isinstance(data, dict) and "kind" not in data and isinstance(data.get("ref"), str):
            return {**data, "kind": recorded_kind(data["ref"])}
        return data


class RunContext(CamelModel):
    """Who and what a run is for; every step sees it."""

    transaction_id: str
    organization_id: str
    product_code: str
    endpoint: str
    flow_version: int
    correlation_id: str
    # The API version the run was asked through (rating_request_total's api_version);
    # runs started before versions were counted read as v1.
    api_version: str = "v1"
    mode: Mode = "live"  # runs started before simulations existed were all live


# The shape (RatingInput.shape) the API starts runs in.
CURRENT_SHAPE = 3
# How long past its own deadline Temporal lets a run go before timing it out.
BACKSTOP = timedelta(seconds=5)
# How long recording a run's outcome may take, in its own activity or in its last step's.
RECORD_TIMEOUT = timedelta(seconds=10)


class RatingInput(CamelModel):
    run: RunContext
    flow: FlowSpec
    request: Doc
    # The product's timeout: the run ends itself, timed_out, when it passes it.
    deadline_ms: int | None = None
    # How the workflow runs this input: a run replays in the shape it started in.
    # 1: each step's spec inline in its activity input, the deadline kept by a timer, each
    #    activity named by its step type.
    # 2: steps named by the flow's digest and their index (activities.pinned_flows), the
    #    deadline kept without a timer, each activity named "type: step name"
    #    (models.flow.activity_name), so the Web UI tells two steps of a type apart.
    # 3: a run's last step, when local, records its transaction (StepInput.record: one
    #    local activity less), and IrxStatus is written only on a run that did not complete.
    shape: int = 1
    flow_digest: str | None = None  # models.flow.flow_digest(flow), from shape 2

    @classmethod
    def of(
        cls,
        transaction_id: str,
        organization_id: str,
        correlation_id: str,
        flow: FlowSpec,
        request: Doc,
        deadline_ms: int,
        *,
        mode: Mode = "live",
        api_version: str = "v1",
        digest: str | None = None,
    ) -> RatingInput:
        """A new run of ``flow`` in the current shape (``digest``: the flow's, if known)."""
        run = RunContext(
            transaction_id=transaction_id,
            organization_id=organization_id,
            product_code=flow.product_code,
            endpoint=flow.endpoint,
            flow_version=flow.version,
            correlation_id=correlation_id,
            api_version=api_version,
            mode=mode,
        )
        return cls(
            run=run,
            flow=flow,
            request=request,
            deadline_ms=deadline_ms,
            shape=CURRENT_SHAPE,
            flow_digest=digest or flow_digest(flow),
        )

    @property
    def execution_timeout(self) -> timedelta:
        """Temporal's timeout of the run: its own deadline, then the backstop."""
        return timedelta(milliseconds=self.deadline_ms or 0) + BACKSTOP


class StepInput(CamelModel):
    """A step's activity input: the step itself (``spec``, sent as ``step``), or, from a run
    that names its steps, the pinned flow's digest and the step's index, which the
    worker resolves before the step runs (``activities.pinned_flows``)."""

    run: RunContext
    spec: StepSpec | None = Field(None, alias="step")
    flow_digest: str | None = None
    index: int
    data: Doc
    # Attempts already made inside a batch before Temporal's retry policy took
    # the step over: the step's attempt numbers continue from there.
    attempts_used: int = 0
    # The next step is local: this worker runs it within the same workflow task, so a
    # large document is handed over in memory rather than stored (store.hot_documents).
    next_local: bool = False
    # From shape 3, the run's last step when local: it records the run with its result.
    record: RecordOrder | None = None

    @property
    def step(self) -> StepSpec:
        """The step's spec; only once resolved (``activities.pinned_flows``)."""
        assert self.spec is not None, "a step named by digest is resolved before it runs"
        return self.spec


class StepOutput(CamelModel):
    """A step's result; ``data`` is None when the step left the document unchanged."""

    data: Doc | None = None
    skipped: bool = False
    attempt: int = 1
    duration_ms: float = 0.0
    detail: dict[str, Any] = Field(default_factory=dict)
    recorded: bool = False  # the step recorded its run, as its RecordOrder asked


class StepRecord(CamelModel):
    """One line of a transaction's step log."""

    name: str
    type: str
    status: StepStatus
    attempts: int = 0
    duration_ms: float = 0.0
    error: StepError | None = None
    detail: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def done(cls, step: StepSpec, out: StepOutput) -> StepRecord:
        return cls(
            name=step.name,
            type=step.type,
            status="skipped" if out.skipped else "completed",
            attempts=out.attempt,
            duration_ms=out.duration_ms,
            detail=out.detail,
        )

    @classmethod
    def failed(cls, step: StepSpec, failure: StepFailure) -> StepRecord:
        return cls(
            name=step.name,
            type=step.type,
            status="failed",
            attempts=failure.attempts,
            duration_ms=failure.duration_ms,
            error=failure.error,
        )


class RecordOrder(CamelModel):
    """What a run's last local step needs to record the run once it completes (shape 3):
    the records of the steps before it, and the run's deadline, past which the step records
    nothing (the workflow then ends the run timed out, and records that itself)."""

    steps: list[StepRecord]
    deadline_at: datetime | None = None

    def overdue(self, now: datetime) -> bool:
        return self.deadline_at is not None and now >= self.deadline_at

    def completed(self, run: RunContext, records: list[StepRecord], data: Doc) -> TransactionUpdate:
        """The run's record once its last steps (``records``) completed, leaving ``data``."""
        outcome = RatingOutcome(status="completed", result=data, steps=[*self.steps, *records])
        return TransactionUpdate(
            transaction_id=run.transaction_id, outcome=outcome, api_version=run.api_version
        )


class RatingOutcome(CamelModel):
    status: Literal["completed", "failed", "timed_out"]
    result: Doc | None = None
    steps: list[StepRecord]
    error: RunError | None = None


class TransactionUpdate(CamelModel):
    """What the workflow records about a finished run in the config store."""

    transaction_id: str
    outcome: RatingOutcome
    api_version: str = "v1"  # the run's (RunContext.api_version), for its count


class StepBatchInput(CamelModel):
    """Consecutive local steps run inside one local activity (``batch_local_steps``)."""

    run: RunContext
    steps: list[StepSpec]
    first_index: int
    data: Doc
    record: RecordOrder | None = None  # the batch ends the run (StepInput.record)


class StepBatchOutput(CamelModel):
    records: list[StepRecord]
    data: Doc | None = None  # the document after the batch; None when unchanged
    error: RunError | None = None  # a step that must stop the run failed
    # The index of a step whose first attempt failed and may be retried: the
    # workflow runs it again under Temporal's retry policy, then resumes.
    retry_at: int | None = None
    recorded: bool = False  # the run is recorded (RecordOrder)
