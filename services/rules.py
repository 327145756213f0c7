"""Rule writes: check every expression (validate), write, audit."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from engines.rules import validate_rule
from models.errors import ErrorCode, PlatformError
from models.principal import Actor
from models.rules import Rule
from models.tables import ProductRow, RuleRow
from services.etags import check_etag
from services.limits import check_room
from store import rules
from store.audit import audit


async def put_rule(
    session: AsyncSession,
    actor: Actor,
    product: ProductRow,
    rule: Rule,
    if_match: str | None = None,
) -> RuleRow:
    """Creates or replaces a rule, its expressions checked first; no commit."""
    problems = validate_rule(rule)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Rule '{rule.name}' has {len(problems)} invalid expression(s).",
            details={"problems": problems},
        )
    existing = await rules.find_rule(session, product.id, rule.name)
    before = None
    if existing is not None:
        check_etag(if_match, existing.revision)
        before = rules.rule_of(existing).model_dump(mode="json")
    else:
        await check_room(
            session, actor, "rules_per_product", lambda: rules.count_rules(session, product.id)
        )
    row, changed = await rules.upsert_rule(session, product, rule)
    if changed:
        after = rules.rule_of(row).model_dump(mode="json")
        audit(
            session,
            actor,
            "UPDATE" if before else "CREATE",
            "rule",
            row.id,
            row.name,
            before,
            after,
        )
    return row


async def delete_rule(
    session: AsyncSession, actor: Actor, product: ProductRow, name: str, if_match: str | None
) -> None:
    """Deletes a rule (``if_match`` guards it); no commit."""
    row = await rules.find_rule(session, product.id, name)
    if row is None:
        raise PlatformError(ErrorCode.RESOURCE_NOT_FOUND, resource="Rule", id=name)
    check_etag(if_match, row.revision)
    before = rules.rule_of(row).model_dump(mode="json")
    audit(session, actor, "DELETE", "rule", row.id, name, before=before)
    await session.delete(row)
