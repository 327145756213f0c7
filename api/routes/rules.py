"""A product's rules: expressions checked when saved, versioned by ETag."""

from __future__ import annotations

from api.deps import ReadableProduct
from api.routes.product_config import RouteDocs, product_config_router
from models.rules import Rule, RuleBase, RuleChecked
from services.rules import RULES, check_rule

router = product_config_router(
    RULES,
    RuleBase,
    Rule,
    RouteDocs(
        put="Create or replace a rule; expressions are checked first (If-Match guards a replace).",
        list="The product's rules, in evaluation order.",
        get="One rule, with its ETag (send it back as If-Match to replace or delete it).",
        delete="Delete a rule (If-Match guards it).",
    ),
)


@router.post("/validate", response_model=RuleChecked, name="validate_rule")
async def validate(product: ReadableProduct, body: Rule) -> RuleChecked:
    """A rule's expressions and tables checked as saving it would, without saving it.

    Refused with every problem (400 VALIDATION_FAILED: `problems`, each with where it is).
    """
    return check_rule(body)
