"""A product's rules: expressions checked when saved, versioned by ETag."""

from __future__ import annotations

from api.routes.product_config import RouteDocs, product_config_router
from models.rules import Rule, RuleBase
from services.rules import RULES

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
