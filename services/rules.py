"""Rule writes: every expression checked first (validate), then written and audited."""

from __future__ import annotations

from engines.rules import validate_rule
from models.errors import ErrorCode, PlatformError
from models.rules import Rule, RuleChecked
from services.product_config import ProductConfigService
from store.rules import RULE_STORE


def check_rule(rule: Rule) -> RuleChecked:
    """The checks saving ``rule`` makes, without saving it.

    Raises:
        PlatformError: VALIDATION_FAILED listing every problem (``problems``: where in
            the rule, the expression, ZEN's message).
    """
    problems = validate_rule(rule)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Rule '{rule.name}' has {len(problems)} invalid expression(s).",
            details={"problems": problems},
        )
    tables = sum(a.table is not None for a in rule.actions)
    values = sum(isinstance(a.value, str) for a in rule.actions)
    return RuleChecked(name=rule.name, expressions=len(rule.conditions) + values + tables)


RULES = ProductConfigService(
    store=RULE_STORE, noun="rule", limit="rules_per_product", check=check_rule
)
put_rule = RULES.put
delete_rule = RULES.delete
