"""A product's rules, versioned by revision, listed in evaluation order."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.rules import Rule, RulePublic
from models.tables import ProductRow, RuleRow
from store.product_config import ProductConfigStore

RULE_STORE = ProductConfigStore[RuleRow, Rule, RulePublic](
    row=RuleRow,
    public=RulePublic,
    columns=Rule.columns,
    # Evaluation order, phase by phase.
    order_by=(col(RuleRow.phase), col(RuleRow.priority), col(RuleRow.name)),
)
rule_of = RULE_STORE.public_of
find_rule = RULE_STORE.find
list_rules = RULE_STORE.of_product


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
