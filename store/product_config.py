"""Writes of a product's mappings and rules, validated before they are stored.

Shared by the config API and the demo loader (and, later, config import), so a
mapping or rule is checked and versioned the same way whichever path writes it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.mapping_engine import MappingDefinition, compile_mapping
from activities.rules_engine import validate_rule
from activities.rules_model import Rule as RuleSpec
from models.errors import ErrorCode, PlatformError
from models.tables import Mapping, Product, Rule, utcnow
from store.directory import RULE_COLUMNS, rule_definition


def rule_values(rule: RuleSpec) -> dict[str, Any]:
    """The stored columns of a rule (its actions in their camelCase JSON form)."""
    values = {column: getattr(rule, column) for column in RULE_COLUMNS}
    values["actions"] = [
        a.model_dump(mode="json", by_alias=True, exclude_none=True) for a in rule.actions
    ]
    return values


def stored_rule(row: Rule) -> RuleSpec:
    return RuleSpec.model_validate(rule_definition(row))


async def find_mapping(session: AsyncSession, product: Product, name: str) -> Mapping | None:
    query = select(Mapping).where(Mapping.product_id == product.id, Mapping.name == name)
    return (await session.exec(query)).first()


async def find_rule(session: AsyncSession, product: Product, name: str) -> Rule | None:
    query = select(Rule).where(Rule.product_id == product.id, Rule.name == name)
    return (await session.exec(query)).first()


async def upsert_mapping(
    session: AsyncSession, product: Product, definition: MappingDefinition
) -> tuple[Mapping, bool]:
    """Creates or replaces a mapping (compiled first); returns it and whether it changed."""
    compile_mapping(definition)
    fields = [f.model_dump(mode="json", exclude_defaults=True) for f in definition.fields]
    row = await find_mapping(session, product, definition.name)
    if row is None:
        row = Mapping(
            organization_id=product.organization_id,
            product_id=product.id,
            name=definition.name,
            direction=definition.direction,
            fields=fields,
        )
    elif row.fields != fields or row.direction != definition.direction:
        row.fields, row.direction = fields, definition.direction
        row.revision += 1
        row.updated_at = utcnow()
    else:
        return row, False
    session.add(row)
    await session.flush()
    return row, True


async def upsert_rule(session: AsyncSession, product: Product, rule: RuleSpec) -> tuple[Rule, bool]:
    """Creates or replaces a rule (expressions checked first); returns it and whether it changed."""
    problems = validate_rule(rule)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Rule '{rule.name}' has {len(problems)} invalid expression(s).",
            details={"problems": problems},
        )
    values = rule_values(rule)
    row = await find_rule(session, product, rule.name)
    if row is None:
        row = Rule(
            organization_id=product.organization_id, product_id=product.id, name=rule.name, **values
        )
    elif any(getattr(row, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(row, key, value)
        row.revision += 1
        row.updated_at = utcnow()
    else:
        return row, False
    session.add(row)
    await session.flush()
    return row, True
