"""Re-rates a past transaction: its kept request run again, as a simulation, on the very
version it ran (its pinned steps, mappings, rules and schema), and the new result compared
field by field with the one recorded: the proof that any premium can be recomputed.

A simulation publishes nothing and joins no hash chain, so re-rating is free of side
effects whatever the flow does; it is a transaction of its own (``replayOf`` names the
original) that the caller waits for, as for a synchronous rating.
"""

from __future__ import annotations

from typing import Literal

from engines.document_diff import compared
from models.errors import ErrorCode, PlatformError
from models.principal import Actor, Principal
from models.rating import Doc, RunStatus
from models.tables import TransactionRow
from models.transactions import Difference, RerateResult
from services.published_flows import PublishedFlows
from services.replays import Replays
from services.runs import RunRequest
from services.sync_runs import SyncRuns
from store.audit import audit
from store.transactions import find_transaction


class Rerates:
    def __init__(self, replays: Replays, sync: SyncRuns, flows: PublishedFlows) -> None:
        self.replays = replays
        self.sync = sync
        self.flows = flows
        self.documents = sync.documents

    async def rerate(
        self,
        actor: Actor,
        principal: Principal,
        transaction_id: str,
        api_version: str = "v1",
        version: int | Literal["draft"] | None = None,
    ) -> RerateResult:
        """Runs the transaction's request again on its version (or on ``version``: what
        that one would have answered) and compares the results.

        Raises:
            PlatformError: RESOURCE_NOT_FOUND (another organization's reads as missing),
                RESOURCE_CONFLICT while it still runs, REPLAY_UNAVAILABLE when its request
                or its version is gone, and whatever a synchronous rating answers.
        """
        principal.require_scope("config:write")
        sessions = self.replays.runs.sessions
        original = await find_transaction(sessions, principal.organization_id, transaction_id)
        if original is None:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Transaction", id=transaction_id
            )
        if original.status == "running":
            original = await self.replays.reader.reconcile(original)
        if original.status == "running":
            raise PlatformError(
                ErrorCode.RESOURCE_CONFLICT,
                f"Transaction '{transaction_id}' is still running: re-rate it once it ends.",
            )
        if version is None:
            published = await self.replays.pinned(principal, original)
        else:
            published, _ = await self.flows.chosen(
                principal, original.product_code, original.endpoint, version, self.replays.steps
            )
        body = await self.replays.request(original)
        asked = RunRequest(
            principal,
            published,
            body,
            actor.correlation_id or original.correlation_id,
            replay_of=original.id,
            api_version=api_version,
            mode="simulation",
        )
        rated = await self.sync.rate(asked)
        answer = rated.answer
        result = await self.compare(
            original, answer.transaction_id, answer.flow_version, answer.status, rated.result
        )
        async with sessions() as session:
            audit(
                session,
                actor,
                "RERATE",
                "transaction",
                original.id,
                f"{original.product_code}/{original.endpoint}",
                after={
                    "transactionId": result.transaction_id,
                    "flowVersion": published.flow.version,
                    "identical": result.identical,
                },
            )
            await session.commit()
        return result

    async def compare(
        self,
        original: TransactionRow,
        rerun_id: str,
        flow_version: int,
        status: RunStatus,
        result: Doc | None,
    ) -> RerateResult:
        """The re-run ``rerun_id`` (its status and result document) against what
        ``original`` recorded."""
        before = await self.documents.result_of(original)
        after = None if result is None else await self.documents.load(result)
        listed, count = await compared(before, after, original.response_bytes or 0)
        if status != original.status:
            listed.insert(0, Difference(path="$status", before=original.status, after=status))
            count += 1
        return RerateResult(
            transaction_id=rerun_id,
            rerate_of=original.id,
            flow_version=flow_version,
            status=status,
            identical=count == 0,
            differences=listed,
            difference_count=count,
        )
