"""A client's JSON document, read and checked: valid JSON, and how deep it nests."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

import orjson

from models.errors import ErrorCode, PlatformError

# Deep enough for any rating document seen; far below what would break a parser,
# the pydantic data converter or a database's JSON functions on the way.
MAX_DEPTH = 64


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` nests objects and arrays more than ``limit`` levels.

    Level by level, keeping only containers: no recursion for a hostile document to
    exhaust. A level's values are typed by C loops (``chain``, ``map``, ``set``) and
    picked out only when the level holds containers, so a 50 MB schedule's millions of
    scalars cost no Python step each.
    """
    dicts = [value] if isinstance(value, dict) else []
    lists = [value] if isinstance(value, list) else []
    depth = 0
    while dicts or lists:
        depth += 1
        if depth > limit:
            return True
        kinds = set(map(type, _values(dicts, lists)))
        if not any(issubclass(kind, (dict, list)) for kind in kinds):
            return False
        values = list(_values(dicts, lists))
        dicts = values if kinds == {dict} else list(filter(_IS_DICT, values))
        lists = values if kinds == {list} else list(filter(_IS_LIST, values))
    return False


def _values(dicts: list[Any], lists: list[Any]) -> Iterator[Any]:
    return chain(chain.from_iterable(map(dict.values, dicts)), chain.from_iterable(lists))


_IS_DICT = dict.__instancecheck__
_IS_LIST = list.__instancecheck__


def parse_document(raw: bytes | bytearray) -> Any:
    """A request document's JSON, or VALIDATION_FAILED saying what is wrong with it."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            "The request body is not valid JSON.",
            details={"reason": str(exc)},
        ) from exc
    if too_deep(value):
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED,
            f"The request nests deeper than {MAX_DEPTH} levels.",
            details={"maxDepth": MAX_DEPTH},
        )
    return value
