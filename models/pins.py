"""What a published flow version pins: its product's mappings, rules and request schema.

A run reads its mappings and rules from the version it runs, never the live ones,
so editing a rule changes nothing until a new version is published, a rollback
restores exactly what the version ran, and a run never mixes two configurations.
"""

from __future__ import annotations

from typing import Any

from models.base import CamelModel
from models.mappings import MappingPublic
from models.rules import RulePublic


class PinnedConfig(CamelModel):
    """Every mapping (by name) and rule (by phase, in evaluation order) of the product,
    and its request schema (what ``validate_request`` checks when it names none)."""

    mappings: dict[str, MappingPublic] = {}
    rules: dict[str, list[RulePublic]] = {}
    request_schema: dict[str, Any] | None = None
