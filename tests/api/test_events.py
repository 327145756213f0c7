"""Events go out once a run completes, through the outbox: a sink that is down never fails
a rating, and what cannot be delivered waits as a dead letter, replayed with its id."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.api.test_rate import assert_envelope
from tests.conftest import Stack, serve_app


class Receiver:
    """A webhook receiver that refuses (503) until told to accept."""

    def __init__(self) -> None:
        self.accepting = False
        self.received: list[str] = []

    async def hook(self, request: Request) -> Response:
        self.received.append(request.headers["x-irx-event-id"])
        return Response(status_code=204 if self.accepting else 503)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    hook = Receiver()
    async with serve_app(Starlette(routes=[Route("/hook", hook.hook, methods=["POST"])])) as url:
        yield hook, url


async def _webhook_product(stack: Stack, url: str) -> None:
    """HOOKED: validate, then publish to a webhook."""
    h = stack.headers
    system = {"code": "hook", "name": "Hook", "kind": "event_sink", "baseUrl": url}
    await stack.http.post("/api/v1/systems", json=system, headers=h)
    await stack.http.post("/api/v1/products", json={"code": "HOOKED", "name": "h"}, headers=h)
    steps = [
        {"name": "v", "type": "validate_request", "config": {"schema": {"type": "object"}}},
        {
            "name": "publish",
            "type": "publish_event",
            "config": {"sink": "webhook", "system": "hook", "path": "/hook"},
        },
    ]
    await stack.http.post(
        "/api/v1/products/HOOKED/flows/rate/versions", json={"steps": steps}, headers=h
    )
    await stack.http.post("/api/v1/products/HOOKED/flows/rate/versions/1/publish", headers=h)


async def test_a_sink_that_is_down_never_fails_a_rating_and_its_event_is_replayed(
    stack: Stack, receiver: tuple[Receiver, str]
) -> None:
    hook, url = receiver
    stack.settings.events.max_attempts = 1  # one attempt, then a dead letter
    await _webhook_product(stack, url)
    h = stack.headers
    rated = (await stack.http.post("/api/v1/HOOKED/rate", json={"a": 1}, headers=h)).json()
    assert rated["status"] == "completed", rated  # the receiver refused; the rating stands
    event_id = rated["steps"][1]["detail"]["eventId"]
    assert "owed" not in rated["steps"][1]["detail"]  # the event lives in the outbox
    dead = (await stack.http.get("/api/v1/events/dead-letters", headers=h)).json()
    assert [(d["id"], d["transactionId"], d["sink"]) for d in dead] == [
        (event_id, rated["transactionId"], "webhook")
    ]
    assert dead[0]["lastError"].startswith("EVENT_SINK_UNAVAILABLE")
    one = (await stack.http.get(f"/api/v1/events/dead-letters/{event_id}", headers=h)).json()
    assert one["event"]["transactionId"] == rated["transactionId"]
    # The receiver is back: an operator replays it; the relay delivers it, same id.
    hook.accepting = True
    replayed = await stack.http.post(f"/api/v1/events/dead-letters/{event_id}/replay", headers=h)
    assert replayed.status_code == 202
    for _ in range(100):
        if len(hook.received) == 2:
            break
        await asyncio.sleep(0.1)
    assert hook.received == [event_id, event_id]
    assert (await stack.http.get("/api/v1/events/dead-letters", headers=h)).json() == []
    gone = await stack.http.get(f"/api/v1/events/dead-letters/{event_id}", headers=h)
    assert_envelope(gone, 404, "RESOURCE_NOT_FOUND")


async def test_a_run_that_fails_after_its_publish_step_publishes_nothing(stack: Stack) -> None:
    h = stack.headers
    await stack.http.post("/api/v1/products", json={"code": "LATE", "name": "l"}, headers=h)
    steps = [
        {"name": "publish", "type": "publish_event", "config": {"sink": "file"}},
        {
            "name": "v",
            "type": "validate_request",
            "config": {"schema": {"type": "object", "required": ["quote"]}},
        },
    ]
    await stack.http.post(
        "/api/v1/products/LATE/flows/rate/versions", json={"steps": steps}, headers=h
    )
    await stack.http.post("/api/v1/products/LATE/flows/rate/versions/1/publish", headers=h)
    rated = (await stack.http.post("/api/v1/LATE/rate", json={"a": 1}, headers=h)).json()
    assert rated["status"] == "failed"
    event_id = rated["steps"][0]["detail"]["eventId"]
    log = stack.settings.events.log_path
    published = (
        [json.loads(line)["eventId"] for line in log.read_text().splitlines()]
        if (log.exists())
        else []
    )
    assert event_id not in published
