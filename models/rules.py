"""Rules as product teams write them: scope, dates, ZEN conditions, actions.

``RuleBase`` is a rule's content (the body of ``PUT .../rules/{name}``), ``Rule``
the named rule the evaluator compiles and config files hold, ``RulePublic`` what
the API answers. The table row converts to and from these in one place each.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from models.base import CamelModel, NoNul, UtcDateTime

ActionType = Literal["set", "add", "multiply", "surcharge", "discount", "reject", "lookup"]


Phase = Literal["pre_rating", "post_rating"]
# Dotted keys, with ``[]`` stepping into each item of an array: ``states[].classes``.
FOR_EACH = r"^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\](?:\.[A-Za-z_][\w-]*)+)*(?:\[\])?$"


class _Model(CamelModel):
    model_config = {**CamelModel.model_config, "extra": "forbid"}


class RuleAction(_Model):
    """What a rule does when it fires."""

    type: ActionType
    target: str | None = Field(
        None,
        description=(
            "Dotted path the action writes; in a forEach rule, relative to the item "
            "($parent., $root. reach out); {path} placeholders are filled from the item."
        ),
    )
    value: str | float | bool | None = Field(
        None,
        description="A ZEN expression (text) or a number; surcharge and discount are percents.",
    )
    reason: str | None = Field(
        None,
        description="Why the request is rejected (reject); {path} placeholders are filled in.",
    )
    table: dict[str, Any] | None = Field(None, description="A JDM decision graph (lookup).")
    output: str | None = Field(
        None, description="The table output field written to target (lookup; all if unset)."
    )

    @model_validator(mode="after")
    def _complete(self) -> RuleAction:
        if self.type != "reject" and not self.target:
            raise ValueError(f"a {self.type} action needs a target")
        if self.type == "lookup" and self.table is None:
            raise ValueError("a lookup action needs a decision table")
        if self.type not in ("reject", "lookup") and self.value is None:
            raise ValueError(f"a {self.type} action needs a value")
        return self


class RuleBase(_Model, NoNul):
    """A pre- or post-rating rule's content."""

    phase: Phase
    priority: int = Field(100, description="Lower runs first.")
    for_each: str | None = Field(
        None,
        max_length=500,
        pattern=FOR_EACH,
        description=(
            "Apply the rule to each item of this array ('states', or 'states[].classes' "
            "for every class of every state): paths are the item's, $parent is the "
            "enclosing item (the document at the top), $root the document; scope tags "
            "match the item's fields, then its enclosing items'."
        ),
    )
    scope: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Tags the run must match, e.g. {'state': 'NY'}."
    )
    conditions: list[str] = Field(
        default_factory=list, description="ZEN expressions; all must be true (none: always)."
    )
    actions: list[RuleAction] = Field(min_length=1)
    active: bool = True
    effective_from: date | None = None
    effective_to: date | None = None

    def columns(self) -> dict[str, Any]:
        """The rule's stored columns (actions as their JSON form)."""
        values = self.model_dump(by_alias=False, exclude={"name", "actions"})
        values["actions"] = [a.model_dump(mode="json", exclude_none=True) for a in self.actions]
        return values


class Rule(RuleBase):
    """A named rule of a product: what the evaluator compiles."""

    name: str = Field(min_length=1, max_length=255)


class RulePublic(Rule):
    revision: int
    updated_at: UtcDateTime


class RuleChecked(CamelModel):
    """``POST .../rules/validate``: the rule passed the checks saving it would make."""

    name: str
    valid: Literal[True] = True
    expressions: int = Field(description="The expressions and tables checked.")
