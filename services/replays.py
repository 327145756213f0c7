"""Replays a quarantined document's transaction: its original request, run again as a new
transaction on the flow version it was pinned to, through the one run starter.

Steps are pure, so the pinned version run from the start on the same request gives the
refused step the same input again: a replay succeeds when the cause lay outside that
version (an engine's answer, a system's settings, since fixed) and fails as before
otherwise. A replay starts only once every run of the transaction has ended: while the
original or an earlier replay still runs, that run is the answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
from temporalio.service import RPCError, RPCStatusCode

from activities.registry import StepRegistry
from models.errors import ErrorCode, PlatformError
from models.flow import StepDraft
from models.principal import Actor, Principal
from models.rating import RatingInput
from models.tables import TransactionRow
from models.transactions import workflow_id
from services.quarantine import audit_use, quarantined
from services.request_body import RequestBody
from services.runs import RETRY_SOON, RunRequest, RunStarter, Started
from services.transactions import TransactionReader
from store.flows import PublishedFlow, pinned_version, runnable
from store.kept_requests import kept_request
from store.sealing import SealError
from store.transactions import find_transaction, latest_replay

# Reading a run's first history event takes milliseconds; past this Temporal is not answering.
HISTORY_TIMEOUT_S = 5.0


def _gone(transaction_id: str, why: str) -> PlatformError:
    return PlatformError(
        ErrorCode.REPLAY_UNAVAILABLE,
        details={"transactionId": transaction_id},
        id=transaction_id,
        why=why,
    )


class Replays:
    def __init__(self, runs: RunStarter, reader: TransactionReader, steps: StepRegistry) -> None:
        self.runs = runs
        self.reader = reader
        self.steps = steps

    async def replay(
        self, actor: Actor, principal: Principal, entry_id: str, api_version: str = "v1"
    ) -> Started:
        """Starts the entry's transaction again (``replayed``: a run of it still going,
        started nothing), and audits the request; ``api_version``: the one it is asked
        through."""
        sessions = self.runs.sessions
        async with sessions() as session:
            entry = await quarantined(session, principal, entry_id)
        original = await find_transaction(sessions, principal.organization_id, entry.transaction_id)
        if original is None:  # retention purges both together: only a race finds this
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Quarantined document", id=entry_id
            )
        latest = await latest_replay(sessions, original.organization_id, original.id) or original
        if latest.status == "running":
            latest = await self.reader.reconcile(latest)  # its run may have closed unrecorded
        if latest.status == "running":
            started = Started(latest, None, replayed=True)
        else:
            started = await self._start(actor, principal, original, latest, api_version)
        async with sessions() as session:
            audit_use(
                session,
                actor,
                entry,
                "REPLAY",
                transactionId=started.row.id,
                replayOf=original.id,
                flowVersion=started.row.flow_version,
                started=not started.replayed,
            )
            await session.commit()
        return started

    async def _start(
        self,
        actor: Actor,
        principal: Principal,
        original: TransactionRow,
        latest: TransactionRow,
        api_version: str,
    ) -> Started:
        # Requests that arrive together claim the same key, so they make one run; the
        # next replay, after this one, claims another. No client can send a key with
        # spaces, so none collides with theirs.
        key = f"replay of {original.id} after {latest.id}"
        published = await self.pinned(principal, original)
        # Shed and bounded like an async rating of the product.
        self.runs.admit(principal, published)
        await self.runs.admit_async(principal, published, key)
        limit = min(published.max_payload_bytes, principal.limits.max_payload_bytes)
        if original.request_bytes > limit:
            raise PlatformError(
                ErrorCode.PAYLOAD_TOO_LARGE, details={"limitBytes": limit}, limit=limit
            )
        body = await self.request(original)
        cid = actor.correlation_id or original.correlation_id
        # A replay rates for real what was rated for real; a simulation stays one.
        asked = RunRequest(
            principal,
            published,
            body,
            cid,
            key,
            replay_of=original.id,
            api_version=api_version,
            mode="simulation" if original.mode == "simulation" else "live",
        )
        return await self.runs.start(asked)

    async def pinned(self, principal: Principal, original: TransactionRow) -> PublishedFlow:
        """The flow version the transaction ran, with its product's limits of today."""
        async with self.runs.sessions() as session:
            found = await pinned_version(
                session, principal.organization_id, original.flow_version_id
            )
        if found is None:
            raise _gone(original.id, f"flow version {original.flow_version} no longer exists")
        product, version, endpoint = found
        if version.status != "draft":
            return runnable(product, version, endpoint)
        # A draft pins nothing: it runs as it is now, for those who may run drafts
        # (X-Flow-Version), its steps resolved as publishing would.
        principal.require_scope("config:write")
        specs = self.steps.resolve([StepDraft.model_validate(s) for s in version.steps])
        return runnable(product, version, endpoint, specs)

    async def request(self, original: TransactionRow) -> RequestBody:
        """The original request, received as the rate endpoint received it: a large one
        streamed from its blob, a small one as its transaction keeps it (or, kept by a
        transaction older than that, re-encoded from its run's input)."""
        if original.request_ref is None:
            try:
                raw = kept_request(self.runs.keyring, original)
            except SealError as exc:
                raise _gone(original.id, f"its kept request does not open ({exc})") from exc
            if raw is None:
                raw = await self._from_history(original)
            return await self.runs.receive(_pieces(raw))
        try:
            return await self.runs.receive(self.runs.documents.blobs.stream(original.request_ref))
        except PlatformError as exc:
            if exc.code != ErrorCode.RESOURCE_NOT_FOUND:
                raise
            raise _gone(original.id, "its request document is gone") from exc

    async def _from_history(self, original: TransactionRow) -> bytes:
        """A small request of a transaction written before requests were kept: only in
        its workflow's input, the first event of its history, for as long as the
        namespace retains that history."""
        client = self.runs.client
        events = client.get_workflow_handle(workflow_id(original.id)).fetch_history_events(
            page_size=1
        )
        try:
            first = await asyncio.wait_for(anext(events, None), HISTORY_TIMEOUT_S)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise _gone(original.id, "its run's history, holding its request, is gone") from exc
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE, headers=RETRY_SOON) from exc
        except TimeoutError as exc:
            raise PlatformError(ErrorCode.TEMPORAL_UNAVAILABLE, headers=RETRY_SOON) from exc
        if first is None or not first.HasField("workflow_execution_started_event_attributes"):
            raise _gone(original.id, "its run's history, holding its request, is gone")
        payloads = first.workflow_execution_started_event_attributes.input.payloads
        (run_input,) = await client.data_converter.decode(payloads, [RatingInput])
        return orjson.dumps(run_input.request.inline)


async def _pieces(raw: bytes) -> AsyncIterator[bytes]:
    yield raw
