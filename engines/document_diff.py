"""Two JSON documents compared field by field: where they differ, and how.

Used to prove a re-rating identical (``services.rerates``) and to count what a rate
change changes (impact analysis). Numbers compare by value (``1`` equals ``1.0``, as
JSON has one number type), never a boolean with a number.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

from models.transactions import Difference

# Differences listed in full; the rest are only counted.
MAX_LISTED = 100
# Documents larger than this (bytes) are compared off the event loop.
OFF_LOOP_BYTES = 1024 * 1024


async def compared(
    before: Any, after: Any, size: int, limit: int = MAX_LISTED
) -> tuple[list[Difference], int]:
    """:func:`differences`, in a thread when the documents are large (``size`` bytes): a
    large schedule's comparison would hold the event loop."""
    if size > OFF_LOOP_BYTES:
        return await asyncio.to_thread(differences, before, after, limit)
    return differences(before, after, limit)


def differences(before: Any, after: Any, limit: int = MAX_LISTED) -> tuple[list[Difference], int]:
    """The first ``limit`` differences between the two documents, and how many there are."""
    listed: list[Difference] = []
    count = 0
    for difference in _walk(before, after, ""):
        count += 1
        if len(listed) < limit:
            listed.append(difference)
    return listed, count


def _same_scalar(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


def _walk(before: Any, after: Any, path: str) -> Iterator[Difference]:
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            here = f"{path}.{key}" if path else str(key)
            if key in after:
                yield from _walk(value, after[key], here)
            else:
                yield Difference(path=here, before=value, kind="removed")
        for key, value in after.items():
            if key not in before:
                here = f"{path}.{key}" if path else str(key)
                yield Difference(path=here, after=value, kind="added")
        return
    if isinstance(before, list) and isinstance(after, list):
        for index, (a, b) in enumerate(zip(before, after, strict=False)):
            yield from _walk(a, b, f"{path}[{index}]")
        for index in range(len(after), len(before)):
            yield Difference(path=f"{path}[{index}]", before=before[index], kind="removed")
        for index in range(len(before), len(after)):
            yield Difference(path=f"{path}[{index}]", after=after[index], kind="added")
        return
    if not _same_scalar(before, after):
        yield Difference(path=path or "$", before=before, after=after)
