"""Quarantined documents: what steps refused as invalid, and why; read one, download it,
replay its transaction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response, StreamingResponse

from api.deps import (
    ConfigReaderDep,
    CorrelationDep,
    RaterDep,
    ServicesDep,
    SessionDep,
    actor_of,
)
from api.responses import blob_response, json_response
from api.versions import prefix_of, version_of
from models.catalog import QuarantinePublic
from models.tables import QuarantineRow
from models.transactions import ReplayAccepted
from services.quarantine import audit_use, quarantined
from store.quarantine import list_quarantined

router = APIRouter(prefix="/quarantine", tags=["quarantine"])

EntryId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9:-]{1,120}$", description="The entry's id (`{transactionId}:{step}`)."
    ),
]


@router.get("", response_model=list[QuarantinePublic])
async def list_quarantine(
    principal: ConfigReaderDep,
    session: SessionDep,
    transaction_id: Annotated[
        str | None, Query(alias="transactionId", pattern=r"^[A-Za-z0-9-]{1,36}$")
    ] = None,
    transaction_id_v1: Annotated[
        str | None, Query(alias="transaction_id", pattern=r"^[A-Za-z0-9-]{1,36}$", deprecated=True)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[QuarantineRow]:
    """The organization's quarantined documents, newest first (`transaction_id`, v1's
    name of `transactionId`, is not read by v2)."""
    transaction = transaction_id or transaction_id_v1
    return await list_quarantined(
        session, principal.organization_id, principal.allowed_products, transaction, limit
    )


@router.get("/{entry_id}", response_model=QuarantinePublic)
async def get_quarantined(
    entry_id: EntryId, principal: ConfigReaderDep, session: SessionDep
) -> QuarantineRow:
    """One quarantined document's entry: its transaction, step, code and reason."""
    return await quarantined(session, principal, entry_id)


@router.get(
    "/{entry_id}/document",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/xml": {"schema": {"type": "string"}}},
            "description": "The document as the step refused it, byte for byte.",
        }
    },
)
async def download_quarantined(
    entry_id: EntryId,
    request: Request,
    principal: ConfigReaderDep,
    session: SessionDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> Response:
    """The refused document itself, streamed from the blob store; audited (DOWNLOAD)."""
    entry = await quarantined(session, principal, entry_id)
    name = entry.id.replace(":", "-")
    response = await blob_response(
        services.blobs,
        entry.document_ref,
        "application/xml",
        {"Content-Disposition": f'attachment; filename="{name}.xml"'},
    )
    # Recorded once the document is known readable: what is audited was sent.
    audit_use(session, actor_of(request, principal, cid), entry, "DOWNLOAD")
    await session.commit()
    return response


@router.post(
    "/{entry_id}/replay",
    status_code=202,
    response_model=ReplayAccepted,
    responses={202: {"description": "Started (or still running); poll the Location."}},
)
async def replay_quarantined(
    entry_id: EntryId,
    request: Request,
    principal: RaterDep,
    services: ServicesDep,
    cid: CorrelationDep,
) -> Response:
    """Run the document's transaction again, as a new transaction (`replayOf`), on the flow
    version it was pinned to, with its original request; needs `rate` and `config:read`.

    Answers like `Prefer: respond-async`: 202 with `Location`. While a run of that
    transaction (the original or an earlier replay) is still going, it is the answer,
    with `X-Idempotent-Replayed: true`, and nothing starts. Audited (REPLAY).
    """
    principal.require_scope("config:read")  # it reveals what was quarantined
    actor = actor_of(request, principal, cid)
    version = version_of(request.url.path) or "v1"
    started = await services.replays.replay(actor, principal, entry_id, version)
    row = started.row
    location = f"{prefix_of(request.url.path)}/transactions/{row.id}"
    accepted = ReplayAccepted(
        transaction_id=row.id, status=row.status, location=location, replay_of=row.replay_of
    )
    headers = {"Location": location}
    if started.replayed:
        headers["X-Idempotent-Replayed"] = "true"
    return json_response(accepted.model_dump(mode="json"), status_code=202, headers=headers)
