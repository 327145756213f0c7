"""A product's rules, versioned by revision."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.rules import Rule, RulePublic
from models.tables import ProductRow, RuleRow
from store.revisions import revise


def rule_of(row: RuleRow) -> RulePublic:
    return RulePublic.model_validate(row, from_attributes=True)


async def find_rule(session: AsyncSession, product_id: str, name: str) -> RuleRow | None:
    query = select(RuleRow).where(RuleRow.product_id == product_id, RuleRow.name == name)
    return (await session.exec(query)).first()


async def list_rules(session: AsyncSession, product_id: str) -> list[RuleRow]:
    """The product's rules in evaluation order, phase by phase."""
    rows = await session.exec(
        select(RuleRow)
        .where(RuleRow.product_id == product_id)
        .order_by(col(RuleRow.phase), col(RuleRow.priority), col(RuleRow.name))
    )
    return list(rows.all())


async def count_rules(session: AsyncSession, product_id: str) -> int:
    query = select(func.count()).where(RuleRow.product_id == product_id)
    return (await session.exec(query)).one()


async def phase_rules(
    session: AsyncSession, organization_id: str, product_code: str, phase: str
) -> list[RuleRow]:
    """A product's rules of one phase, in evaluation order."""
    rows = await session.exec(
        select(RuleRow)
        .join(ProductRow, ProductRow.id == RuleRow.product_id)  # type: ignore[arg-type]
        .where(
            ProductRow.organization_id == organization_id,
            ProductRow.code == product_code,
            RuleRow.phase == phase,
        )
        .order_by(col(RuleRow.priority), col(RuleRow.name))
    )
    return list(rows.all())


async def upsert_rule(
    session: AsyncSession, product: ProductRow, rule: Rule
) -> tuple[RuleRow, bool]:
    """Creates or replaces a rule; returns its row and whether it changed."""
    values = rule.columns()
    row = await find_rule(session, product.id, rule.name)
    if row is None:
        row = RuleRow(
            organization_id=product.organization_id, product_id=product.id, name=rule.name, **values
        )
    elif not revise(row, values):
        return row, False
    session.add(row)
    await session.flush()
    return row, True
