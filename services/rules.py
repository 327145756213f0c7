"""Rule writes: every expression checked first (validate), then written and audited."""

from __future__ import annotations

from engines.rules import validate_rule
from models.errors import ErrorCode, PlatformError
from models.rules import Rule
from services.product_config import ProductConfigService
from store.rules import RULE_STORE


def _check(rule: Rule) -> None:
    problems = validate_rule(rule)
    if problems:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Rule '{rule.name}' has {len(problems)} invalid expression(s).",
            details={"problems": problems},
        )


RULES = ProductConfigService(store=RULE_STORE, noun="rule", limit="rules_per_product", check=_check)
put_rule = RULES.put
delete_rule = RULES.delete
