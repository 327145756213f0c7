"""Impact analyses and their items: the window selected, each re-rating's outcome, the
answer. The workflow's activities write them; the API reads them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from models.tables import ImpactItemRow, ImpactRunRow, TransactionRow, utcnow
from store.db import SessionFactory

# Items written per statement when a window is selected.
INSERT_BATCH = 1000


async def find_impact_run(
    sessions: SessionFactory, organization_id: str, impact_id: str
) -> ImpactRunRow | None:
    """The organization's impact run (another organization's reads as missing)."""
    async with sessions() as session:
        row = await session.get(ImpactRunRow, impact_id)
    return row if row is not None and row.organization_id == organization_id else None


async def select_window(sessions: SessionFactory, run: ImpactRunRow) -> int:
    """Writes the run's items: the window's live transactions of its product endpoint with
    the wanted outcomes (and baseline version), newest first, up to its limit. Runs once:
    a retried selection finds its items written and counts them."""
    async with sessions() as session:
        written = (
            await session.exec(
                select(ImpactItemRow.seq).where(ImpactItemRow.impact_run_id == run.id).limit(1)
            )
        ).first()
        if written is not None:
            found = await session.get(ImpactRunRow, run.id)
            assert found is not None
            return found.total or 0
        query = (
            select(TransactionRow.id, TransactionRow.status)
            .where(
                TransactionRow.organization_id == run.organization_id,
                TransactionRow.product_code == run.product_code,
                TransactionRow.endpoint == run.endpoint,
                TransactionRow.mode == "live",
                col(TransactionRow.status).in_(run.statuses),
                col(TransactionRow.started_at) >= run.window_from,
                col(TransactionRow.started_at) < run.window_to,
            )
            .order_by(col(TransactionRow.started_at).desc(), col(TransactionRow.id))
            .limit(run.limit)
        )
        if run.baseline != "published":
            query = query.where(TransactionRow.flow_version == int(run.baseline))
        chosen = (await session.exec(query)).all()
        items = [
            ImpactItemRow(impact_run_id=run.id, seq=seq, transaction_id=tid, status_before=status)
            for seq, (tid, status) in enumerate(chosen)
        ]
        for start in range(0, len(items), INSERT_BATCH):
            session.add_all(items[start : start + INSERT_BATCH])
            await session.flush()
        await session.exec(
            update(ImpactRunRow).where(col(ImpactRunRow.id) == run.id).values(total=len(items))
        )
        await session.commit()
        return len(items)


async def items_between(
    sessions: SessionFactory, impact_id: str, start: int, end: int
) -> list[ImpactItemRow]:
    async with sessions() as session:
        rows = await session.exec(
            select(ImpactItemRow)
            .where(
                ImpactItemRow.impact_run_id == impact_id,
                col(ImpactItemRow.seq) >= start,
                col(ImpactItemRow.seq) < end,
            )
            .order_by(col(ImpactItemRow.seq))
        )
        return list(rows.all())


async def save_items(
    sessions: SessionFactory, impact_id: str, items: Sequence[ImpactItemRow], done: int
) -> None:
    """Stores a batch's outcomes and moves the run's progress to ``done``, together."""
    async with sessions() as session:
        for item in items:
            session.add(await session.merge(item))
        await session.exec(
            update(ImpactRunRow).where(col(ImpactRunRow.id) == impact_id).values(done=done)
        )
        await session.commit()


async def stream_items(
    sessions: SessionFactory, impact_id: str, batch: int = 1000
) -> AsyncIterator[list[ImpactItemRow]]:
    """Every item of the run, by sequence, a batch at a time."""
    after = -1
    while True:
        async with sessions() as session:
            rows = list(
                (
                    await session.exec(
                        select(ImpactItemRow)
                        .where(
                            ImpactItemRow.impact_run_id == impact_id,
                            col(ImpactItemRow.seq) > after,
                        )
                        .order_by(col(ImpactItemRow.seq))
                        .limit(batch)
                    )
                ).all()
            )
        if not rows:
            return
        yield rows
        after = rows[-1].seq


async def finish(
    sessions: SessionFactory,
    impact_id: str,
    status: str,
    *,
    answer: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Ends the run as ``status`` with its answer (summary, groups, largest) or error; a run
    already ended (cancelled while its last batch ran) keeps its first ending."""
    values: dict[str, Any] = {"status": status, "completed_at": utcnow(), "error": error}
    values.update(answer or {})
    async with sessions() as session:
        await session.exec(
            update(ImpactRunRow)
            .where(col(ImpactRunRow.id) == impact_id, col(ImpactRunRow.status) == "running")
            .values(**values)
        )
        await session.commit()


async def list_impact_runs(sessions: SessionFactory, organization_id: str) -> list[ImpactRunRow]:
    """The organization's latest 100 analyses, newest first."""
    async with sessions() as session:
        rows = await session.exec(
            select(ImpactRunRow)
            .where(ImpactRunRow.organization_id == organization_id)
            .order_by(col(ImpactRunRow.created_at).desc())
            .limit(100)
        )
        return list(rows.all())
