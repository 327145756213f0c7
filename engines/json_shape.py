"""The shape limits of a JSON document: how deep it nests."""

from __future__ import annotations

from typing import Any

# Deep enough for any rating document seen; far below what would break a parser,
# the pydantic data converter or a database's JSON functions on the way.
MAX_DEPTH = 64


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` levels (iteratively:
    no recursion for a hostile document to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
