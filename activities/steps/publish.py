"""``publish_event``: the rating outcome as an event, owed once the run completes.

The step builds the event; it is written to the event outbox with the run's outcome, so
only a run that completed publishes it (never one that failed later or timed out), and
the relay delivers it (``activities.event_relay``): a sink that is down never fails the
rating. A simulation owes nothing: its step log shows the event it would have sent.
The event id is derived from the transaction, the step and the event type, so
every delivery of it carries the same id and consumers de-duplicate on it. Without Redis
configured, the default sink appends to the local event log (``IRX_EVENTS__LOG_PATH``)
instead: the step log, the worker's start-up log and ``/api/v1/health`` all say so.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import activity

from activities.sdk import (
    ErrorCode,
    PlatformError,
    RetrySpec,
    StepContext,
    StepResult,
    get_path,
    step_type,
)
from models.rating import StepRecord

EVENT_NAMESPACE = uuid.UUID("5d0e5c1e-8f5b-4a53-9a43-3b1f3c1d7e21")


class PublishEventConfig(BaseModel):
    """Config of ``publish_event``."""

    sink: Literal["redis", "webhook", "kafka", "file"] = Field(
        "redis", description="Where the event goes."
    )
    event_type: str = Field("rating.completed", description="The event's type.")
    stream: str = Field(
        "irx:events", description="Redis stream (redis) or topic (kafka) to publish to."
    )
    system: str | None = Field(
        None, description="System code of the webhook receiver or the Kafka cluster."
    )
    path: str = Field("/", description="Webhook path appended to the system's base URL.")
    summary: dict[str, str] = Field(
        default_factory=dict,
        description="Result summary: field name -> dotted path of its value in the data.",
    )
    maxlen: int = Field(1_000_000, ge=1, description="Approximate cap of the Redis stream.")
    format: Literal["irx", "cloudevents"] = Field(
        "irx",
        description=(
            "What the Redis stream and the event log carry: the event as it is, or a "
            "structured CloudEvent 1.0 with the event as its data. Webhooks and Kafka "
            "always carry CloudEvents' binary mode (headers), the event as the body."
        ),
    )


def event_id(transaction_id: str, step_index: int, event_type: str) -> str:
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{transaction_id}:{step_index}:{event_type}"))


def build_event(ctx: StepContext, config: PublishEventConfig, data: Any) -> dict[str, Any]:
    run = ctx.run
    occurred = activity.info().scheduled_time if activity.in_activity() else datetime.now(UTC)
    return {
        "eventId": event_id(run.transaction_id, ctx.index, config.event_type),
        "type": config.event_type,
        "occurredAt": occurred.isoformat(),
        "transactionId": run.transaction_id,
        "correlationId": run.correlation_id,
        "organizationId": run.organization_id,
        "productCode": run.product_code,
        "endpoint": run.endpoint,
        "flowVersion": run.flow_version,
        "summary": {name: get_path(data, path) for name, path in config.summary.items()},
    }


# The key of a publish step's detail under which the run's record finds what it owes.
OWED = "owed"


@step_type(
    "publish_event",
    config=PublishEventConfig,
    # It only builds the event (the outbox and its relay deliver it): in the run's last
    # workflow task, where it records the run too (models.rating.RecordOrder).
    local=True,
    timeout_ms=10_000,
    retry=RetrySpec(max_attempts=5, initial_interval_ms=200, max_interval_ms=5_000),
    description="Publishes the rating outcome as an event (Redis Streams, webhook or Kafka) "
    "once the run completes.",
    references=lambda c: [("system", c.system)] if c.system else [],
)
async def publish_event(ctx: StepContext, config: PublishEventConfig, data: Any) -> StepResult:
    event = build_event(ctx, config, data)
    sink = "file" if config.sink == "redis" and ctx.resources.redis is None else config.sink
    if sink in ("webhook", "kafka") and config.system is None:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, f"The {sink} sink needs a system.")
    if ctx.run.mode == "simulation":
        # Nothing is owed, so nothing reaches the outbox: the log shows what would have gone.
        return StepResult.same(eventId=event["eventId"], sink=sink, simulated=True, event=event)
    owed = {
        "event": event,
        "sink": {
            "sink": sink,
            "stream": config.stream,
            "system": config.system,
            "path": config.path,
            "maxlen": config.maxlen,
            "format": config.format,
        },
    }
    return StepResult.same(eventId=event["eventId"], sink=sink, **{OWED: owed})


def owed_events(records: list[StepRecord]) -> list[dict[str, Any]]:
    """What a run's completed publish steps owe the outbox."""
    return [r.detail[OWED] for r in records if r.status == "completed" and OWED in r.detail]


def without_owed(records: list[StepRecord]) -> list[StepRecord]:
    """The step records as kept: the event lives in the outbox, its id in the record."""
    return [
        r.model_copy(update={"detail": {k: v for k, v in r.detail.items() if k != OWED}})
        if OWED in r.detail
        else r
        for r in records
    ]
