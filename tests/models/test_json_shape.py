"""How deep a client's document nests, found level by level."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest

from models.json_shape import too_deep


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value, "scalar": "s"}
    return value


@pytest.mark.parametrize("depth", [1, 2, 5, 63, 64])
def test_up_to_the_limit_passes(depth: int) -> None:
    assert not too_deep(nested(depth))


@pytest.mark.parametrize("depth", [65, 200])
def test_past_the_limit_is_too_deep(depth: int) -> None:
    assert too_deep(nested(depth))


def test_a_deep_branch_among_many_flat_ones_is_found() -> None:
    items: list[Any] = [{"serial": i, "value": 1.5} for i in range(1000)]
    assert not too_deep({"equipment": items}, limit=3)
    items[500]["extra"] = {"a": [1]}  # one item two levels deeper
    assert too_deep({"equipment": items}, limit=4)
    assert not too_deep({"equipment": items}, limit=5)


def test_subclasses_of_objects_and_arrays_count() -> None:
    assert too_deep(OrderedDict(a=OrderedDict(b=[1])), limit=2)
    assert not too_deep("text")
    assert not too_deep(7)
