"""Config rows versioned by revision: a change bumps it, an identical write does not."""

from __future__ import annotations

from typing import Any, Protocol

from models.tables import utcnow


class Revised(Protocol):
    revision: int
    updated_at: Any


def revise(row: Revised, values: dict[str, Any]) -> bool:
    """Writes ``values`` into ``row``; bumps its revision only if one of them changed."""
    if all(getattr(row, key) == value for key, value in values.items()):
        return False
    for key, value in values.items():
        setattr(row, key, value)
    row.revision += 1
    row.updated_at = utcnow()
    return True
