"""The event relay: an outbox event delivered at least once with its id, or a dead letter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from activities.event_relay import EventRelay
from activities.resources import StepResources
from activities.steps.publish import OWED, PublishEventConfig, publish_event
from models.settings import EventSettings
from store import outbox
from store.db import SessionFactory
from tests.activities.conftest import ORG, context


async def _owe(sessions: SessionFactory, resources: StepResources, config: Any) -> str:
    """What a completed run's record writes: the publish step's event, in the outbox."""
    result = await publish_event(context(resources, "publish_event"), config, {"premium": 1})
    async with sessions() as session:
        (event_id,) = await outbox.add_events(session, ORG, "tx-1", [result.detail[OWED]])
        await session.commit()
    return event_id


async def test_a_receiver_that_refuses_gets_the_event_again_then_it_is_a_dead_letter(
    step_sessions: SessionFactory,
    resources: StepResources,
    add_system: Callable[..., Any],
    serve: Callable[..., Any],
) -> None:
    received: list[str] = []
    accepting = False

    async def hook(request: Request) -> Response:
        received.append(request.headers["x-irx-event-id"])
        return Response(status_code=204 if accepting else 503)

    url = await serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
    await add_system("sink", url, kind="event_sink")
    config = PublishEventConfig(sink="webhook", system="sink", path="/hook")
    event_id = await _owe(step_sessions, resources, config)
    relay = EventRelay(step_sessions, resources, EventSettings(max_attempts=2, retry_base_s=30))
    assert await relay.deliver([event_id]) == {event_id: outbox.PENDING}  # due again later
    assert await outbox.due_events(step_sessions, 10) == []  # ... not at once
    first = await outbox.find_event(step_sessions, event_id, ORG)
    assert first is not None
    assert first.attempts == 1
    assert first.last_error is not None
    assert first.last_error.startswith("EVENT_SINK_UNAVAILABLE")
    assert await relay.deliver([event_id]) == {event_id: outbox.DEAD}
    assert [e.id for e in await outbox.dead_letters(step_sessions, ORG)] == [event_id]
    # The receiver is fixed; an operator replays the dead letter: same event id.
    accepting = True
    assert await outbox.replay(step_sessions, event_id, ORG)
    assert await outbox.due_events(step_sessions, 10) == [event_id]
    assert await relay.deliver([event_id]) == {event_id: outbox.DELIVERED}
    assert received == [event_id] * 3
    assert await outbox.dead_letters(step_sessions, ORG) == []


async def test_an_event_is_claimed_by_one_relay_at_a_time(
    step_sessions: SessionFactory, resources: StepResources
) -> None:
    event_id = await _owe(step_sessions, resources, PublishEventConfig(sink="file"))
    held = await outbox.claim(step_sessions, event_id, 60)
    assert held is not None
    relay = EventRelay(step_sessions, resources, EventSettings())
    assert await relay.deliver([event_id]) == {}  # another relay holds it
    assert not resources.event_log.exists()


async def test_a_delivered_event_is_not_sent_again(
    step_sessions: SessionFactory, resources: StepResources
) -> None:
    event_id = await _owe(step_sessions, resources, PublishEventConfig(sink="file"))
    relay = EventRelay(step_sessions, resources, EventSettings())
    assert await relay.deliver([event_id]) == {event_id: outbox.DELIVERED}
    assert await relay.deliver([event_id]) == {}
    assert len(resources.event_log.read_bytes().splitlines()) == 1


async def test_events_written_held_go_out_at_once_and_once(
    step_sessions: SessionFactory, resources: StepResources
) -> None:
    """A record writes its events leased to its own relay, which sends them without
    claiming them first; the relay's rounds leave them alone, and a retried record (its
    first attempt committed) adds none to send again."""
    result = await publish_event(
        context(resources, "publish_event"), PublishEventConfig(sink="file"), {"premium": 1}
    )
    owed = [result.detail[OWED]]
    async with step_sessions() as session:
        held = await outbox.add_events(session, ORG, "tx-1", owed, lease_s=60)
        await session.commit()
    assert await outbox.due_events(step_sessions, 10) == []  # leased: no round takes it
    relay = EventRelay(step_sessions, resources, EventSettings())
    assert await relay.deliver_held(ORG, owed, held) == {held[0]: outbox.DELIVERED}
    async with step_sessions() as session:
        assert await outbox.add_events(session, ORG, "tx-1", owed, lease_s=60) == []
    delivered = await outbox.find_event(step_sessions, held[0], ORG)
    assert delivered is not None
    assert (delivered.status, delivered.attempts, delivered.claimed_until) == (
        outbox.DELIVERED,
        1,
        None,
    )
    assert len(resources.event_log.read_bytes().splitlines()) == 1
