"""A product endpoint's challenger (``models.tables.ChallengerRow``): at most one."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_
from sqlmodel import col, select

from models.tables import ChallengerRow
from store.db import SessionFactory


def challenger_of(organization_id: str, product: str, endpoint: str) -> ColumnElement[bool]:
    """The condition that picks the endpoint's challenger row."""
    return and_(
        col(ChallengerRow.organization_id) == organization_id,
        col(ChallengerRow.product_code) == product,
        col(ChallengerRow.endpoint) == endpoint,
    )


async def find_challenger(
    sessions: SessionFactory, organization_id: str, product: str, endpoint: str
) -> ChallengerRow | None:
    async with sessions() as session:
        found = await session.exec(
            select(ChallengerRow).where(challenger_of(organization_id, product, endpoint))
        )
        return found.first()
