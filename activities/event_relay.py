"""The relay: delivers what the event outbox holds, at least once, with the event's id.

A run's events are written with its outcome (``store.outbox``); the worker that records
the outcome tries each at once, and every worker's relay loop delivers what is still due:
an unreachable sink is retried with backoff, and an event that fails all its attempts is
kept as a dead letter (``irx events dlq``, ``/api/v1/events/dead-letters``) to be replayed
with its id. A sink that is down therefore never fails a rating.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from activities.resources import StepResources
from activities.steps.event_sinks import to_file, to_kafka, to_redis_stream, to_webhook
from activities.steps.kafka import kafka_producer
from models.errors import ErrorCode, PlatformError
from models.settings import EventSettings
from store import outbox
from store.db import SessionFactory

log = logging.getLogger(__name__)

# How long a claimed event is this relay's alone: longer than any sink's answer takes.
LEASE_S = 60.0


async def deliver_event(
    resources: StepResources, organization_id: str, sink: dict[str, Any], event: dict[str, Any]
) -> dict[str, Any]:
    """Sends ``event`` where ``sink`` (the publish step's resolved config) says; what the
    sink answered. EVENT_SINK_UNAVAILABLE (or the system's own code) when it cannot."""
    kind = sink["sink"]
    form = sink.get("format", "irx")  # owed before events had a format: as they were
    if kind == "redis" and resources.redis is not None:
        entry = await to_redis_stream(resources.redis, sink["stream"], event, sink["maxlen"], form)
        return {"entry": entry}
    if kind in ("redis", "file"):
        await to_file(resources.event_log, event, form)
        return {}
    if sink.get("system") is None:
        raise PlatformError(ErrorCode.VALIDATION_FAILED, f"The {kind} sink needs a system.")
    system = await resources.config.system(organization_id, sink["system"])
    if kind == "webhook":
        status = await to_webhook(
            resources.http,
            resources.breakers,
            f"{organization_id}:{system.code}",
            system,
            sink["path"],
            event,
        )
        return {"status": status}
    producer = await kafka_producer(resources, system.base_url)
    return await to_kafka(producer, sink["stream"], event)


class EventRelay:
    """Delivers the outbox's due events; one per worker process."""

    def __init__(
        self, sessions: SessionFactory, resources: StepResources, settings: EventSettings
    ) -> None:
        self.sessions = sessions
        self.resources = resources
        self.settings = settings

    async def deliver(self, event_ids: list[str]) -> dict[str, str]:
        """One attempt at each event this relay can claim; their statuses after it."""
        statuses = {}
        for event_id in event_ids:
            row = await outbox.claim(self.sessions, event_id, LEASE_S)
            if row is None:
                continue  # delivered already, or another relay has it
            statuses[event_id] = await self._attempt(
                event_id, row.organization_id, row.sink, row.event
            )
        return statuses

    async def deliver_held(
        self, organization_id: str, owed: list[dict[str, Any]], held: list[str]
    ) -> dict[str, str]:
        """One attempt at each of ``owed`` whose id is ``held``: written leased to this
        relay (``outbox.add_events``), so not claimed again."""
        return {
            entry["event"]["eventId"]: await self._attempt(
                entry["event"]["eventId"], organization_id, entry["sink"], entry["event"]
            )
            for entry in owed
            if entry["event"]["eventId"] in held
        }

    async def _attempt(
        self, event_id: str, organization_id: str, sink: dict[str, Any], event: dict[str, Any]
    ) -> str:
        """Delivers one event this relay holds and records the attempt; its status after."""
        error = None
        try:
            await deliver_event(self.resources, organization_id, sink, event)
        except PlatformError as exc:
            error = f"{exc.code}: {exc.message}"
        except Exception as exc:
            log.exception("event %s could not be delivered", event_id)
            error = f"{ErrorCode.INTERNAL_ERROR}: {type(exc).__name__}"
        status = await outbox.settle(
            self.sessions,
            event_id,
            error,
            max_attempts=self.settings.max_attempts,
            retry_base_s=self.settings.retry_base_s,
        )
        if status == outbox.DEAD:
            log.error("event %s is a dead letter after its attempts: %s", event_id, error)
        return status

    async def run(self) -> None:
        """Delivers due events until cancelled, every ``relay_interval_s``."""
        while True:
            try:
                await self.deliver(await outbox.due_events(self.sessions, limit=100))
            except Exception:  # the database down: the next round tries again
                log.exception("the event relay's round failed")
            await asyncio.sleep(self.settings.relay_interval_s)
