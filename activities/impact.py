"""The impact workflow's activities: select the window, prepare each batch's re-ratings as
simulation transactions, compare what they gave with what was recorded, sum it all up.

Every one is idempotent, as a retried activity must be: a batch's simulation transactions
are named by the analysis and the item (the same ids on a retry), the window is selected
once, and a comparison overwrites its own items.
"""

from __future__ import annotations

import uuid
from typing import Any

from temporalio import activity

from engines.document_diff import compared
from engines.impact_summary import Outcome, by_group, largest, premium_at, summarize
from engines.paths import get_path
from models.activity_names import (
    IMPACT_COMPARE,
    IMPACT_END,
    IMPACT_FINISH,
    IMPACT_PREPARE,
    IMPACT_SELECT,
)
from models.errors import ErrorCode
from models.impact import ImpactActivityInput, ImpactEnd, Rerun, RerunBatch
from models.rating import Doc
from models.tables import ImpactItemRow, ImpactRunRow, TransactionRow
from store import impact_runs
from store.db import SessionFactory
from store.documents import Documents
from store.impact_runs import items_between, save_items
from store.kept_requests import rerun_of, run_request
from store.sealing import Keyring
from store.transactions import insert_transaction

IMPACT_NAMESPACE = uuid.UUID("0b6c9a52-3c1e-4f57-9c55-6a1d2f3e8b41")


def rerun_id(impact_id: str, seq: int) -> str:
    """The simulation transaction that re-rates item ``seq``: the same on every retry."""
    return str(uuid.uuid5(IMPACT_NAMESPACE, f"{impact_id}:{seq}"))


class ImpactActivities:
    def __init__(
        self, sessions: SessionFactory, documents: Documents, keyring: Keyring | None
    ) -> None:
        self.sessions = sessions
        self.documents = documents
        self.keyring = keyring

    async def _run(self, impact_id: str) -> ImpactRunRow:
        async with self.sessions() as session:
            run = await session.get(ImpactRunRow, impact_id)
        assert run is not None, f"impact run {impact_id} is gone"
        return run

    @activity.defn(name=IMPACT_SELECT)
    async def select(self, inp: ImpactActivityInput) -> int:
        """Selects the window's transactions; how many there are."""
        return await impact_runs.select_window(self.sessions, await self._run(inp.impact_id))

    @activity.defn(name=IMPACT_PREPARE)
    async def prepare(self, inp: ImpactActivityInput) -> RerunBatch:
        """A simulation transaction per item of the batch, with the original's request; an
        item whose request is no longer kept is settled at once (REPLAY_UNAVAILABLE)."""
        run = await self._run(inp.impact_id)
        reruns, lost = [], []
        for item in await items_between(self.sessions, run.id, inp.offset, inp.offset + inp.count):
            async with self.sessions() as session:
                original = await session.get(TransactionRow, item.transaction_id)
                existing = await session.get(TransactionRow, rerun_id(run.id, item.seq))
            found = None if original is None else _simulation(self.keyring, run, item, original)
            if found is None:
                item.error_code = ErrorCode.REPLAY_UNAVAILABLE.value
                lost.append(item)
                continue
            row, request = found
            if existing is None:  # a retried batch finds its transactions written
                await insert_transaction(self.sessions, row)
            reruns.append(Rerun(seq=item.seq, transaction_id=row.id, request=request))
        if lost:
            await save_items(self.sessions, run.id, lost, run.done)
        return RerunBatch(impact_id=run.id, reruns=reruns)

    @activity.defn(name=IMPACT_COMPARE)
    async def compare(self, inp: ImpactActivityInput) -> None:
        """Records what each re-rating of the batch gave against what was recorded."""
        run = await self._run(inp.impact_id)
        items = await items_between(self.sessions, run.id, inp.offset, inp.offset + inp.count)
        for item in items:
            if item.error_code == ErrorCode.REPLAY_UNAVAILABLE.value:
                continue
            async with self.sessions() as session:
                original = await session.get(TransactionRow, item.transaction_id)
                rerun = await session.get(TransactionRow, rerun_id(run.id, item.seq))
            if original is None or rerun is None:
                item.error_code = ErrorCode.REPLAY_UNAVAILABLE.value
                continue
            await self._compare(run, item, original, rerun)
        await save_items(self.sessions, run.id, items, inp.offset + inp.count)

    async def _compare(
        self,
        run: ImpactRunRow,
        item: ImpactItemRow,
        original: TransactionRow,
        rerun: TransactionRow,
    ) -> None:
        before = await self.documents.result_of(original)
        after = await self.documents.result_of(rerun)
        item.rerate_id = rerun.id
        item.status_after = rerun.status
        item.error_code = (rerun.error or {}).get("code")
        item.premium_before = premium_at(before, run.premium_path)
        item.premium_after = premium_at(after, run.premium_path)
        size = original.response_bytes or 0
        item.difference_count = (await compared(before, after, size, limit=0))[1]
        delta = _outcome(item).delta_pct
        item.delta_pct = None if delta is None else round(delta, 6)
        if run.group_by:
            request = await self._original_request(original)
            item.groups = [get_path(request, path) for path in run.group_by]

    async def _original_request(self, original: TransactionRow) -> Any:
        found = run_request(self.keyring, original)
        if found is None:
            return None
        return await self.documents.load(found[0])

    @activity.defn(name=IMPACT_FINISH)
    async def finish(self, inp: ImpactActivityInput) -> None:
        """Sums the items up: the summary, per group, and the largest changes."""
        run = await self._run(inp.impact_id)
        outcomes = []
        async for rows in impact_runs.stream_items(self.sessions, run.id):
            outcomes += [_outcome(row) for row in rows]
            activity.heartbeat(len(outcomes))
        answer = {
            "summary": summarize(outcomes).model_dump(mode="json", by_alias=True),
            "groups": [
                g.model_dump(mode="json", by_alias=True) for g in by_group(outcomes, run.group_by)
            ],
            "largest": [c.model_dump(mode="json", by_alias=True) for c in largest(outcomes)],
        }
        await impact_runs.finish(self.sessions, run.id, "completed", answer=answer)

    @activity.defn(name=IMPACT_END)
    async def end(self, inp: ImpactEnd) -> None:
        """Ends a run that did not finish: cancelled, or failed with ``error``."""
        await impact_runs.finish(self.sessions, inp.impact_id, inp.status, error=inp.error)


def _simulation(
    keyring: Keyring | None, run: ImpactRunRow, item: ImpactItemRow, original: TransactionRow
) -> tuple[TransactionRow, Doc] | None:
    """The simulation transaction re-rating ``original`` under the run's candidate."""
    return rerun_of(
        keyring,
        original,
        rerun_id(run.id, item.seq),
        flow_version=run.candidate_version,
        flow_version_id=run.candidate_version_id,
        api_key_id=run.created_by,
        correlation_id=f"impact-{run.id}",
    )


def _outcome(row: ImpactItemRow) -> Outcome:
    return Outcome(
        row.transaction_id,
        row.rerate_id,
        row.status_before,
        row.status_after,
        row.premium_before,
        row.premium_after,
        tuple(row.groups or ()),
    )
