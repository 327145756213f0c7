"""``publish_event``: publishes the rating outcome as an event.

The event id is derived from the transaction, the step and the event type, so a
retried step publishes the same id again and consumers de-duplicate on it.
Without Redis configured, the default sink appends to the local event log
(``IRX_EVENTS__LOG_PATH``) instead: the step log, the worker's start-up log and
``/api/v1/health`` all say so.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import activity

from activities.event_sinks import to_file, to_kafka, to_redis_stream, to_webhook
from activities.kafka import kafka_producer
from activities.sdk import (
    ErrorCode,
    PlatformError,
    RetrySpec,
    StepContext,
    StepResult,
    get_path,
    step_type,
)

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


@step_type(
    "publish_event",
    config=PublishEventConfig,
    local=False,
    timeout_ms=10_000,
    retry=RetrySpec(max_attempts=5, initial_interval_ms=200, max_interval_ms=5_000),
    description="Publishes the rating outcome as an event (Redis Streams, webhook or Kafka).",
    references=lambda c: [("system", c.system)] if c.system else [],
)
async def publish_event(ctx: StepContext, config: PublishEventConfig, data: Any) -> StepResult:
    event = build_event(ctx, config, data)
    res = ctx.resources
    detail: dict[str, Any] = {"eventId": event["eventId"], "sink": config.sink}
    if config.sink == "redis" and res.redis is not None:
        detail["entry"] = await to_redis_stream(res.redis, config.stream, event, config.maxlen)
    elif config.sink in ("redis", "file"):
        await to_file(res.event_log, event)
        detail["sink"] = "file"
    else:
        if config.system is None:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED, f"The {config.sink} sink needs a system."
            )
        system = await res.config.system(ctx.run.organization_id, config.system)
        if config.sink == "webhook":
            detail["status"] = await to_webhook(
                res.http,
                res.breakers,
                f"{ctx.run.organization_id}:{system.code}",
                system,
                config.path,
                event,
            )
        else:
            producer = await kafka_producer(res, system.base_url)
            detail.update(await to_kafka(producer, config.stream, event))
    return StepResult.same(**detail)
