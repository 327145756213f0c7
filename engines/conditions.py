"""Step skip conditions: JMESPath over the working document."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jmespath


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> Any:
    return jmespath.compile(expression)


def condition_holds(expression: str, data: Any) -> bool:
    """JMESPath truthiness: null, false and empty strings, lists and objects are false."""
    value = _compiled(expression).search(data)
    return value not in (None, False, "", [], {})
