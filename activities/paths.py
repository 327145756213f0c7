"""Dotted paths into a working document (``policy.insured.name``) for step configs."""

from __future__ import annotations

from typing import Any

from models.errors import ErrorCode, PlatformError


def get_path(doc: Any, path: str | None) -> Any:
    """The value at ``path`` (None or "" is the whole document); missing parts read as None."""
    if not path:
        return doc
    value = doc
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def with_path(doc: Any, path: str | None, value: Any) -> Any:
    """A copy of ``doc`` with ``value`` at ``path``, copying only the dicts along the path."""
    if not path:
        return value
    if not isinstance(doc, dict):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Cannot set '{path}': the working document is not an object.",
        )
    head, _, rest = path.partition(".")
    child = doc.get(head)
    if rest and child is not None and not isinstance(child, dict):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"Cannot set '{path}': '{head}' holds a {type(child).__name__}, not an object.",
        )
    return {**doc, head: with_path(child or {}, rest, value) if rest else value}
