"""Dead letters: rating events whose delivery failed every attempt, to inspect and replay."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import AdminDep, ServicesDep
from models.catalog import DeadLetterPublic
from models.errors import ErrorCode, PlatformError
from models.tables import EventOutboxRow
from store import outbox

router = APIRouter(prefix="/events/dead-letters", tags=["events"])


def _public(row: EventOutboxRow) -> DeadLetterPublic:
    return DeadLetterPublic(
        id=row.id,
        transaction_id=row.transaction_id,
        sink=str(row.sink.get("sink")),
        event=row.event,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
    )


def _not_found(event_id: str) -> PlatformError:
    return PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Dead letter", id=event_id)


@router.get("", response_model=list[DeadLetterPublic])
async def list_dead_letters(
    principal: AdminDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeadLetterPublic]:
    """The organization's dead letters, newest first."""
    rows = await outbox.dead_letters(services.sessions, principal.organization_id, limit)
    return [_public(row) for row in rows]


@router.get("/{event_id}", response_model=DeadLetterPublic)
async def get_dead_letter(
    event_id: str, principal: AdminDep, services: ServicesDep
) -> DeadLetterPublic:
    """One dead letter: its event, its sink, how many attempts failed and why."""
    row = await outbox.find_event(services.sessions, event_id, principal.organization_id)
    if row is None or row.status != outbox.DEAD:
        raise _not_found(event_id)
    return _public(row)


@router.post("/{event_id}/replay", status_code=202)
async def replay_dead_letter(event_id: str, principal: AdminDep, services: ServicesDep) -> Response:
    """Deliver a dead letter again, with its id and fresh attempts (at-least-once: consumers
    de-duplicate on the id)."""
    if not await outbox.replay(services.sessions, event_id, principal.organization_id):
        raise _not_found(event_id)
    return Response(status_code=202)


@router.delete("/{event_id}", status_code=204)
async def purge_dead_letter(event_id: str, principal: AdminDep, services: ServicesDep) -> Response:
    """Give up on a dead letter for good."""
    if not await outbox.purge(services.sessions, event_id, principal.organization_id):
        raise _not_found(event_id)
    return Response(status_code=204)
