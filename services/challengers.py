"""Challenger traffic through the API: put, read and stop a product endpoint's challenger,
and list what it gave (the worker side is ``activities.challengers``).

The challenger is resolved when it is put, as ``X-Flow-Version`` resolves a version (a
draft's steps checked as publishing would, as they are then): put it again after editing
the draft. Workers read it through their config cache, so a change reaches them within
``IRX_CONFIG_CACHE_TTL_S``.
"""

from __future__ import annotations

from sqlmodel import col, delete, select

from activities.registry import StepRegistry
from engines.impact_summary import Outcome, summarize
from models.challenger import (
    ChallengerPublic,
    ChallengerRequest,
    ChallengerResult,
    ChallengerResults,
)
from models.errors import ErrorCode, PlatformError
from models.principal import Actor, Principal
from models.tables import ChallengerResultRow, ChallengerRow
from services.published_flows import PublishedFlows
from store.audit import audit
from store.challengers import challenger_of, find_challenger
from store.db import SessionFactory

# The latest comparisons the summary covers.
SUMMARY_OVER = 1000


def public(row: ChallengerRow) -> ChallengerPublic:
    return ChallengerPublic(
        product_code=row.product_code,
        endpoint=row.endpoint,
        version=row.version,
        asked=row.asked,
        sample=row.sample,
        premium_path=row.premium_path,
        created_at=row.created_at,
    )


class ChallengerTraffic:
    def __init__(self, sessions: SessionFactory, flows: PublishedFlows, steps: StepRegistry):
        self.sessions = sessions
        self.flows = flows
        self.steps = steps

    async def put(
        self,
        actor: Actor,
        principal: Principal,
        product: str,
        endpoint: str,
        asked: ChallengerRequest,
    ) -> ChallengerRow:
        """Sets the endpoint's challenger (replacing any); audited (CHALLENGE)."""
        principal.require_scope("config:write")
        principal.require_product(product)
        published, _ = await self.flows.chosen(
            principal, product, endpoint, asked.version, self.steps
        )
        flow = published.flow
        async with self.sessions() as session:
            await session.exec(
                delete(ChallengerRow).where(
                    challenger_of(principal.organization_id, product, endpoint)
                )
            )
            row = ChallengerRow(
                organization_id=principal.organization_id,
                product_code=flow.product_code,
                endpoint=flow.endpoint,
                asked=str(asked.version),
                version=flow.version,
                flow=flow.model_dump(mode="json"),
                timeout_ms=published.timeout_ms,
                sample=asked.sample,
                premium_path=asked.premium_path,
                created_by=principal.api_key_id,
            )
            session.add(row)
            audit(
                session,
                actor,
                "CHALLENGE",
                "challenger",
                row.id,
                f"{product}/{endpoint}",
                after={"version": flow.version, "asked": row.asked, "sample": asked.sample},
            )
            await session.commit()
            await session.refresh(row)
        return row

    async def get(self, principal: Principal, product: str, endpoint: str) -> ChallengerRow:
        principal.require_scope("config:read")
        found = await find_challenger(self.sessions, principal.organization_id, product, endpoint)
        if found is None:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Challenger", id=f"{product}/{endpoint}"
            )
        return found

    async def stop(self, actor: Actor, principal: Principal, product: str, endpoint: str) -> None:
        """Stops the challenger (its results stay); audited (STOP)."""
        row = await self.get(principal, product, endpoint)
        principal.require_scope("config:write")
        async with self.sessions() as session:
            await session.exec(delete(ChallengerRow).where(col(ChallengerRow.id) == row.id))
            audit(session, actor, "STOP", "challenger", row.id, f"{product}/{endpoint}")
            await session.commit()

    async def results(
        self, principal: Principal, product: str, endpoint: str, limit: int
    ) -> ChallengerResults:
        """The latest comparisons, newest first, and the summary of the latest 1000 (404 for
        an endpoint that never had a challenger)."""
        principal.require_scope("config:read")
        async with self.sessions() as session:
            rows = (
                await session.exec(
                    select(ChallengerResultRow)
                    .where(
                        ChallengerResultRow.organization_id == principal.organization_id,
                        ChallengerResultRow.product_code == product,
                        ChallengerResultRow.endpoint == endpoint,
                    )
                    .order_by(col(ChallengerResultRow.created_at).desc())
                    .limit(max(limit, SUMMARY_OVER))
                )
            ).all()
        current = await find_challenger(self.sessions, principal.organization_id, product, endpoint)
        if current is None and not rows:
            raise PlatformError(
                ErrorCode.RESOURCE_NOT_FOUND, resource="Challenger", id=f"{product}/{endpoint}"
            )
        outcomes = [
            Outcome(
                r.transaction_id,
                r.challenger_transaction_id,
                r.status_before,
                r.status_after,
                r.premium_before,
                r.premium_after,
            )
            for r in rows[:SUMMARY_OVER]
        ]
        return ChallengerResults(
            challenger=None if current is None else public(current),
            summary=summarize(outcomes),
            items=[ChallengerResult.model_validate(r, from_attributes=True) for r in rows[:limit]],
        )
